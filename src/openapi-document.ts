// Generates the OpenAPI document from the fully built app. No database is touched: the pool is
// created but never connects, because generating the document runs no query.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { buildApp } from './app.js';
import type { Database } from './db/database.js';
import type { ScoringDispatcher } from './scoring/scoring-dispatcher.js';

const idleScoring: ScoringDispatcher = {
  mode: 'in-process',
  notify: () => {},
  failedCount: async () => 0,
  failures: async () => [],
  retryFailed: async () => 0,
  close: async () => {},
};

export async function generateOpenApi(): Promise<string> {
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ max: 1 }) }) });
  const database = { db, embedded: false, ping: async () => {}, listen: async () => ({ sync: async () => {}, close: async () => {} }), close: () => db.destroy() };
  const app = await buildApp({ database, adminToken: 'x'.repeat(32), scoring: idleScoring, redis: null });
  await app.ready();
  const document = `${JSON.stringify(app.swagger(), null, 2)}\n`;
  await app.close();
  await database.close();
  return document;
}
