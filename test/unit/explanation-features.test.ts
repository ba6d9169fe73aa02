// The slim, cached features of a capability explain a pair exactly as its full features do, and
// a new version of the listing is analysed again.
import { describe, expect, it } from 'vitest';
import { extractFeatures } from '../../src/matching/features.js';
import { matchingResources } from '../../src/matching/resources.js';
import { explainPair } from '../../src/matching/score.js';
import { weightVector } from '../../src/matching/vectors.js';
import { ExplanationFeatureCache } from '../../src/scoring/explanation-features.js';
import { scored, type LoadedListing } from '../../src/scoring/scored-listings.js';

const resources = matchingResources();
const listing = (side: LoadedListing['side'], title: string, description: string, updatedAt = new Date('2026-11-01T10:00:00Z')): LoadedListing => ({
  id: `${side}-1`,
  companyId: `${side}-company`,
  side,
  kind: side === 'need' ? 'byproduct' : 'product',
  title,
  description,
  lang: 'nb',
  tags: [],
  naceCode: side === 'need' ? '10.110' : '16.210',
  valueChainRole: null,
  updatedAt,
});

describe('ExplanationFeatureCache', () => {
  const need = listing('need', 'Avsetning for sagflis og flis', 'Vi har store mengder sagflis og treflis fra produksjonen som vi ønsker å selge som brensel.');
  const capability = listing('capability', 'Vi kjøper flis og sagflis til brensel', 'Bioenergianlegget vårt fyrer med sagflis, bark og treflis fra sagbruk i regionen.');

  it('explains a pair from the slim capability features exactly as from the full ones', () => {
    const needFeatures = extractFeatures(need, 'need', resources);
    const full = extractFeatures(capability, 'capability', resources);
    const df = new Map<string, number>();
    for (const f of [needFeatures, full]) for (const term of f.tf.keys()) df.set(term, (df.get(term) ?? 0) + 1);
    const stats = { documents: 10, df: (t: string) => df.get(t) ?? 0 };
    const n = scored(need, weightVector(needFeatures.tf, stats));
    const c = scored(capability, weightVector(full.tf, stats));
    const slim = new ExplanationFeatureCache(resources, 10).of(capability);
    const expected = explainPair({ ...n, features: needFeatures }, { ...c, features: full }, resources);
    expect(expected.concepts.length + expected.sharedTerms.length).toBeGreaterThan(0);
    expect(explainPair({ ...n, features: needFeatures }, { ...c, features: slim }, resources)).toEqual(expected);
  });

  it('analyses a listing once per version', () => {
    const cache = new ExplanationFeatureCache(resources, 10);
    const first = cache.of(capability);
    expect(cache.of(capability)).toBe(first);
    expect(cache.get(capability.id, capability.updatedAt.getTime())).toBe(first);
    const edited = { ...capability, description: 'Vi leverer nå bare ferdige pellets.', updatedAt: new Date('2026-11-02T10:00:00Z') };
    expect(cache.of(edited)).not.toBe(first);
    expect(cache.of(edited).concepts).not.toEqual(first.concepts);
  });
});
