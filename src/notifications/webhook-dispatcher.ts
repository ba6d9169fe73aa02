// Moves notifications marked for webhook delivery to their receivers: through the BullMQ webhook
// queue (claimed like the scoring outbox, FOR UPDATE SKIP LOCKED), or in-process in embedded mode
// with the same backoff.
import { Worker, type ConnectionOptions } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { WEBHOOK_JOB_OPTIONS, WEBHOOK_QUEUE, webhookJobId, type WebhookQueue } from '../scoring/queue.js';
import { singleFlight } from '../lib/single-flight.js';
import { deliverNotification, markDeliveryFailed } from './webhook-delivery.js';

const BATCH = 200;
const MAX_ATTEMPTS = WEBHOOK_JOB_OPTIONS.attempts ?? 6;

export interface WebhookDispatcher {
  notify(): void;
  close(): Promise<void>;
}

async function claimPending(db: Kysely<Database>, publish: (ids: string[]) => Promise<void>): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('notifications')
      .select('id')
      .where('webhook_state', '=', 'pending')
      .orderBy('id')
      .limit(BATCH)
      .forUpdate()
      .skipLocked()
      .execute();
    if (rows.length === 0) return 0;
    const ids = rows.map((r) => r.id);
    await publish(ids);
    await trx.updateTable('notifications').set({ webhook_state: 'queued' }).where('id', 'in', ids).execute();
    return ids.length;
  });
}

export function queueWebhookDispatcher(db: Kysely<Database>, queue: WebhookQueue, log: FastifyBaseLogger): WebhookDispatcher {
  const flight = singleFlight(
    async () => {
      while (
        (await claimPending(db, async (ids) => {
          await queue.addBulk(ids.map((id) => ({ name: 'deliver-webhook' as const, data: { notificationId: id }, opts: { jobId: webhookJobId(id) } })));
        })) === BATCH
      );
    },
    (error) => log.warn({ err: error }, 'webhook dispatch failed; will retry'),
    2_000,
  );
  return { notify: flight.kick, close: flight.close };
}

/** The BullMQ consumer of webhook jobs (worker processes and tests). */
export function createWebhookWorker(db: Kysely<Database>, connection: ConnectionOptions, log: FastifyBaseLogger, prefix?: string) {
  const worker = new Worker<{ notificationId: string }>(
    WEBHOOK_QUEUE,
    async (job) => {
      try {
        return await deliverNotification(db, job.data.notificationId, job.attemptsMade + 1);
      } catch (error) {
        if (job.attemptsMade + 1 >= (job.opts.attempts ?? MAX_ATTEMPTS)) await markDeliveryFailed(db, job.data.notificationId);
        throw error;
      }
    },
    { connection, concurrency: 8, ...(prefix ? { prefix } : {}) },
  );
  worker.on('error', (err) => log.error({ err }, 'webhook worker error'));
  return worker;
}

/** Embedded mode: deliver in this process, retrying with exponential backoff like the queue. */
export function inProcessWebhookDispatcher(db: Kysely<Database>, log: FastifyBaseLogger, baseDelayMs = 2_000): WebhookDispatcher {
  const timers = new Set<NodeJS.Timeout>();
  const attempt = (id: string, n: number) => {
    deliverNotification(db, id, n).catch(async (error: unknown) => {
      log.warn({ err: error, notificationId: id, attempt: n }, 'webhook delivery failed');
      if (n >= MAX_ATTEMPTS) return markDeliveryFailed(db, id);
      const timer = setTimeout(() => {
        timers.delete(timer);
        attempt(id, n + 1);
      }, baseDelayMs * 2 ** (n - 1));
      timer.unref();
      timers.add(timer);
    });
  };
  const flight = singleFlight(
    async () => {
      await claimPending(db, async (ids) => ids.forEach((id) => attempt(id, 1)));
    },
    (error) => log.warn({ err: error }, 'webhook dispatch failed; will retry'),
    2_000,
  );
  return {
    notify: flight.kick,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      await flight.close();
    },
  };
}
