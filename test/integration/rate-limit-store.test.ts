// The batched rate-limit store against a real Redis: several stores on one Redis stand for several
// API instances. The limit must hold exactly across them, while far from the limit Redis is only
// told in batches.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { BatchedRateLimitStore, FLUSH_INTERVAL_MS } from '../../src/plugins/batched-rate-limit-store.js';
import { sparePort } from '../helpers/servers.js';
import pino from 'pino';
import { loadConfig } from '../../src/config.js';
import { startRuntime } from '../../src/runtime.js';
import { createTestApp, REDIS_URL } from '../helpers/test-app.js';

const redis = new Redis(REDIS_URL);
afterAll(() => redis.quit());

const namespace = () => `kbtest-rate-${randomBytes(6).toString('hex')}-`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function increment(store: BatchedRateLimitStore, key: string, windowMs: number, max: number) {
  return new Promise<{ current: number; ttl: number }>((resolve, reject) =>
    store.incr(key, (error, result) => (error ? reject(error) : resolve(result!)), windowMs, max),
  );
}

describe('batched rate-limit store', () => {
  it('lets exactly the limit through when requests alternate between instances', async () => {
    const prefix = namespace();
    const instances = [0, 1, 2].map(() => new BatchedRateLimitStore(redis, prefix));
    const max = 300;
    let allowed = 0;
    for (let i = 0; i < 400; i += 1) {
      const { current } = await increment(instances[i % 3]!, 'client', 60_000, max);
      if (current <= max) allowed += 1;
    }
    expect(allowed).toBe(max);
  });

  it('lets exactly the limit through a concurrent burst on two instances', async () => {
    const prefix = namespace();
    const instances = [0, 1].map(() => new BatchedRateLimitStore(redis, prefix));
    const max = 200;
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => increment(instances[i % 2]!, 'client', 60_000, max)));
    expect(results.filter((r) => r.current <= max)).toHaveLength(max);
  });

  it('counts far from the limit locally and adds the count to Redis within a flush interval', async () => {
    const prefix = namespace();
    const store = new BatchedRateLimitStore(redis, prefix);
    const counts: number[] = [];
    for (let i = 0; i < 500; i += 1) counts.push((await increment(store, 'client', 60_000, 100_000)).current);
    expect(counts).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    // Only the first request (which learns the window) has reached Redis so far.
    expect(Number(await redis.get(`${prefix}client`))).toBe(1);
    await sleep(FLUSH_INTERVAL_MS * 3);
    expect(Number(await redis.get(`${prefix}client`))).toBe(500);
    const ttl = await redis.pttl(`${prefix}client`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('keeps separate counts per client and starts a new window when one ends', async () => {
    const store = new BatchedRateLimitStore(redis, namespace());
    for (let i = 0; i < 5; i += 1) await increment(store, 'a', 300, 5);
    expect((await increment(store, 'a', 300, 5)).current).toBe(6);
    expect((await increment(store, 'b', 300, 5)).current).toBe(1);
    await sleep(400);
    const fresh = await increment(store, 'a', 300, 5);
    expect(fresh.current).toBe(1);
    expect(fresh.ttl).toBeGreaterThan(200);
  });

  it('reports a Redis failure to the plugin (which then fails open)', async () => {
    const unreachable = new Redis(`redis://127.0.0.1:${await sparePort()}`, { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
    try {
      const store = new BatchedRateLimitStore(unreachable, namespace());
      await expect(increment(store, 'client', 60_000, 600)).rejects.toThrow();
    } finally {
      unreachable.disconnect();
    }
  });
});

describe('rate limiting through Redis', () => {
  it('starts an instance only once its Redis is connected, so its first requests are counted', async () => {
    // A command on a connection not yet up fails at once, and the rate limit then fails open.
    const config = loadConfig({ DATA_DIR: 'memory://', REDIS_URL, ADMIN_TOKEN: randomBytes(24).toString('base64url'), LOG_LEVEL: 'silent' });
    const runtime = await startRuntime(config, pino({ level: 'silent' }), { queuePrefix: `kbtest-${randomBytes(6).toString('hex')}` });
    try {
      expect(runtime.redis?.status).toBe('ready');
    } finally {
      await runtime.close();
    }
  });

  it('answers 429 past the per-token limit with the count kept in Redis', async () => {
    const limited = await createTestApp({ rateLimitPerMinute: 5, queue: true });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i += 1) statuses.push((await limited.app.inject({ method: 'GET', url: '/v1/companies', headers: limited.auth })).statusCode);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      const keys = await redis.keys('koblingsboks-rate-t:*');
      expect(keys.length).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});
