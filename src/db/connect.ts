// Opens the database: PostgreSQL through pg when DATABASE_URL is set, otherwise the embedded
// PGlite (the same PostgreSQL engine compiled to WASM) stored under DATA_DIR.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import { listenPglite, listenPostgres, type ListenHandlers, type Listener } from './listen.js';
import { preparingPool } from './prepared-statements.js';

export interface DatabaseHandle {
  db: Kysely<Database>;
  embedded: boolean;
  /** Round-trips a trivial query; rejects when the database cannot be reached. */
  ping(): Promise<void>;
  /** Subscribes to a notification channel (LISTEN) on a connection of its own. */
  listen(channel: string, handlers: ListenHandlers): Promise<Listener>;
  close(): Promise<void>;
}

// PostgreSQL returns bigint (int8) as strings by default; counts in this service fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface ConnectOptions {
  databaseUrl?: string | undefined;
  /** Folder for PGlite's files; `memory://` keeps the embedded database in memory (tests, eval). */
  dataDir: string;
  poolSize?: number;
}

export async function connectDatabase(options: ConnectOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5_000,
      // Keeps a dead server from hanging requests forever; the error handler maps it to 503.
      query_timeout: 30_000,
      // Short OLTP queries: JIT compilation costs more than it saves (measured: +100 ms on the
      // match-trimming delete when the planner's row estimates are stale). The hot data (index,
      // matches) lives in memory or on SSD, where a random read costs little more than a
      // sequential one: with the default random_page_cost of 4 the planner read all 100k listings
      // to check 4,000 partner pairs' visibility (60 ms) instead of looking them up (19 ms).
      options: '-c jit=off -c random_page_cost=1.1',
    });
    // A client losing its connection (server restart, terminated backend) must not crash the
    // process. pg's pool listens for that only while a client is idle; a checked-out client (a
    // transaction between statements) would emit 'error' with no listener, which Node throws as
    // an uncaught exception. So every connection gets a listener for its whole life. The query
    // that was running, or the next one, fails and the request maps that to a 503; the pool
    // drops the broken client on release.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
    const url = options.databaseUrl;
    return {
      db,
      embedded: false,
      ping: async () => {
        await pool.query('select 1');
      },
      listen: async (channel, handlers) => listenPostgres(url, channel, handlers),
      close: () => db.destroy(),
    };
  }
  return connectEmbedded(options.dataDir);
}

async function connectEmbedded(dataDir: string): Promise<DatabaseHandle> {
  // Loaded lazily so deployments on PostgreSQL never pay for the WASM engine.
  const [{ PGlite }, { PGliteDialect }] = await Promise.all([import('@electric-sql/pglite'), import('kysely-pglite-dialect')]);
  const location = dataDir === 'memory://' ? undefined : path.resolve(dataDir, 'pglite');
  if (location) mkdirSync(location, { recursive: true });
  // int8 as a JS number, as the pg type parser above does for PostgreSQL. A json parameter given
  // as UTF-8 bytes (json-array-bytes.ts) is its text, as pg sends it to PostgreSQL; PGlite's own
  // json serializer would write the Buffer object as JSON.
  // Options go in the one argument: PGlite reads a second one only beside a data folder's path,
  // so an in-memory database dropped them.
  const pglite = new PGlite({
    dataDir: location,
    parsers: { 20: (value: string) => Number(value) },
    serializers: { 114: (value: unknown) => (value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8') : typeof value === 'string' ? value : JSON.stringify(value)) },
  });
  await pglite.waitReady;
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    embedded: true,
    ping: async () => {
      await pglite.query('select 1');
    },
    listen: (channel, handlers) => listenPglite(pglite, channel, handlers),
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}
