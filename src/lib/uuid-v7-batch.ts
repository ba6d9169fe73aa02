// Many UUIDv7 ids at once, for bulk inserts (a re-score can announce tens of thousands of pairs).
// uuid's v7() draws 16 random bytes per id through WebCrypto, ~5 µs each here, which was 3 % of a
// worker's CPU in a re-score; one draw for the whole batch makes an id ~0.4 µs. The timestamp and
// sequence follow uuid's own v7 state rules, and uuid's v7 lays out each id's bytes, so the ids of
// this process increase in the order they are made, as the library's do.
import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';
import { plainArray } from '../db/plain-array.js';

const clock = { msecs: -Infinity, seq: 0 };

/** `count` ids' 16 bytes each, back to back, in the order made. */
function uuidv7Bytes(count: number): Uint8Array {
  const random = randomFillSync(new Uint8Array(16 * count));
  const ids = new Uint8Array(16 * count);
  for (let i = 0; i < count; i += 1) {
    const bytes = random.subarray(16 * i, 16 * i + 16);
    const now = Date.now();
    if (now > clock.msecs) {
      // A new millisecond starts its counter at a random 31-bit value, leaving 2^31 steps of room.
      clock.msecs = now;
      clock.seq = ((bytes[6]! & 0x7f) << 24) | (bytes[7]! << 16) | (bytes[8]! << 8) | bytes[9]!;
    } else {
      clock.seq = (clock.seq + 1) | 0;
      if (clock.seq === 0) clock.msecs += 1;
    }
    v7({ msecs: clock.msecs, seq: clock.seq, random: bytes }, ids, 16 * i);
  }
  return ids;
}

/** `count` ids as one string of 32 hex digits each, back to back. */
const uuidv7Hex = (count: number): string => Buffer.from(uuidv7Bytes(count).buffer).toString('hex');

export function uuidv7Batch(count: number): string[] {
  const hex = uuidv7Hex(count);
  const ids = new Array<string>(count);
  for (let i = 0, at = 0; i < count; i += 1, at += 32) {
    ids[i] = `${hex.slice(at, at + 8)}-${hex.slice(at + 8, at + 12)}-${hex.slice(at + 12, at + 16)}-${hex.slice(at + 16, at + 20)}-${hex.slice(at + 20, at + 32)}`;
  }
  return ids;
}

/**
 * `count` ids as a PostgreSQL uuid[] literal, `{…,…}`, each id its 32 hex digits without hyphens
 * (which PostgreSQL reads as the same uuid). For ids that only travel to the database: a batch's
 * notification ids become one string, not a string per id (with the buffers uuid's stringify
 * made for each, ~4 % of what a re-scoring worker allocated).
 */
export function uuidv7ArrayLiteral(count: number): string {
  const hex = uuidv7Hex(count);
  const ids = new Array<string>(count);
  for (let i = 0; i < count; i += 1) ids[i] = hex.slice(32 * i, 32 * i + 32);
  return plainArray(ids);
}
