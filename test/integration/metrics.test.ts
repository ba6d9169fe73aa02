import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyBody, listingBody } from '../helpers/builders.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ queue: true });
});
afterAll(() => t.close());

describe('/metrics', () => {
  it('exposes request latency by route, the outbox backlog and queue job counts in Prometheus format', async () => {
    const company = (await t.app.inject({ method: 'POST', url: '/v1/companies', headers: t.auth, payload: companyBody() })).json().id;
    await t.app.inject({ method: 'POST', url: `/v1/companies/${company}/needs`, headers: t.auth, payload: listingBody() });
    const response = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/plain/);
    expect(response.body).toMatch(/koblingsboks_http_request_duration_seconds_bucket\{[^}]*route="\/v1\/companies\/:companyId\/needs"/);
    expect(response.body).toMatch(/koblingsboks_scoring_outbox_pending_listings \d+/);
    expect(response.body).toMatch(/koblingsboks_scoring_outbox_lag_seconds [\d.e-]+/);
    expect(response.body).toMatch(/koblingsboks_scoring_jobs\{state="waiting"\} \d+/);
    expect(response.body).toMatch(/koblingsboks_read_cache_enabled [01]/);
    expect(response.body).toMatch(/koblingsboks_read_cache_lookups_total\{result="miss"\} \d+/);
  });
});
