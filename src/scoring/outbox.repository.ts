// The scoring outbox: "this listing needs (re)scoring" records, written in the same transaction as
// the change that causes them, then published to the queue (or run in-process) and marked done.
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { Executor } from '../db/executor.js';

/** How long a published row may wait for its job before the relay publishes it again. */
export const REPUBLISH_AFTER = '2 minutes';

export type OutboxReason = 'created' | 'updated' | 'deleted' | 'company-changed' | 'rescore';

export async function recordScoringWork(
  trx: Transaction<Database>,
  listingIds: string[],
  reason: OutboxReason,
  requestId: string | null = null,
): Promise<void> {
  if (listingIds.length === 0) return;
  await trx
    .insertInto('scoring_outbox')
    .values(listingIds.map((listingId) => ({ listing_id: listingId, reason, request_id: requestId })))
    .execute();
}

/**
 * Full re-score: one outbox row per listing, in a single statement. Used when corpus statistics
 * have drifted (scores computed early in a corpus' life used document frequencies of that time)
 * or the matching pipeline changed. Capabilities come first: the relay publishes these rows in
 * batches in id order, and a batch's needs are scored against capabilities already re-indexed.
 */
export async function recordRescoreOfAll(trx: Transaction<Database>, requestId: string | null): Promise<number> {
  const result = await trx
    .insertInto('scoring_outbox')
    .columns(['listing_id', 'reason', 'request_id'])
    .expression((eb) => eb.selectFrom('listings').select(['id', eb.val('rescore').as('reason'), eb.val(requestId).as('request_id')]).orderBy(sql`side = 'need'`).orderBy('id'))
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

export interface OutboxEntry {
  id: number;
  listingId: string;
  requestId: string | null;
  reason?: OutboxReason;
}

/**
 * Claims rows to publish (skipping rows another relay holds) and collapses them to the newest row
 * per listing: a burst of edits to one listing becomes one job. Must run inside a transaction.
 * - 'unpublished': rows never published, read in id order from their partial index.
 * - 'stale': rows published long ago and still not processed, whose job may have been lost with a
 *   Redis that kept nothing (re-adding is safe: an existing job with the same id is a no-op).
 *   Finding them means looking at every unprocessed row, which during a re-score of 100k listings
 *   is all of them (~70 ms a claim, measured), so relays look for them once a minute (see
 *   outbox-relay.ts) rather than in every claim, as they did.
 */
export async function claimUnpublished(trx: Transaction<Database>, limit: number, which: 'unpublished' | 'stale'): Promise<{ ids: number[]; latest: OutboxEntry[] }> {
  const rows = await trx
    .selectFrom('scoring_outbox')
    .select(['id', 'listing_id', 'request_id', 'reason'])
    .where((eb) =>
      which === 'unpublished'
        ? eb('published_at', 'is', null)
        : eb.and([eb('processed_at', 'is', null), eb('published_at', '<', sql<Date>`now() - ${REPUBLISH_AFTER}::interval`)]),
    )
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  const latest = new Map<string, OutboxEntry>();
  for (const row of rows) {
    latest.set(row.listing_id, { id: Number(row.id), listingId: row.listing_id, requestId: row.request_id, reason: row.reason as OutboxReason });
  }
  return { ids: rows.map((r) => Number(r.id)), latest: [...latest.values()] };
}

export async function markPublished(trx: Transaction<Database>, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await trx.updateTable('scoring_outbox').set({ published_at: sql`now()` }).where('id', 'in', ids).execute();
}

/** True when a newer outbox row exists for the listing: a later job will do this job's work. */
export async function hasNewerWork(db: Executor, listingId: string, outboxId: number): Promise<boolean> {
  const row = await db
    .selectFrom('scoring_outbox')
    .select('id')
    .where('listing_id', '=', listingId)
    .where('id', '>', outboxId)
    .where('processed_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function markProcessed(db: Executor, listingId: string, upToId: number): Promise<void> {
  await db
    .updateTable('scoring_outbox')
    .set({ processed_at: sql`now()` })
    .where('listing_id', '=', listingId)
    .where('id', '<=', upToId)
    .where('processed_at', 'is', null)
    .execute();
}

/** Oldest unprocessed work per listing, for the in-process runner and for status. */
export async function nextUnprocessed(db: Executor, limit: number): Promise<OutboxEntry[]> {
  const rows = await db
    .selectFrom('scoring_outbox')
    .select(['listing_id', sql<number>`max(id)`.as('id'), sql<string | null>`max(request_id)`.as('request_id')])
    .where('processed_at', 'is', null)
    .groupBy('listing_id')
    .orderBy(sql`min(id)`)
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: Number(r.id), listingId: r.listing_id, requestId: r.request_id }));
}

/**
 * Scoring backlog for status and metrics. Each figure reads an index (the partial index of
 * unprocessed rows, the processed_at index), never the whole outbox, which keeps every change.
 */
export async function outboxCounts(db: Executor): Promise<{ pendingListings: number; oldestPendingAt: Date | null; lastProcessedAt: Date | null }> {
  const { rows } = await sql<{ pending: number; oldest: Date | null; last: Date | null }>`
    select
      (select count(distinct listing_id)::int from scoring_outbox where processed_at is null) as pending,
      (select min(created_at) from scoring_outbox where processed_at is null) as oldest,
      (select max(processed_at) from scoring_outbox where processed_at is not null) as last`.execute(db);
  const row = rows[0]!;
  return { pendingListings: row.pending, oldestPendingAt: row.oldest, lastProcessedAt: row.last };
}

// The two statements below run once per batch, right after a re-score has queued its whole
// backlog, when the planner's statistics still say there is no unprocessed row (autovacuum has not
// analysed the table yet, or is off). Planned from those statistics, a join of the batch's pairs
// with the unprocessed rows read all of them (100k: 15–50 ms a batch; an UPDATE … FROM once took
// 37 s, nesting the batch inside them). Here each of the batch's listings is looked up through the
// partial index on its own (`offset 0` keeps the planner from turning the subquery into a join), and
// the rows to mark are then updated by primary key: ~0.3 and ~2 ms on that backlog, whatever the
// statistics say.

/** The listings of `work` that have newer unprocessed work (one query for a whole batch). */
export async function listingsWithNewerWork(db: Executor, work: { listingId: string; outboxId: number }[]): Promise<Set<string>> {
  if (work.length === 0) return new Set();
  const { rows } = await sql<{ listing_id: string }>`
    select distinct w.listing_id from unnest(${work.map((w) => w.listingId)}::uuid[], ${work.map((w) => w.outboxId)}::bigint[]) as w(listing_id, outbox_id)
    where exists (select 1 from scoring_outbox o where o.listing_id = w.listing_id and o.id > w.outbox_id and o.processed_at is null offset 0)`.execute(db);
  return new Set(rows.map((r) => r.listing_id));
}

/** markProcessed for a whole batch in one statement (a row another job marked meanwhile keeps its time). */
export async function markManyProcessed(db: Executor, work: { listingId: string; outboxId: number }[]): Promise<void> {
  if (work.length === 0) return;
  await sql`
    update scoring_outbox set processed_at = coalesce(processed_at, now())
    where id = any(array(
      select o.id from unnest(${work.map((w) => w.listingId)}::uuid[], ${work.map((w) => w.outboxId)}::bigint[]) as w(listing_id, outbox_id)
      cross join lateral (select id from scoring_outbox where listing_id = w.listing_id and id <= w.outbox_id and processed_at is null offset 0) o))`.execute(db);
}

/**
 * Deletes up to `limit` processed outbox rows older than `before`; returns how many. The newest
 * processed row always stays: it is the "last scoring time" of status and metrics.
 */
export async function pruneProcessed(db: Executor, before: Date, limit: number): Promise<number> {
  const result = await sql`
    delete from scoring_outbox where id in (
      select id from scoring_outbox
      where processed_at is not null and processed_at < ${before}
        and id <> (select id from scoring_outbox where processed_at is not null order by processed_at desc, id desc limit 1)
      order by processed_at
      limit ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
