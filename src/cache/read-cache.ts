// The API's in-memory cache of answers that are read far more often than they change: rendered
// match and partner lists, token principals, cluster memberships. Entries carry tags (the ids
// they depend on); a change feed (change-feed.ts) drops entries by tag, or everything, as the
// database announces commits. While the feed is down the cache is off: nothing is served from it
// and nothing is stored.
//
// A read that started before an invalidation must not store what it read: every entry is stored
// with the clock value its read began at, and refused when one of its tags (or everything) was
// invalidated since.
import { LRUCache } from 'lru-cache';

interface Entry {
  value: unknown;
  tags: readonly string[];
}

/** Invalidation times are kept for this many tags; beyond it they are forgotten at once and in-flight reads are refused. */
const MAX_TRACKED_TAGS = 100_000;

export class ReadCache {
  private readonly entries: LRUCache<string, Entry>;
  private readonly keysByTag = new Map<string, Set<string>>();
  private readonly invalidatedAt = new Map<string, number>();
  private clock = 0;
  private flushedAt = 0;
  private on = false;
  hits = 0;
  misses = 0;

  constructor(maxBytes: number) {
    this.entries = new LRUCache<string, Entry>({
      maxSize: Math.max(1, maxBytes),
      dispose: (entry, key) => {
        for (const tag of entry.tags) {
          const keys = this.keysByTag.get(tag);
          keys?.delete(key);
          if (keys?.size === 0) this.keysByTag.delete(tag);
        }
      },
    });
  }

  get enabled(): boolean {
    return this.on;
  }

  /** Turns the cache on (the feed is listening) or off (it is not); either way it starts empty. */
  setEnabled(on: boolean): void {
    this.on = on;
    this.clear();
  }

  /** The clock value a read begins at; pass it to `set`. */
  stamp(): number {
    return this.clock;
  }

  get<T>(key: string): T | undefined {
    if (!this.on) return undefined;
    const entry = this.entries.get(key);
    if (entry) this.hits += 1;
    else this.misses += 1;
    return entry?.value as T | undefined;
  }

  /** Stores what a read that began at `stamp` found, unless something it depends on changed since. */
  set(key: string, value: unknown, options: { size: number; tags: readonly string[]; stamp: number }): boolean {
    if (!this.on || this.flushedAt > options.stamp) return false;
    for (const tag of options.tags) if ((this.invalidatedAt.get(tag) ?? 0) > options.stamp) return false;
    this.entries.set(key, { value, tags: options.tags }, { size: options.size + key.length + 64 });
    for (const tag of options.tags) {
      let keys = this.keysByTag.get(tag);
      if (!keys) this.keysByTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
    return true;
  }

  /** Drops every entry tagged with one of `tags`. */
  invalidate(tags: Iterable<string>): void {
    this.clock += 1;
    if (this.invalidatedAt.size > MAX_TRACKED_TAGS) {
      this.invalidatedAt.clear();
      this.flushedAt = this.clock;
    }
    for (const tag of tags) {
      this.invalidatedAt.set(tag, this.clock);
      for (const key of [...(this.keysByTag.get(tag) ?? [])]) this.entries.delete(key);
    }
  }

  /** Drops everything. */
  clear(): void {
    this.clock += 1;
    this.flushedAt = this.clock;
    this.invalidatedAt.clear();
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
