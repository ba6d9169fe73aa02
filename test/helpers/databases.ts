// Test databases: migrations run once into a template database, and each test file clones its own
// copy (CREATE DATABASE … TEMPLATE), so files run in parallel and in any order.
import pg from 'pg';

export const TEST_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// Separate work trees on one machine set their own template name so their suites don't collide.
export const TEMPLATE_DATABASE = process.env.KB_TEST_TEMPLATE ?? 'koblingsboks_template';

export function urlFor(database: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Clones the migrated template into a fresh database; returns its URL and a drop function. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `kb_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  // CREATE DATABASE … TEMPLATE fails while another session is connected to the template; retry briefly.
  for (let attempt = 0; ; attempt += 1) {
    try {
      await adminQuery(`create database ${name} template ${TEMPLATE_DATABASE}`);
      break;
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
    }
  }
  return { url: urlFor(name), drop: () => adminQuery(`drop database if exists ${name} with (force)`) };
}
