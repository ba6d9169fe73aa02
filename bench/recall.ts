// Measures candidate generation against the exact answer on the same stored vectors: the worker's
// in-memory index (what needs are scored with) and the SQL index (capability jobs, embedded mode).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/database.js';
import { candidateMinImpact, queryFeatures } from '../src/matching/vectors.js';
import { createCapabilityCorpus } from '../src/scoring/capability-corpus.js';
import { candidateListings, countListings, documentFrequencies, storedVectors } from '../src/scoring/index.repository.js';
import { CANDIDATES } from '../src/scoring/limits.js';

/**
 * Top-10 recall of candidate generation (impact-ordered and truncated) against exact cosine over
 * every capability, computed by PostgreSQL on the same stored vectors.
 */
export async function candidateRecall(db: Kysely<Database>, needIds: string[]): Promise<{ inMemory: number; sql: number }> {
  const documents = await countListings(db);
  const { index } = await createCapabilityCorpus(db).current();
  const hits = { inMemory: 0, sql: 0 };
  let total = 0;
  for (const needId of needIds) {
    const need = await db.selectFrom('listings').select('company_id').where('id', '=', needId).executeTakeFirstOrThrow();
    const vector = (await storedVectors(db, [needId])).get(needId) ?? new Map<string, number>();
    const dfs = await documentFrequencies(db, [...vector.keys()]);
    const features = queryFeatures(vector, { documents, df: (f) => dfs.get(f) ?? 0 });
    const fromSql = await candidateListings(db, { side: 'capability', excludeCompanyId: need.company_id, features, limit: CANDIDATES, documents });
    const fromMemory = index.candidates(features, need.company_id, CANDIDATES, candidateMinImpact(documents)).map((c) => index.profile(c.position).id);
    const { rows: exact } = await sql<{ listing_id: string }>`
      select lt.listing_id from listing_terms n
      join listing_terms lt on lt.side = 'capability' and lt.term = n.term and lt.company_id <> ${need.company_id}
      where n.listing_id = ${needId}
      group by lt.listing_id order by sum(lt.weight * n.weight) desc, lt.listing_id limit 10`.execute(db);
    const inSql = new Set(fromSql.map((c) => c.listingId));
    const inMemory = new Set(fromMemory);
    total += exact.length;
    hits.sql += exact.filter((r) => inSql.has(r.listing_id)).length;
    hits.inMemory += exact.filter((r) => inMemory.has(r.listing_id)).length;
  }
  return { inMemory: hits.inMemory / Math.max(1, total), sql: hits.sql / Math.max(1, total) };
}
