// Embedded mode (no Redis): runs the same scoring processor in this process, draining the outbox
// after each write. One drain at a time; work written meanwhile is picked up by the next round.
import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database.js';
import { nextUnprocessed } from './outbox.repository.js';
import type { ScoringProcessor } from './scoring-processor.js';
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

export function createInProcessRunner(db: Kysely<Database>, processor: ScoringProcessor, log: FastifyBaseLogger): InProcessRunner {
  const attempts = new Map<number, number>();
  const lastErrors = new Map<number, { listingId: string; error: string; at: string }>();
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;

  const failedForGood = () => [...attempts.values()].filter((n) => n >= MAX_ATTEMPTS).length;

  async function drain(): Promise<void> {
    for (;;) {
      const batch = (await nextUnprocessed(db, 100)).filter((entry) => (attempts.get(entry.id) ?? 0) < MAX_ATTEMPTS);
      if (batch.length === 0 || closed) return;
      for (const entry of batch) {
        if (closed) return;
        try {
          await processor.process({ listingId: entry.listingId, outboxId: entry.id });
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

  function kick() {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = drain()
      .catch((error: unknown) => log.error({ err: error }, 'in-process scoring stopped'))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          kick();
        }
      });
  }

  return {
    kick,
    async idle() {
      while (running) await running;
    },
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
      await running;
    },
  };
}
