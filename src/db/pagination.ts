// Keyset pagination over time-ordered UUIDv7 ids: the cursor is the last id of the page, opaque
// to clients (base64url) so its form can change without breaking them.
import { badRequest } from '../errors.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A numeric position (an offset, or a bigserial id) as an opaque cursor, tagged so cursors of different lists are not mixed up. */
export function encodeNumberCursor(tag: string, value: number): string {
  return Buffer.from(`${tag}:${value}`, 'utf8').toString('base64url');
}

export function decodeNumberCursor(tag: string, cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const match = new RegExp(`^${tag}:(\\d{1,18})$`).exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw badRequest('The cursor is not valid', [{ field: '/cursor', message: 'is not a cursor from this API' }]);
  return Number(match[1]);
}

export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!UUID_RE.test(id)) throw badRequest('The cursor is not valid', [{ field: '/cursor', message: 'is not a cursor from this API' }]);
  return id;
}

/** Fetch limit + 1 rows; this trims the extra row and derives the next cursor from it. */
export function toPage<Row extends { id: string }, Item>(rows: Row[], limit: number, map: (row: Row) => Item) {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return { items: pageRows.map(map), nextCursor: hasMore && last ? encodeCursor(last.id) : null };
}
