// Introduction schemas.
import { Type, type Static } from '@sinclair/typebox';
import { INTRODUCTION_STATES } from '../db/database.js';
import { StringEnum, Timestamp, Uuid } from '../schemas/common.js';
import { INTRODUCTION_ACTIONS } from './introduction-workflow.js';
import { INTRODUCTION_EXAMPLE } from '../schemas/examples.js';

const OptionalUuid = Type.Optional(Type.String({ format: 'uuid' }));

export const IntroductionState = StringEnum(INTRODUCTION_STATES, { description: 'Where the introduction stands' });

export const IntroductionCreate = Type.Object(
  {
    companyAId: Type.String({ format: 'uuid', description: 'One party; for a company token, its own company or the other party' }),
    companyBId: Type.String({ format: 'uuid', description: 'The other party' }),
    needId: OptionalUuid,
    capabilityId: OptionalUuid,
    clusterId: Type.Optional(Type.String({ format: 'uuid', description: 'The cluster brokering it (required for cluster leaders)' })),
    message: Type.String({ minLength: 1, maxLength: 5000 }),
  },
  {
    additionalProperties: false,
    title: 'IntroductionCreate',
    examples: [
      {
        companyAId: '0192f1c4-6b7a-7cc3-9f5e-2b1a4d3c5e6f',
        companyBId: '0192f1c4-7d21-7a10-8b3e-6c2f0a9d4e1b',
        needId: '0192f1c5-0a3b-7e55-a1c2-3d4e5f60718a',
        capabilityId: '0192f1c5-1f42-7b09-9e8d-7c6b5a493827',
        clusterId: '0192f1c3-9e8f-7d6c-b5a4-938271605f4e',
        message: 'Dere bør snakke sammen om sveiseprosedyrer for aluminium.',
      },
    ],
  },
);
export type IntroductionCreate = Static<typeof IntroductionCreate>;

export const IntroductionTransition = Type.Object(
  {
    action: StringEnum(INTRODUCTION_ACTIONS),
    note: Type.Optional(Type.String({ maxLength: 5000 })),
    companyId: Type.Optional(Type.String({ format: 'uuid', description: 'For admins answering on behalf of one side' })),
  },
  { additionalProperties: false, title: 'IntroductionTransition', examples: [{ action: 'accept', note: 'Gjerne, vi tar kontakt.' }] },
);
export type IntroductionTransition = Static<typeof IntroductionTransition>;

export const IntroductionEvent = Type.Object({
  action: Type.String(),
  fromState: Type.Union([Type.String(), Type.Null()]),
  toState: Type.String(),
  actorRole: Type.String(),
  actorCompanyId: Type.Union([Uuid, Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  at: Timestamp,
});

export const Introduction = Type.Object(
  {
    id: Uuid,
    clusterId: Type.Union([Uuid, Type.Null()]),
    needId: Type.Union([Uuid, Type.Null()]),
    capabilityId: Type.Union([Uuid, Type.Null()]),
    companyAId: Uuid,
    companyBId: Uuid,
    message: Type.String(),
    state: IntroductionState,
    responses: Type.Object({ a: StringEnum(['pending', 'accepted', 'declined'] as const), b: StringEnum(['pending', 'accepted', 'declined'] as const) }),
    proposedByRole: Type.String(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    history: Type.Array(IntroductionEvent),
  },
  { $id: 'Introduction', title: 'Introduction', examples: [INTRODUCTION_EXAMPLE] },
);
export type Introduction = Static<typeof Introduction>;

export const IntroductionListQuery = Type.Object(
  {
    state: Type.Optional(IntroductionState),
    companyId: OptionalUuid,
    clusterId: OptionalUuid,
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type IntroductionListQuery = Static<typeof IntroductionListQuery>;
