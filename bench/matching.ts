// Pure matching cost: one new need scored against N capabilities through an in-memory inverted
// index built exactly like listing_terms (same features, stored vectors, candidate limits,
// scoring and explanation of the kept pairs) — the scoring processor's work without its I/O.
// `npm run bench:matching -- [--sizes=1000,10000] [--without=glossary,compounds,…]`
import { parseArgs } from 'node:util';
import { DEFAULT_OPTIONS, extractFeatures, type MatchingOptions } from '../src/matching/features.js';
import { matchingResources } from '../src/matching/resources.js';
import { explainPair, scorePair, type ScoredListing } from '../src/matching/score.js';
import { cosine, queryFeatures, weightVector, type CorpusStats } from '../src/matching/vectors.js';
import { CANDIDATES, MATCHES_PER_NEED, MIN_SCORE } from '../src/scoring/scoring-processor.js';
import { syntheticListings, type SyntheticListing } from './synthetic.js';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,10000' }, without: { type: 'string', default: '' }, queries: { type: 'string', default: '100' } } });
const without = values.without ? values.without.split(',') : [];
const options = Object.fromEntries(Object.keys(DEFAULT_OPTIONS).map((k) => [k, !without.includes(k)])) as unknown as MatchingOptions;
const resources = matchingResources(options);

function percentile(xs: number[], p: number) {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

for (const size of values.sizes.split(',').map(Number)) {
  const capabilities = syntheticListings(size, 1);
  const needs = syntheticListings(Number(values.queries), 2).map((n) => ({ ...n, companyId: `need-${n.id}` }));
  const buildStart = performance.now();
  const features = capabilities.map((c) => extractFeatures(c, 'capability', resources));
  const df = new Map<string, number>();
  for (const f of features) for (const term of f.tf.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const stats: CorpusStats = { documents: size, df: (t) => df.get(t) ?? 0 };
  const postings = new Map<string, [number, number][]>();
  const vectors = features.map((f, i) => {
    const vector = weightVector(f.tf, stats);
    for (const [term, weight] of vector) {
      let list = postings.get(term);
      if (!list) postings.set(term, (list = []));
      list.push([i, weight]);
    }
    return vector;
  });
  const buildMs = performance.now() - buildStart;

  const asScored = (listing: SyntheticListing, vector: ScoredListing['vector']): ScoredListing => ({
    id: listing.id,
    companyId: listing.companyId,
    kind: listing.kind,
    vector,
    company: listing,
  });
  const timings: number[] = [];
  let recallHits = 0;
  let recallTotal = 0;
  for (const need of needs) {
    const start = performance.now();
    const needFeatures = extractFeatures(need, 'need', resources);
    const self = asScored(need, weightVector(needFeatures.tf, stats));
    const dots = new Map<number, number>();
    for (const [term, weight] of queryFeatures(self.vector, stats)) {
      for (const [i, w] of postings.get(term) ?? []) dots.set(i, (dots.get(i) ?? 0) + w * weight);
    }
    const kept = [...dots]
      .sort((a, b) => b[1] - a[1])
      .slice(0, CANDIDATES)
      .map(([i]) => ({ i, ...scorePair(self, asScored(capabilities[i]!, vectors[i]!), resources) }))
      .filter((pair) => pair.score >= MIN_SCORE)
      .sort((a, b) => b.score - a.score)
      .slice(0, MATCHES_PER_NEED);
    for (const { i } of kept) {
      const capability = { ...asScored(capabilities[i]!, vectors[i]!), features: extractFeatures(capabilities[i]!, 'capability', resources) };
      explainPair({ ...self, features: needFeatures }, capability, resources);
    }
    timings.push(performance.now() - start);

    // Recall of candidate generation: exact top-10 by cosine over every capability vs ours.
    const exact = vectors
      .map((vector, i) => [i, cosine(self.vector, vector)] as const)
      .filter(([, c]) => c > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([i]) => i);
    const candidateSet = new Set(
      [...dots]
        .sort((a, b) => b[1] - a[1])
        .slice(0, CANDIDATES)
        .map(([i]) => i),
    );
    recallTotal += exact.length;
    recallHits += exact.filter((i) => candidateSet.has(i)).length;
  }
  console.log(
    `capabilities=${size} mechanisms-off=[${without.join(',')}] index-build=${buildMs.toFixed(0)}ms ` +
      `per-need p50=${percentile(timings, 50).toFixed(2)}ms p95=${percentile(timings, 95).toFixed(2)}ms ` +
      `top-10 recall vs exact cosine=${(recallHits / Math.max(1, recallTotal)).toFixed(3)}`,
  );
}
