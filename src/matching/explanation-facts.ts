// What an explanation needs of a capability — its concepts and circular uses, with the words that
// evoked them — as plain JSON, computed once when the capability is indexed and stored beside its
// vector. Explaining a pair then reads them instead of analysing the capability's text again
// (which, cached per process, held about 2.9 KB of heap per capability).
import type { ConceptHit, ConceptVia, ListingFeatures } from './features.js';
import type { Lang } from './types.js';

/** [feature key, concept id, via, evidence, from?] */
type Hit = [string, string, ConceptVia, string, string?];

export interface ExplanationFacts {
  lang: Lang;
  concepts: Hit[];
  uses: Hit[];
}

/** The lookups an explanation makes in a capability's concepts or uses (a Map is one). */
export interface HitLookup {
  get(feature: string): ConceptHit | undefined;
}

/** What explaining a pair reads of the capability: ListingFeatures, or packed facts (packed-facts.ts). */
export interface ExplainedFeatures {
  lang: Lang;
  concepts: HitLookup;
  uses: HitLookup;
}

const NONE = new Map<never, never>();

export function explanationFacts(features: ListingFeatures): ExplanationFacts {
  const hits = (map: Map<string, ConceptHit>): Hit[] =>
    [...map].map(([key, hit]) => (hit.from ? [key, hit.id, hit.via, hit.evidence, hit.from] : [key, hit.id, hit.via, hit.evidence]));
  return { lang: features.lang, concepts: hits(features.concepts), uses: hits(features.uses) };
}

/** The features an explanation reads, rebuilt from stored facts (no term frequencies or surface words). */
export function featuresFromFacts(facts: ExplanationFacts): ListingFeatures {
  const map = (hits: Hit[]) =>
    new Map<string, ConceptHit>(hits.map(([key, id, via, evidence, from]) => [key, from ? { id, via, evidence, from } : { id, via, evidence }]));
  return { lang: facts.lang, concepts: map(facts.concepts), uses: map(facts.uses), tf: NONE, surface: NONE };
}
