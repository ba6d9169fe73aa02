// Bulk-loads synthetic companies and listings straight into PostgreSQL, indexed exactly as the
// scoring processor would index them (same features, document frequencies and stored vectors),
// but in batches: seeding 100k listings through the API would measure the seeding, not scoring.
import { sql, type Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database } from '../src/db/database.js';
import { explanationFacts } from '../src/matching/explanation-facts.js';
import { extractFeatures, type MatchingResources } from '../src/matching/features.js';
import { weightVector } from '../src/matching/vectors.js';
import type { SyntheticListing } from './synthetic.js';

const BATCH = 2_000;

/** Listings of one side to seed. */
export interface SeedGroup {
  listings: SyntheticListing[];
  side: 'need' | 'capability';
}

/**
 * Seeds the groups, then weights every listing's vector by the document frequencies of the whole
 * seeded corpus, as a re-score leaves them. Weighting each group by the corpus as it stood after
 * that group (capabilities before any need existed) made the first re-score rewrite every
 * capability's vector, so the bench's first timed run did more work than the next.
 */
export async function seed(db: Kysely<Database>, groups: SeedGroup[], resources: MatchingResources): Promise<string[][]> {
  const inserted = [];
  for (const { listings, side } of groups) inserted.push(await insertListings(db, listings, side, resources));
  const { rows: countRows } = await sql<{ n: number }>`select count(*)::int as n from listings`.execute(db);
  const stats = { documents: countRows[0]!.n, df: new Map((await db.selectFrom('term_stats').select(['term', 'df']).execute()).map((r) => [r.term, r.df])) };
  for (const group of inserted) await writeVectors(db, group, stats);
  // As autovacuum would: index-only scans of the postings need a current visibility map.
  await sql`vacuum analyze listing_terms`.execute(db);
  await sql`analyze`.execute(db);
  return inserted.map((group) => group.rows.map((r) => r.id));
}

type Inserted = Awaited<ReturnType<typeof insertListings>>;

/** Companies and listings of one side, their features and their terms' document frequencies. */
async function insertListings(db: Kysely<Database>, listings: SyntheticListing[], side: 'need' | 'capability', resources: MatchingResources) {
  const companyIds = new Map<string, string>();
  for (const listing of listings) if (!companyIds.has(listing.companyId)) companyIds.set(listing.companyId, uuidv7());
  const byKey = new Map(listings.map((l) => [l.companyId, l]));
  const companies = [...companyIds].map(([key, id]) => ({
    id,
    name: `Bench ${key}`,
    nace_code: byKey.get(key)!.naceCode,
    value_chain_role: byKey.get(key)!.valueChainRole as Database['companies']['value_chain_role'],
    updated_at: new Date(),
  }));
  for (let i = 0; i < companies.length; i += BATCH) await db.insertInto('companies').values(companies.slice(i, i + BATCH)).execute();

  const rows = listings.map((l) => ({
    id: uuidv7(),
    company_id: companyIds.get(l.companyId)!,
    side,
    kind: l.kind,
    title: l.title,
    description: l.description,
    lang: l.lang,
    updated_at: new Date(),
  }));
  for (let i = 0; i < rows.length; i += BATCH) await db.insertInto('listings').values(rows.slice(i, i + BATCH)).execute();

  const analysed = listings.map((l) => extractFeatures(l, side, resources));
  const features = analysed.map((f) => f.tf);
  const df = new Map<string, number>();
  for (const tf of features) for (const term of tf.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const terms = [...df];
  for (let i = 0; i < terms.length; i += BATCH * 5) {
    const chunk = terms.slice(i, i + BATCH * 5);
    await sql`insert into term_stats (term, df) select * from unnest(${chunk.map((t) => t[0])}::text[], ${chunk.map((t) => t[1])}::int[])
      on conflict (term) do update set df = term_stats.df + excluded.df`.execute(db);
  }
  return { rows, side, analysed, features };
}

/** The postings, stored vectors and (for capabilities) explanation facts of inserted listings. */
async function writeVectors(db: Kysely<Database>, { rows, side, analysed, features }: Inserted, { documents, df: current }: { documents: number; df: Map<string, number> }) {
  let ids: string[] = [];
  let companies_: string[] = [];
  let termsOut: string[] = [];
  let weights: number[] = [];
  const flush = async () => {
    if (ids.length === 0) return;
    await sql`insert into listing_terms (listing_id, side, company_id, term, weight)
      select l, ${side}, c, t, w from unnest(${ids}::uuid[], ${companies_}::uuid[], ${termsOut}::text[], ${weights}::real[]) as x(l, c, t, w)`.execute(db);
    ids = [];
    companies_ = [];
    termsOut = [];
    weights = [];
  };
  for (let i = 0; i < rows.length; i += 1) {
    for (const [term, weight] of weightVector(features[i]!, { documents, df: (t) => current.get(t) ?? 0 })) {
      ids.push(rows[i]!.id);
      companies_.push(rows[i]!.company_id);
      termsOut.push(term);
      weights.push(weight);
    }
    if (ids.length >= 20_000) await flush();
  }
  await flush();
  // Capabilities get their explanation facts, as the scoring processor stores them.
  for (let i = 0; i < rows.length; i += BATCH) {
    const chunk = rows.slice(i, i + BATCH);
    // One JSON text per listing, paired by unnest: a single JSON object for the whole chunk would be
    // re-parsed for every row (json -> key parses the text each time), quadratic in the chunk size.
    const ids = chunk.map((r) => r.id);
    const explains = chunk.map((r, j) => (side === 'capability' ? JSON.stringify(explanationFacts(analysed[i + j]!)) : null));
    await sql`
      insert into listing_vectors (listing_id, terms, weights, explain)
      select v.listing_id, v.terms, v.weights, e.explain::json
      from (
        select listing_id, array_agg(term order by term) as terms, array_agg(weight order by term) as weights
        from listing_terms where listing_id = any(${ids}::uuid[]) group by listing_id
      ) v
      join unnest(${ids}::uuid[], ${explains}::text[]) as e(listing_id, explain) using (listing_id)`.execute(db);
  }
}
