// The API's read cache: repeated reads are served from memory, yet a change committed by any
// process (a worker, another API instance) is visible as soon as its notification arrives, every
// request is still authorised, a revoked token stops at once, and losing the notification
// connection turns the cache off rather than serving stale answers.
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyBody } from '../helpers/builders.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { MIN_COMPRESSED_BYTES } from '../../src/cache/cached-response.js';

let t: TestApp;
let need: string;
let foundry: string;
let welder: string;
let outsider: pg.Client;

async function post(url: string, payload: object, headers = t.auth) {
  const response = await t.app.inject({ method: 'POST', url, headers, payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string; token?: string }>();
}

const getMatches = (headers: Record<string, string> = t.auth) => t.app.inject({ method: 'GET', url: `/v1/needs/${need}/matches`, headers });
const cache = () => t.runtime.reads!.cache;

async function until(condition: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  t = await createTestApp();
  foundry = (await post('/v1/companies', companyBody({ naceCode: '24.530' }))).id;
  welder = (await post('/v1/companies', companyBody({ naceCode: '33.110', valueChainRole: 'service' }))).id;
  need = (await post(`/v1/companies/${foundry}/needs`, { kind: 'competence', title: 'Sveising av aluminium', description: 'Vi trenger sveising av aluminiumsprofiler.' })).id;
  await post(`/v1/companies/${welder}/capabilities`, { kind: 'service', title: 'Aluminiumssveising', description: 'Vi sveiser aluminium for industrien.' });
  await t.waitForScoring();
  await until(() => cache().enabled);
  // Another process writing to the same database, as a worker or a second API instance does.
  outsider = new pg.Client({ connectionString: (t.runtime.config.DATABASE_URL as string) });
  await outsider.connect();
});
afterAll(async () => {
  await outsider?.end();
  await t.close();
});

describe('read cache', () => {
  it('answers a repeated read from memory with the same body', async () => {
    const first = await getMatches();
    expect(first.statusCode).toBe(200);
    expect(first.json().items.length).toBeGreaterThan(0);
    const hits = cache().hits;
    const second = await getMatches();
    expect(second.body).toBe(first.body);
    expect(cache().hits).toBe(hits + 1);
  });

  it('shows a change committed by another process once its notification has arrived', async () => {
    const before = (await getMatches()).json<{ items: { score: number }[] }>().items[0]!.score;
    await outsider.query('update matches set score = 0.123 where need_id = $1', [need]);
    await t.runtime.reads!.feed.sync();
    const after = (await getMatches()).json<{ items: { score: number }[] }>().items[0]!.score;
    expect(before).not.toBe(0.123);
    expect(after).toBe(0.123);
  });

  it('answers 304 to a client holding the current ETag, and 200 with a new one after a change', async () => {
    const first = await getMatches();
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^".+"$/);
    const unchanged = await getMatches({ ...t.auth, 'if-none-match': etag });
    expect(unchanged.statusCode).toBe(304);
    expect(unchanged.body).toBe('');
    await outsider.query('update matches set score = 0.321 where need_id = $1', [need]);
    await t.runtime.reads!.feed.sync();
    const changed = await getMatches({ ...t.auth, 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('compresses for a client that accepts it, with an ETag per encoding that revalidates across encodings', async () => {
    const plain = await getMatches();
    expect(plain.rawPayload.length).toBeGreaterThanOrEqual(MIN_COMPRESSED_BYTES);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    const br = await getMatches({ ...t.auth, 'accept-encoding': 'gzip, deflate, br' });
    const gzip = await getMatches({ ...t.auth, 'accept-encoding': 'gzip' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(brotliDecompressSync(br.rawPayload).toString('utf8')).toBe(plain.body);
    expect(gunzipSync(gzip.rawPayload).toString('utf8')).toBe(plain.body);
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length);
    const etags = new Set([plain.headers.etag, br.headers.etag, gzip.headers.etag]);
    expect(etags.size).toBe(3);
    // A client that stored the brotli answer revalidates it, also when it now asks for identity.
    expect((await getMatches({ ...t.auth, 'accept-encoding': 'br', 'if-none-match': br.headers.etag as string })).statusCode).toBe(304);
    expect((await getMatches({ ...t.auth, 'if-none-match': br.headers.etag as string })).statusCode).toBe(304);
    // Refusing every encoding we offer (or asking only for one we do not) gets the JSON as it is.
    const refused = await getMatches({ ...t.auth, 'accept-encoding': 'deflate' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body).toBe(plain.body);
  });

  it('authorises every request, also one answered from memory', async () => {
    await getMatches(); // cached by the admin's read
    const { token } = await post('/v1/tokens', { role: 'company', companyId: welder });
    const response = await getMatches({ authorization: `Bearer ${token}` });
    // The welder may see the foundry's public need, but its suggestions are the foundry's own.
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it('serves concurrent first reads from one load, still authorising each of them', async () => {
    await outsider.query('update matches set score = 0.345 where need_id = $1', [need]);
    await t.runtime.reads!.feed.sync();
    const { token } = await post('/v1/tokens', { role: 'company', companyId: welder });
    const outsiderHeaders = { authorization: `Bearer ${token}` };
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => getMatches(i % 2 === 0 ? t.auth : outsiderHeaders)));
    const allowed = responses.filter((_, i) => i % 2 === 0);
    const refused = responses.filter((_, i) => i % 2 === 1);
    expect(allowed.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    expect(new Set(allowed.map((r) => r.body)).size).toBe(1);
    expect(allowed[0]!.json().items[0].score).toBe(0.345);
    expect(refused.map((r) => r.statusCode)).toEqual(Array(10).fill(403));
    const missing = await Promise.all(Array.from({ length: 5 }, () => t.app.inject({ method: 'GET', url: '/v1/needs/0192f1c5-0a3b-7e55-a1c2-3d4e5f60718a/matches', headers: t.auth })));
    expect(missing.map((r) => r.statusCode)).toEqual(Array(5).fill(404));
  });

  it('stops a revoked token at once, though it was known to the cache', async () => {
    const issued = await post('/v1/tokens', { role: 'company', companyId: foundry });
    const headers = { authorization: `Bearer ${issued.token}` };
    expect((await getMatches(headers)).statusCode).toBe(200);
    expect((await getMatches(headers)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/tokens/${issued.id}`, headers: t.auth })).statusCode).toBe(204);
    expect((await getMatches(headers)).statusCode).toBe(401);
  });

  it('turns itself off when the notification connection is lost, and on again when it is back', async () => {
    await getMatches();
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from (select pg_terminate_backend(pid) from pg_stat_activity
      where datname = current_database() and application_name = 'koblingsboks-listen-koblingsboks_changes') killed`.execute(t.runtime.database.db);
    expect(rows[0]!.n).toBe(1);
    await until(() => !cache().enabled);
    // Meanwhile every read goes to the database: a change is visible without any notification.
    await outsider.query('update matches set score = 0.234 where need_id = $1', [need]);
    expect((await getMatches()).json<{ items: { score: number }[] }>().items[0]!.score).toBe(0.234);
    await until(() => cache().enabled);
    await getMatches();
    const hits = cache().hits;
    await getMatches();
    expect(cache().hits).toBe(hits + 1);
  });
});
