// Candidate generation reads impact-ordered posting lists: in a large corpus the weak postings of a
// term (query weight × listing weight below MIN_IMPACT) are skipped, in a small one nothing is.
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { EXACT_BELOW_LISTINGS, MIN_IMPACT } from '../../src/matching/vectors.js';
import { candidateListings } from '../../src/scoring/index.repository.js';
import { createTestDatabase } from '../helpers/databases.js';

describe('candidate generation', () => {
  let database: { url: string; drop(): Promise<void> };
  let handle: DatabaseHandle;
  const owner = uuidv7();
  const other = uuidv7();
  const strong = uuidv7();
  const weak = uuidv7();
  const own = uuidv7();

  beforeAll(async () => {
    database = await createTestDatabase();
    handle = await connectDatabase({ databaseUrl: database.url, dataDir: 'unused' });
    // Query weight 0.5 on "sveis": 0.5 × 0.9 is well above MIN_IMPACT, 0.5 × 0.01 below it.
    const rows = [
      { listing_id: strong, company_id: other, term: 'w:sveis', weight: 0.9 },
      { listing_id: weak, company_id: other, term: 'w:sveis', weight: (MIN_IMPACT / 0.5) * 0.5 },
      { listing_id: own, company_id: owner, term: 'w:sveis', weight: 1 },
    ];
    await handle.db.insertInto('listing_terms').values(rows.map((r) => ({ ...r, side: 'capability' }))).execute();
    await sql`analyze listing_terms`.execute(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  const query = (documents: number) =>
    candidateListings(handle.db, { side: 'capability', excludeCompanyId: owner, features: [['w:sveis', 0.5]], limit: 10, documents });

  it('reads every posting in a small corpus, never the querying company’s own', async () => {
    const found = await query(EXACT_BELOW_LISTINGS - 1);
    expect(found.map((c) => c.listingId)).toEqual([strong, weak]);
    expect(found[0]!.dot).toBeCloseTo(0.45, 5);
  });

  it('skips postings whose contribution is below MIN_IMPACT in a large corpus', async () => {
    const found = await query(EXACT_BELOW_LISTINGS);
    expect(found.map((c) => c.listingId)).toEqual([strong]);
  });

  it('asks nothing of the database for an empty query', async () => {
    expect(await candidateListings(handle.db, { side: 'need', excludeCompanyId: owner, features: [], limit: 10, documents: 10 })).toEqual([]);
  });
});
