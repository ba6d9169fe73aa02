// The worker's in-memory capability index stays exactly as current as PostgreSQL: a view asked
// for after a change has committed contains it, also when an older transaction commits after a
// newer one (the change log is read from the oldest transaction still running at the last look).
import { sql, type Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import type { Database } from '../../src/db/database.js';
import type { ExplanationFacts } from '../../src/matching/explanation-facts.js';
import { createCapabilityCorpus } from '../../src/scoring/capability-corpus.js';
import { replaceListingTerms, removeListingTerms } from '../../src/scoring/index.repository.js';
import { createTestDatabase } from '../helpers/databases.js';

describe('capability corpus', () => {
  let database: { url: string; drop(): Promise<void> };
  let handle: DatabaseHandle;
  let db: Kysely<Database>;
  const seller = uuidv7();
  const buyer = uuidv7();

  async function capability(weights: [string, number][], side: 'capability' | 'need' = 'capability'): Promise<string> {
    const id = uuidv7();
    await db.insertInto('listings').values({ id, company_id: seller, side, kind: 'service', title: 't', description: 'd', lang: 'nb', updated_at: new Date() }).execute();
    await db.transaction().execute((trx) => replaceListingTerms(trx, { id, side, companyId: seller }, weights));
    return id;
  }

  /** Ids of the capabilities the view finds for a query on one term. */
  async function found(corpus: ReturnType<typeof createCapabilityCorpus>, term: string): Promise<string[]> {
    const { index } = await corpus.current();
    return index.candidates([[term, 1]], buyer, 100, 0).map((c) => index.profile(c.position).id);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    handle = await connectDatabase({ databaseUrl: database.url, dataDir: 'unused' });
    db = handle.db;
    await db.insertInto('companies').values([
      { id: seller, name: 'Seller', nace_code: '16.100', updated_at: new Date() },
      { id: buyer, name: 'Buyer', nace_code: '24.530', updated_at: new Date() },
    ]).execute();
  });
  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  it('loads the stored capabilities and follows additions, edits and removals', async () => {
    const first = await capability([['w:flis', 0.8], ['w:bark', 0.6]]);
    await capability([['w:flis', 0.9]], 'need');
    const corpus = createCapabilityCorpus(db);
    expect(await found(corpus, 'w:flis')).toEqual([first]);

    const second = await capability([['w:flis', 0.5]]);
    expect(await found(corpus, 'w:flis')).toEqual([first, second]);

    await db.transaction().execute((trx) => replaceListingTerms(trx, { id: first, side: 'capability', companyId: seller }, [['w:spon', 1]]));
    expect(await found(corpus, 'w:flis')).toEqual([second]);
    expect(await found(corpus, 'w:spon')).toEqual([first]);

    await db.transaction().execute((trx) => removeListingTerms(trx, second));
    expect(await found(corpus, 'w:flis')).toEqual([]);
    expect(corpus.stats()).toMatchObject({ capabilities: 1, loads: 1 });
  });

  it('sees a change from a transaction that commits after a newer one', async () => {
    const corpus = createCapabilityCorpus(db);
    await corpus.current();
    const pool = await connectDatabase({ databaseUrl: database.url, dataDir: 'unused' });
    try {
      // The older transaction takes its transaction id first, then waits while a newer one commits.
      let releaseOlder!: () => void;
      const olderMayCommit = new Promise<void>((resolve) => (releaseOlder = resolve));
      let olderStarted!: () => void;
      const olderHasXid = new Promise<void>((resolve) => (olderStarted = resolve));
      const olderId = uuidv7();
      await pool.db.insertInto('listings').values({ id: olderId, company_id: seller, side: 'capability', kind: 'service', title: 't', description: 'd', lang: 'nb', updated_at: new Date() }).execute();
      const older = pool.db.transaction().execute(async (trx) => {
        await sql`select pg_current_xact_id()`.execute(trx);
        olderStarted();
        await olderMayCommit;
        await replaceListingTerms(trx, { id: olderId, side: 'capability', companyId: seller }, [['w:treull', 0.7]]);
      });
      await olderHasXid;
      const newer = await capability([['w:treull', 0.9]]);
      expect(await found(corpus, 'w:treull')).toEqual([newer]);
      releaseOlder();
      await older;
      expect(await found(corpus, 'w:treull')).toEqual([newer, olderId]);
    } finally {
      await pool.close();
    }
  });

  it('takes in a change set as large as a re-score makes (rebuilt at once, not grown)', async () => {
    const corpus = createCapabilityCorpus(db);
    const gone = await capability([['w:kompost', 0.9]]);
    await corpus.current();
    const ids = Array.from({ length: 2_500 }, () => uuidv7());
    await sql`insert into listings (id, company_id, side, kind, title, description, lang, updated_at)
      select id, ${seller}, 'capability', 'service', 't', 'd', 'nb', now() from unnest(${ids}::uuid[]) as id`.execute(db);
    await sql`insert into listing_vectors (listing_id, terms, weights)
      select id, array['w:kompost'], array[0.5 + ord / 10000.0]::real[] from unnest(${ids}::uuid[]) with ordinality as x(id, ord)`.execute(db);
    await db.transaction().execute((trx) => removeListingTerms(trx, gone));
    const { index } = await corpus.current();
    const found = index.candidates([['w:kompost', 1]], buyer, 3_000, 0).map((c) => index.profile(c.position).id);
    expect(found).toHaveLength(2_500);
    expect(found[0]).toBe(ids.at(-1));
    expect(found).not.toContain(gone);
  });

  it('holds the explanation facts of each capability as indexed: loaded, replaced on an edit, dropped on removal', async () => {
    const facts = (evidence: string): ExplanationFacts => ({ lang: 'nb', concepts: [['c:wood-chips', 'wood-chips', 'text', evidence]], uses: [['u:fuel', 'fuel', 'usedAs', evidence, 'wood-chips']] });
    const indexWith = async (id: string, explain: ExplanationFacts | null) =>
      db.transaction().execute((trx) => replaceListingTerms(trx, { id, side: 'capability', companyId: seller }, [['c:wood-chips', 0.7]], explain));
    const explained = await capability([]);
    await indexWith(explained, facts('flis'));
    const withoutFacts = await capability([['c:wood-chips', 0.4]]);
    const corpus = createCapabilityCorpus(db);
    let view = await corpus.current();
    expect(view.explanation(explained)?.concepts.get('c:wood-chips')).toEqual({ id: 'wood-chips', via: 'text', evidence: 'flis' });
    expect(view.explanation(explained)?.uses.get('u:fuel')).toEqual({ id: 'fuel', via: 'usedAs', evidence: 'flis', from: 'wood-chips' });
    expect(view.explanation(withoutFacts)).toBeUndefined();

    await indexWith(explained, facts('treflis'));
    view = await corpus.current();
    expect(view.explanation(explained)?.concepts.get('c:wood-chips')?.evidence).toBe('treflis');

    await db.transaction().execute((trx) => removeListingTerms(trx, explained));
    view = await corpus.current();
    expect(view.explanation(explained)).toBeUndefined();
  });
});
