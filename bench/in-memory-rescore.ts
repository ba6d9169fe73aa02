// A full re-score's scoring without its database: every listing's features extracted, the
// capability side indexed (ImpactIndex, as the batch processor does), every need ranked against
// it and its kept pairs explained, through the same code as `score-batch` jobs. Set against
// natural's TfIdf brute force, which also only computes, this is the like-for-like ratio of the
// scoring itself; the persisted re-score (section 2) adds writing every pair with its explanation.
import { extractFeatures, type ListingFeatures, type MatchingResources } from '../src/matching/features.js';
import { ImpactIndexBuilder } from '../src/matching/impact-index.js';
import { rankCandidates } from '../src/matching/rank.js';
import { explainShared, type ScoredListing } from '../src/matching/score.js';
import { candidateMinImpact, queryFeatures, weightVector, type CorpusStats } from '../src/matching/vectors.js';
import { CANDIDATES, MATCHES_PER_NEED, MIN_SCORE } from '../src/scoring/scoring-processor.js';
import type { SyntheticListing } from './synthetic.js';

export interface InMemoryRescore {
  listings: number;
  seconds: number;
  perSecond: number;
  pairsKept: number;
}

export function inMemoryRescore(capabilities: SyntheticListing[], needs: SyntheticListing[], resources: MatchingResources): InMemoryRescore {
  const start = performance.now();
  const capabilityFeatures = capabilities.map((c) => extractFeatures(c, 'capability', resources));
  const needFeatures = needs.map((n) => extractFeatures(n, 'need', resources));
  const df = new Map<string, number>();
  for (const f of [...capabilityFeatures, ...needFeatures]) for (const term of f.tf.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const stats: CorpusStats = { documents: capabilities.length + needs.length, df: (t) => df.get(t) ?? 0 };

  const builder = new ImpactIndexBuilder();
  capabilities.forEach((c, i) => {
    const vector = weightVector(capabilityFeatures[i]!.tf, stats);
    builder.add({ id: c.id, companyId: c.companyId, kind: c.kind, company: c, terms: [...vector.keys()], weights: [...vector.values()].map(Math.fround) });
  });
  const index = builder.build();
  const byId = new Map(capabilities.map((c, i) => [c.id, capabilityFeatures[i]!] as [string, ListingFeatures]));

  let pairsKept = 0;
  needs.forEach((n, i) => {
    const need: ScoredListing = { id: n.id, companyId: `need-${n.companyId}`, kind: n.kind, company: n, vector: weightVector(needFeatures[i]!.tf, stats) };
    const candidates = index.candidates(queryFeatures(need.vector, stats), need.companyId, CANDIDATES, candidateMinImpact(stats.documents));
    const kept = rankCandidates(index, need, candidates.map((c) => c.position), MATCHES_PER_NEED, MIN_SCORE, resources);
    for (const { position, shared } of kept) explainShared(needFeatures[i]!, byId.get(index.profile(position).id)!, shared, resources);
    pairsKept += kept.length;
  });
  const seconds = (performance.now() - start) / 1000;
  const listings = capabilities.length + needs.length;
  return { listings, seconds, perSecond: listings / seconds, pairsKept };
}
