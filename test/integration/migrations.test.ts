import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../db/migrations/index.js';
import { adminQuery, urlFor } from '../helpers/databases.js';
import { storedComponents, storedExplanation } from '../../src/db/stored-match.js';

// A database migrated step by step (not cloned from the template), to check what a migration does
// to rows written under the schema before it.

/** A database of one describe block's own, created at `migration` and dropped afterwards. */
function stepwiseDatabase() {
  const name = `kb_migrate_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  let db: Kysely<any> | undefined;
  return {
    migrator: () => new Migrator({ db: db!, provider: { getMigrations: async () => migrations } }),
    async createAt(migration: string): Promise<Kysely<any>> {
      await adminQuery(`create database ${name}`);
      db = new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: urlFor(name), max: 2 }) }) });
      const { error } = await this.migrator().migrateTo(migration);
      expect(error).toBeUndefined();
      return db;
    },
    async drop(): Promise<void> {
      await db?.destroy();
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}
describe('migration 0012 (lean matches)', () => {
  const stepwise = stepwiseDatabase();
  const migrator = stepwise.migrator;
  let db: Kysely<any>;
  const ids = { company: '0192f1c5-0000-7000-8000-000000000001', other: '0192f1c5-0000-7000-8000-000000000002', need: '0192f1c5-0000-7000-8000-000000000003', capability: '0192f1c5-0000-7000-8000-000000000004' };

  beforeAll(async () => {
    db = await stepwise.createAt('0011-matches-company-keys-derived');
    await sql`insert into companies (id, name, nace_code, updated_at) values (${ids.company}, 'A', '24.530', now()), (${ids.other}, 'B', '16.100', now())`.execute(db);
    await sql`insert into listings (id, company_id, side, kind, title, description, lang, updated_at) values
      (${ids.need}, ${ids.company}, 'need', 'product', 'Trespon', 'Vi trenger spon', 'nb', now()),
      (${ids.capability}, ${ids.other}, 'capability', 'byproduct', 'Sagflis', 'Vi har sagflis', 'nb', now())`.execute(db);
    const explanation = {
      sharedTerms: ['spon'],
      concepts: ['spon ≈ sagflis'],
      reasons: ['Same meaning: spon ≈ sagflis', 'Circular value chain: sagflis (sawdust) → råstoff til sponplater', 'Across industries: NACE 24.530 ↔ 16.100'],
    };
    await sql`insert into matches (need_id, capability_id, need_company_id, capability_company_id, score, components, explanation)
      values (${ids.need}, ${ids.capability}, ${ids.company}, ${ids.other}, 0.7, '{"text":0.3,"crossIndustry":1,"valueChain":0.5,"kindFit":0.9,"circular":1}', ${JSON.stringify(explanation)})`.execute(db);
  });
  afterAll(() => stepwise.drop());

  it('keeps what matched and moves circular links out of the rendered reasons', async () => {
    const { error } = await migrator().migrateTo('0012-lean-matches');
    expect(error).toBeUndefined();
    const { rows } = await sql<{ explanation: unknown }>`select explanation from matches`.execute(db);
    expect(rows[0]!.explanation).toEqual({ sharedTerms: ['spon'], concepts: ['spon ≈ sagflis'], circular: ['sagflis (sawdust) → råstoff til sponplater'] });
  });

  it('deletes a listing’s matches with the listing, without a foreign key', async () => {
    await sql`delete from listings where id = ${ids.capability}`.execute(db);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from matches`.execute(db);
    expect(rows[0]!.n).toBe(0);
  });

  it('migrates down again', async () => {
    const { error } = await migrator().migrateTo('0011-matches-company-keys-derived');
    expect(error).toBeUndefined();
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_indexes where indexname in ('matches_need_score', 'matches_need_company', 'matches_capability_company')`.execute(db);
    expect(rows[0]!.n).toBe(3);
  });
});

describe('migration 0016 (notifications without a company key)', () => {
  const stepwise = stepwiseDatabase();
  const migrator = stepwise.migrator;
  let db: Kysely<any>;
  const company = '0192f1c5-0000-7000-8000-000000000011';
  const foreignKeys = async () =>
    (await sql<{ n: number }>`select count(*)::int as n from pg_constraint where conrelid = 'notifications'::regclass and contype = 'f'`.execute(db)).rows[0]!.n;

  beforeAll(async () => {
    db = await stepwise.createAt('0016-notifications-without-company-key');
  });
  afterAll(() => stepwise.drop());

  it('has no foreign key, and migrates down to it again, dropping rows of companies that are gone', async () => {
    expect(await foreignKeys()).toBe(0);
    await sql`insert into companies (id, name, nace_code, updated_at) values (${company}, 'A', '24.530', now())`.execute(db);
    await sql`insert into notifications (id, company_id, type, payload, webhook_state) values
      ('0192f1c5-0000-7000-8000-000000000021', ${company}, 'match.strong', '{}', 'none'),
      ('0192f1c5-0000-7000-8000-000000000022', '0192f1c5-0000-7000-8000-000000000099', 'match.strong', '{}', 'none')`.execute(db);
    const { error } = await migrator().migrateTo('0015-explanation-facts');
    expect(error).toBeUndefined();
    expect(await foreignKeys()).toBe(1);
    const { rows } = await sql<{ company_id: string }>`select company_id from notifications`.execute(db);
    expect(rows).toEqual([{ company_id: company }]);
  });
});

describe('migration 0017 (compact match JSON)', () => {
  const stepwise = stepwiseDatabase();
  const migrator = stepwise.migrator;
  let db: Kysely<any>;
  const ids = { company: '0192f1c5-0000-7000-8000-000000000031', other: '0192f1c5-0000-7000-8000-000000000032', need: '0192f1c5-0000-7000-8000-000000000033', capability: '0192f1c5-0000-7000-8000-000000000034' };
  // As the worker wrote pairs before 0017: JSON.stringify of the objects.
  const components = { text: 0.3162, crossIndustry: 1, valueChain: 0.5, kindFit: 0.9, circular: 0 };
  const explanation = { sharedTerms: ['sagflis', 'spon'], concepts: ['spon ≈ sagflis'], circular: ['sagflis (sawdust) → råstoff til sponplater'] };
  const stored = async () => (await sql<{ components: string; explanation: string }>`select components::text, explanation::text from matches`.execute(db)).rows;

  beforeAll(async () => {
    db = await stepwise.createAt('0016-notifications-without-company-key');
    await sql`insert into companies (id, name, nace_code, updated_at) values (${ids.company}, 'A', '24.530', now()), (${ids.other}, 'B', '16.100', now())`.execute(db);
    await sql`insert into matches (need_id, capability_id, need_company_id, capability_company_id, score, components, explanation)
      values (${ids.need}, ${ids.capability}, ${ids.company}, ${ids.other}, 0.7, ${JSON.stringify(components)}, ${JSON.stringify(explanation)})`.execute(db);
  });
  afterAll(() => stepwise.drop());

  it('stores arrays whose text is what a worker writes now, so the next re-score finds the pair unchanged', async () => {
    const { error } = await migrator().migrateTo('0017-compact-match-json');
    expect(error).toBeUndefined();
    expect(await stored()).toEqual([
      {
        components: JSON.stringify(storedComponents(components)),
        explanation: JSON.stringify(storedExplanation(explanation)),
      },
    ]);
  });

  it('migrates down to the objects again', async () => {
    const { error } = await migrator().migrateTo('0016-notifications-without-company-key');
    expect(error).toBeUndefined();
    const { rows } = await sql<{ components: unknown; explanation: unknown }>`select components, explanation from matches`.execute(db);
    expect(rows).toEqual([{ components, explanation }]);
  });
});
