// Keeps the scoring outbox from growing forever: every listing write adds a row and a full
// re-score one per listing, and processed rows are only history (the request id that caused
// a scoring run). Rows processed longer ago than the retention are deleted in small chunks,
// so the delete never holds many locks or bloats one transaction. Any number of processes may
// run this; they delete disjoint chunks or find nothing. The index change log (read by workers'
// capability indexes, which reload after an hour without a refresh) is pruned after a day.
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { singleFlight } from '../lib/single-flight.js';
import { pruneProcessed } from './outbox.repository.js';
import { pruneIndexChanges } from './index.repository.js';

const CHUNK = 5_000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface OutboxRetention {
  /** Deletes what is due now; resolves with the number of rows deleted. */
  prune(): Promise<number>;
  close(): Promise<void>;
}

export function createOutboxRetention(db: Kysely<Database>, log: FastifyBaseLogger, retentionDays: number, everyMs = 10 * 60 * 1000): OutboxRetention {
  async function prune(): Promise<number> {
    const before = new Date(Date.now() - retentionDays * DAY_MS);
    let total = 0;
    for (;;) {
      const deleted = await pruneProcessed(db, before, CHUNK);
      total += deleted;
      if (deleted < CHUNK) break;
    }
    if (total > 0) log.info({ deleted: total, retentionDays }, 'pruned processed scoring outbox rows');
    let changes = 0;
    for (;;) {
      const deleted = await pruneIndexChanges(db, CHUNK);
      changes += deleted;
      if (deleted < CHUNK) break;
    }
    if (changes > 0) log.info({ deleted: changes }, 'pruned index change log rows older than a day');
    return total;
  }
  const flight = singleFlight(prune, (error) => log.warn({ err: error }, 'outbox pruning failed; will retry'), everyMs);
  flight.kick();
  return { prune, close: flight.close };
}
