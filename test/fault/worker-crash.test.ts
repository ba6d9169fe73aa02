// Fault injection: a worker process is killed with SIGKILL in the middle of scoring 1,000
// listings; a new worker takes over (stalled jobs are recovered) and every listing ends up scored
// exactly once: no pair stored twice, no need without its partner.
import { spawn, type ChildProcess } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyBody } from '../helpers/builders.js';
import { privateRedis, sparePort, waitFor, type PrivateRedis } from '../helpers/servers.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const PAIRS = 500; // 500 needs + 500 capabilities
let redis: PrivateRedis;
let t: TestApp;
const workers: ChildProcess[] = [];

function startWorkerProcess(metricsPort = 0): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/scoring-worker.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: t.runtime.config.DATABASE_URL,
      REDIS_URL: redis.url,
      ADMIN_TOKEN: t.token,
      LOG_LEVEL: 'warn',
      WORKER_CONCURRENCY: '4',
      WORKER_METRICS_PORT: String(metricsPort),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  workers.push(child);
  return child;
}

beforeAll(async () => {
  redis = await privateRedis();
  t = await createTestApp({ queue: true, redisUrl: redis.url });
}, 60_000);
afterAll(async () => {
  for (const worker of workers) worker.kill('SIGKILL');
  await t?.close();
  await redis?.destroy();
});

describe('worker killed mid-batch', () => {
  it('loses and duplicates nothing', async () => {
    const { db } = t.runtime.database;
    const post = async (url: string, payload: object) => {
      const response = await t.app.inject({ method: 'POST', url, headers: t.auth, payload });
      expect(response.statusCode, response.body).toBe(201);
      return response.json().id as string;
    };
    const needCompanies: string[] = [];
    const capabilityCompanies: string[] = [];
    for (let i = 0; i < 50; i += 1) {
      needCompanies.push(await post('/v1/companies', companyBody({ naceCode: '24.530' })));
      capabilityCompanies.push(await post('/v1/companies', companyBody({ naceCode: '33.110', valueChainRole: 'service' })));
    }
    // Each pair shares a unique made-up part number, so each need has exactly one obvious partner.
    const needOf = new Map<string, string>();
    for (let i = 0; i < PAIRS; i += 1) {
      const code = `delnr${(i * 7919 + 13).toString(36)}q`;
      const need = await post(`/v1/companies/${needCompanies[i % 50]}/needs`, {
        kind: 'product',
        title: `Leverandør av ${code}`,
        description: `Vi trenger jevne leveranser av komponent ${code} til produksjonen.`,
      });
      const capability = await post(`/v1/companies/${capabilityCompanies[i % 50]}/capabilities`, {
        kind: 'product',
        title: `Vi produserer ${code}`,
        description: `Serieproduksjon av komponent ${code} for industrien.`,
      });
      needOf.set(need, capability);
    }

    const first = startWorkerProcess();
    const processed = async () =>
      (await sql<{ n: number }>`select count(distinct listing_id)::int as n from scoring_outbox where processed_at is not null`.execute(db)).rows[0]!.n;
    await waitFor(async () => (await processed()) >= 150, 60_000, 'the first worker to score 150 listings');
    first.kill('SIGKILL');
    const atKill = await processed();
    const metricsPort = await sparePort();
    startWorkerProcess(metricsPort);
    await t.waitForScoring(120_000);
    // The surviving worker's own /metrics counts the jobs it ran and how long they took.
    const scraped = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const timed = Number(/koblingsboks_scoring_duration_seconds_count\{job="score-listing",result="done"\} (\d+)/.exec(scraped)?.[1] ?? 0);
    const done = Number(/koblingsboks_scoring_jobs_processed_total\{job="score-listing",result="done"\} (\d+)/.exec(scraped)?.[1] ?? 0);
    expect(timed).toBeGreaterThan(0);
    expect(done).toBe(timed);
    expect(scraped).toMatch(/koblingsboks_process_resident_memory_bytes \d+/);

    const pending = (await sql<{ n: number }>`select count(*)::int as n from scoring_outbox where processed_at is null`.execute(db)).rows[0]!.n;
    const indexed = (await sql<{ n: number }>`select count(distinct listing_id)::int as n from listing_terms`.execute(db)).rows[0]!.n;
    const duplicates = (await sql<{ n: number }>`select count(*)::int as n from (select need_id, capability_id from matches group by 1, 2 having count(*) > 1) d`.execute(db)).rows[0]!.n;
    const stored = await sql<{ need_id: string; capability_id: string }>`select need_id, capability_id from matches`.execute(db);
    const pairs = new Set(stored.rows.map((r) => `${r.need_id}/${r.capability_id}`));
    const missing = [...needOf].filter(([need, capability]) => !pairs.has(`${need}/${capability}`)).length;
    console.log(
      `worker crash: posted ${PAIRS * 2} listings, killed the worker after ${atKill} were scored; indexed ${indexed}, ` +
        `needs missing their partner ${missing}, duplicate pairs ${duplicates}, pending ${pending}`,
    );
    expect(pending).toBe(0);
    expect(indexed).toBe(PAIRS * 2);
    expect(duplicates).toBe(0);
    expect(missing).toBe(0);
  }, 240_000);
});
