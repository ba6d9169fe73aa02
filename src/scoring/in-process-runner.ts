// Embedded mode (no Redis): runs the same scoring processor in this process, draining the outbox
// after each write. One drain at a time; work written meanwhile is picked up by the next round.
import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database.js';
import { singleFlight } from '../lib/single-flight.js';
import { nextUnprocessed } from './outbox.repository.js';
import type { ScoringProcessor } from './scoring-processor.js';
import type { ScoringMetrics } from './scoring-metrics.js';
import type { ScoringFailure } from './scoring-dispatcher.js';

const MAX_ATTEMPTS = 5;

export interface InProcessRunner {
  kick(): void;
  /** Resolves when no unprocessed work is left (or only work that failed for good). */
  idle(): Promise<void>;
  failedCount(): number;
  failures(): ScoringFailure[];
  /** Forgets the attempts of failed work so it runs again; returns how many. */
  retryFailed(): number;
  close(): Promise<void>;
}

export function createInProcessRunner(db: Kysely<Database>, processor: ScoringProcessor, log: FastifyBaseLogger, metrics?: ScoringMetrics): InProcessRunner {
  const attempts = new Map<number, number>();
  const lastErrors = new Map<number, { listingId: string; error: string; at: string }>();
  let closed = false;

  const failedForGood = () => [...attempts.values()].filter((n) => n >= MAX_ATTEMPTS).length;

  async function drain(): Promise<void> {
    for (;;) {
      const batch = (await nextUnprocessed(db, 100)).filter((entry) => (attempts.get(entry.id) ?? 0) < MAX_ATTEMPTS);
      if (batch.length === 0 || closed) return;
      for (const entry of batch) {
        if (closed) return;
        try {
          const started = performance.now();
          const run = () => processor.process({ listingId: entry.listingId, outboxId: entry.id });
          // Recorded under the job name a worker would use, so dashboards work in both modes.
          const outcome = await (metrics ? metrics.time('score-listing', run) : run());
          log.info({ listingId: entry.listingId, requestId: entry.requestId, outcome, durationMs: Math.round(performance.now() - started) }, 'scoring done');
          attempts.delete(entry.id);
          lastErrors.delete(entry.id);
        } catch (error) {
          attempts.set(entry.id, (attempts.get(entry.id) ?? 0) + 1);
          lastErrors.set(entry.id, { listingId: entry.listingId, error: error instanceof Error ? error.message : String(error), at: new Date().toISOString() });
          log.error({ err: error, listingId: entry.listingId, requestId: entry.requestId }, 'in-process scoring failed');
        }
      }
    }
  }

  // The timer picks up work left by a previous run and retries transient failures.
  const flight = singleFlight(drain, (error) => log.error({ err: error }, 'in-process scoring stopped'), 5_000);

  return {
    kick: flight.kick,
    idle: flight.idle,
    failedCount: failedForGood,
    failures: () =>
      [...attempts]
        .filter(([, n]) => n >= MAX_ATTEMPTS)
        .map(([id, n]) => ({
          jobId: `outbox-${id}`,
          listingId: lastErrors.get(id)?.listingId ?? '',
          error: lastErrors.get(id)?.error ?? '',
          attempts: n,
          failedAt: lastErrors.get(id)?.at ?? null,
        }))
        .reverse(),
    retryFailed: () => {
      const failed = [...attempts].filter(([, n]) => n >= MAX_ATTEMPTS).map(([id]) => id);
      for (const id of failed) attempts.delete(id);
      return failed.length;
    },
    async close() {
      closed = true;
      await flight.close();
    },
  };
}
