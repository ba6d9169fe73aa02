// `npm run migrate` (or `node dist/src/db/migrate-cli.js` in the image, compose's one-shot migrate
// service): applies pending migrations to DATABASE_URL (or the embedded database) and exits 1 on
// failure. Kysely's migrator takes a lock, so concurrent runs apply each migration once.
import { loadConfig } from '../config.js';
import { connectDatabase } from './connect.js';
import { migrateToLatest } from './migrate.js';

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
