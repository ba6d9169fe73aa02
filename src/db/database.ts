// Typed view of the database schema that db/migrations creates. Kysely checks every query against it.
import type { ExplanationFacts } from '../matching/explanation-facts.js';
import type { StoredComponents, StoredExplanation } from './stored-match.js';
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export const VALUE_CHAIN_ROLES = [
  'raw-material',
  'component-supplier',
  'manufacturer',
  'service',
  'logistics',
  'recycler',
  'research-education',
  'end-customer',
] as const;
export type ValueChainRole = (typeof VALUE_CHAIN_ROLES)[number];

export const LISTING_KINDS = ['competence', 'capacity', 'equipment', 'product', 'byproduct', 'rnd', 'logistics', 'service'] as const;
export type ListingKind = (typeof LISTING_KINDS)[number];

export const LANGS = ['nb', 'nn', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export const VISIBILITIES = ['public', 'cluster', 'private'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export type ListingSide = 'need' | 'capability';

export interface CompanyTable {
  id: string;
  name: string;
  org_number: string | null;
  nace_code: string;
  region: string | null;
  value_chain_role: ValueChainRole | null;
  employees: number | null;
  description: string | null;
  website: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface ListingTable {
  id: string;
  company_id: string;
  side: ListingSide;
  kind: ListingKind;
  title: string;
  description: string;
  lang: Lang;
  lang_detected: Generated<boolean>;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  visibility: ColumnType<Visibility, Visibility | undefined, Visibility>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface ScoringOutboxTable {
  id: Generated<number>;
  listing_id: string;
  reason: string;
  request_id: string | null;
  created_at: Generated<Date>;
  published_at: Date | null;
  processed_at: Date | null;
}

export interface ListingTermTable {
  listing_id: string;
  side: ListingSide;
  company_id: string;
  term: string;
  weight: number;
}

/** Each listing's whole stored vector in one row, for exact scoring of candidates (see migration 0010). */
export interface ListingVectorTable {
  listing_id: string;
  terms: string[];
  weights: number[];
  /** A capability's explanation facts (matching/explanation-facts.ts); null for needs and for rows indexed before 0015. */
  explain: ColumnType<ExplanationFacts | null, string | null | undefined, string | null>;
}

export interface TermStatTable {
  term: string;
  df: number;
}

export interface CorpusStatTable {
  key: string;
  value: ColumnType<string, string | number | bigint, string | number | bigint>;
}

export interface MatchComponents {
  text: number;
  crossIndustry: number;
  valueChain: number;
  kindFit: number;
  circular: number;
}

/** What matched, as stored; the API renders `reasons` from it (matching/score.ts explanationReasons). */
export interface MatchExplanation {
  sharedTerms: string[];
  concepts: string[];
  circular: string[];
}

export interface MatchTable {
  need_id: string;
  capability_id: string;
  need_company_id: string;
  capability_company_id: string;
  score: number;
  /** Arrays in a fixed order (stored-match.ts), written as JSON text. */
  components: ColumnType<StoredComponents, string, string>;
  explanation: ColumnType<StoredExplanation, string, string>;
  scored_at: Timestamp;
}

export type FeedbackVerdict = 'useful' | 'dismissed';

export interface MatchFeedbackTable {
  need_id: string;
  capability_id: string;
  company_id: string;
  verdict: FeedbackVerdict;
  note: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface ClusterTable {
  id: string;
  name: string;
  region: string | null;
  description: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface ClusterMemberTable {
  cluster_id: string;
  company_id: string;
  added_at: Generated<Date>;
}

export type Role = 'admin' | 'cluster-leader' | 'company';

export interface ApiTokenTable {
  id: string;
  name: string | null;
  role: Role;
  company_id: string | null;
  cluster_ids: ColumnType<string[], string[] | undefined, string[]>;
  secret_hash: string;
  created_by: string;
  created_at: Generated<Date>;
  expires_at: Date | string | null;
  revoked_at: Date | string | null;
}

export const INTRODUCTION_STATES = ['proposed', 'accepted', 'declined', 'meeting-held', 'collaboration', 'closed-no-fit'] as const;
export type IntroductionState = (typeof INTRODUCTION_STATES)[number];
export type PartyResponse = 'pending' | 'accepted' | 'declined';

export interface IntroductionTable {
  id: string;
  cluster_id: string | null;
  need_id: string | null;
  capability_id: string | null;
  company_a_id: string;
  company_b_id: string;
  message: string;
  state: IntroductionState;
  a_response: ColumnType<PartyResponse, PartyResponse | undefined, PartyResponse>;
  b_response: ColumnType<PartyResponse, PartyResponse | undefined, PartyResponse>;
  proposed_by: string;
  proposed_by_role: string;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface IntroductionEventTable {
  id: Generated<number>;
  introduction_id: string;
  action: string;
  from_state: string | null;
  to_state: string;
  actor_token_id: string;
  actor_role: string;
  actor_company_id: string | null;
  note: string | null;
  at: Generated<Date>;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Generated<Date>;
  actor_token_id: string;
  actor_role: string;
  action: string;
  resource_type: string;
  resource_id: string;
  cluster_ids: ColumnType<string[], string[] | undefined, string[]>;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  request_id: string | null;
}

export type WebhookState = 'none' | 'pending' | 'queued' | 'delivered' | 'failed';

export interface WebhookTable {
  company_id: string;
  url: string;
  secret: string;
  created_at: Generated<Date>;
}

export interface NotificationTable {
  id: string;
  company_id: string;
  type: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  created_at: Generated<Date>;
  read_at: Date | string | null;
  webhook_state: WebhookState;
}

export interface WebhookDeliveryTable {
  id: Generated<number>;
  notification_id: string;
  company_id: string;
  url: string;
  attempt: number;
  status_code: number | null;
  error: string | null;
  succeeded: boolean;
  duration_ms: number;
  at: Generated<Date>;
}

export interface IdempotencyKeyTable {
  token_id: string;
  key: string;
  method: string;
  path: string;
  body_hash: string;
  status_code: number | null;
  response_body: string | null;
  created_at: Generated<Date>;
}

export interface Database {
  companies: CompanyTable;
  listings: ListingTable;
  scoring_outbox: ScoringOutboxTable;
  listing_terms: ListingTermTable;
  listing_vectors: ListingVectorTable;
  term_stats: TermStatTable;
  corpus_stats: CorpusStatTable;
  matches: MatchTable;
  match_feedback: MatchFeedbackTable;
  clusters: ClusterTable;
  cluster_members: ClusterMemberTable;
  api_tokens: ApiTokenTable;
  introductions: IntroductionTable;
  introduction_events: IntroductionEventTable;
  audit_log: AuditLogTable;
  webhooks: WebhookTable;
  notifications: NotificationTable;
  webhook_deliveries: WebhookDeliveryTable;
  idempotency_keys: IdempotencyKeyTable;
}

export type CompanyRow = Selectable<CompanyTable>;
export type NewCompanyRow = Insertable<CompanyTable>;
export type CompanyUpdate = Updateable<CompanyTable>;
export type ListingRow = Selectable<ListingTable>;
export type NewListingRow = Insertable<ListingTable>;
export type ListingUpdate = Updateable<ListingTable>;
export type MatchRow = Selectable<MatchTable>;
