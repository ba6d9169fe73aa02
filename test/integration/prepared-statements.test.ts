// Queries run as named statements, so PostgreSQL plans them once per connection; bulk statements
// and statements past the per-connection cap stay unnamed.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { MAX_PARAMETERS, MAX_PER_CONNECTION, PLANNED_PER_CALL, statementName } from '../../src/db/prepared-statements.js';
import { adminQuery, createTestDatabase } from '../helpers/databases.js';

describe('statementName', () => {
  it('names the same text the same way and leaves bulk statements unnamed', () => {
    const name = statementName('select 1 where $1', [1], new Set());
    expect(name).toMatch(/^kb_[\w-]+$/);
    expect(statementName('select 1 where $1', [2], new Set())).toBe(name);
    expect(statementName('select 2', [], new Set())).not.toBe(name);
    expect(statementName('insert …', Array.from({ length: MAX_PARAMETERS + 1 }, () => 0), new Set())).toBeUndefined();
  });

  it('never names a statement marked as planned per call, however often it runs', () => {
    const bulk = `${PLANNED_PER_CALL} insert into t select * from unnest($1::int[])`;
    expect(statementName(bulk, ['{1,2}'], new Set())).toBeUndefined();
    expect(statementName(bulk, ['{3}'], new Set())).toBeUndefined();
    expect(statementName('insert into t select * from unnest($1::int[])', ['{1,2}'], new Set())).toMatch(/^kb_/);
  });

  it('stops naming new statements at the per-connection cap but keeps using those it has', () => {
    const full = new Set(Array.from({ length: MAX_PER_CONNECTION }, (_, i) => `kb_${i}`));
    expect(statementName('select 3', [], full)).toBeUndefined();
    const known = statementName('select 3', [], new Set())!;
    full.delete('kb_0');
    full.add(known);
    expect(statementName('select 3', [], full)).toBe(known);
  });
});

describe('a pg connection', () => {
  let database: { url: string; drop(): Promise<void> };
  let handle: DatabaseHandle;
  beforeAll(async () => {
    database = await createTestDatabase();
    handle = await connectDatabase({ databaseUrl: database.url, dataDir: 'unused' });
  });
  afterAll(async () => {
    await handle.close();
    await database.drop();
  });

  it('prepares a query once and reuses it, with the right rows for each parameter', async () => {
    await handle.db.connection().execute(async (conn) => {
      const query = (n: number) => conn.selectFrom('companies').select('id').where('name', '=', `company ${n}`).execute();
      expect(await query(1)).toEqual([]);
      expect(await query(2)).toEqual([]);
      const prepared = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(conn);
      expect(prepared.rows.filter((r) => r.statement.includes('from "companies"'))).toHaveLength(1);
    });
  });

  it('leaves a statement with more parameters than the bound unprepared', async () => {
    await handle.db.connection().execute(async (conn) => {
      const ids = Array.from({ length: MAX_PARAMETERS + 5 }, () => crypto.randomUUID());
      expect(await conn.selectFrom('listings').select('id').where('id', 'in', ids).execute()).toEqual([]);
      const prepared = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(conn);
      expect(prepared.rows.some((r) => r.statement.includes('from "listings"'))).toBe(false);
    });
  });

  it('leaves a statement marked as planned per call unprepared after many runs', async () => {
    await handle.db.connection().execute(async (conn) => {
      for (let n = 1; n <= 7; n += 1) {
        const { rows } = await sql<{ n: number }>`${sql.raw(PLANNED_PER_CALL)} select count(*)::int as n from unnest(${`{${Array.from({ length: n }, (_, i) => i).join(',')}}`}::int[])`.execute(conn);
        expect(rows[0]!.n).toBe(n);
      }
      const prepared = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(conn);
      expect(prepared.rows.some((r) => r.statement.includes('planned per call'))).toBe(false);
    });
  });

  it('survives a connection that dies while checked out, and serves the next query on a new one', async () => {
    // pg's pool only listens for errors on idle clients; a checked-out client whose server goes
    // away emits 'error' with no listener, which Node turns into an uncaught exception (a crash).
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', record);
    try {
      // Between two statements of a transaction the client is checked out with no query running.
      const dying = handle.db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
        await adminQuery(`select pg_terminate_backend(${rows[0]!.pid})`);
        await new Promise((resolve) => setTimeout(resolve, 200));
        await sql`select 1`.execute(trx);
      });
      await expect(dying).rejects.toThrow();
      expect(uncaught).toEqual([]);
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(handle.db);
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      process.off('uncaughtException', record);
    }
  });
});
