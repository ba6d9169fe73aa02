// Processed scoring-outbox rows older than the retention are deleted; unprocessed work, recent
// history and the newest processed row (the status page's last scoring time) stay.
import pino from 'pino';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyBody, listingBody } from '../helpers/builders.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { createOutboxRetention } from '../../src/scoring/outbox-retention.js';
import { outboxCounts } from '../../src/scoring/outbox.repository.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('outbox retention', () => {
  it('deletes only processed rows older than the retention, keeping the newest processed row', async () => {
    const { db } = t.runtime.database;
    const company = (await t.app.inject({ method: 'POST', url: '/v1/companies', headers: t.auth, payload: companyBody() })).json().id;
    const listing = (await t.app.inject({ method: 'POST', url: `/v1/companies/${company}/needs`, headers: t.auth, payload: listingBody() })).json().id;
    await t.waitForScoring();
    await sql`delete from scoring_outbox`.execute(db);
    const day = 24 * 60 * 60 * 1000;
    const ago = (days: number) => new Date(Date.now() - days * day);
    const rows = [
      { processed_at: ago(30), label: 'old' },
      { processed_at: ago(20), label: 'old' },
      { processed_at: ago(10), label: 'newest processed, though old' },
      { processed_at: null, label: 'unprocessed' },
    ];
    // The 10-day-old row is the newest processed one until a recent row arrives: both cases are checked.
    for (const row of rows) await db.insertInto('scoring_outbox').values({ listing_id: listing, reason: 'updated', processed_at: row.processed_at, created_at: ago(40) }).execute();

    const retention = createOutboxRetention(db, pino({ level: 'silent' }), 7, 3_600_000);
    await retention.close();
    // The start-up run already pruned; a second run finds nothing.
    expect(await retention.prune()).toBe(0);
    const left = await db.selectFrom('scoring_outbox').select(['processed_at']).orderBy('id').execute();
    expect(left.map((r) => (r.processed_at ? Math.round((Date.now() - new Date(r.processed_at).getTime()) / day) : null))).toEqual([10, null]);
    expect((await outboxCounts(db)).lastProcessedAt).not.toBeNull();

    await db.insertInto('scoring_outbox').values({ listing_id: listing, reason: 'updated', processed_at: ago(1) }).execute();
    expect(await retention.prune()).toBe(1); // now the 10-day-old row is history
    const kept = await db.selectFrom('scoring_outbox').select(['processed_at']).orderBy('id').execute();
    expect(kept.map((r) => (r.processed_at ? Math.round((Date.now() - new Date(r.processed_at).getTime()) / day) : null))).toEqual([null, 1]);
  });

  it('prunes the index change log after a day, keeping recent changes', async () => {
    const { db } = t.runtime.database;
    await sql`delete from index_changes`.execute(db);
    const listing = '0192f1c5-0a3b-7e55-a1c2-3d4e5f60718a';
    await sql`insert into index_changes (listing_id, changed_at) values (${listing}, now() - interval '2 days'), (${listing}, now() - interval '1 hour')`.execute(db);
    const retention = createOutboxRetention(db, pino({ level: 'silent' }), 7, 3_600_000);
    await retention.close();
    const left = await sql<{ hours: number }>`select round(extract(epoch from now() - changed_at) / 3600)::int as hours from index_changes`.execute(db);
    expect(left.rows.map((r) => r.hours)).toEqual([1]);
  });
});
