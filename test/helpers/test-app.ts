// Builds the real app on a fresh PostgreSQL database (and, on request, a real Redis queue with a
// random prefix and an in-test worker), exactly as production wires it.
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { buildApp, fastifyOptions } from '../../src/app.js';
import type { App } from '../../src/app-types.js';
import { loadConfig } from '../../src/config.js';
import { matchingResources } from '../../src/matching/resources.js';
import { startRuntime, workerRedis, type Runtime } from '../../src/runtime.js';
import { createScoringWorker, type ScoringWorker } from '../../src/scoring/scoring-worker.js';
import type { ScoringMetrics } from '../../src/scoring/scoring-metrics.js';
import { createTestDatabase } from './databases.js';
import { createWebhookWorker } from '../../src/notifications/webhook-dispatcher.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const silent = pino({ level: 'silent' });

export interface TestApp {
  app: App;
  runtime: Runtime;
  token: string;
  auth: { authorization: string };
  /** Starts an in-test BullMQ worker on this app's queue (queue mode only), logging to `log` if given. */
  startWorker(log?: pino.Logger, metrics?: ScoringMetrics): ScoringWorker;
  /** Polls /v1/matching/status until nothing is pending. */
  waitForScoring(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  queue?: boolean;
  embedded?: boolean;
  rateLimitPerMinute?: number;
  /** Use this database instead of a fresh clone (fault tests with their own server). */
  databaseUrl?: string;
  /** Use this Redis instead of the shared one. */
  redisUrl?: string;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const token = randomBytes(24).toString('base64url');
  const redisUrl = options.redisUrl ?? REDIS_URL;
  const database = options.embedded || options.databaseUrl ? null : await createTestDatabase();
  const databaseUrl = options.databaseUrl ?? database?.url;
  // A private Redis needs no isolation: keep BullMQ's default prefix so worker processes find the jobs.
  const prefix = options.redisUrl ? undefined : `kbtest-${randomBytes(6).toString('hex')}`;
  const config = loadConfig({
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: 'memory://' }),
    ...(options.queue ? { REDIS_URL: redisUrl } : {}),
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
    startWorker(log = silent, metrics) {
      const worker = createScoringWorker({
        db: runtime.database.db,
        connection: workerRedis(redisUrl, silent),
        resources: matchingResources(),
        log,
        prefix,
        ...(metrics ? { metrics } : {}),
      });
      workers.push(worker);
      // Webhook deliveries ride along with the scoring worker, as in the worker process.
      workers.push(createWebhookWorker(runtime.database.db, workerRedis(redisUrl, silent), silent, prefix));
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
