// What an explanation reads of the capability in a pair: its concepts and uses, not its term
// frequencies or surface words (the need's surface words name the shared terms, so needs are
// analysed whole). Cached per listing version: a capability is the partner of many
// needs, and analysing its text again for each pair cost ~4 ms per need on the single-listing path
// and was the largest part of a re-score batch at 25k capabilities.
import { LRUCache } from 'lru-cache';
import type { Executor } from '../db/executor.js';
import { extractFeatures, type ListingFeatures, type MatchingResources } from '../matching/features.js';
import { loadListings, type LoadedListing } from './scored-listings.js';

const NONE = new Map<never, never>();

export class ExplanationFeatureCache {
  private readonly cache: LRUCache<string, ListingFeatures>;

  constructor(
    private readonly resources: MatchingResources,
    max: number,
  ) {
    this.cache = new LRUCache({ max });
  }

  /** The cached features of a listing version, if analysed before. */
  get(id: string, version: number): ListingFeatures | undefined {
    return this.cache.get(`${id}@${version}`);
  }

  /**
   * Explanation features of capabilities at the versions an index scored them: cached, or loaded
   * and analysed. A capability deleted since is missing from the answer.
   */
  async ofCapabilities(db: Executor, ids: readonly string[], versions: ReadonlyMap<string, number>): Promise<Map<string, ListingFeatures>> {
    const found = new Map<string, ListingFeatures>();
    const missing: string[] = [];
    for (const id of ids) {
      const cached = this.get(id, versions.get(id) ?? 0);
      if (cached) found.set(id, cached);
      else missing.push(id);
    }
    // Keyed by the version that was scored, which a later edit does not change.
    for (const listing of await loadListings(db, missing)) found.set(listing.id, this.of(listing, versions.get(listing.id) ?? 0));
    return found;
  }

  /** The listing's explanation features, analysed once per version (by default its updatedAt). */
  of(listing: LoadedListing, version = listing.updatedAt.getTime()): ListingFeatures {
    const key = `${listing.id}@${version}`;
    let features = this.cache.get(key);
    if (!features) this.cache.set(key, (features = slim(extractFeatures(listing, listing.side, this.resources))));
    return features;
  }
}

function slim(features: ListingFeatures): ListingFeatures {
  return { lang: features.lang, concepts: features.concepts, uses: features.uses, tf: NONE, surface: NONE };
}
