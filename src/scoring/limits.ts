// How many candidates scoring reads and how many pairs it keeps: shared by the per-listing and
// batch paths and by the benchmarks.
/** Matches kept per need (the API serves at most 100 per page; the best 50 are what people read). */
export const MATCHES_PER_NEED = 50;
/** Candidates taken from the inverted index for exact scoring. */
export const CANDIDATES = 200;
/** Pairs below this score are noise, not suggestions. */
export const MIN_SCORE = 0.05;
/** A new pair at or above this score is announced to both companies (see the score guide in the README). */
export const STRONG_MATCH = 0.6;
