// The inverted index in PostgreSQL: listing_terms (feature → listing, weight) and the document
// frequencies in term_stats, kept consistent with each other in one transaction.
import { sql, type Transaction } from 'kysely';
import type { Database, ListingSide } from '../db/database.js';
import type { Executor } from '../db/executor.js';
import type { ExplanationFacts } from '../matching/explanation-facts.js';
import { candidateMinImpact } from '../matching/vectors.js';

/** Serialises index changes per listing across processes (two jobs of one listing never interleave). */
export async function lockListingIndex(trx: Transaction<Database>, listingId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`listing-index:${listingId}`}))`.execute(trx);
}

export async function indexedFeatures(trx: Transaction<Database>, listingId: string): Promise<string[]> {
  const rows = await trx.selectFrom('listing_terms').select('term').where('listing_id', '=', listingId).execute();
  return rows.map((r) => r.term);
}

/**
 * Applies df changes, taking row locks in sorted order so concurrent jobs queue on shared terms
 * instead of deadlocking. `added` and `removed` are disjoint.
 */
export async function adjustDocumentFrequencies(trx: Transaction<Database>, added: string[], removed: string[]): Promise<void> {
  if (added.length > 0) {
    await sql`
      insert into term_stats (term, df) select term, 1 from unnest(${[...added].sort()}::text[]) as t(term) order by term
      on conflict (term) do update set df = term_stats.df + 1`.execute(trx);
  }
  if (removed.length > 0) {
    await sql`select term from term_stats where term = any(${removed}::text[]) order by term for update`.execute(trx);
    await sql`update term_stats set df = greatest(df - 1, 0) where term = any(${removed}::text[])`.execute(trx);
  }
}

export async function documentFrequencies(db: Executor, features: string[]): Promise<Map<string, number>> {
  if (features.length === 0) return new Map();
  const rows = await db.selectFrom('term_stats').select(['term', 'df']).where('term', '=', sql<string>`any(${features}::text[])`).execute();
  return new Map(rows.map((r) => [r.term, r.df]));
}

export async function countListings(db: Executor): Promise<number> {
  const row = await db.selectFrom('listings').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return row.n;
}

/** From this many listings on, a counter reuses its count for COUNT_REUSE_MS instead of counting per job. */
const LARGE_CORPUS = 20_000;
const COUNT_REUSE_MS = 5_000;

/**
 * Counting the listings costs about 10 ms per job at 100k. In a large corpus a few listings more
 * or less move idf (a logarithm) by far less than matters, so the count is reused briefly there;
 * small corpora, where one listing does matter, are counted every time.
 */
export function documentCounter(): (db: Executor) => Promise<number> {
  let counted: { documents: number; at: number } | null = null;
  return async (db) => {
    const now = Date.now();
    if (counted && counted.documents >= LARGE_CORPUS && now - counted.at < COUNT_REUSE_MS) return counted.documents;
    counted = { documents: await countListings(db), at: now };
    return counted.documents;
  };
}

export async function replaceListingTerms(
  trx: Transaction<Database>,
  listing: { id: string; side: ListingSide; companyId: string },
  weights: [string, number][],
  explain: ExplanationFacts | null = null,
): Promise<void> {
  await trx.deleteFrom('listing_terms').where('listing_id', '=', listing.id).execute();
  await trx.deleteFrom('listing_vectors').where('listing_id', '=', listing.id).execute();
  if (weights.length === 0) return;
  await trx
    .insertInto('listing_terms')
    .values(weights.map(([term, weight]) => ({ listing_id: listing.id, side: listing.side, company_id: listing.companyId, term, weight })))
    .execute();
  await trx
    .insertInto('listing_vectors')
    .values({ listing_id: listing.id, terms: weights.map(([term]) => term), weights: weights.map(([, weight]) => weight), explain: explain && JSON.stringify(explain) })
    .execute();
}

export async function removeListingTerms(trx: Transaction<Database>, listingId: string): Promise<string[]> {
  const rows = await trx.deleteFrom('listing_terms').where('listing_id', '=', listingId).returning('term').execute();
  await trx.deleteFrom('listing_vectors').where('listing_id', '=', listingId).execute();
  return rows.map((r) => r.term);
}

/** The stored (unit) vectors of some listings, in one query of one row per listing. */
export async function storedVectors(db: Executor, listingIds: string[]): Promise<Map<string, Map<string, number>>> {
  const vectors = new Map<string, Map<string, number>>();
  if (listingIds.length === 0) return vectors;
  const rows = await db
    .selectFrom('listing_vectors')
    // As JSON: the driver parses it natively, several times faster than text[]/real[] literals.
    .select(['listing_id', sql<string[]>`to_json(terms)`.as('terms'), sql<number[]>`to_json(weights)`.as('weights')])
    .where('listing_id', '=', sql<string>`any(${listingIds}::uuid[])`)
    .execute();
  for (const row of rows) vectors.set(row.listing_id, new Map(row.terms.map((term, i) => [term, row.weights[i]!])));
  return vectors;
}

/** A hard bound per term, whatever the query weights, so no query reads a whole posting list. */
export const MAX_POSTINGS_PER_TERM = 3_000;

/**
 * Candidate generation through the inverted index: the listings of the other side and of other
 * companies with the largest dot product against the query's strongest features, read from
 * impact-ordered posting lists (index listing_terms_side_term_weight).
 */
export async function candidateListings(
  db: Executor,
  query: { side: ListingSide; excludeCompanyId: string; features: [string, number][]; limit: number; documents: number },
): Promise<{ listingId: string; dot: number }[]> {
  if (query.features.length === 0) return [];
  const minImpact = candidateMinImpact(query.documents);
  const { rows } = await sql<{ listing_id: string; dot: number }>`
    select p.listing_id, sum(p.weight * q.weight)::float8 as dot
    from unnest(${query.features.map((f) => f[0])}::text[], ${query.features.map((f) => f[1])}::float8[], ${query.features.map((f) => minImpact / f[1])}::float8[]) as q(term, weight, min_weight)
    cross join lateral (
      select lt.listing_id, lt.weight from listing_terms lt
      where lt.side = ${query.side} and lt.term = q.term and lt.weight >= q.min_weight and lt.company_id <> ${query.excludeCompanyId}
      order by lt.weight desc
      limit ${MAX_POSTINGS_PER_TERM}
    ) p
    group by p.listing_id
    order by dot desc, p.listing_id
    limit ${query.limit}`.execute(db);
  return rows.map((r) => ({ listingId: r.listing_id, dot: r.dot }));
}

// ---- Bulk variants, for batches of listings (a full re-score) ----

/** Serialises index changes of many listings at once, in one sorted order so batches never deadlock. */
export async function lockListingIndexes(trx: Transaction<Database>, listingIds: string[]): Promise<void> {
  if (listingIds.length === 0) return;
  await sql`select pg_advisory_xact_lock(k) from (
    select distinct hashtext('listing-index:' || id::text) as k from unnest(${listingIds}::uuid[]) as id order by 1) locks`.execute(trx);
}

/**
 * The stored vectors of many listings: term → weight, in the single precision the index stores
 * (PostgreSQL prints a real so that it reads back exactly), and whether explanation facts are stored.
 */
export async function storedVectorsOf(trx: Transaction<Database>, listingIds: string[]): Promise<Map<string, { weights: Map<string, number>; explained: boolean }>> {
  if (listingIds.length === 0) return new Map();
  const { rows } = await sql<{ id: string; terms: string[]; weights: number[]; explained: boolean }>`
    select listing_id as id, to_json(terms) as terms, to_json(weights) as weights, explain is not null as explained
    from listing_vectors where listing_id = any(${listingIds}::uuid[])`.execute(trx);
  return new Map(rows.map((r) => [r.id, { weights: new Map(r.terms.map((term, i) => [term, Math.fround(r.weights[i]!)])), explained: r.explained }]));
}

/** Applies summed df changes (term → +n or −n), in sorted order like adjustDocumentFrequencies. */
export async function applyDocumentFrequencyDeltas(trx: Transaction<Database>, deltas: Map<string, number>): Promise<void> {
  const entries = [...deltas].filter(([, delta]) => delta !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const added = entries.filter(([, delta]) => delta > 0);
  const removed = entries.filter(([, delta]) => delta < 0);
  if (added.length > 0) {
    await sql`
      insert into term_stats (term, df) select term, delta from unnest(${added.map((e) => e[0])}::text[], ${added.map((e) => e[1])}::int[]) as t(term, delta) order by term
      on conflict (term) do update set df = term_stats.df + excluded.df`.execute(trx);
  }
  if (removed.length > 0) {
    const terms = removed.map((e) => e[0]);
    await sql`select term from term_stats where term = any(${terms}::text[]) order by term for update`.execute(trx);
    await sql`
      update term_stats s set df = greatest(s.df + d.delta, 0)
      from unnest(${terms}::text[], ${removed.map((e) => e[1])}::int[]) as d(term, delta) where s.term = d.term`.execute(trx);
  }
}

/** Replaces many listings' postings and stored vectors (with capabilities' explanation facts) with two set-based writes each. */
export async function replaceListingsTerms(
  trx: Transaction<Database>,
  listings: { id: string; side: ListingSide; companyId: string; weights: [string, number][]; explain: ExplanationFacts | null }[],
): Promise<void> {
  if (listings.length === 0) return;
  const ids = listings.map((l) => l.id);
  await trx.deleteFrom('listing_terms').where('listing_id', '=', sql<string>`any(${ids}::uuid[])`).execute();
  await trx.deleteFrom('listing_vectors').where('listing_id', '=', sql<string>`any(${ids}::uuid[])`).execute();
  const columns = { listing: [] as string[], side: [] as string[], company: [] as string[], term: [] as string[], weight: [] as number[] };
  for (const listing of listings) {
    for (const [term, weight] of listing.weights) {
      columns.listing.push(listing.id);
      columns.side.push(listing.side);
      columns.company.push(listing.companyId);
      columns.term.push(term);
      columns.weight.push(weight);
    }
  }
  if (columns.term.length === 0) return;
  await sql`
    insert into listing_terms (listing_id, side, company_id, term, weight)
    select * from unnest(${columns.listing}::uuid[], ${columns.side}::text[], ${columns.company}::uuid[], ${columns.term}::text[], ${columns.weight}::real[])`.execute(trx);
  // Explanation facts by listing id, as one JSON parameter.
  const explains = JSON.stringify(Object.fromEntries(listings.filter((l) => l.explain).map((l) => [l.id, l.explain])));
  await sql`
    insert into listing_vectors (listing_id, terms, weights, explain)
    select listing_id, array_agg(term order by term), array_agg(weight order by term), ${explains}::json -> listing_id::text
    from listing_terms where listing_id = any(${ids}::uuid[]) group by listing_id`.execute(trx);
}

/** Stored explanation facts of listings; listings without them (indexed before 0015, or needs) are missing. */
export async function explanationFactsOf(db: Executor, listingIds: readonly string[]): Promise<Map<string, ExplanationFacts>> {
  if (listingIds.length === 0) return new Map();
  const { rows } = await sql<{ id: string; explain: ExplanationFacts }>`
    select listing_id as id, explain from listing_vectors where listing_id = any(${listingIds}::uuid[]) and explain is not null`.execute(db);
  return new Map(rows.map((r) => [r.id, r.explain]));
}

export interface SideVectorRow {
  id: string;
  companyId: string;
  kind: Database['listings']['kind'];
  updatedAt: Date;
  naceCode: string;
  valueChainRole: string | null;
  terms: string[];
  weights: number[];
  /** Explanation facts (capabilities indexed since migration 0015). */
  explain: ExplanationFacts | null;
}

/**
 * Every stored vector of one side with what scoring needs of its listing and company, in pages
 * (keyset on the listing id), so a caller can reduce each page before the next is read.
 */
export async function* sideVectorPages(db: Executor, side: ListingSide, pageSize = 10_000): AsyncGenerator<SideVectorRow[]> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await sql<SideVectorRow>`
      select v.listing_id as "id", l.company_id as "companyId", l.kind, l.updated_at as "updatedAt",
             c.nace_code as "naceCode", c.value_chain_role as "valueChainRole",
             to_json(v.terms) as terms, to_json(v.weights) as weights, v.explain
      from listing_vectors v
      join listings l on l.id = v.listing_id
      join companies c on c.id = l.company_id
      where l.side = ${side} and v.listing_id > ${after}::uuid
      order by v.listing_id
      limit ${pageSize}`.execute(db);
    if (rows.length > 0) yield rows;
    if (rows.length < pageSize) return;
    after = rows.at(-1)!.id;
  }
}

/** How long the index change log (migration 0013) keeps a row. */
export const CHANGE_LOG_RETENTION = '1 day';

/**
 * Deletes up to `limit` index change log rows older than the log's retention (a day): workers
 * whose capability index has not refreshed for an hour reload it instead of reading the log.
 */
export async function pruneIndexChanges(db: Executor, limit: number): Promise<number> {
  const result = await sql`
    delete from index_changes where ctid = any(array(
      select ctid from index_changes where changed_at < now() - ${CHANGE_LOG_RETENTION}::interval limit ${limit}))`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
