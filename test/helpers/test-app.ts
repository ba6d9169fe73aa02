// Builds the real app on a fresh PostgreSQL database (and, on request, a real Redis queue with a
// random prefix and an in-test worker), exactly as production wires it.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { buildApp, fastifyOptions } from '../../src/app.js';
import type { App } from '../../src/app-types.js';
import { loadConfig } from '../../src/config.js';
import { matchingResources } from '../../src/matching/resources.js';
import { startRuntime, type Runtime } from '../../src/runtime.js';
import { createScoringWorker, type ScoringWorker } from '../../src/scoring/scoring-worker.js';
import { createTestDatabase } from './databases.js';
import { createWebhookWorker } from '../../src/notifications/webhook-dispatcher.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const silent = pino({ level: 'silent' });

export interface TestApp {
  app: App;
  runtime: Runtime;
  token: string;
  auth: { authorization: string };
  /** Starts an in-test BullMQ worker on this app's queue (queue mode only). */
  startWorker(): ScoringWorker;
  /** Polls /v1/matching/status until nothing is pending. */
  waitForScoring(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function createTestApp(options: { queue?: boolean; embedded?: boolean; rateLimitPerMinute?: number } = {}): Promise<TestApp> {
  const token = randomBytes(24).toString('base64url');
  const database = options.embedded ? null : await createTestDatabase();
  const prefix = `kbtest-${randomBytes(6).toString('hex')}`;
  const config = loadConfig({
    ...(database ? { DATABASE_URL: database.url } : { DATA_DIR: 'memory://' }),
    ...(options.queue ? { REDIS_URL } : {}),
    ADMIN_TOKEN: token,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: String(options.rateLimitPerMinute ?? 1_000_000),
  });
  const runtime = await startRuntime(config, silent, { queuePrefix: prefix });
  const app = await buildApp(runtime, fastifyOptions());
  await app.ready();
  const workers: { close(): Promise<void> }[] = [];
  const auth = { authorization: `Bearer ${token}` };

  return {
    app,
    runtime,
    token,
    auth,
    startWorker() {
      const worker = createScoringWorker({
        db: runtime.database.db,
        connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }),
        resources: matchingResources(),
        log: silent,
        prefix,
      });
      workers.push(worker);
      // Webhook deliveries ride along with the scoring worker, as in the worker process.
      workers.push(createWebhookWorker(runtime.database.db, new Redis(REDIS_URL, { maxRetriesPerRequest: null }), silent, prefix));
      return worker;
    },
    async waitForScoring(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const response = await app.inject({ method: 'GET', url: '/v1/matching/status', headers: auth });
        const status = response.json<{ pending: number }>();
        if (response.statusCode === 200 && status.pending === 0) return;
        if (Date.now() > deadline) throw new Error(`scoring still pending after ${timeoutMs} ms: ${response.body}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await app.close();
      if (runtime.queue) await runtime.queue.obliterate({ force: true }).catch(() => {});
      await runtime.close();
      await database?.drop();
    },
  };
}
