// Scoring work as Prometheus sees it: how long each job took and how it ended. Recorded by
// whoever scores (a BullMQ worker, or the API's in-process runner without Redis), into a
// registry that process exposes (the worker's own /metrics, or the API's /metrics).
import { Counter, Histogram, Registry } from 'prom-client';

export type ScoringResult = 'done' | 'failed';

export interface ScoringMetrics {
  readonly registry: Registry;
  /** Records one finished job (`job` is the BullMQ job name, e.g. score-listing, score-batch). */
  record(job: string, result: ScoringResult, seconds: number): void;
  /** Times `work` and records it under `job`, rethrowing its failure. */
  time<T>(job: string, work: () => Promise<T>): Promise<T>;
}

export function createScoringMetrics(registry: Registry = new Registry()): ScoringMetrics {
  const duration = new Histogram({
    name: 'koblingsboks_scoring_duration_seconds',
    help: 'Time to score one job (a listing, or a batch of up to 250 listings in a full re-score)',
    labelNames: ['job', 'result'],
    // A single listing takes milliseconds; a batch of a full re-score takes seconds.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const processed = new Counter({
    name: 'koblingsboks_scoring_jobs_processed_total',
    help: 'Scoring jobs processed by this process, by job name and result',
    labelNames: ['job', 'result'],
    registers: [registry],
  });
  const record = (job: string, result: ScoringResult, seconds: number) => {
    duration.observe({ job, result }, seconds);
    processed.inc({ job, result });
  };
  return {
    registry,
    record,
    async time(job, work) {
      const started = performance.now();
      try {
        const value = await work();
        record(job, 'done', (performance.now() - started) / 1000);
        return value;
      } catch (error) {
        record(job, 'failed', (performance.now() - started) / 1000);
        throw error;
      }
    },
  };
}
