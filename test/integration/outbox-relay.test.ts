// The outbox relay publishes never-published rows on every sweep and, once a minute, re-publishes
// rows whose job may have been lost (published long ago, never processed). The second check reads
// every unprocessed row, so it must not run on every sweep.
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { createOutboxRelay } from '../../src/scoring/outbox-relay.js';
import { listingsWithNewerWork, markManyProcessed } from '../../src/scoring/outbox.repository.js';
import { createScoringQueue, type ScoringQueue } from '../../src/scoring/queue.js';
import { createTestDatabase } from '../helpers/databases.js';
import { REDIS_URL } from '../helpers/test-app.js';

let database: DatabaseHandle;
let drop: () => Promise<void>;
let queue: ScoringQueue;
const log = pino({ level: 'silent' });

beforeAll(async () => {
  const created = await createTestDatabase();
  drop = created.drop;
  database = await connectDatabase({ databaseUrl: created.url, dataDir: 'unused' });
  queue = createScoringQueue({ url: REDIS_URL }, `kbtest-${randomBytes(6).toString('hex')}`);
});
afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  await database.close();
  await drop();
});

const listing = () => `0192f1c5-0a3b-7e55-a1c2-${randomBytes(6).toString('hex')}`;

async function addRow(values: { publishedMinutesAgo: number | null; processed: boolean }): Promise<number> {
  const { rows } = await sql<{ id: string }>`
    insert into scoring_outbox (listing_id, reason, published_at, processed_at)
    values (${listing()}, 'updated',
      ${values.publishedMinutesAgo === null ? null : sql`now() - make_interval(mins => ${values.publishedMinutesAgo})`},
      ${values.processed ? sql`now()` : null})
    returning id`.execute(database.db);
  return Number(rows[0]!.id);
}

const publishedAt = async (id: number) =>
  (await database.db.selectFrom('scoring_outbox').select('published_at').where('id', '=', id).executeTakeFirstOrThrow()).published_at;

describe('outbox relay', () => {
  it('publishes new rows on every sweep and re-publishes lost ones on its first sweep only', async () => {
    const fresh = await addRow({ publishedMinutesAgo: null, processed: false });
    const lost = await addRow({ publishedMinutesAgo: 10, processed: false });
    const done = await addRow({ publishedMinutesAgo: 10, processed: true });
    const queued = await addRow({ publishedMinutesAgo: 0, processed: false });
    const lostBefore = await publishedAt(lost);
    const doneBefore = await publishedAt(done);
    const queuedBefore = await publishedAt(queued);

    const relay = createOutboxRelay(database.db, queue, log, 60_000);
    await relay.close(); // the start-up sweep has run
    expect(await publishedAt(fresh)).not.toBeNull();
    expect(await publishedAt(lost)).not.toEqual(lostBefore); // published again
    expect(await publishedAt(done)).toEqual(doneBefore); // processed: its work is done
    expect(await publishedAt(queued)).toEqual(queuedBefore); // published a moment ago: its job is waiting
    expect(await queue.getJobCountByTypes('waiting', 'prioritized', 'delayed')).toBe(2);

    // Within the minute the same relay publishes new rows but does not look for lost ones again;
    // another relay (or this one a minute later) does.
    const lostSince = await addRow({ publishedMinutesAgo: 10, processed: false });
    const lostSinceBefore = await publishedAt(lostSince);
    const next = await addRow({ publishedMinutesAgo: null, processed: false });
    await relay.drain();
    expect(await publishedAt(next)).not.toBeNull();
    expect(await publishedAt(lostSince)).toEqual(lostSinceBefore);
    const other = createOutboxRelay(database.db, queue, log, 60_000);
    await other.close();
    expect(await publishedAt(lostSince)).not.toEqual(lostSinceBefore);
  });
});

describe('outbox rows of a batch', () => {
  it('finds listings with newer work and marks rows processed up to each job\'s row only', async () => {
    const [a, b, c] = [listing(), listing(), listing()];
    const insert = async (listingId: string, processedMinutesAgo: number | null = null) =>
      Number(
        (
          await sql<{ id: string }>`insert into scoring_outbox (listing_id, reason, processed_at)
            values (${listingId}, 'updated', ${processedMinutesAgo === null ? null : sql`now() - make_interval(mins => ${processedMinutesAgo})`}) returning id`.execute(database.db)
        ).rows[0]!.id,
      );
    const a1 = await insert(a);
    const a2 = await insert(a); // newer work for a
    const b1 = await insert(b);
    const c0 = await insert(c, 5); // processed five minutes ago
    const c1 = await insert(c);
    const work = [{ listingId: a, outboxId: a1 }, { listingId: b, outboxId: b1 }, { listingId: c, outboxId: c1 }];

    expect([...(await listingsWithNewerWork(database.db, work))]).toEqual([a]);
    const before = await database.db.selectFrom('scoring_outbox').select(['id', 'processed_at']).where('id', '=', c0).executeTakeFirstOrThrow();
    await markManyProcessed(database.db, work);
    const rows = await database.db.selectFrom('scoring_outbox').select(['id', 'processed_at']).where('id', 'in', [a1, a2, b1, c0, c1]).orderBy('id').execute();
    expect(rows.map((r) => [Number(r.id), r.processed_at !== null])).toEqual([[a1, true], [a2, false], [b1, true], [c0, true], [c1, true]]);
    expect(rows.find((r) => Number(r.id) === c0)?.processed_at).toEqual(before.processed_at);
    expect([...(await listingsWithNewerWork(database.db, [{ listingId: a, outboxId: a2 }]))]).toEqual([]);
  });
});
