// What an explanation reads of the capability in a pair: its concepts and uses, not its term
// frequencies or surface words (the need's surface words name the shared terms, so needs are
// analysed whole). Stored as explanation facts beside each capability's vector when it is indexed
// (migration 0015); a worker's capability corpus holds them packed beside the vectors, so
// explaining a need's 50 pairs, or a batch's thousands, reads neither rows nor text. Capabilities
// indexed before facts were stored are read and analysed here meanwhile.
import type { Executor } from '../db/executor.js';
import { explanationFacts, featuresFromFacts, type ExplainedFeatures, type ExplanationFacts } from '../matching/explanation-facts.js';
import { extractFeatures, type ListingFeatures, type MatchingResources } from '../matching/features.js';
import { explanationFactsOf } from './index.repository.js';
import { loadListings, type LoadedListing } from './scored-listings.js';
import type { CorpusView } from './capability-corpus.js';

/** The facts to store for a listing being indexed: capabilities have them, needs are analysed whole when explained. */
export const factsToStore = (listing: Pick<LoadedListing, 'side'>, features: ListingFeatures): ExplanationFacts | null =>
  listing.side === 'capability' ? explanationFacts(features) : null;

/**
 * Explanation features of capabilities scored against a corpus view: from the view's packed facts,
 * and from the database for the few it holds without them (missing: deleted since they were scored).
 */
export async function explanationFeaturesIn(
  view: Pick<CorpusView, 'explanation'>,
  db: Executor,
  ids: readonly string[],
  resources: MatchingResources,
): Promise<Map<string, ExplainedFeatures>> {
  const found = new Map<string, ExplainedFeatures>();
  const unpacked: string[] = [];
  for (const id of ids) {
    const features = view.explanation(id);
    if (features) found.set(id, features);
    else unpacked.push(id);
  }
  if (unpacked.length > 0) for (const [id, features] of await capabilityExplanationFeatures(db, unpacked, resources)) found.set(id, features);
  return found;
}

/** Explanation features of capabilities read from the database (missing: deleted since they were scored). */
async function capabilityExplanationFeatures(db: Executor, ids: readonly string[], resources: MatchingResources): Promise<Map<string, ListingFeatures>> {
  const found = new Map<string, ListingFeatures>();
  for (const [id, facts] of await explanationFactsOf(db, ids)) found.set(id, featuresFromFacts(facts));
  const unexplained = ids.filter((id) => !found.has(id));
  for (const listing of await loadListings(db, unexplained)) found.set(listing.id, featuresFromFacts(explanationFacts(extractFeatures(listing, listing.side, resources))));
  return found;
}
