// Strong new pairs are announced to both companies, with payloads PostgreSQL builds from columns;
// a company with a webhook gets its rows marked for delivery.
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { announceStrongPairs } from '../../src/notifications/notification.repository.js';
import { STRONG_MATCH } from '../../src/scoring/limits.js';
import { companyBody } from '../helpers/builders.js';
import { createTestDatabase } from '../helpers/databases.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let database: DatabaseHandle;
let drop: () => Promise<void>;

beforeAll(async () => {
  const created = await createTestDatabase();
  drop = created.drop;
  database = await connectDatabase({ databaseUrl: created.url, dataDir: 'unused' });
});
afterAll(async () => {
  await database.close();
  await drop();
});

async function company(name: string): Promise<string> {
  const id = uuidv7();
  await database.db.insertInto('companies').values({ id, name, nace_code: '25.110' }).execute();
  return id;
}

describe('announceStrongPairs', () => {
  it('writes one notification per company of each pair, in pair order, marked for delivery where a webhook is set', async () => {
    const [foundry, welder, caterer] = [await company('Støperi AS'), await company('Sveis AS'), await company('Kantine AS')];
    await sql`insert into webhooks (company_id, url, secret) values (${welder}, 'https://example.org/hook', 'secret')`.execute(database.db);
    const [need, welding, catering] = [uuidv7(), uuidv7(), uuidv7()];
    const pairs = [
      { needId: need, capabilityId: welding, needCompanyId: foundry, capabilityCompanyId: welder, score: 0.8047 },
      { needId: need, capabilityId: catering, needCompanyId: foundry, capabilityCompanyId: caterer, score: 0.6 },
    ];

    expect(await announceStrongPairs(database.db, pairs)).toBe(4);

    const rows = await database.db.selectFrom('notifications').select(['company_id', 'type', 'payload', 'webhook_state']).orderBy('id').execute();
    expect(rows).toEqual([
      { company_id: foundry, type: 'match.strong', payload: { needId: need, capabilityId: welding, partnerCompanyId: welder, score: 0.8047 }, webhook_state: 'none' },
      { company_id: welder, type: 'match.strong', payload: { needId: need, capabilityId: welding, partnerCompanyId: foundry, score: 0.8047 }, webhook_state: 'pending' },
      { company_id: foundry, type: 'match.strong', payload: { needId: need, capabilityId: catering, partnerCompanyId: caterer, score: 0.6 }, webhook_state: 'none' },
      { company_id: caterer, type: 'match.strong', payload: { needId: need, capabilityId: catering, partnerCompanyId: foundry, score: 0.6 }, webhook_state: 'none' },
    ]);
  });

  it('deletes a company\'s notifications with the company, and only them', async () => {
    const [buyer, seller] = [await company('Kjøper AS'), await company('Selger AS')];
    const pair = { needId: uuidv7(), capabilityId: uuidv7(), needCompanyId: buyer, capabilityCompanyId: seller, score: 0.7 };
    expect(await announceStrongPairs(database.db, [pair])).toBe(2);
    await database.db.deleteFrom('companies').where('id', '=', seller).execute();
    const left = await database.db.selectFrom('notifications').select('company_id').where('company_id', 'in', [buyer, seller]).execute();
    expect(left).toEqual([{ company_id: buyer }]);
  });

  it('writes nothing for no pairs', async () => {
    const before = await database.db.selectFrom('notifications').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(await announceStrongPairs(database.db, [])).toBe(0);
    const after = await database.db.selectFrom('notifications').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});

describe('scoring announces strong new pairs', () => {
  let t: TestApp;
  afterAll(() => t?.close());

  it('to both companies once, and not again when a re-score finds the same pairs', async () => {
    t = await createTestApp({ queue: true });
    t.startWorker();
    const post = async (url: string, payload: object) => (await t.app.inject({ method: 'POST', url, headers: t.auth, payload })).json<{ id: string }>().id;
    const foundry = await post('/v1/companies', companyBody({ name: 'Glåmdal Lettmetall AS', naceCode: '24.530', valueChainRole: 'manufacturer' }));
    const welder = await post('/v1/companies', companyBody({ name: 'Sveiseservice Vest AS', naceCode: '33.110', valueChainRole: 'service' }));
    const text = { title: 'Sveising av tynne aluminiumsprofiler', description: 'Sveising av tynne aluminiumsprofiler og kvalifisering av sveiseprosedyrer for aluminium.' };
    const need = await post(`/v1/companies/${foundry}/needs`, { kind: 'competence', ...text });
    const capability = await post(`/v1/companies/${welder}/capabilities`, { kind: 'competence', ...text });
    await t.waitForScoring();
    const { db } = t.runtime.database;
    const pair = await db.selectFrom('matches').select('score').where('need_id', '=', need).where('capability_id', '=', capability).executeTakeFirstOrThrow();
    expect(pair.score).toBeGreaterThanOrEqual(STRONG_MATCH);

    const announced = async () =>
      (await db.selectFrom('notifications').select(['company_id', 'payload']).where('type', '=', 'match.strong').orderBy('id').execute()).map((n) => ({
        companyId: n.company_id,
        ...(n.payload as { needId: string; capabilityId: string; partnerCompanyId: string; score: number }),
      }));
    const expected = [
      { companyId: foundry, needId: need, capabilityId: capability, partnerCompanyId: welder, score: pair.score },
      { companyId: welder, needId: need, capabilityId: capability, partnerCompanyId: foundry, score: pair.score },
    ];
    expect(await announced()).toEqual(expected);

    expect((await t.app.inject({ method: 'POST', url: '/v1/matching/rescore', headers: t.auth })).statusCode).toBe(202);
    await t.waitForScoring();
    expect(await announced()).toEqual(expected);
  });
});
