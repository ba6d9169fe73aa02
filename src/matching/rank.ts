// Ranks a need's candidates from an in-memory index: each scored exactly from the index's typed
// arrays, the best kept with the features they share (what their explanation names). Used by the
// scoring worker for single needs and for re-score batches, so both rank alike.
import type { MatchingResources } from './features.js';
import type { ImpactIndex } from './impact-index.js';
import { overlapScore, scoreFromOverlap, type ScoreComponents, type ScoredListing } from './score.js';

export interface RankedPair {
  position: number;
  score: number;
  components: ScoreComponents;
  /** Shared features, largest contribution first. */
  shared: string[];
}

/** The best `keep` pairs of at least `minScore` among the candidates at `positions`, best first (ties in candidate order). */
export function rankCandidates(index: ImpactIndex, need: ScoredListing, positions: readonly number[], keep: number, minScore: number, resources: MatchingResources): RankedPair[] {
  return index.withQuery(need.vector, (reader) => {
    const cosines = new Float64Array(positions.length);
    const sharesUse = new Uint8Array(positions.length);
    reader.overlapsInto(positions, cosines, sharesUse);
    // Scores first, as plain numbers: components and shared features only for the kept pairs.
    const scores = new Float64Array(positions.length);
    const passing: number[] = [];
    for (let i = 0; i < positions.length; i += 1) {
      const score = overlapScore(need, index.profile(positions[i]!), cosines[i]!, sharesUse[i] === 1, resources);
      if (score < minScore) continue;
      scores[i] = score;
      passing.push(i);
    }
    passing.sort((a, b) => scores[b]! - scores[a]!);
    return passing.slice(0, keep).map((i) => {
      const position = positions[i]!;
      const { score, components } = scoreFromOverlap(need, index.profile(position), { cosine: cosines[i]!, sharesUse: sharesUse[i] === 1 }, resources);
      return { position, score, components, shared: reader.sharedFeatures(position) };
    });
  });
}
