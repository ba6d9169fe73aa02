// API token schemas. The secret appears only in the 201 answer of POST /v1/tokens.
import { Type, type Static } from '@sinclair/typebox';
import { StringEnum, Timestamp, Uuid } from '../schemas/common.js';
import { TOKEN_INFO_EXAMPLE } from '../schemas/examples.js';

export const RoleSchema = StringEnum(['admin', 'cluster-leader', 'company'] as const, { description: 'What the token may do' });

export const TokenCreate = Type.Object(
  {
    role: RoleSchema,
    companyId: Type.Optional(Type.String({ format: 'uuid', description: 'Required for role company' })),
    clusterIds: Type.Optional(
      Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 50, uniqueItems: true, description: 'Required for role cluster-leader' }),
    ),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false, title: 'TokenCreate', examples: [{ role: 'cluster-leader', clusterIds: ['0192f1c3-9e8f-7d6c-b5a4-938271605f4e'], name: 'Klyngeleder 7sterke' }] },
);
export type TokenCreate = Static<typeof TokenCreate>;

export const TokenInfo = Type.Object(
  {
    id: Uuid,
    role: RoleSchema,
    companyId: Type.Union([Uuid, Type.Null()]),
    clusterIds: Type.Array(Uuid),
    name: Type.Union([Type.String(), Type.Null()]),
    createdAt: Timestamp,
    expiresAt: Type.Union([Timestamp, Type.Null()]),
    revokedAt: Type.Union([Timestamp, Type.Null()]),
  },
  { $id: 'TokenInfo', title: 'TokenInfo', examples: [TOKEN_INFO_EXAMPLE] },
);
export type TokenInfo = Static<typeof TokenInfo>;

export const IssuedToken = Type.Intersect([Type.Ref('TokenInfo'), Type.Object({ token: Type.String({ description: 'The secret; shown only once' }) })], {
  title: 'IssuedToken',
});
