// The inverted index in PostgreSQL: listing_terms (feature → listing, weight) and the document
// frequencies in term_stats, kept consistent with each other in one transaction.
import { sql, type Transaction } from 'kysely';
import type { Database, ListingSide } from '../db/database.js';
import type { Executor } from '../db/executor.js';

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

export async function replaceListingTerms(
  trx: Transaction<Database>,
  listing: { id: string; side: ListingSide; companyId: string },
  weights: [string, number][],
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
    .values({ listing_id: listing.id, terms: weights.map(([term]) => term), weights: weights.map(([, weight]) => weight) })
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

/**
 * Postings whose contribution to a query's dot product (query weight × listing weight) is below
 * this are not read. A listing in a query's true top 10 shares strong terms with it, so it is
 * still found through those; what is skipped is the long tail of weak postings of common terms,
 * which is where the cost was. Measured at 100k listings: the candidate query fell from 107 ms to
 * 8 ms with top-10 recall 1.0 against exact cosine (0.025: recall 0.99; 0.035: 0.985). The
 * benchmark reports the recall at every size.
 */
export const MIN_IMPACT = 0.02;
/** Below this many listings every posting is read: lists are short there, and each pair counts. */
export const EXACT_BELOW_LISTINGS = 5_000;
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
  const minImpact = query.documents < EXACT_BELOW_LISTINGS ? 0 : MIN_IMPACT;
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
