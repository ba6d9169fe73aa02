// The pairs of needs scored against a capability index view (a re-score batch, or one need in a
// worker): built alike by both, and written by locking the needs' lists, replacing what changed,
// trimming each list to its best and announcing strong new pairs, inside the caller's transaction.
import type { Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { ExplainedFeatures } from '../matching/explanation-facts.js';
import type { ListingFeatures, MatchingResources } from '../matching/features.js';
import type { RankedPair } from '../matching/rank.js';
import { explainShared, type ListingProfile } from '../matching/score.js';
import type { CorpusView } from './capability-corpus.js';
import { lockNeedMatches, replaceNeedsMatches, trimNeeds, type MatchInput, type PairsToWrite } from './match.repository.js';
import { MATCHES_PER_NEED, STRONG_MATCH } from './limits.js';

export async function writeNeedsMatches(trx: Transaction<Database>, pairs: PairsToWrite, view: Pick<CorpusView, 'readAt' | 'versions'>): Promise<void> {
  if (pairs.needIds.length === 0) return;
  await lockNeedMatches(trx, pairs.needIds);
  // Pairs written since the view was read came from jobs that saw newer data: they are kept.
  // Strong new pairs are announced by the same statement.
  await replaceNeedsMatches(trx, pairs, view.readAt, view.versions, STRONG_MATCH);
  await trimNeeds(trx, pairs.needIds, MATCHES_PER_NEED);
}

/** A need's ranked pair as stored: scored, with what matched named. */
export function storedPair(
  need: ListingProfile & { features: ListingFeatures },
  capability: ListingProfile,
  capabilityFeatures: ExplainedFeatures,
  pair: RankedPair,
  resources: MatchingResources,
): MatchInput {
  return {
    needId: need.id,
    capabilityId: capability.id,
    needCompanyId: need.companyId,
    capabilityCompanyId: capability.companyId,
    score: pair.score,
    components: pair.components,
    explanation: explainShared(need.features, capabilityFeatures, pair.shared, resources),
  };
}
