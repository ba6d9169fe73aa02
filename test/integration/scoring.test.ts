import { Writable } from 'node:stream';
import pino from 'pino';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/database.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyBody } from '../helpers/builders.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { databaseNow, PairsToWrite, replaceNeedsMatches } from '../../src/scoring/match.repository.js';
import { componentsOf, explanationOf } from '../../src/db/stored-match.js';

interface Scenario {
  foundry: string;
  welder: string;
  caterer: string;
  need: string;
  ownCapability: string;
  weldingCapability: string;
  cateringCapability: string;
}

async function post(t: TestApp, url: string, payload: object) {
  const response = await t.app.inject({ method: 'POST', url, headers: t.auth, payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
}

/** A foundry needing aluminium welding, a welding firm offering it, a caterer offering lunch. */
async function seed(t: TestApp): Promise<Scenario> {
  const foundry = await post(t, '/v1/companies', companyBody({ name: 'Glåmdal Lettmetall AS', naceCode: '24.530', valueChainRole: 'manufacturer' }));
  const welder = await post(t, '/v1/companies', companyBody({ name: 'Sveiseservice Vest AS', naceCode: '33.110', valueChainRole: 'service' }));
  const caterer = await post(t, '/v1/companies', companyBody({ name: 'Kantinekompaniet AS', naceCode: '56.290', valueChainRole: 'service' }));
  const need = await post(t, `/v1/companies/${foundry}/needs`, {
    kind: 'competence',
    title: 'Kompetanse på sveising av aluminium',
    description: 'Vi trenger hjelp til sveising av tynne aluminiumsprofiler og kvalifisering av sveiseprosedyrer.',
  });
  // The foundry's own capability mentions welding too: it must never be suggested to itself.
  const ownCapability = await post(t, `/v1/companies/${foundry}/capabilities`, {
    kind: 'competence',
    title: 'Sveising av aluminium',
    description: 'Vi har lang erfaring med sveising av aluminium.',
  });
  const weldingCapability = await post(t, `/v1/companies/${welder}/capabilities`, {
    kind: 'service',
    title: 'Aluminiumssveising og sveiseprosedyrer',
    description: 'Sertifiserte sveisere utfører sveising av aluminium og kvalifiserer sveiseprosedyrer for industrien.',
  });
  const cateringCapability = await post(t, `/v1/companies/${caterer}/capabilities`, {
    kind: 'service',
    title: 'Lunsj og kantinedrift',
    description: 'Vi leverer lunsj til bedrifter og drifter kantiner.',
  });
  return { foundry, welder, caterer, need, ownCapability, weldingCapability, cateringCapability };
}

async function needMatches(t: TestApp, needId: string) {
  const response = await t.app.inject({ method: 'GET', url: `/v1/needs/${needId}/matches?limit=50`, headers: t.auth });
  expect(response.statusCode).toBe(200);
  return response.json<{ items: { capabilityId: string; capabilityCompanyId: string; needCompanyId: string; score: number; capability: { title: string } }[] }>()
    .items;
}

describe('scoring through the BullMQ worker', () => {
  let t: TestApp;
  let s: Scenario;
  beforeAll(async () => {
    t = await createTestApp({ queue: true });
    t.startWorker();
    s = await seed(t);
    await t.waitForScoring();
  });
  afterAll(() => t.close());

  it('ranks the obvious match first, with score, components and reasons', async () => {
    const items = await needMatches(t, s.need);
    expect(items[0]?.capabilityId).toBe(s.weldingCapability);
    const best = items[0] as unknown as { score: number; components: Record<string, number>; explanation: { reasons: string[]; sharedTerms: string[] } };
    expect(best.score).toBeGreaterThan(0.3);
    expect(best.score).toBeLessThanOrEqual(1);
    expect(best.components).toMatchObject({ crossIndustry: 1, valueChain: 1 });
    expect(best.explanation.reasons.length).toBeGreaterThan(0);
    const scores = items.map((m) => m.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('never pairs a listing with its own company', async () => {
    const items = await needMatches(t, s.need);
    expect(items.map((m) => m.capabilityId)).not.toContain(s.ownCapability);
    expect(items.every((m) => m.needCompanyId !== m.capabilityCompanyId)).toBe(true);
  });

  it('serves the same pair from the capability side and as a partner company', async () => {
    const fromCapability = (await t.app.inject({ method: 'GET', url: `/v1/capabilities/${s.weldingCapability}/matches`, headers: t.auth })).json();
    expect(fromCapability.items.map((m: { needId: string }) => m.needId)).toContain(s.need);
    const partners = (await t.app.inject({ method: 'GET', url: `/v1/companies/${s.foundry}/matches`, headers: t.auth })).json();
    expect(partners.items[0]).toMatchObject({ companyId: s.welder, companyName: 'Sveiseservice Vest AS' });
    expect(partners.items[0].pairs[0]).toMatchObject({ direction: 'they-offer', match: { needId: s.need, capabilityId: s.weldingCapability } });
    const welderSide = (await t.app.inject({ method: 'GET', url: `/v1/companies/${s.welder}/matches`, headers: t.auth })).json();
    expect(welderSide.items[0].pairs[0].direction).toBe('we-offer');
  });

  it('reports status with nothing pending and a last scoring time', async () => {
    const status = (await t.app.inject({ method: 'GET', url: '/v1/matching/status', headers: t.auth })).json();
    expect(status).toMatchObject({ pending: 0, failed: 0, mode: 'queue' });
    expect(Date.parse(status.lastScoredAt)).not.toBeNaN();
  });

  it('picks up a capability posted after the need', async () => {
    const lab = await post(t, '/v1/companies', companyBody({ naceCode: '71.200', valueChainRole: 'research-education' }));
    const capability = await post(t, `/v1/companies/${lab}/capabilities`, {
      kind: 'rnd',
      title: 'Sveising av aluminium i laboratoriet',
      description: 'Vi tester sveising av aluminium og sveiseprosedyrer for industrien.',
    });
    await t.waitForScoring();
    expect((await needMatches(t, s.need)).map((m) => m.capabilityId)).toContain(capability);
  });

  it('removes a deleted listing’s matches', async () => {
    const extra = await post(t, `/v1/companies/${s.welder}/capabilities`, {
      kind: 'service',
      title: 'Sveising av aluminium på stedet',
      description: 'Mobil sveising av aluminium hos kunden.',
    });
    await t.waitForScoring();
    expect((await needMatches(t, s.need)).map((m) => m.capabilityId)).toContain(extra);
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/capabilities/${extra}`, headers: t.auth })).statusCode).toBe(204);
    expect((await needMatches(t, s.need)).map((m) => m.capabilityId)).not.toContain(extra);
    // Gone from the table itself, not only hidden by the read's joins.
    const rows = await t.runtime.database.db.selectFrom('matches').select('need_id').where('capability_id', '=', extra).execute();
    expect(rows).toEqual([]);
    await t.waitForScoring();
    const indexed = await t.runtime.database.db.selectFrom('listing_terms').select('term').where('listing_id', '=', extra).execute();
    expect(indexed).toEqual([]);
    const vector = await t.runtime.database.db.selectFrom('listing_vectors').select('terms').where('listing_id', '=', extra).execute();
    expect(vector).toEqual([]);
  });

  it('removes the pairs of a deleted company’s listings from other companies’ lists', async () => {
    const mobile = await post(t, '/v1/companies', companyBody({ name: 'Mobilsveis AS', naceCode: '33.120', valueChainRole: 'service' }));
    const capability = await post(t, `/v1/companies/${mobile}/capabilities`, {
      kind: 'service',
      title: 'Sveising av aluminium',
      description: 'Vi sveiser aluminium og kvalifiserer sveiseprosedyrer.',
    });
    await t.waitForScoring();
    expect((await needMatches(t, s.need)).map((m) => m.capabilityId)).toContain(capability);
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/companies/${mobile}`, headers: t.auth })).statusCode).toBe(204);
    const rows = await t.runtime.database.db.selectFrom('matches').select('need_id').where('capability_id', '=', capability).execute();
    expect(rows).toEqual([]);
    await t.waitForScoring();
    expect((await needMatches(t, s.need)).map((m) => m.capabilityId)).not.toContain(capability);
  });

  it('keeps each listing’s stored vector equal to its postings', async () => {
    const { db } = t.runtime.database;
    const { rows } = await sql<{ listing_id: string }>`
      select coalesce(p.listing_id, v.listing_id) as listing_id
      from (select listing_id, array_agg(term order by term) as terms, array_agg(weight order by term) as weights from listing_terms group by listing_id) p
      full join (select listing_id, (select array_agg(t order by t) from unnest(terms) t) as terms,
                        (select array_agg(w order by t) from unnest(terms, weights) as x(t, w)) as weights from listing_vectors) v
        on v.listing_id = p.listing_id
      where p.terms is distinct from v.terms or p.weights is distinct from v.weights`.execute(db);
    expect(rows).toEqual([]);
    const count = await db.selectFrom('listing_vectors').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBeGreaterThan(0);
  });

  it('stores a capability’s explanation facts with its vector, and none for a need', async () => {
    const { rows } = await sql<{ side: string; explained: boolean }>`
      select distinct l.side, v.explain is not null as explained from listing_vectors v join listings l on l.id = v.listing_id`.execute(t.runtime.database.db);
    expect(rows.sort((a, b) => a.side.localeCompare(b.side))).toEqual([
      { side: 'capability', explained: true },
      { side: 'need', explained: false },
    ]);
  });

  it('gives a capability indexed without explanation facts its facts on a re-score, and explains its pairs meanwhile', async () => {
    const { db } = t.runtime.database;
    await sql`update listing_vectors set explain = null where listing_id = ${s.weldingCapability}`.execute(db);
    const before = (await needMatches(t, s.need)).find((m) => m.capabilityId === s.weldingCapability);
    expect(before).toBeDefined();
    const rescore = await t.app.inject({ method: 'POST', url: '/v1/matching/rescore', headers: t.auth });
    expect(rescore.statusCode).toBe(202);
    await t.waitForScoring();
    const { rows } = await sql<{ explained: boolean }>`select explain is not null as explained from listing_vectors where listing_id = ${s.weldingCapability}`.execute(db);
    expect(rows).toEqual([{ explained: true }]);
    const after = (await t.app.inject({ method: 'GET', url: `/v1/needs/${s.need}/matches`, headers: t.auth })).json<{ items: { capabilityId: string; explanation: { concepts: string[] } }[] }>();
    expect(after.items.find((m) => m.capabilityId === s.weldingCapability)!.explanation.concepts.length).toBeGreaterThan(0);
  });

  it('leaves the same matches when a job crashes mid-write and is retried', async () => {
    const { db } = t.runtime.database;
    const before = await needMatches(t, s.need);
    // Fault injection in the database: the next insert into matches fails once, mid-transaction
    // (after the old rows were deleted). Sequences are not transactional, so the retry succeeds.
    await sql`create sequence if not exists fail_once`.execute(db);
    await sql`create or replace function fail_first_insert() returns trigger language plpgsql as $$
      begin if nextval('fail_once') = 1 then raise exception 'injected crash'; end if; return null; end $$`.execute(db);
    await sql`create trigger matches_fail_once before insert on matches for each statement execute function fail_first_insert()`.execute(db);
    try {
      const patched = await t.app.inject({ method: 'PATCH', url: `/v1/needs/${s.need}`, headers: t.auth, payload: { tags: ['aluminium'] } });
      expect(patched.statusCode).toBe(200);
      await t.waitForScoring(30_000);
      const sequence = await sql<{ last_value: number }>`select last_value from fail_once`.execute(db);
      expect(Number(sequence.rows[0]?.last_value)).toBeGreaterThanOrEqual(2); // it did fail once, then ran again
    } finally {
      await sql`drop trigger matches_fail_once on matches`.execute(db);
    }
    const after = await needMatches(t, s.need);
    expect(after.map((m) => m.capabilityId)).toEqual(before.map((m) => m.capabilityId));
    const duplicates = await sql<{ n: number }>`select count(*)::int as n from (select need_id, capability_id from matches group by 1, 2 having count(*) > 1) d`.execute(db);
    expect(duplicates.rows[0]?.n).toBe(0);
  });
});

describe('feedback on matches', () => {
  let t: TestApp;
  let s: Scenario;
  beforeAll(async () => {
    t = await createTestApp({ queue: true });
    t.startWorker();
    s = await seed(t);
    await t.waitForScoring();
  });
  afterAll(() => t.close());

  const feedback = (payload: object, needId = s.need, capabilityId = s.weldingCapability) =>
    t.app.inject({ method: 'POST', url: `/v1/matches/${needId}/${capabilityId}/feedback`, headers: t.auth, payload });

  it('drops a dismissed pair from that company’s suggestions, keeps it for the other side, and survives re-scoring', async () => {
    const given = await feedback({ verdict: 'dismissed', note: 'Vi har alt en leverandør' });
    expect(given.statusCode).toBe(200);
    expect(given.json()).toMatchObject({ verdict: 'dismissed', companyId: s.foundry });
    expect((await needMatches(t, s.need)).map((m) => m.capabilityId)).not.toContain(s.weldingCapability);
    const withDismissed = (await t.app.inject({ method: 'GET', url: `/v1/needs/${s.need}/matches?includeDismissed=true`, headers: t.auth })).json();
    expect(withDismissed.items.find((m: { capabilityId: string }) => m.capabilityId === s.weldingCapability)?.status).toBe('dismissed');
    const partners = (await t.app.inject({ method: 'GET', url: `/v1/companies/${s.foundry}/matches`, headers: t.auth })).json();
    expect(partners.items.map((p: { companyId: string }) => p.companyId)).not.toContain(s.welder);
    const welderView = (await t.app.inject({ method: 'GET', url: `/v1/capabilities/${s.weldingCapability}/matches`, headers: t.auth })).json();
    expect(welderView.items.map((m: { needId: string }) => m.needId)).toContain(s.need);

    await t.app.inject({ method: 'POST', url: '/v1/matching/rescore', headers: t.auth });
    await t.waitForScoring();
    expect((await needMatches(t, s.need)).map((m) => m.capabilityId)).not.toContain(s.weldingCapability);

    expect((await feedback({ verdict: 'useful' })).statusCode).toBe(200);
    const restored = await needMatches(t, s.need);
    expect(restored[0]).toMatchObject({ capabilityId: s.weldingCapability, status: 'useful' });
  });

  it('rejects feedback from a company outside the pair, bad verdicts and unknown listings', async () => {
    expect((await feedback({ verdict: 'dismissed', companyId: s.caterer })).statusCode).toBe(400);
    expect((await feedback({ verdict: 'maybe' })).statusCode).toBe(400);
    expect((await feedback({ verdict: 'useful' }, s.weldingCapability, s.need)).statusCode).toBe(404);
  });
});

describe('embedded in-process scoring', () => {
  it('produces the same ranking as the worker', async () => {
    const ranked = async (t: TestApp, rescore: boolean) => {
      if (rescore) {
        const response = await t.app.inject({ method: 'POST', url: '/v1/matching/rescore', headers: t.auth });
        expect(response.statusCode).toBe(202);
      } else {
        needs.set(t, (await seed(t)).need);
      }
      await t.waitForScoring();
      const items = await needMatches(t, needs.get(t)!);
      return { order: items.map((m) => m.capability.title), scores: items.map((m) => m.score) };
    };
    const needs = new Map<TestApp, string>();
    const queued = await createTestApp({ queue: true });
    queued.startWorker();
    const embedded = await createTestApp({ embedded: true });
    try {
      const [viaWorker, inProcess] = [await ranked(queued, false), await ranked(embedded, false)];
      expect(viaWorker.order.length).toBeGreaterThan(0);
      expect(inProcess.order).toEqual(viaWorker.order);
      // Scores computed while the corpus grew used the document frequencies of that moment; after
      // a full re-score both modes agree to the last digit.
      // The worker re-scores in batches (batch-processor.ts), the embedded mode listing by listing.
      const [rescoredWorker, rescoredInProcess] = [await ranked(queued, true), await ranked(embedded, true)];
      expect(rescoredInProcess).toEqual(rescoredWorker);
      const batches = (await queued.runtime.queue!.getCompleted()).filter((job) => job.name === 'score-batch');
      expect(batches.length).toBeGreaterThan(0);
      expect(batches[0]!.returnvalue).toMatchObject({ scored: expect.any(Number), superseded: 0, removed: 0 });
    } finally {
      await Promise.all([queued.close(), embedded.close()]);
    }
  });
});

describe('dead letters', () => {
  it('lists a job that failed for good with its error, counts it in status, and retries it on request', async () => {
    const t = await createTestApp({ queue: true });
    t.startWorker();
    try {
      await t.runtime.queue!.add('score-listing', { listingId: 'not-a-listing', outboxId: 1, requestId: null }, { jobId: 'score-malformed' });
      let failures: { items: { jobId: string; error: string }[] } = { items: [] };
      for (let i = 0; i < 100 && failures.items.length === 0; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        failures = (await t.app.inject({ method: 'GET', url: '/v1/matching/failures', headers: t.auth })).json();
      }
      expect(failures.items[0]).toMatchObject({ jobId: 'score-malformed' });
      expect(failures.items[0]?.error).toMatch(/malformed/);
      expect((await t.app.inject({ method: 'GET', url: '/v1/matching/status', headers: t.auth })).json().failed).toBe(1);
      const retried = await t.app.inject({ method: 'POST', url: '/v1/matching/failures/retry', headers: t.auth });
      expect(retried.statusCode).toBe(202);
      expect(retried.json()).toEqual({ retried: 1 });
    } finally {
      await t.close();
    }
  });
});

describe('request ids', () => {
  it('echoes a caller’s X-Request-Id and logs it with the scoring job that request caused', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const t = await createTestApp({ queue: true });
    try {
      t.startWorker(pino({ level: 'info' }, sink));
      const company = await post(t, '/v1/companies', companyBody({ name: 'Sporbar Industri AS' }));
      const response = await t.app.inject({
        method: 'POST',
        url: `/v1/companies/${company}/needs`,
        headers: { ...t.auth, 'x-request-id': 'trace-4711' },
        payload: { kind: 'competence', title: 'Sporbarhet i produksjonen', description: 'Vi trenger sporbarhet for hver batch.' },
      });
      expect(response.statusCode).toBe(201);
      expect(response.headers['x-request-id']).toBe('trace-4711');
      const needId = response.json<{ id: string }>().id;
      await t.waitForScoring();

      const jobLine = lines.find((l) => l.msg === 'scoring job done' && l.listingId === needId);
      expect(jobLine).toMatchObject({ level: 30, requestId: 'trace-4711', job: 'score-listing', outcome: 'scored' });
      expect(jobLine?.durationMs).toEqual(expect.any(Number));
      expect(jobLine?.jobId).toEqual(expect.any(String));
    } finally {
      await t.close();
    }
  });

  it('replaces an unsafe or over-long X-Request-Id with a fresh UUID', async () => {
    const t = await createTestApp();
    try {
      for (const bad of ['has spaces and {braces}', 'x'.repeat(129)]) {
        const response = await t.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': bad } });
        expect(response.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      }
    } finally {
      await t.close();
    }
  });
});

/** A scored scenario, and its stored welding pair as the MatchInput a batch would write again. */
async function scoredWeldingPair(t: TestApp) {
  const s = await seed(t);
  await t.waitForScoring();
  const { db } = t.runtime.database;
  const stored = await db.selectFrom('matches').selectAll().where('need_id', '=', s.need).where('capability_id', '=', s.weldingCapability).executeTakeFirstOrThrow();
  const match = {
    needId: s.need,
    capabilityId: s.weldingCapability,
    needCompanyId: s.foundry,
    capabilityCompanyId: s.welder,
    score: stored.score,
    components: componentsOf(stored.components),
    explanation: explanationOf(stored.explanation),
  };
  return { s, db, stored, match };
}

/** The `match.strong` notifications in the database, in id order. */
async function announcedIn(db: Kysely<Database>) {
  const rows = await db.selectFrom('notifications').select(['company_id', 'payload']).where('type', '=', 'match.strong').orderBy('id').execute();
  return rows as { company_id: string; payload: { needId: string; capabilityId: string; partnerCompanyId: string; score: number } }[];
}

describe('batch writes against a capability edited meanwhile', () => {
  it('writes no pair for a capability changed since the version that was scored', async () => {
    const t = await createTestApp({ queue: true });
    t.startWorker();
    try {
      const { s, db, match: storedMatch } = await scoredWeldingPair(t);
      const capability = await db.selectFrom('listings').select('updated_at').where('id', '=', s.weldingCapability).executeTakeFirstOrThrow();
      const version = new Date(capability.updated_at).getTime();
      const match = { ...storedMatch, score: 0.5 };
      const write = (scoredVersion: number, reportFrom = 0) =>
        db.transaction().execute(async (trx) => {
          await trx.deleteFrom('matches').where('need_id', '=', s.need).execute();
          await trx.deleteFrom('notifications').execute();
          const count = await replaceNeedsMatches(trx, new PairsToWrite([s.need], [match]), await databaseNow(trx), new Map([[s.weldingCapability, scoredVersion]]), reportFrom);
          const announced = await announcedIn(trx);
          expect(announced).toHaveLength(count);
          return announced;
        });
      const pair = () => db.selectFrom('matches').select('score').where('need_id', '=', s.need).where('capability_id', '=', s.weldingCapability).executeTakeFirst();

      // Scored from the version before the last edit: its own job owns the pair now.
      expect(await write(version - 1_000)).toEqual([]);
      expect(await pair()).toBeUndefined();
      // Scored from the current version: written, and announced to both companies.
      expect(await write(version)).toEqual([
        { company_id: s.foundry, payload: { needId: s.need, capabilityId: s.weldingCapability, partnerCompanyId: s.welder, score: 0.5 } },
        { company_id: s.welder, payload: { needId: s.need, capabilityId: s.weldingCapability, partnerCompanyId: s.foundry, score: 0.5 } },
      ]);
      expect((await pair())?.score).toBeCloseTo(0.5, 5);
      // A new pair below the reporting bar is written but not reported.
      expect(await write(version, 0.6)).toEqual([]);
      expect((await pair())?.score).toBeCloseTo(0.5, 5);
    } finally {
      await t.close();
    }
  });

  it('skips the pairs of listings deleted since they were scored and writes the rest of the batch', async () => {
    const t = await createTestApp({ queue: true });
    t.startWorker();
    try {
      const { s, db, match } = await scoredWeldingPair(t);
      const capability = await db.selectFrom('listings').select('updated_at').where('id', '=', s.weldingCapability).executeTakeFirstOrThrow();
      const goneCapability = '01900000-0000-7000-8000-000000000001';
      const goneNeed = '01900000-0000-7000-8000-000000000002';
      const versions = new Map([
        [s.weldingCapability, new Date(capability.updated_at).getTime()],
        [goneCapability, Date.now()],
      ]);
      const announced = await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('matches').where('need_id', '=', s.need).execute();
        await trx.deleteFrom('notifications').execute();
        await replaceNeedsMatches(
          trx,
          new PairsToWrite(
            [goneNeed, s.need],
            [
              { ...match, needId: goneNeed, score: 0.9 },
              { ...match, capabilityId: goneCapability, score: 0.9 },
              { ...match, score: 0.9 },
            ],
          ),
          await databaseNow(trx),
          versions,
          0.6,
        );
        return announcedIn(trx);
      });
      // Only the pair of two live listings is written and announced; the batch does not fail.
      expect(announced.map((n) => [n.company_id, n.payload.needId, n.payload.capabilityId])).toEqual([
        [s.foundry, s.need, s.weldingCapability],
        [s.welder, s.need, s.weldingCapability],
      ]);
      const written = await db.selectFrom('matches').select(['need_id', 'capability_id', 'need_company_id', 'capability_company_id']).where('need_id', 'in', [s.need, goneNeed]).execute();
      expect(written).toEqual([{ need_id: s.need, capability_id: s.weldingCapability, need_company_id: s.foundry, capability_company_id: s.welder }]);
    } finally {
      await t.close();
    }
  });
});

describe('replacing a batch of needs’ lists', () => {
  it('deletes the stale pairs it did not score again, keeps the ones it did and those written after its snapshot', async () => {
    const t = await createTestApp({ queue: true });
    t.startWorker();
    try {
      const { s, db, stored, match: keptMatch } = await scoredWeldingPair(t);
      const pairOf = (capabilityId: string, capabilityCompanyId: string) => ({
        ...stored,
        capability_id: capabilityId,
        capability_company_id: capabilityCompanyId,
        components: JSON.stringify(stored.components),
        explanation: JSON.stringify(stored.explanation),
      });
      const versions = new Map(
        (await db.selectFrom('listings').select(['id', 'updated_at']).execute()).map((l) => [l.id, new Date(l.updated_at).getTime()] as const),
      );
      const pairsOfNeed = async () => (await db.selectFrom('matches').select('capability_id').where('need_id', '=', s.need).execute()).map((r) => r.capability_id).sort();

      // A stale pair (the catering capability) from before the snapshot, and nothing newer.
      await db.deleteFrom('matches').where('need_id', '=', s.need).where('capability_id', '<>', s.weldingCapability).execute();
      await db.insertInto('matches').values({ ...pairOf(s.cateringCapability, s.caterer), scored_at: new Date(Date.now() - 60_000) }).execute();
      const snapshot = await databaseNow(db);
      await db.transaction().execute((trx) => replaceNeedsMatches(trx, new PairsToWrite([s.need], [keptMatch]), snapshot, versions, 0));
      expect(await pairsOfNeed()).toEqual([s.weldingCapability]);

      // A pair written by another job after the snapshot is that job's, and stays.
      const olderSnapshot = new Date(Date.now() - 30_000);
      await db.insertInto('matches').values({ ...pairOf(s.cateringCapability, s.caterer), scored_at: new Date() }).execute();
      await db.transaction().execute((trx) => replaceNeedsMatches(trx, new PairsToWrite([s.need], [keptMatch]), olderSnapshot, versions, 0));
      expect(await pairsOfNeed()).toEqual([s.weldingCapability, s.cateringCapability].sort());
    } finally {
      await t.close();
    }
  });

  it('updates a stored pair whose score changed without announcing it, leaves an unchanged one as it was, and never one written after its snapshot', async () => {
    const t = await createTestApp({ queue: true });
    t.startWorker();
    try {
      const { s, db, match } = await scoredWeldingPair(t);
      const versions = new Map(
        (await db.selectFrom('listings').select(['id', 'updated_at']).execute()).map((l) => [l.id, new Date(l.updated_at).getTime()] as const),
      );
      const stored = () => db.selectFrom('matches').select(['score', 'scored_at']).where('need_id', '=', s.need).where('capability_id', '=', s.weldingCapability).executeTakeFirstOrThrow();
      const write = async (scoredFrom: Date, pair = match) => db.transaction().execute((trx) => replaceNeedsMatches(trx, new PairsToWrite([s.need], [pair]), scoredFrom, versions, 0));

      // Scored again with another score: the row takes it, and an old pair is not news.
      expect(await write(await databaseNow(db), { ...match, score: 0.4321 })).toBe(0);
      const updated = await stored();
      expect(updated.score).toBeCloseTo(0.4321, 4);

      // Scored again with the same values: the row is not rewritten.
      expect(await write(await databaseNow(db), { ...match, score: 0.4321 })).toBe(0);
      expect(await stored()).toEqual(updated);

      // A job whose snapshot is older than the row leaves it to the job that wrote it.
      expect(await write(new Date(updated.scored_at.getTime() - 1_000), { ...match, score: 0.1234 })).toBe(0);
      expect(await stored()).toEqual(updated);
    } finally {
      await t.close();
    }
  });
});

describe('a starting worker', () => {
  it('takes jobs only once its capability index is loaded', async () => {
    const t = await createTestApp({ queue: true });
    const { db } = t.runtime.database;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    // Another transaction holds the index's table, so the worker's first load waits for it.
    const holder = db.transaction().execute(async (trx) => {
      await sql`lock table listing_vectors in access exclusive mode`.execute(trx);
      locked();
      await released;
    });
    try {
      await isLocked;
      const worker = t.startWorker();
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(worker.isRunning()).toBe(false);
      release();
      await holder;
      const deadline = Date.now() + 10_000;
      while (!worker.isRunning() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(worker.isRunning()).toBe(true);
    } finally {
      release();
      await holder.catch(() => {});
      await t.close();
    }
  });
});
