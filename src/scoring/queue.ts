// The one contract between producers and consumers of scoring work: queue name, job names, each
// job's payload type, options, and a typed enqueue. Jobs carry ids, never listing data.
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';

export const SCORING_QUEUE = 'scoring';
/** Webhook deliveries wait on other servers, so they get their own queue and never hold up scoring. */
export const WEBHOOK_QUEUE = 'webhooks';

export interface JobPayloads {
  'score-listing': { listingId: string; outboxId: number; requestId: string | null };
  /** A full re-score's listings, scored together (see batch-processor.ts). */
  'score-batch': { items: { listingId: string; outboxId: number }[]; requestId: string | null };
}
export type JobName = keyof JobPayloads;
export const JOB_NAMES: JobName[] = ['score-listing', 'score-batch'];

export interface WebhookJobPayloads {
  'deliver-webhook': { notificationId: string };
}
export const webhookJobId = (notificationId: string) => `webhook-${notificationId}`;
export const WEBHOOK_JOB_OPTIONS: JobsOptions = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 3_600, count: 5_000 },
  removeOnFail: { age: 14 * 24 * 3_600, count: 10_000 },
};
export type WebhookQueue = Queue<WebhookJobPayloads['deliver-webhook'], unknown, 'deliver-webhook'>;

export function createWebhookQueue(connection: ConnectionOptions, prefix?: string): WebhookQueue {
  return new Queue(WEBHOOK_QUEUE, { connection, defaultJobOptions: WEBHOOK_JOB_OPTIONS, ...(prefix ? { prefix } : {}) });
}

/** Deterministic id: the outbox row it publishes, so re-publishing the same row is a no-op. BullMQ ids may not contain ':'. */
export const scoringJobId = (listingId: string, outboxId: number) => `score-${listingId}-${outboxId}`;
/** Listings per batch job of a full re-score: enough to amortise round trips, few enough to retry cheaply. */
export const RESCORE_BATCH_SIZE = 250;
/** A batch is named by the outbox rows it publishes, first and last. */
export const batchJobId = (firstOutboxId: number, lastOutboxId: number) => `batch-${firstOutboxId}-${lastOutboxId}`;

export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 3_600, count: 5_000 },
  removeOnFail: { age: 14 * 24 * 3_600, count: 10_000 },
};

export type ScoringQueue = Queue<JobPayloads[JobName], unknown, JobName>;

export function createScoringQueue(connection: ConnectionOptions, prefix?: string): ScoringQueue {
  return new Queue(SCORING_QUEUE, { connection, defaultJobOptions: DEFAULT_JOB_OPTIONS, ...(prefix ? { prefix } : {}) });
}

export async function enqueueBulk<N extends JobName>(queue: ScoringQueue, name: N, jobs: { payload: JobPayloads[N]; jobId: string }[]): Promise<void> {
  if (jobs.length === 0) return;
  await queue.addBulk(jobs.map(({ payload, jobId }) => ({ name, data: payload, opts: { jobId } })));
}
