// Compute-only figures, each in a process of its own: natural's TfIdf brute force for one new need
// against N capabilities (`need`) or for a full re-score of N listings (`brute`), or our re-score
// without the database (`ours`). Prints its figures as one JSON line.
// Why a process of its own: by the time the benchmark reaches these figures its own heap holds
// hundreds of megabytes (seeded corpora, timings, clients), and natural's brute force, which
// allocates for every document of every query, ran far slower there than in a fresh process
// (query p50 277 ms against 166–178 ms over 25,000 capabilities, same machine, same hour). That
// flattered the ratio. Both sides now run fresh, with Node's default flags.
import TfIdf from 'natural/lib/natural/tfidf/tfidf.js';
import { matchingResources } from '../src/matching/resources.js';
import { contentTokens } from '../src/matching/text.js';
import { inMemoryRescore } from './in-memory-rescore.js';
import { syntheticListings } from './synthetic.js';

export interface BruteForceRescore {
  perSecond: number;
  queryP50: number;
  sampled: number;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

/**
 * natural's TfIdf over `capabilities` synthetic capabilities, then `sample` needs queried one by
 * one, each ranked to its best 50: the build's ms (with the first query, which builds natural's
 * idf cache) and the median query's ms.
 */
function timedQueries(capabilities: number, capabilitySeed: number, sample: number, needSeed: number): { buildMs: number; queryP50: number } {
  const buildStart = performance.now();
  const tfidf = new TfIdf();
  // Fed our tokens: natural's own tokenizer cuts Norwegian words at æ/ø/å.
  for (const c of syntheticListings(capabilities, capabilitySeed)) tfidf.addDocument(contentTokens(`${c.title} ${c.description}`));
  const queries = syntheticListings(sample, needSeed).map((n) => contentTokens(`${n.title} ${n.description}`));
  tfidf.tfidfs(queries[0]!);
  const buildMs = performance.now() - buildStart;
  const timings = queries.map((q) => {
    const start = performance.now();
    tfidf.tfidfs(q).map((score, i) => [score, i] as const).sort((a, b) => b[0] - a[0]).slice(0, 50);
    return performance.now() - start;
  });
  return { buildMs, queryP50: pct(timings, 50) };
}

/**
 * A full re-score done by brute force with natural's TfIdf: every need scored against every
 * capability (pairs are symmetric, so scoring the needs covers every pair, as our batches do).
 * Timing all needs at 50k listings would take tens of minutes, so the total is estimated from
 * the index build plus the median of `sample` timed queries times the number of needs.
 */
function bruteForceRescore(listings: number, sample: number): BruteForceRescore {
  const capabilities = Math.floor(listings / 2);
  const needs = listings - capabilities;
  const { buildMs, queryP50 } = timedQueries(capabilities, 11, sample, 12);
  return { perSecond: listings / ((buildMs + needs * queryP50) / 1000), queryP50, sampled: sample };
}

const [mode, size, sample] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4] ?? 20)];
if (mode === 'need') {
  // One new need against `size` capabilities (section 1's comparison).
  console.log(JSON.stringify({ queryP50: timedQueries(size, 1, sample, 1_000).queryP50 }));
} else if (mode === 'brute') {
  console.log(JSON.stringify(bruteForceRescore(size, sample)));
} else if (mode === 'ours') {
  const half = Math.floor(size / 2);
  console.log(JSON.stringify(inMemoryRescore(syntheticListings(half, 11), syntheticListings(size - half, 12), matchingResources())));
} else {
  throw new Error(`usage: compute-only.js need|brute|ours <listings> [queries sampled]`);
}
