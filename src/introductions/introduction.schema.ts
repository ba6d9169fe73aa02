// Introduction schemas.
import { Type, type Static } from '@sinclair/typebox';
import { INTRODUCTION_STATES } from '../db/database.js';
import { StringEnum, Timestamp, Uuid } from '../schemas/common.js';
import { INTRODUCTION_ACTIONS } from './introduction-workflow.js';

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
  { additionalProperties: false, title: 'IntroductionCreate' },
);
export type IntroductionCreate = Static<typeof IntroductionCreate>;

export const IntroductionTransition = Type.Object(
  {
    action: StringEnum(INTRODUCTION_ACTIONS),
    note: Type.Optional(Type.String({ maxLength: 5000 })),
    companyId: Type.Optional(Type.String({ format: 'uuid', description: 'For admins answering on behalf of one side' })),
  },
  { additionalProperties: false, title: 'IntroductionTransition' },
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
  { $id: 'Introduction', title: 'Introduction' },
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
