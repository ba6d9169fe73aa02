// `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database) and
// exits 1 on failure.
import { loadConfig } from '../src/config.js';
import { connectDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';

const config = loadConfig();
const database = await connectDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
try {
  const applied = await migrateToLatest(database.db);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Already up to date');
} catch (error) {
  console.error('Migration failed:', error);
  process.exitCode = 1;
} finally {
  await database.close();
}
