// Scoring durations and results reach Prometheus in both modes: a BullMQ worker records into its
// own registry (served by the worker's metrics endpoint), the embedded in-process runner into the
// API's /metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { companyBody, listingBody } from '../helpers/builders.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { createScoringMetrics } from '../../src/scoring/scoring-metrics.js';
import { startMetricsServer, type MetricsServer } from '../../src/observability/metrics-server.js';

/** The value of one sample line, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function postNeed(t: TestApp): Promise<void> {
  const company = (await t.app.inject({ method: 'POST', url: '/v1/companies', headers: t.auth, payload: companyBody() })).json().id;
  const need = await t.app.inject({ method: 'POST', url: `/v1/companies/${company}/needs`, headers: t.auth, payload: listingBody() });
  expect(need.statusCode, need.body).toBe(201);
}

describe('in-process scoring (no Redis)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('shows each scored listing in the API /metrics as a duration and a processed count', async () => {
    await postNeed(t);
    await t.waitForScoring();
    const body = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(sample(body, 'koblingsboks_scoring_duration_seconds_count{job="score-listing",result="done"}')).toBeGreaterThanOrEqual(1);
    expect(sample(body, 'koblingsboks_scoring_jobs_processed_total{job="score-listing",result="done"}')).toBeGreaterThanOrEqual(1);
    expect(sample(body, 'koblingsboks_scoring_duration_seconds_sum{job="score-listing",result="done"}')).toBeGreaterThan(0);
  });
});

describe('BullMQ worker', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ queue: true });
  });
  afterAll(() => t.close());

  it('records each job it ran with its result, and the API registry stays free of it', async () => {
    const metrics = createScoringMetrics();
    t.startWorker(undefined, metrics);
    await postNeed(t);
    await postNeed(t);
    await t.waitForScoring();
    const text = await metrics.registry.metrics();
    expect(sample(text, 'koblingsboks_scoring_duration_seconds_count{job="score-listing",result="done"}')).toBe(2);
    expect(sample(text, 'koblingsboks_scoring_jobs_processed_total{job="score-listing",result="done"}')).toBe(2);
    const api = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(sample(api, 'koblingsboks_scoring_duration_seconds_count{job="score-listing",result="done"}')).toBeUndefined();
  });

  it('counts a job that fails as failed', async () => {
    const metrics = createScoringMetrics();
    await expect(metrics.time('score-batch', async () => Promise.reject(new Error('database gone')))).rejects.toThrow('database gone');
    const text = await metrics.registry.metrics();
    expect(sample(text, 'koblingsboks_scoring_jobs_processed_total{job="score-batch",result="failed"}')).toBe(1);
    expect(sample(text, 'koblingsboks_scoring_duration_seconds_count{job="score-batch",result="failed"}')).toBe(1);
  });
});

describe('worker metrics endpoint', () => {
  let server: MetricsServer;
  beforeAll(async () => {
    const registry = new Registry();
    createScoringMetrics(registry).record('score-listing', 'done', 0.012);
    server = await startMetricsServer(registry, '127.0.0.1', 0);
  });
  afterAll(() => server.close());
  const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;

  it('serves the registry at /metrics in Prometheus text format', async () => {
    const response = await fetch(url('/metrics'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(sample(text, 'koblingsboks_scoring_duration_seconds_bucket{le="0.025",job="score-listing",result="done"}')).toBe(1);
    expect(sample(text, 'koblingsboks_scoring_duration_seconds_bucket{le="0.01",job="score-listing",result="done"}')).toBe(0);
  });

  it('answers /healthz for container healthchecks, 404 elsewhere and 405 for writes', async () => {
    expect((await fetch(url('/healthz'))).status).toBe(200);
    expect((await fetch(url('/metrics?x=1'))).status).toBe(200);
    expect((await fetch(url('/admin'))).status).toBe(404);
    expect((await fetch(url('/metrics'), { method: 'POST' })).status).toBe(405);
  });
});
