// Fault injection: PostgreSQL restarts under light load. Requests meanwhile get 503 problem+json
// with Retry-After (never a 500), and the API recovers on its own, without a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyBody } from '../helpers/builders.js';
import { privatePostgres, type PrivatePostgres } from '../helpers/servers.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let pg: PrivatePostgres;
let t: TestApp;
beforeAll(async () => {
  pg = await privatePostgres();
  t = await createTestApp({ databaseUrl: pg.url });
}, 60_000);
afterAll(async () => {
  await t?.close();
  pg?.destroy();
});

describe('PostgreSQL restart', () => {
  it('answers 503 with Retry-After while it is down and recovers by itself', async () => {
    const id = (await t.app.inject({ method: 'POST', url: '/v1/companies', headers: t.auth, payload: companyBody() })).json().id;
    const results: { status: number; retryAfter: string | undefined; phase: string }[] = [];
    let phase = 'before';
    let stop = false;
    const load = (async () => {
      while (!stop) {
        const response = await t.app.inject({ method: 'GET', url: `/v1/companies/${id}`, headers: t.auth });
        results.push({ status: response.statusCode, retryAfter: response.headers['retry-after'] as string | undefined, phase });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 300));
    phase = 'restarting';
    await pg.restart();
    phase = 'after';
    // Give the pool a moment to replace its dead connections, then keep loading.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    stop = true;
    await load;

    const statuses = new Set(results.map((r) => r.status));
    const counts: Record<string, number> = {};
    for (const r of results) counts[`${r.phase}:${r.status}`] = (counts[`${r.phase}:${r.status}`] ?? 0) + 1;
    console.log(`postgres restart, responses by phase:status ${JSON.stringify(counts)}`);
    expect(results.some((r) => r.phase === 'restarting')).toBe(true);
    expect([...statuses].every((s) => s === 200 || s === 503)).toBe(true);
    expect(results.filter((r) => r.status === 503).every((r) => Number(r.retryAfter) > 0)).toBe(true);
    const lastAfter = results.filter((r) => r.phase === 'after').slice(-10);
    expect(lastAfter.length).toBeGreaterThan(0);
    expect(lastAfter.every((r) => r.status === 200)).toBe(true);
    const ready = await t.app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(200);
  });
});
