// Match schemas: the contract's match shape, extended with a summary of the listing on the other side.
import { Type, type Static } from '@sinclair/typebox';
import { StringEnum, Timestamp, Uuid } from '../schemas/common.js';
import { ListingKind } from '../listings/listing.schema.js';
import { MATCH_EXAMPLE, PARTNER_SUGGESTION_EXAMPLE } from '../schemas/examples.js';

export const MatchComponents = Type.Object(
  {
    text: Type.Number({ minimum: 0, maximum: 1, description: 'Cosine similarity of the two texts’ weighted terms and concepts' }),
    crossIndustry: Type.Number({ minimum: 0, maximum: 1, description: '1 across NACE divisions, 0.5 across groups, 0 same group' }),
    valueChain: Type.Number({ minimum: 0, maximum: 1, description: '1 different value-chain roles, 0.3 same, 0.5 unknown' }),
    kindFit: Type.Number({ minimum: 0, maximum: 1, description: 'How well the capability’s kind can meet the need’s kind' }),
    circular: Type.Number({ minimum: 0, maximum: 1, description: '1 when a by-product or surplus can serve what the need asks for' }),
  },
  { title: 'MatchComponents' },
);

export const ListingSummary = Type.Object(
  { id: Uuid, companyId: Uuid, companyName: Type.String(), kind: ListingKind, title: Type.String() },
  { title: 'ListingSummary' },
);

export const Match = Type.Object(
  {
    needId: Uuid,
    capabilityId: Uuid,
    needCompanyId: Uuid,
    capabilityCompanyId: Uuid,
    score: Type.Number({ minimum: 0, maximum: 1, description: 'Calibrated score: ≥ 0.6 strong, 0.35–0.6 worth a look, < 0.2 weak' }),
    components: MatchComponents,
    explanation: Type.Object({
      sharedTerms: Type.Array(Type.String()),
      concepts: Type.Array(Type.String(), { description: 'Glossary concepts both texts mention, in their own words ("sveising ≈ welding")' }),
      reasons: Type.Array(Type.String()),
    }),
    status: Type.Union([Type.Literal('suggested'), Type.Literal('useful'), Type.Literal('dismissed')]),
    scoredAt: Timestamp,
    need: ListingSummary,
    capability: ListingSummary,
  },
  { $id: 'Match', title: 'Match', examples: [MATCH_EXAMPLE] },
);
export type Match = Static<typeof Match>;

export const PartnerSuggestion = Type.Object(
  {
    companyId: Uuid,
    companyName: Type.String(),
    naceCode: Type.String(),
    valueChainRole: Type.Union([Type.String(), Type.Null()]),
    score: Type.Number({ minimum: 0, maximum: 1, description: 'Best pair score with this partner' }),
    pairCount: Type.Integer({ minimum: 1 }),
    pairs: Type.Array(
      Type.Object({
        direction: Type.Union([Type.Literal('they-offer'), Type.Literal('we-offer')], {
          description: 'they-offer: their capability meets our need; we-offer: our capability meets their need',
        }),
        match: Type.Ref('Match'),
      }),
      { description: 'The best listing pairs behind the suggestion (up to 5)' },
    ),
  },
  { $id: 'PartnerSuggestion', title: 'PartnerSuggestion', examples: [PARTNER_SUGGESTION_EXAMPLE] },
);
export type PartnerSuggestion = Static<typeof PartnerSuggestion>;

export const FeedbackInput = Type.Object(
  {
    verdict: StringEnum(['useful', 'dismissed'] as const, { description: 'dismissed pairs drop out of that company’s suggestions' }),
    companyId: Type.Optional(Type.String({ format: 'uuid', description: 'Whose verdict: the need’s company (default) or the capability’s' })),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false, title: 'FeedbackInput', examples: [{ verdict: 'useful', note: 'Vi har avtalt et møte.' }] },
);
export type FeedbackInput = Static<typeof FeedbackInput>;

export const Feedback = Type.Object(
  {
    needId: Uuid,
    capabilityId: Uuid,
    companyId: Uuid,
    verdict: StringEnum(['useful', 'dismissed'] as const),
    note: Type.Union([Type.String(), Type.Null()]),
    updatedAt: Timestamp,
  },
  { title: 'Feedback' },
);
export type Feedback = Static<typeof Feedback>;

export const MatchListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size (max 100)' }),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'Opaque cursor from the previous page' })),
    includeDismissed: Type.Boolean({ default: false, description: 'Also list pairs the listing’s company dismissed' }),
  },
  { additionalProperties: false },
);

export const MatchingStatus = Type.Object(
  {
    pending: Type.Integer({ minimum: 0, description: 'Listings with scoring work not yet finished (outbox and queue)' }),
    failed: Type.Integer({ minimum: 0, description: 'Scoring jobs that failed for good' }),
    lastScoredAt: Type.Union([Timestamp, Type.Null()]),
    mode: Type.Union([Type.Literal('queue'), Type.Literal('in-process')]),
  },
  { title: 'MatchingStatus', examples: [{ pending: 0, failed: 0, lastScoredAt: '2026-11-02T09:30:01.000Z', mode: 'queue' }] },
);
