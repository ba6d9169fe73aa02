// Server-side prepared statements for the pg pool behind Kysely. Kysely sends every query as an
// unnamed statement, which PostgreSQL parses and plans on each execution: for the match-list
// query (joins, a cluster-membership EXISTS, feedback filter) planning took ~2 ms of ~2.3 ms, and
// at 50 concurrent requests planning alone kept a core busy. Naming a statement makes pg parse it
// once per connection and PostgreSQL reuse its plan.
//
// Only statements with a bounded text and parameter count are named (bulk writes with thousands
// of parameters differ on every call and would only fill the server's memory), none that carries
// PLANNED_PER_CALL, and at most
// MAX_PER_CONNECTION per connection: statements can't be dropped from pg's cache, so the cap keeps
// a long-lived connection from accumulating one per distinct SQL text.
// Not for a transaction-pooling proxy (PgBouncer in transaction mode) in front of PostgreSQL.
import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import { LRUCache } from 'lru-cache';
import type pg from 'pg';

export const MAX_PER_CONNECTION = 500;
export const MAX_PARAMETERS = 100;
export const MAX_SQL_LENGTH = 20_000;
/**
 * Marks a statement that must be planned for the values of each call: a bulk statement whose rows
 * arrive as arrays in a few parameters. Named, PostgreSQL soon plans it once for any array (a
 * generic plan guesses 10 to 100 rows) and keeps that plan: a re-score batch's write joined its
 * 12,500 pairs by nested loops, 46 million comparisons and 19 s where the planned call takes 0.4 s.
 */
export const PLANNED_PER_CALL = '/* planned per call */';

const namesByConnection = new WeakMap<pg.PoolClient, Set<string>>();
/** Names by SQL text ('' for a statement never named): hashing every query's text cost more CPU than the plan it saved. */
const nameBySql = new LRUCache<string, string>({ max: 2_000 });

/** The statement name for `sql`, or undefined when it should stay unnamed on this connection. */
export function statementName(sql: string, parameters: readonly unknown[], prepared: ReadonlySet<string>): string | undefined {
  if (parameters.length > MAX_PARAMETERS || sql.length > MAX_SQL_LENGTH) return undefined;
  let name = nameBySql.get(sql);
  if (name === undefined) nameBySql.set(sql, (name = sql.includes(PLANNED_PER_CALL) ? '' : `kb_${createHash('sha1').update(sql).digest('base64url')}`));
  if (name === '') return undefined;
  if (prepared.has(name) || prepared.size < MAX_PER_CONNECTION) return name;
  return undefined;
}

/** A pool for Kysely's PostgresDialect whose clients run eligible queries as named (prepared) statements. */
export function preparingPool(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      let prepared = namesByConnection.get(client);
      if (!prepared) namesByConnection.set(client, (prepared = new Set()));
      const names = prepared;
      return {
        query: ((sqlOrCursor: unknown, parameters?: unknown[]) => {
          if (typeof sqlOrCursor !== 'string') return client.query(sqlOrCursor as pg.Submittable);
          const values = parameters ?? [];
          const name = statementName(sqlOrCursor, values, names);
          if (name === undefined) return client.query(sqlOrCursor, values);
          names.add(name);
          return client.query({ name, text: sqlOrCursor, values });
        }) as unknown as PostgresPoolClient['query'],
        release: (error?: Error | boolean) => {
          // A connection given back broken is closed by pg, and its statements go with it.
          if (error) namesByConnection.delete(client);
          client.release(error);
        },
      };
    },
    end: () => pool.end(),
  };
}
