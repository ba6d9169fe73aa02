// Cluster schemas.
import { Type, type Static } from '@sinclair/typebox';
import { Timestamp, Uuid } from '../schemas/common.js';
import { CLUSTER_EXAMPLE } from '../schemas/examples.js';

const fields = {
  name: Type.String({ minLength: 1, maxLength: 200, examples: ['7sterke'] }),
  region: Type.String({ minLength: 1, maxLength: 100, examples: ['Innlandet'] }),
  description: Type.String({ maxLength: 5000 }),
};

export const ClusterCreate = Type.Object(
  { name: fields.name, region: Type.Optional(fields.region), description: Type.Optional(fields.description) },
  { additionalProperties: false, title: 'ClusterCreate' },
);
export type ClusterCreate = Static<typeof ClusterCreate>;

export const ClusterPatch = Type.Object(
  {
    name: Type.Optional(fields.name),
    region: Type.Optional(Type.Union([fields.region, Type.Null()])),
    description: Type.Optional(Type.Union([fields.description, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1, title: 'ClusterPatch' },
);
export type ClusterPatch = Static<typeof ClusterPatch>;

export const Cluster = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    region: Type.Union([Type.String(), Type.Null()]),
    description: Type.Union([Type.String(), Type.Null()]),
    memberCount: Type.Integer({ minimum: 0 }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Cluster', title: 'Cluster', examples: [CLUSTER_EXAMPLE] },
);
export type Cluster = Static<typeof Cluster>;

export const ClusterParams = Type.Object({ clusterId: Uuid }, { additionalProperties: false });
export const MemberParams = Type.Object({ clusterId: Uuid, companyId: Uuid }, { additionalProperties: false });
