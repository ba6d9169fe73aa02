// Moves outbox rows into the BullMQ queue. Claiming with FOR UPDATE SKIP LOCKED lets any number of
// relays (in API and worker processes) run at once; a failed add rolls the claim back, so rows
// written while Redis is down are published when it returns.
import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database.js';
import { singleFlight } from '../lib/single-flight.js';
import { claimUnpublished, markPublished } from './outbox.repository.js';
import { batchJobId, enqueueBulk, RESCORE_BATCH_SIZE, scoringJobId, type ScoringQueue } from './queue.js';

const BATCH = 500;
/** How often a relay also looks for rows published long ago and never processed (see claimUnpublished). */
const STALE_SWEEP_MS = 60_000;

export interface OutboxRelay {
  /** Publish soon (after a write commits). */
  kick(): void;
  /** Publish everything unpublished now; resolves with the number of rows published. */
  drain(): Promise<number>;
  close(): Promise<void>;
}

export function createOutboxRelay(db: Kysely<Database>, queue: ScoringQueue, log: FastifyBaseLogger, sweepMs = 1_000): OutboxRelay {
  /** When this relay last looked for stale rows: never yet, so its first drain does. */
  let staleSweptAt = Number.NEGATIVE_INFINITY;

  async function publishBatch(which: 'unpublished' | 'stale'): Promise<number> {
    return db.transaction().execute(async (trx) => {
      const { ids, latest } = await claimUnpublished(trx, BATCH, which);
      if (ids.length === 0) return 0;
      // Edits are scored one listing per job, as soon as possible; a full re-score in batches.
      const rescore = latest.filter((entry) => entry.reason === 'rescore');
      await enqueueBulk(
        queue,
        'score-listing',
        latest
          .filter((entry) => entry.reason !== 'rescore')
          .map((entry) => ({
            payload: { listingId: entry.listingId, outboxId: entry.id, requestId: entry.requestId },
            jobId: scoringJobId(entry.listingId, entry.id),
          })),
      );
      await enqueueBulk(
        queue,
        'score-batch',
        chunks(rescore, RESCORE_BATCH_SIZE).map((batch) => ({
          payload: { items: batch.map((e) => ({ listingId: e.listingId, outboxId: e.id })), requestId: batch[0]!.requestId },
          jobId: batchJobId(batch[0]!.id, batch.at(-1)!.id),
        })),
      );
      await markPublished(trx, ids);
      return ids.length;
    });
  }

  /** Publishes `which` rows until fewer than a batch are left. */
  async function publishAll(which: 'unpublished' | 'stale'): Promise<number> {
    let total = 0;
    for (;;) {
      const published = await publishBatch(which);
      total += published;
      if (published < BATCH) return total;
    }
  }

  async function drain(): Promise<number> {
    let total = 0;
    if (Date.now() - staleSweptAt >= STALE_SWEEP_MS) {
      total += await publishAll('stale');
      staleSweptAt = Date.now();
    }
    return total + (await publishAll('unpublished'));
  }

  const flight = singleFlight(drain, (error) => log.warn({ err: error }, 'outbox relay could not publish; will retry'), sweepMs);

  return { kick: flight.kick, drain, close: flight.close };
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
