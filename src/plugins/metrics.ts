// Prometheus metrics at /metrics (prom-client): HTTP latency by route, scoring queue depth and
// failures, outbox backlog and lag, scoring durations when scoring runs in this process, and the
// process's default metrics. Queue and outbox figures
// are read when scraped, so they are true for the whole installation, not just this process.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ReadCache } from '../cache/read-cache.js';
import type { Database } from '../db/database.js';
import type { ScoringQueue } from '../scoring/queue.js';
import { outboxCounts } from '../scoring/outbox.repository.js';

export interface MetricsOptions {
  db: Kysely<Database>;
  queue: ScoringQueue | null;
  /** Further metrics kept by this process's other parts (in-process scoring). */
  registries?: Registry[];
  /** The read cache, whose hits, misses, size and state are reported. */
  readCache?: ReadCache | null;
}

export default fp(
  async function metricsPlugin(app: FastifyInstance, options: MetricsOptions) {
    const own = new Registry();
    collectDefaultMetrics({ register: own, prefix: 'koblingsboks_' });
    const httpDuration = new Histogram({
      name: 'koblingsboks_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [own],
    });
    const responses = new Counter({
      name: 'koblingsboks_http_responses_total',
      help: 'HTTP responses by route and status class',
      labelNames: ['route', 'class'],
      registers: [own],
    });
    new Gauge({
      name: 'koblingsboks_scoring_outbox_pending_listings',
      help: 'Listings with scoring work not yet processed',
      registers: [own],
      async collect() {
        this.set((await outboxCounts(options.db)).pendingListings);
      },
    });
    new Gauge({
      name: 'koblingsboks_scoring_outbox_lag_seconds',
      help: 'Age of the oldest unprocessed scoring work',
      registers: [own],
      async collect() {
        const { oldestPendingAt } = await outboxCounts(options.db);
        this.set(oldestPendingAt ? (Date.now() - new Date(oldestPendingAt).getTime()) / 1000 : 0);
      },
    });
    const { queue } = options;
    if (queue) {
      new Gauge({
        name: 'koblingsboks_scoring_jobs',
        help: 'Scoring jobs by state (waiting, active, delayed, failed, completed)',
        labelNames: ['state'],
        registers: [own],
        async collect() {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
          for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
        },
      });
    }

    const { readCache } = options;
    if (readCache) {
      const counted = { hits: 0, misses: 0 };
      new Counter({
        name: 'koblingsboks_read_cache_lookups_total',
        help: 'Read cache lookups by result: hit (answered from memory) or miss',
        labelNames: ['result'],
        registers: [own],
        collect() {
          this.inc({ result: 'hit' }, readCache.hits - counted.hits);
          this.inc({ result: 'miss' }, readCache.misses - counted.misses);
          ({ hits: counted.hits, misses: counted.misses } = readCache);
        },
      });
      new Gauge({
        name: 'koblingsboks_read_cache_entries',
        help: 'Answers held by the read cache',
        registers: [own],
        collect() {
          this.set(readCache.size);
        },
      });
      new Gauge({
        name: 'koblingsboks_read_cache_enabled',
        help: '1 while the read cache is on; 0 while change notifications cannot be received (every read goes to the database)',
        registers: [own],
        collect() {
          this.set(readCache.enabled ? 1 : 0);
        },
      });
    }

    const registry = Registry.merge([own, ...(options.registries ?? [])]);

    app.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
      responses.inc({ route, class: `${Math.floor(reply.statusCode / 100)}xx` });
      done();
    });

    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'metrics' },
);
