// Measures candidate generation against the exact answer on the same stored vectors.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/database.js';
import { queryFeatures } from '../src/matching/vectors.js';
import { candidateListings, countListings, documentFrequencies, storedVectors } from '../src/scoring/index.repository.js';
import { CANDIDATES } from '../src/scoring/scoring-processor.js';

/**
 * Top-10 recall of candidate generation (the real SQL, impact-ordered and truncated) against exact
 * cosine over every capability, computed by PostgreSQL on the same stored vectors.
 */
export async function candidateRecall(db: Kysely<Database>, needIds: string[]): Promise<number> {
  const documents = await countListings(db);
  let hits = 0;
  let total = 0;
  for (const needId of needIds) {
    const need = await db.selectFrom('listings').select('company_id').where('id', '=', needId).executeTakeFirstOrThrow();
    const vector = (await storedVectors(db, [needId])).get(needId) ?? new Map<string, number>();
    const dfs = await documentFrequencies(db, [...vector.keys()]);
    const candidates = await candidateListings(db, {
      side: 'capability',
      excludeCompanyId: need.company_id,
      features: queryFeatures(vector, { documents, df: (f) => dfs.get(f) ?? 0 }),
      limit: CANDIDATES,
      documents,
    });
    const { rows: exact } = await sql<{ listing_id: string }>`
      select lt.listing_id from listing_terms n
      join listing_terms lt on lt.side = 'capability' and lt.term = n.term and lt.company_id <> ${need.company_id}
      where n.listing_id = ${needId}
      group by lt.listing_id order by sum(lt.weight * n.weight) desc, lt.listing_id limit 10`.execute(db);
    const found = new Set(candidates.map((c) => c.listingId));
    total += exact.length;
    hits += exact.filter((r) => found.has(r.listing_id)).length;
  }
  return hits / Math.max(1, total);
}

