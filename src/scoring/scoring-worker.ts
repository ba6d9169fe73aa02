// A BullMQ worker that runs the scoring processor. Shared by the worker entry and the tests.
import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { MatchingResources } from '../matching/features.js';
import { JOB_NAMES, SCORING_QUEUE, type JobName, type JobPayloads } from './queue.js';
import { createBatchProcessor } from './batch-processor.js';
import { createCapabilityCorpus, type CapabilityCorpus } from './capability-corpus.js';
import { createScoringProcessor } from './scoring-processor.js';
import type { ScoringMetrics } from './scoring-metrics.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Handlers = { [N in JobName]: (job: Job<JobPayloads[N]>) => Promise<unknown> };

export interface ScoringWorkerOptions {
  db: Kysely<Database>;
  connection: ConnectionOptions;
  resources: MatchingResources;
  log: FastifyBaseLogger;
  concurrency?: number;
  prefix?: string;
  /** Where job durations and results are recorded (the worker's /metrics). */
  metrics?: ScoringMetrics;
}

export type ScoringWorker = Worker<JobPayloads[JobName], unknown, JobName>;

export function createScoringWorker(options: ScoringWorkerOptions): ScoringWorker {
  // One in-memory capability index per worker, shared by need jobs and batches.
  const corpus = createCapabilityCorpus(options.db);
  const processor = createScoringProcessor(options.db, options.resources, corpus);
  const batches = createBatchProcessor(options.db, options.resources, processor, corpus);
  const handlers: Handlers = {
    'score-listing': (job) => {
      const { listingId, outboxId } = job.data;
      // A payload that can never succeed fails for good at once instead of burning retries.
      if (typeof listingId !== 'string' || !UUID.test(listingId) || !Number.isSafeInteger(outboxId)) {
        throw new UnrecoverableError(`malformed score-listing payload: ${JSON.stringify(job.data)}`);
      }
      return processor.process({ listingId, outboxId });
    },
    'score-batch': (job) => {
      const { items } = job.data;
      const valid = Array.isArray(items) && items.every((item) => typeof item?.listingId === 'string' && UUID.test(item.listingId) && Number.isSafeInteger(item.outboxId));
      if (!valid || items.length === 0) throw new UnrecoverableError(`malformed score-batch payload: ${JSON.stringify(job.data).slice(0, 200)}`);
      return batches.processBatch(items);
    },
  };
  // Refuse to start when a job name has no handler.
  const missing = JOB_NAMES.filter((name) => typeof handlers[name] !== 'function');
  if (missing.length > 0) throw new Error(`No handler for jobs: ${missing.join(', ')}`);

  const worker = new Worker<JobPayloads[JobName], unknown, JobName>(
    SCORING_QUEUE,
    async (job) => {
      const handler = handlers[job.name] as (job: Job) => Promise<unknown>;
      const started = performance.now();
      const run = () => handler(job);
      const outcome = await (options.metrics ? options.metrics.time(job.name, run) : run());
      // One line per job, carrying the id of the API request that caused it.
      options.log.info(
        { jobId: job.id, job: job.name, requestId: job.data.requestId, ...jobSubject(job.data), outcome, durationMs: Math.round(performance.now() - started) },
        'scoring job done',
      );
      return outcome;
    },
    {
      connection: options.connection,
      // Started once the capability index is loaded (below).
      autorun: false,
      concurrency: options.concurrency ?? 2,
      // Scoring jobs take milliseconds: a short lock lets a crashed worker's jobs be taken over
      // within seconds (the lock is renewed at half its duration while a job runs).
      lockDuration: 10_000,
      stalledInterval: 5_000,
      maxStalledCount: 2,
      ...(options.prefix ? { prefix: options.prefix } : {}),
    },
  );
  worker.on('failed', (job, err) =>
    options.log.warn({ jobId: job?.id, job: job?.name, requestId: job?.data.requestId, ...(job ? jobSubject(job.data) : {}), attempts: job?.attemptsMade, err }, 'scoring job failed'),
  );
  worker.on('error', (err) => options.log.error({ err }, 'scoring worker error'));
  worker.on('closed', () => corpus.close());
  void takeJobsOnceLoaded(worker, corpus, options.log);
  return worker;
}

/**
 * Starts taking jobs once the worker's capability index is loaded (≈ 5 s at 100k capabilities): a
 * job taken before would only wait for the load, holding its lock, while a warm worker could
 * score it. A failed load (database not reachable yet) is retried with backoff; the index is kept
 * warm from then on, so its background refresh neither races the load nor retries beside it.
 */
async function takeJobsOnceLoaded(worker: ScoringWorker, corpus: CapabilityCorpus, log: FastifyBaseLogger): Promise<void> {
  for (let attempt = 0; !worker.closing; attempt += 1) {
    const started = performance.now();
    try {
      const { index } = await corpus.current();
      log.info({ capabilities: index.size, loadMs: Math.round(performance.now() - started) }, 'capability index loaded; taking jobs');
      break;
    } catch (err) {
      log.warn({ err }, 'capability index could not be loaded; retrying before taking jobs');
      await new Promise((resolve) => setTimeout(resolve, Math.min(15_000, 500 * 2 ** attempt)));
    }
  }
  if (worker.closing) return;
  corpus.keepWarm(undefined, (err) => log.warn({ err }, 'capability index refresh failed; the next job retries it'));
  worker.run().catch((error: unknown) => worker.emit('error', error as Error));
}

/** What a job is about, for its log lines: the listing, or the size of a batch. */
function jobSubject(data: JobPayloads[JobName]): { listingId?: unknown; listings?: number } {
  if ('listingId' in data) return { listingId: data.listingId };
  return { listings: Array.isArray(data.items) ? data.items.length : 0 };
}
