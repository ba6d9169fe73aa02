// Scoring worker entry (`npm run worker`): consumes the BullMQ scoring queue and also relays the
// outbox, so scoring goes on while no API process runs. Start as many as you like.
import pino from 'pino';
import { ConfigError, loadConfig } from '../src/config.js';
import { connectDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { matchingResources } from '../src/matching/resources.js';
import { producerRedis, workerRedis } from '../src/runtime.js';
import { createOutboxRelay } from '../src/scoring/outbox-relay.js';
import { createOutboxRetention } from '../src/scoring/outbox-retention.js';
import { createScoringQueue, createWebhookQueue } from '../src/scoring/queue.js';
import { createWebhookWorker, queueWebhookDispatcher } from '../src/notifications/webhook-dispatcher.js';
import { createScoringWorker } from '../src/scoring/scoring-worker.js';
import { collectDefaultMetrics, type Registry } from 'prom-client';
import { startMetricsServer, type MetricsServer } from '../src/observability/metrics-server.js';
import { createScoringMetrics } from '../src/scoring/scoring-metrics.js';

async function main() {
  const config = loadConfig();
  const log = pino({ level: config.LOG_LEVEL }).child({ process: 'worker' });
  if (!config.REDIS_URL) throw new ConfigError('Invalid configuration:\n  REDIS_URL: is required by the worker (without it the API scores in-process)');
  const database = await connectDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: 5 });
  if (config.MIGRATE_ON_START) await migrateToLatest(database.db);

  const concurrency = config.WORKER_CONCURRENCY;
  const connection = workerRedis(config.REDIS_URL, log);
  const metrics = createScoringMetrics();
  collectDefaultMetrics({ register: metrics.registry, prefix: 'koblingsboks_' });
  const metricsServer = await serveMetrics(metrics.registry, config.HOST, config.WORKER_METRICS_PORT, log);
  const worker = createScoringWorker({ db: database.db, connection, resources: matchingResources(), log, concurrency, metrics });
  const producer = producerRedis(config.REDIS_URL);
  producer.on('error', () => {});
  const queue = createScoringQueue(producer);
  const relay = createOutboxRelay(database.db, queue, log);
  const retention = createOutboxRetention(database.db, log, config.OUTBOX_RETENTION_DAYS);
  const webhookQueue = createWebhookQueue(producer);
  const webhookRelay = queueWebhookDispatcher(database.db, webhookQueue, log);
  const webhookWorker = createWebhookWorker(database.db, connection, log);
  log.info({ concurrency }, 'scoring worker started');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'worker shutting down: finishing active jobs');
    await relay.close();
    await retention.close();
    await webhookRelay.close();
    await Promise.all([worker.close(), webhookWorker.close()]);
    await webhookQueue.close();
    await queue.close();
    producer.disconnect();
    connection.disconnect();
    await database.close();
    await metricsServer?.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/** The worker's /metrics and /healthz; a taken port is reported but does not stop scoring. */
async function serveMetrics(registry: Registry, host: string, port: number, log: pino.Logger): Promise<MetricsServer | null> {
  if (port === 0) return null;
  try {
    const server = await startMetricsServer(registry, host, port);
    log.info({ host, port }, 'worker metrics at /metrics');
    return server;
  } catch (error) {
    log.error({ err: error, host, port }, 'worker metrics endpoint could not start (give each worker on a host its own WORKER_METRICS_PORT); scoring goes on');
    return null;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
