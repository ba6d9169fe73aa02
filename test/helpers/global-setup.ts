// Runs once before all test files: (re)creates the migrated template database.
import { connectDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { adminQuery, TEMPLATE_DATABASE, urlFor } from './databases.js';

export default async function setup() {
  await adminQuery(`drop database if exists ${TEMPLATE_DATABASE} with (force)`);
  await adminQuery(`create database ${TEMPLATE_DATABASE}`);
  const database = await connectDatabase({ databaseUrl: urlFor(TEMPLATE_DATABASE), dataDir: 'unused' });
  try {
    await migrateToLatest(database.db);
  } finally {
    await database.close();
  }
}
