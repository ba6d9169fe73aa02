// Fault injection: Redis is down while 200 listings are posted. Every write succeeds (the outbox
// holds the work), and once Redis is back the relay publishes it and every listing is scored.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyBody } from '../helpers/builders.js';
import { privateRedis, waitFor, type PrivateRedis } from '../helpers/servers.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const LISTINGS = 200;
let redis: PrivateRedis;
let t: TestApp;
beforeAll(async () => {
  redis = await privateRedis();
  t = await createTestApp({ queue: true, redisUrl: redis.url });
  t.startWorker();
}, 60_000);
afterAll(async () => {
  await redis?.start(); // in case the test stopped early: closing queues needs their Redis
  await t?.close();
  await redis?.destroy();
});

describe('Redis outage', () => {
  it('accepts every write while Redis is down and scores all of them after it returns', async () => {
    const companies: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      companies.push((await t.app.inject({ method: 'POST', url: '/v1/companies', headers: t.auth, payload: companyBody({ naceCode: `${10 + i}.100` }) })).json().id);
    }
    await redis.stop();
    const statuses: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < LISTINGS; i += 1) {
      const side = i % 2 === 0 ? 'needs' : 'capabilities';
      const response = await t.app.inject({
        method: 'POST',
        url: `/v1/companies/${companies[i % 20]}/${side}`,
        headers: t.auth,
        payload: { kind: 'competence', title: `Sveising og maskinering ${i}`, description: `Oppdrag nummer kode${Math.floor(i / 2)} med sveising av stål.` },
      });
      statuses.push(response.statusCode);
      if (response.statusCode === 201) ids.push(response.json().id);
    }
    expect(statuses.filter((s) => s !== 201)).toEqual([]);
    const ready = await t.app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(503);
    const during = (await t.app.inject({ method: 'GET', url: '/v1/matching/status', headers: t.auth })).json();
    expect(during.pending).toBe(LISTINGS);

    await redis.start();
    await t.waitForScoring(90_000);

    const { db } = t.runtime.database;
    const indexed = await sql<{ n: number }>`select count(distinct listing_id)::int as n from listing_terms where listing_id = any(${ids}::uuid[])`.execute(db);
    const unprocessed = await sql<{ n: number }>`select count(*)::int as n from scoring_outbox where processed_at is null`.execute(db);
    console.log(`redis outage: posted ${LISTINGS}, accepted ${ids.length}, scored ${indexed.rows[0]?.n}, lost ${LISTINGS - (indexed.rows[0]?.n ?? 0)}`);
    expect(indexed.rows[0]?.n).toBe(LISTINGS);
    expect(unprocessed.rows[0]?.n).toBe(0);
    await waitFor(async () => (await t.app.inject({ method: 'GET', url: '/ready' })).statusCode === 200, 10_000, 'ready again');
  }, 120_000);
});
