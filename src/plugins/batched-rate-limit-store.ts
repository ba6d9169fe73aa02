// A store for @fastify/rate-limit that keeps the count in Redis, shared by every API instance, but
// does not ask Redis on every request. Far from its limit a client's requests are counted in this
// instance and added to Redis in one INCRBY per client every FLUSH_INTERVAL_MS; once a client has
// used LOCAL_SHARE of its limit, every request asks Redis and is decided exactly.
//
// Why: the plugin's own RedisStore runs a Lua script per request. Profiled on a cached match list,
// that round trip was about a tenth of the API's CPU, and every instance adds its full request rate
// to Redis. Here Redis sees one command per active client per instance per interval.
//
// What this gives up: an instance counting locally does not see the other instances' requests
// until its next flush. If, within one interval, other instances take a client from below half
// its limit to the limit, the requests this instance admitted meanwhile (at most UNFLUSHED_SHARE
// of the limit) come on top: a client can exceed its limit by at most UNFLUSHED_SHARE per other
// instance, and only by sending half its limit within FLUSH_INTERVAL_MS. With one instance the
// limit is exact. Limits under 1 / UNFLUSHED_SHARE (50) per window are always exact, as are the
// first request of a window (it learns when the window ends) and requests after a failed Redis
// call. Counts not yet flushed when a process stops are lost, in the client's favour.
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Redis } from 'ioredis';

export const FLUSH_INTERVAL_MS = 100;
/** Up to this share of its limit a client is counted locally between flushes. */
export const LOCAL_SHARE = 0.5;
/** At most this share of a client's limit is held unflushed in one instance. */
export const UNFLUSHED_SHARE = 0.02;
/** How often ended windows are forgotten, so idle clients do not accumulate. */
const SWEEP_INTERVAL_MS = 60_000;

// Adds ARGV[1] to the window's count; a new window (or one that lost its expiry) ends ARGV[2] ms from now.
const ADD_SCRIPT = `
local current = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {current, ttl}`;

type AddCommand = (key: string, count: number, windowMs: number) => Promise<[number, number]>;

interface ClientWindow {
  /** The count Redis last reported for this window (the highest seen: replies may cross). */
  synced: number;
  /** Requests counted here and not yet added to Redis. */
  pending: number;
  /** When the window ends (ms since epoch), as Redis reported its TTL. */
  endsAt: number;
  /** The window's length, as the plugin gave it for this key. */
  lengthMs: number;
}

type Callback = Parameters<FastifyRateLimitStore['incr']>[1];

/** Counts each key's requests per window, shared through Redis under `prefix`. */
export class BatchedRateLimitStore implements FastifyRateLimitStore {
  private readonly windows = new Map<string, ClientWindow>();
  private readonly dirty = new Set<string>();
  private readonly add: AddCommand;
  private flushTimer: NodeJS.Timeout | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    if (!('rateLimitAdd' in redis)) redis.defineCommand('rateLimitAdd', { numberOfKeys: 1, lua: ADD_SCRIPT });
    this.add = (key, count, windowMs) => (redis as unknown as { rateLimitAdd: AddCommand }).rateLimitAdd(key, count, windowMs);
  }

  incr(key: string, callback: Callback, timeWindow: number, max: number): void {
    const now = Date.now();
    let window = this.windows.get(key);
    if (window && window.endsAt <= now) {
      // The window ended; what was not flushed belonged to it and no longer counts.
      this.windows.delete(key);
      this.dirty.delete(key);
      window = undefined;
    }
    if (window && window.synced + window.pending + 1 <= max * LOCAL_SHARE && window.pending + 1 <= max * UNFLUSHED_SHARE) {
      window.pending += 1;
      this.dirty.add(key);
      this.scheduleFlush();
      callback(null, { current: window.synced + window.pending, ttl: window.endsAt - now });
      return;
    }
    // Exact: this request and whatever is pending go to Redis now, and its answer decides.
    const count = 1 + (window?.pending ?? 0);
    if (window) window.pending = 0;
    this.dirty.delete(key);
    this.send(key, count, timeWindow).then(
      (result) => callback(null, result),
      (error: Error) => callback(error),
    );
  }

  /** For a route with its own limit: a separate count per route, as the plugin's RedisStore keeps. */
  child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
    // The plugin passes its merged settings with the route under `routeInfo` (its typings say otherwise).
    const { routeInfo } = routeOptions as unknown as { routeInfo: { method: string; url: string } };
    return new BatchedRateLimitStore(this.redis, `${this.prefix}${routeInfo.method}${routeInfo.url}-`);
  }

  /** Adds `count` to the key's window in Redis and records what Redis answers. */
  private async send(key: string, count: number, lengthMs: number): Promise<{ current: number; ttl: number }> {
    const [current, ttl] = await this.add(this.prefix + key, count, lengthMs);
    const endsAt = Date.now() + ttl;
    const window = this.windows.get(key);
    // Windows of one key start at least a window length apart, so half of one tells them apart.
    const sameWindow = window !== undefined && Math.abs(window.endsAt - endsAt) < lengthMs / 2;
    if (sameWindow) window.synced = Math.max(window.synced, current); // replies may cross
    else if (!window || endsAt > window.endsAt) this.windows.set(key, { synced: current, pending: window?.pending ?? 0, endsAt, lengthMs });
    // (a reply about a window older than the one known here is ignored)
    this.scheduleSweep();
    return { current, ttl };
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.flush();
    }, FLUSH_INTERVAL_MS);
    // Never the reason a process stays up.
    this.flushTimer.unref();
  }

  private flush(): void {
    for (const key of this.dirty) {
      const window = this.windows.get(key);
      if (!window || window.pending === 0) continue;
      const count = window.pending;
      window.pending = 0;
      // A failed flush is dropped, as the plugin fails open on Redis errors (skipOnError); the
      // client's next exact request resynchronises.
      this.send(key, count, window.lengthMs).catch(() => this.windows.delete(key));
    }
    this.dirty.clear();
  }

  /** Forgets ended windows every SWEEP_INTERVAL_MS while there are any. */
  private scheduleSweep(): void {
    if (this.sweepTimer) return;
    this.sweepTimer = setTimeout(() => {
      this.sweepTimer = null;
      const now = Date.now();
      for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
      if (this.windows.size > 0) this.scheduleSweep();
    }, SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
  }
}

/** The class @fastify/rate-limit instantiates (it passes its own settings, which this store does not need). */
export function batchedRateLimitStore(redis: Redis, prefix: string): FastifyRateLimitStoreCtor {
  return class extends BatchedRateLimitStore {
    constructor() {
      super(redis, prefix);
    }
  };
}
