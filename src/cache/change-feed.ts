// Keeps the read cache true to the database: listens for the change notifications that migration
// 0014's triggers send and drops what they name. Until the feed listens, and whenever it has lost
// its connection (notifications may have been missed), the cache is off.
import type { FastifyBaseLogger } from 'fastify';
import type { DatabaseHandle } from '../db/connect.js';
import type { ReadCache } from './read-cache.js';

/** The channel migration 0014's triggers notify on. */
export const CHANGE_CHANNEL = 'koblingsboks_changes';

export interface ChangeFeed {
  /** Resolves once every change committed before the call has reached the cache. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export async function startChangeFeed(database: DatabaseHandle, cache: ReadCache, log: FastifyBaseLogger): Promise<ChangeFeed> {
  const listener = await database.listen(CHANGE_CHANNEL, {
    message: (payload) => (payload === '*' ? cache.clear() : cache.invalidate(payload.split(','))),
    up: () => {
      cache.setEnabled(true);
      log.info('read cache on: listening for database changes');
    },
    down: (error) => {
      if (cache.enabled) log.warn({ err: error }, 'read cache off until change notifications flow again');
      cache.setEnabled(false);
    },
  });
  return { sync: () => listener.sync(), close: () => listener.close() };
}
