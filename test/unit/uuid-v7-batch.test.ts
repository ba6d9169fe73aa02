import { validate, version } from 'uuid';
import { describe, expect, it } from 'vitest';
import { uuidv7ArrayLiteral, uuidv7Batch } from '../../src/lib/uuid-v7-batch.js';

describe('uuidv7Batch', () => {
  it('makes valid, distinct version-7 ids that increase in the order made, within and across batches', () => {
    const ids = [...uuidv7Batch(20_000), ...uuidv7Batch(5), ...uuidv7Batch(1)];
    expect(ids).toHaveLength(20_006);
    for (const id of ids.slice(0, 50)) {
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(7);
    }
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < ids.length; i += 1) expect(ids[i]! > ids[i - 1]!).toBe(true);
  });

  it('carries the current time in its first 48 bits', () => {
    const before = Date.now();
    const [id] = uuidv7Batch(1);
    const msecs = Number.parseInt(id!.replace(/-/g, '').slice(0, 12), 16);
    expect(msecs).toBeGreaterThanOrEqual(before);
    expect(msecs).toBeLessThanOrEqual(Date.now() + 1);
  });

  it('makes none for an empty batch', () => expect(uuidv7Batch(0)).toEqual([]));
});

describe('uuidv7ArrayLiteral', () => {
  it('lists ids as 32 hex digits, version 7, increasing with those made before and after', () => {
    const before = uuidv7Batch(1)[0]!.replace(/-/g, '');
    const literal = uuidv7ArrayLiteral(1_000);
    const after = uuidv7Batch(1)[0]!.replace(/-/g, '');
    expect(literal).toMatch(/^\{[0-9a-f]{32}(,[0-9a-f]{32}){999}\}$/);
    const ids = literal.slice(1, -1).split(',');
    for (const id of ids.slice(0, 50)) expect(validate(`${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`)).toBe(true);
    expect(ids.every((id) => id[12] === '7')).toBe(true);
    const all = [before, ...ids, after];
    for (let i = 1; i < all.length; i += 1) expect(all[i]! > all[i - 1]!).toBe(true);
  });

  it('is an empty array for none', () => expect(uuidv7ArrayLiteral(0)).toBe('{}'));
});
