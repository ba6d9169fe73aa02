// Ranking reads the non-text components from numbered codes (SignalCodes) instead of the two
// profiles, and sorts only the pairs it keeps: it must keep, score and order pairs exactly as
// scorePair and a stable sort of every candidate do, for
// any kinds, NACE codes (same division or group, codes shorter than the prefixes compared) and
// value-chain roles (known, unknown, empty), with kind fit on or off.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ImpactIndex, type IndexedListing } from '../../src/matching/impact-index.js';
import { rankCandidates } from '../../src/matching/rank.js';
import { matchingResources } from '../../src/matching/resources.js';
import { scorePair, type ScoredListing } from '../../src/matching/score.js';
import { KIND_FIT } from '../../src/matching/signals.js';
import type { Kind } from '../../src/matching/types.js';

const TERMS = ['w:sveis', 'w:alumin', 'c:welding', 'u:fuel', 'w:flis'];
const KINDS = Object.keys(KIND_FIT) as Kind[];
const NACE_CODES = ['25.110', '25.120', '25.9', '25', '2', '', '10.110', '16.210'];
const ROLES = [null, '', 'supplier', 'manufacturer', 'recycler'];

const vectorArb = fc.dictionary(fc.constantFrom(...TERMS), fc.double({ min: 0.01, max: 1, noNaN: true }), { minKeys: 1 });
const profileArb = fc.record({ kind: fc.constantFrom(...KINDS), naceCode: fc.constantFrom(...NACE_CODES), valueChainRole: fc.constantFrom(...ROLES), vector: vectorArb });

describe('rankCandidates', () => {
  it('keeps, scores (components too) and orders candidates as scorePair and a stable sort of them all do', () => {
    fc.assert(
      // Listings drawn from a few profiles, so many score the same: ties must keep candidate order,
      // also where `keep` cuts through them.
      fc.property(fc.array(profileArb, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { minLength: 1, maxLength: 25 }), profileArb, fc.boolean(), fc.integer({ min: 1, max: 30 }), (pool, picks, rawNeed, kindFit, keep) => {
        const raw = picks.map((k) => pool[k % pool.length]!);
        const resources = matchingResources({ kindFit });
        const listings: IndexedListing[] = raw.map((l, i) => ({
          id: `c${String(i).padStart(3, '0')}`,
          companyId: `company-${i % 4}`,
          kind: l.kind,
          company: { naceCode: l.naceCode, valueChainRole: l.valueChainRole },
          terms: Object.keys(l.vector),
          weights: Object.values(l.vector).map((w) => Math.fround(w)),
        }));
        // Built in two steps, so codes come from both the build and later additions.
        const index = ImpactIndex.of(listings.slice(0, Math.ceil(listings.length / 2)));
        for (const listing of listings.slice(Math.ceil(listings.length / 2))) index.upsert(listing);
        const need: ScoredListing = {
          id: 'need',
          companyId: 'need-company',
          kind: rawNeed.kind,
          company: { naceCode: rawNeed.naceCode, valueChainRole: rawNeed.valueChainRole },
          vector: new Map(Object.entries(rawNeed.vector)),
        };
        const positions = listings.map((_, i) => i);
        const expected = positions
          .map((position) => ({ position, ...scorePair(need, index.scoredListing(position), resources) }))
          .filter((p) => p.score >= 0.05)
          .sort((a, b) => b.score - a.score)
          .slice(0, keep);
        const ranked = rankCandidates(index, need, positions, keep, 0.05, resources);
        expect(ranked.map((p) => [p.position, p.score, p.components])).toEqual(expected.map((p) => [p.position, p.score, p.components]));
      }),
    );
  });
});
