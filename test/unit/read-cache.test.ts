// The read cache serves only what no change has touched since it was read.
import { describe, expect, it } from 'vitest';
import { ReadCache } from '../../src/cache/read-cache.js';

function enabledCache(bytes = 1_000_000) {
  const cache = new ReadCache(bytes);
  cache.setEnabled(true);
  return cache;
}

describe('ReadCache', () => {
  it('serves what was stored until one of its tags is invalidated', () => {
    const cache = enabledCache();
    cache.set('need:a', 'list of a', { size: 10, tags: ['a'], stamp: cache.stamp() });
    cache.set('need:b', 'list of b', { size: 10, tags: ['b'], stamp: cache.stamp() });
    cache.invalidate(['a', 'unrelated']);
    expect(cache.get('need:a')).toBeUndefined();
    expect(cache.get('need:b')).toBe('list of b');
  });

  it('refuses to store a read that began before an invalidation of its tags', () => {
    const cache = enabledCache();
    const stamp = cache.stamp();
    cache.invalidate(['a']); // a change committed while the read was under way
    expect(cache.set('need:a', 'stale', { size: 10, tags: ['a'], stamp })).toBe(false);
    expect(cache.set('need:b', 'fresh', { size: 10, tags: ['b'], stamp })).toBe(true);
    const later = cache.stamp();
    expect(cache.set('need:a', 'fresh', { size: 10, tags: ['a'], stamp: later })).toBe(true);
  });

  it('refuses reads that began before everything was dropped', () => {
    const cache = enabledCache();
    const stamp = cache.stamp();
    cache.clear();
    expect(cache.set('token:x', 'principal', { size: 10, tags: [], stamp })).toBe(false);
  });

  it('serves and stores nothing while off, and starts empty when turned on again', () => {
    const cache = enabledCache();
    cache.set('need:a', 'list', { size: 10, tags: ['a'], stamp: cache.stamp() });
    cache.setEnabled(false);
    expect(cache.get('need:a')).toBeUndefined();
    expect(cache.set('need:a', 'list', { size: 10, tags: ['a'], stamp: cache.stamp() })).toBe(false);
    cache.setEnabled(true);
    expect(cache.get('need:a')).toBeUndefined();
  });

  it('evicts the least recently used entries beyond its memory budget, and forgets their tags', () => {
    const cache = enabledCache(2_000);
    for (let i = 0; i < 20; i += 1) cache.set(`k${i}`, i, { size: 200, tags: [`t${i}`], stamp: cache.stamp() });
    expect(cache.size).toBeLessThan(20);
    expect(cache.get('k19')).toBe(19);
    expect(cache.get('k0')).toBeUndefined();
    cache.invalidate(['t19']);
    expect(cache.get('k19')).toBeUndefined();
  });
});
