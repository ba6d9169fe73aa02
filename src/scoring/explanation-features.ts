// What an explanation reads of the capability in a pair: its concepts and uses, not its term
// frequencies or surface words (the need's surface words name the shared terms, so needs are
// analysed whole). Stored as explanation facts beside each capability's vector when it is indexed
// (migration 0015), so explaining a need's 50 pairs, or a batch's thousands, reads rows instead
// of analysing text again; capabilities indexed before that are analysed meanwhile.
import type { Executor } from '../db/executor.js';
import { explanationFacts, featuresFromFacts, type ExplanationFacts } from '../matching/explanation-facts.js';
import { extractFeatures, type ListingFeatures, type MatchingResources } from '../matching/features.js';
import { explanationFactsOf } from './index.repository.js';
import { loadListings, type LoadedListing } from './scored-listings.js';

/** The facts to store for a listing being indexed: capabilities have them, needs are analysed whole when explained. */
export const factsToStore = (listing: Pick<LoadedListing, 'side'>, features: ListingFeatures): ExplanationFacts | null =>
  listing.side === 'capability' ? explanationFacts(features) : null;

/** Explanation features of capabilities (missing: deleted since they were scored). */
export async function capabilityExplanationFeatures(db: Executor, ids: readonly string[], resources: MatchingResources): Promise<Map<string, ListingFeatures>> {
  const found = new Map<string, ListingFeatures>();
  for (const [id, facts] of await explanationFactsOf(db, ids)) found.set(id, featuresFromFacts(facts));
  const unexplained = ids.filter((id) => !found.has(id));
  for (const listing of await loadListings(db, unexplained)) found.set(listing.id, featuresFromFacts(explanationFacts(extractFeatures(listing, listing.side, resources))));
  return found;
}
