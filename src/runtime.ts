// Wires the process's dependencies from the config: database (PostgreSQL or embedded PGlite),
// migrations, the bootstrap admin token, and scoring (BullMQ queue or in-process). Used by the
// server entry, the eval script and tests, so all of them run the same thing.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import type { Config } from './config.js';
import { ConfigError } from './config.js';
import { connectDatabase, type DatabaseHandle } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import type { MatchingOptions } from './matching/features.js';
import { matchingResources } from './matching/resources.js';
import { createScoringQueue, createWebhookQueue, type ScoringQueue, type WebhookQueue } from './scoring/queue.js';
import { inProcessWebhookDispatcher, queueWebhookDispatcher, type WebhookDispatcher } from './notifications/webhook-dispatcher.js';
import { inProcessDispatcher, queueDispatcher, type ScoringDispatcher } from './scoring/scoring-dispatcher.js';
import { createScoringProcessor } from './scoring/scoring-processor.js';
import { createCapabilityCorpus } from './scoring/capability-corpus.js';
import { createScoringMetrics, type ScoringMetrics } from './scoring/scoring-metrics.js';
import { createOutboxRetention, type OutboxRetention } from './scoring/outbox-retention.js';
import { ReadCache } from './cache/read-cache.js';
import { startChangeFeed, type ChangeFeed } from './cache/change-feed.js';

export interface Runtime {
  config: Config;
  rateLimitPerMinute: number;
  database: DatabaseHandle;
  adminToken: string;
  scoring: ScoringDispatcher;
  webhooks: WebhookDispatcher;
  queue: ScoringQueue | null;
  webhookQueue: WebhookQueue | null;
  /** Redis for per-request work (rate limits, readiness), auto-pipelined; queues keep their own connection. */
  redis: Redis | null;
  /** Durations of scoring done in this process (embedded mode; workers keep their own). */
  scoringMetrics: ScoringMetrics;
  /** The read cache and the change feed that keeps it current; null when READ_CACHE_MB is 0. */
  reads: ReadCaching | null;
  /** Resolves once in-process scoring has loaded its capability index (at once in queue mode). */
  warmUp(): Promise<void>;
  close(): Promise<void>;
}

export interface ReadCaching {
  cache: ReadCache;
  feed: ChangeFeed;
}

/** Redis options for a producer inside an HTTP request: fail fast instead of queueing forever. */
export function producerRedis(url: string): Redis {
  return new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
}

/**
 * Redis for the rate limit (its batched flushes and the exact calls of clients near their limit;
 * plugins/batched-rate-limit-store.ts) and readiness: commands issued in one event-loop turn go out
 * in one write (ioredis auto-pipelining), as one write per command was a fifth of the API's CPU at
 * 10k req/s when every request asked Redis (a socket write is a syscall).
 * A connection of its own, so BullMQ's MULTI/pipeline use is not mixed with it.
 */
export function requestRedis(url: string): Redis {
  return new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, enableAutoPipelining: true });
}

/** How long an API instance waits at start for its Redis connections before it serves without them. */
const REDIS_START_WAIT_MS = 5_000;

/**
 * Resolves once the connection is ready, or after `ms` (logged). Commands on a connection that is
 * not ready fail at once (no offline queue), so an instance that served before its connections
 * were up let its first requests past the rate limit, which fails open (seen in CI: 6 requests of
 * a limit of 5 answered 200), and failed their enqueues. With Redis down, it starts anyway and
 * fails open, as it does when Redis goes down later.
 */
async function readyOrLate(connection: Redis, ms: number, log: FastifyBaseLogger): Promise<void> {
  if (connection.status === 'ready') return;
  await new Promise<void>((resolve) => {
    const ready = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      connection.off('ready', ready);
      log.warn({ waitedMs: ms }, 'redis not ready at start; serving without it until it connects');
      resolve();
    }, ms);
    connection.once('ready', ready);
  });
}

/** Redis options for a BullMQ worker: retry forever, and log connection errors instead of crashing on them. */
export function workerRedis(url: string, log: FastifyBaseLogger): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  redis.on('error', (error) => log.warn({ err: error }, 'worker redis connection error'));
  return redis;
}

export async function resolveAdminToken(config: Config, embedded: boolean, log: FastifyBaseLogger): Promise<string> {
  if (config.ADMIN_TOKEN) return config.ADMIN_TOKEN;
  if (!embedded) throw new ConfigError('Invalid configuration:\n  ADMIN_TOKEN: is required when DATABASE_URL is set');
  if (config.DATA_DIR === 'memory://') return randomBytes(24).toString('base64url');
  const file = path.resolve(config.DATA_DIR, 'admin-token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.DATA_DIR, { recursive: true });
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  // Printed once, on the run that creates it; afterwards it is read from the file.
  log.warn(`Generated admin token (kept in ${file}): ${token}`);
  return token;
}

export interface RuntimeOptions {
  /** BullMQ key prefix (tests use a random one per file). */
  queuePrefix?: string;
  /** First webhook retry delay in embedded mode (doubles each attempt). */
  webhookRetryMs?: number;
  /** Switches matching mechanisms off, for ablation runs of the eval script. */
  matching?: Partial<MatchingOptions>;
}

async function startReadCaching(database: DatabaseHandle, megabytes: number, log: FastifyBaseLogger): Promise<ReadCaching> {
  const cache = new ReadCache(megabytes * 1024 * 1024);
  return { cache, feed: await startChangeFeed(database, cache, log) };
}

export async function startRuntime(config: Config, log: FastifyBaseLogger, options: RuntimeOptions = {}): Promise<Runtime> {
  const database = await connectDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  const scoringMetrics = createScoringMetrics();
  let retention: OutboxRetention | undefined;
  let reads: ReadCaching | null = null;
  try {
    if (config.MIGRATE_ON_START) await migrateToLatest(database.db);
    const adminToken = await resolveAdminToken(config, database.embedded, log);
    const pruning = (retention = createOutboxRetention(database.db, log, config.OUTBOX_RETENTION_DAYS));
    if (config.READ_CACHE_MB > 0) reads = await startReadCaching(database, config.READ_CACHE_MB, log);
    const caching = reads;
    const closeReads = async () => caching?.feed.close();
    if (config.REDIS_URL) {
      const producer = producerRedis(config.REDIS_URL);
      const redis = requestRedis(config.REDIS_URL);
      for (const connection of [producer, redis]) connection.on('error', (error) => log.warn({ err: error }, 'redis connection error'));
      await Promise.all([producer, redis].map((connection) => readyOrLate(connection, REDIS_START_WAIT_MS, log)));
      const queue = createScoringQueue(producer, options.queuePrefix);
      const scoring = queueDispatcher(database.db, queue, log);
      const webhookQueue = createWebhookQueue(producer, options.queuePrefix);
      for (const q of [queue, webhookQueue]) q.on('error', (error) => log.warn({ err: error }, 'queue connection error'));
      const webhooks = queueWebhookDispatcher(database.db, webhookQueue, log);
      return {
        config,
        rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
        database,
        adminToken,
        scoring,
        webhooks,
        queue,
        webhookQueue,
        redis,
        scoringMetrics,
        reads: caching,
        warmUp: async () => {},
        async close() {
          await pruning.close();
          await closeReads();
          await scoring.close();
          await webhooks.close();
          await webhookQueue.close();
          await queue.close();
          producer.disconnect();
          redis.disconnect();
          await database.close();
        },
      };
    }
    // Needs are scored against an in-memory capability index here too, as in a worker.
    const capabilities = createCapabilityCorpus(database.db);
    capabilities.keepWarm(undefined, (error) => log.warn({ err: error }, 'capability index refresh failed; the next scoring retries it'));
    const processor = createScoringProcessor(database.db, matchingResources(options.matching), capabilities);
    const scoring = inProcessDispatcher(database.db, processor, log, scoringMetrics);
    const webhooks = inProcessWebhookDispatcher(database.db, log, options.webhookRetryMs);
    return {
      config,
      rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
      database,
      adminToken,
      scoring,
      webhooks,
      queue: null,
      webhookQueue: null,
      redis: null,
      scoringMetrics,
      reads: caching,
      warmUp: async () => void (await capabilities.current()),
      async close() {
        await pruning.close();
        await closeReads();
        await scoring.close();
        capabilities.close();
        await webhooks.close();
        await database.close();
      },
    };
  } catch (error) {
    await retention?.close();
    await reads?.feed.close();
    await database.close();
    throw error;
  }
}
