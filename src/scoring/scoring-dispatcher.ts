// What the API needs from scoring: a nudge after each write, and counts for /v1/matching/status.
// Two implementations: publish to BullMQ through the outbox relay, or run in-process.
import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database.js';
import { createInProcessRunner } from './in-process-runner.js';
import { createOutboxRelay } from './outbox-relay.js';
import type { ScoringQueue } from './queue.js';
import type { ScoringProcessor } from './scoring-processor.js';
import type { ScoringMetrics } from './scoring-metrics.js';

export interface ScoringFailure {
  jobId: string;
  listingId: string;
  error: string;
  attempts: number;
  failedAt: string | null;
}

export interface ScoringDispatcher {
  mode: 'queue' | 'in-process';
  /** Called after a write that recorded outbox rows has committed. */
  notify(): void;
  /** Scoring work that failed for good. */
  failedCount(): Promise<number>;
  /** The dead letters: work that failed for good, newest first, with its last error. */
  failures(limit: number): Promise<ScoringFailure[]>;
  /** Puts every failed job back in line; resolves with how many. */
  retryFailed(): Promise<number>;
  close(): Promise<void>;
}

export function queueDispatcher(db: Kysely<Database>, queue: ScoringQueue, log: FastifyBaseLogger): ScoringDispatcher {
  const relay = createOutboxRelay(db, queue, log);
  // While Redis is away the status still answers from the outbox, with the last failed count seen.
  let lastFailed = 0;
  return {
    mode: 'queue',
    notify: relay.kick,
    failedCount: async () => {
      try {
        lastFailed = (await queue.getJobCounts('failed')).failed ?? 0;
      } catch (error) {
        log.warn({ err: error }, 'could not read failed jobs from Redis; reporting the last count');
      }
      return lastFailed;
    },
    failures: async (limit) =>
      (await queue.getFailed(0, limit - 1)).map((job) => ({
        jobId: job.id ?? '',
        // A failed batch is named by its first listing; its job id says it is a batch.
        listingId: 'items' in job.data ? (job.data.items[0]?.listingId ?? '') : job.data.listingId,
        error: job.failedReason,
        attempts: job.attemptsMade,
        failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
      })),
    retryFailed: async () => {
      const failed = await queue.getFailed(0, -1);
      await Promise.all(failed.map((job) => job.retry('failed')));
      return failed.length;
    },
    close: () => relay.close(),
  };
}

export function inProcessDispatcher(db: Kysely<Database>, processor: ScoringProcessor, log: FastifyBaseLogger, metrics?: ScoringMetrics) {
  const runner = createInProcessRunner(db, processor, log, metrics);
  return {
    mode: 'in-process' as const,
    notify: runner.kick,
    failedCount: async () => runner.failedCount(),
    failures: async (limit) => runner.failures().slice(0, limit),
    retryFailed: async () => {
      const n = runner.retryFailed();
      runner.kick();
      return n;
    },
    idle: runner.idle,
    close: runner.close,
  } satisfies ScoringDispatcher & { idle(): Promise<void> };
}
