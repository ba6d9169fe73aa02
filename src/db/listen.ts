// LISTEN on one channel of the database: a dedicated PostgreSQL connection that reconnects by
// itself (with backoff) after the server restarts, or PGlite's in-process notifications. The
// handlers learn when notifications may have been missed (`down`) and when they flow (`up`).
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export interface ListenHandlers {
  message(payload: string): void;
  up(): void;
  down(error?: unknown): void;
}

export interface Listener {
  /** Resolves once every notification committed before the call has reached `message`. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

const MAX_BACKOFF_MS = 30_000;

export function listenPostgres(connectionString: string, channel: string, handlers: ListenHandlers): Listener {
  let client: pg.Client | null = null;
  let closed = false;
  let backoff = 250;
  let timer: NodeJS.Timeout | null = null;

  const lost = (which: pg.Client, error?: unknown) => {
    if (client !== which) return;
    client = null;
    handlers.down(error);
    void which.end().catch(() => {});
    schedule();
  };

  async function connect(): Promise<void> {
    // Named, so an operator can tell it in pg_stat_activity (an idle connection that must stay).
    const next = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000, keepAlive: true, application_name: `koblingsboks-listen-${channel}` });
    next.on('notification', (message) => {
      if (message.channel === channel) handlers.message(message.payload ?? '');
    });
    next.on('error', (error) => lost(next, error));
    next.on('end', () => lost(next));
    try {
      await next.connect();
      await next.query(`listen ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      void next.end().catch(() => {});
      throw error;
    }
    if (closed) {
      await next.end();
      return;
    }
    client = next;
    backoff = 250;
    handlers.up();
  }

  function schedule(): void {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = null;
      connect().catch((error: unknown) => {
        handlers.down(error);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        schedule();
      });
    }, backoff);
    timer.unref();
  }

  void connect().catch((error: unknown) => {
    handlers.down(error);
    schedule();
  });

  return {
    async sync() {
      // The server sends a notification before answering a later query on the same connection.
      await client?.query('select 1').catch(() => {});
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const current = client;
      client = null;
      await current?.end().catch(() => {});
    },
  };
}

export async function listenPglite(pglite: PGlite, channel: string, handlers: ListenHandlers): Promise<Listener> {
  // PGlite runs in this process and calls listeners before the notifying query resolves.
  const unsubscribe = await pglite.listen(channel, (payload) => handlers.message(payload));
  handlers.up();
  return {
    async sync() {},
    async close() {
      if (!pglite.closed) await unsubscribe();
    },
  };
}
