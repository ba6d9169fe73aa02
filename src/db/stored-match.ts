// A match's components and explanation as the matches table stores them: JSON arrays in a fixed
// order, not objects. A full re-score writes every pair (1.25M rows at 50k listings), and the key
// names were a third of each row (components 75 → 16 bytes, explanation 103 → 61 on the bench's
// corpus): bytes that workers built and sent, PostgreSQL parsed twice (the json parameter, then its
// elements), stored, logged to the WAL and copied into the triggers' transition tables.
// Readers turn them back into the API's objects here, and nowhere else.
import type { MatchComponents, MatchExplanation } from './database.js';

export type StoredComponents = [text: number, crossIndustry: number, valueChain: number, kindFit: number, circular: number];
export type StoredExplanation = [sharedTerms: string[], concepts: string[], circular: string[]];

/** Where SQL finds a component (`components->>1`): its place in StoredComponents. */
export const COMPONENT_POSITION = { text: 0, crossIndustry: 1, valueChain: 2, kindFit: 3, circular: 4 } as const;

export function storedComponents(c: MatchComponents): StoredComponents {
  return [c.text, c.crossIndustry, c.valueChain, c.kindFit, c.circular];
}

export function storedExplanation(e: MatchExplanation): StoredExplanation {
  return [e.sharedTerms, e.concepts, e.circular];
}

export function componentsOf(stored: StoredComponents): MatchComponents {
  return { text: stored[0], crossIndustry: stored[1], valueChain: stored[2], kindFit: stored[3], circular: stored[4] };
}

export function explanationOf(stored: StoredExplanation): MatchExplanation {
  return { sharedTerms: stored[0], concepts: stored[1], circular: stored[2] };
}
