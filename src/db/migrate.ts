// Brings the schema up to date. Kysely's PostgreSQL adapter takes an advisory lock around the
// run, so two processes starting at once apply each migration exactly once.
import { Migrator, type Kysely, type MigrationProvider } from 'kysely';
import { migrations } from '../../db/migrations/index.js';
import type { Database } from './database.js';

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
