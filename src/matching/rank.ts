// Ranks a need's candidates from an in-memory index: each scored exactly from the index's typed
// arrays, the best kept with the features they share (what their explanation names). Used by the
// scoring worker for single needs and for re-score batches, so both rank alike.
import type { MatchingResources } from './features.js';
import { kthLargest, type ImpactIndex } from './impact-index.js';
import { componentsOfSignals, scoreOfSignals, type ScoreComponents, type ScoredListing } from './score.js';

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
    const crossIndustry = new Float64Array(positions.length);
    const valueChain = new Float64Array(positions.length);
    const kindFit = new Float64Array(positions.length);
    index.signalsInto(need, positions, crossIndustry, valueChain, kindFit);
    // With kind fit switched off every pair fits fully, as scoreFromOverlap has it.
    if (!resources.options.kindFit) kindFit.fill(1);
    const passing: number[] = [];
    for (let i = 0; i < positions.length; i += 1) {
      const score = scoreOfSignals(cosines[i]!, crossIndustry[i]!, valueChain[i]!, kindFit[i]!, sharesUse[i]!);
      if (score < minScore) continue;
      scores[i] = score;
      passing.push(i);
    }
    return bestFirst(passing, scores, keep).map((i) => {
      const position = positions[i]!;
      const components = componentsOfSignals(cosines[i]!, crossIndustry[i]!, valueChain[i]!, kindFit[i]!, sharesUse[i]!);
      return { position, score: scores[i]!, components, shared: reader.sharedFeatures(position) };
    });
  });
}

/**
 * The `keep` candidates of `passing` (ascending places) with the highest scores, best first, ties
 * in candidate order: what a stable sort of all of them, cut to `keep`, gives. Only those kept are
 * sorted: a need passes ~200 candidates to keep 50, and sorting them all was ~2 s of a 50k
 * re-score's scoring (profiled).
 */
function bestFirst(passing: number[], scores: Float64Array, keep: number): number[] {
  let kept = passing;
  if (passing.length > keep) {
    const cut = kthLargest(Float64Array.from(passing, (i) => scores[i]!), passing.length, keep);
    let above = 0;
    for (const i of passing) if (scores[i]! > cut) above += 1;
    // Places left for candidates scoring exactly the cut: the first ones, as a stable sort keeps them.
    let atCut = keep - above;
    kept = [];
    for (const i of passing) {
      if (scores[i]! > cut) kept.push(i);
      else if (scores[i] === cut && atCut > 0) {
        kept.push(i);
        atCut -= 1;
      }
    }
  }
  return kept.sort((a, b) => scores[b]! - scores[a]! || a - b);
}
