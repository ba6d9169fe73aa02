// The in-memory index must find what the exact dot product finds: without a threshold its
// candidates are exactly the brute-force ranking; with one, it only drops weak contributions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ImpactIndex, ImpactIndexBuilder, kthLargest, type IndexedListing } from '../../src/matching/impact-index.js';
import { matchingResources } from '../../src/matching/resources.js';
import { scoreFromOverlap, scorePair } from '../../src/matching/score.js';
import { contributions } from '../../src/matching/vectors.js';

const TERMS = ['w:sveis', 'w:alumin', 'c:welding', 'c:casting', 'w:flis', 'u:fuel', 'w:logist', 'c:wood'];

const listingArb = fc.record({
  company: fc.constantFrom('a', 'b', 'c'),
  vector: fc.dictionary(fc.constantFrom(...TERMS), fc.double({ min: 0.01, max: 1, noNaN: true }), { minKeys: 1 }),
});

function toIndexed(listings: { company: string; vector: Record<string, number> }[]): IndexedListing[] {
  return listings.map((l, i) => ({
    id: `l${String(i).padStart(3, '0')}`,
    companyId: l.company,
    kind: 'service',
    company: { naceCode: '25.110', valueChainRole: null },
    terms: Object.keys(l.vector),
    weights: Object.values(l.vector).map((w) => Math.fround(w)),
  }));
}

function bruteForce(listings: IndexedListing[], query: [string, number][], exclude: string, minImpact: number) {
  return listings
    .map((l, position) => {
      let dot = 0;
      l.terms.forEach((term, j) => {
        const q = query.find(([t]) => t === term)?.[1];
        if (q !== undefined && l.weights[j]! * q >= minImpact - 1e-12 && l.weights[j]! >= minImpact / q) dot += l.weights[j]! * q;
      });
      return { position, dot, id: l.id, company: l.companyId };
    })
    .filter((r) => r.dot > 0 && r.company !== exclude)
    .sort((a, b) => b.dot - a.dot || (a.id < b.id ? -1 : 1));
}

describe('ImpactIndex', () => {
  it('finds the exact top candidates when no posting is skipped', () => {
    fc.assert(
      fc.property(fc.array(listingArb, { minLength: 1, maxLength: 40 }), fc.dictionary(fc.constantFrom(...TERMS), fc.double({ min: 0.05, max: 1, noNaN: true }), { minKeys: 1 }), (raw, rawQuery) => {
        const listings = toIndexed(raw);
        const query = Object.entries(rawQuery);
        const index = ImpactIndex.of(listings);
        const expected = bruteForce(listings, query, 'a', 0).slice(0, 5);
        const found = index.candidates(query, 'a', 5, 0);
        expect(found.map((c) => c.position)).toEqual(expected.map((e) => e.position));
        found.forEach((c, i) => expect(c.dot).toBeCloseTo(expected[i]!.dot, 9));
      }),
    );
  });

  it('skips exactly the postings whose contribution is below the threshold', () => {
    fc.assert(
      fc.property(fc.array(listingArb, { minLength: 1, maxLength: 40 }), fc.dictionary(fc.constantFrom(...TERMS), fc.double({ min: 0.05, max: 1, noNaN: true }), { minKeys: 1 }), (raw, rawQuery) => {
        const listings = toIndexed(raw);
        const query = Object.entries(rawQuery);
        const index = ImpactIndex.of(listings);
        const expected = bruteForce(listings, query, 'none', 0.2);
        const found = index.candidates(query, 'none', 1_000, 0.2);
        expect(new Set(found.map((c) => c.position))).toEqual(new Set(expected.map((e) => e.position)));
      }),
    );
  });

  it('rebuilds a listing’s vector and profile for the scoring core', () => {
    const [listing] = toIndexed([{ company: 'b', vector: { 'w:sveis': 0.6, 'c:welding': 0.8 } }]);
    const scored = ImpactIndex.of([listing!]).scoredListing(0);
    expect(scored).toMatchObject({ id: 'l000', companyId: 'b', kind: 'service', company: { naceCode: '25.110' } });
    expect([...scored.vector.keys()]).toEqual(['w:sveis', 'c:welding']);
    expect(scored.vector.get('c:welding')).toBeCloseTo(0.8, 6);
  });

  it('keeps every listing’s vector intact when loaded in many pages past its initial capacity', () => {
    // 2,000 listings of 8 terms: 16,000 postings, several growths of the builder's arrays.
    const raw = Array.from({ length: 2_000 }, (_, i) => ({
      company: ['a', 'b', 'c'][i % 3]!,
      vector: Object.fromEntries(TERMS.map((term, j) => [term, ((i * 7 + j * 13) % 97) / 97 + 0.01])),
    }));
    const listings = toIndexed(raw);
    const builder = new ImpactIndexBuilder();
    for (let page = 0; page < listings.length; page += 300) for (const listing of listings.slice(page, page + 300)) builder.add(listing);
    const index = builder.build();
    expect(index.size).toBe(2_000);
    for (const position of [0, 1, 999, 1_999]) {
      expect([...index.scoredListing(position).vector]).toEqual(listings[position]!.terms.map((t, j) => [t, listings[position]!.weights[j]]));
    }
    const query: [string, number][] = [['w:sveis', 0.7], ['c:wood', 0.3]];
    expect(index.candidates(query, 'a', 10, 0).map((c) => c.position)).toEqual(bruteForce(listings, query, 'a', 0).slice(0, 10).map((e) => e.position));
  });

  it('scores and explains a pair from its typed arrays exactly as from the two vectors', () => {
    const resources = matchingResources();
    // The query may hold terms no listing has (w:ukjent): they cannot overlap.
    const queryArb = fc.dictionary(fc.constantFrom(...TERMS, 'w:ukjent'), fc.double({ min: 0.01, max: 1, noNaN: true }), { minKeys: 1 });
    fc.assert(
      fc.property(fc.array(listingArb, { minLength: 1, maxLength: 20 }), queryArb, (raw, rawQuery) => {
        const listings = toIndexed(raw);
        const index = ImpactIndex.of(listings);
        const need = { id: 'need', companyId: 'z', kind: 'competence' as const, company: { naceCode: '10.110', valueChainRole: null }, vector: new Map(Object.entries(rawQuery)) };
        const positions = listings.map((_, i) => i);
        const overlaps = index.overlaps(need.vector, positions);
        for (const position of positions) {
          const capability = index.scoredListing(position);
          expect(scoreFromOverlap(need, index.profile(position), overlaps[position]!, resources)).toEqual(scorePair(need, capability, resources));
          expect(overlaps[position]!.sharesUse).toBe(need.vector.has('u:fuel') && capability.vector.has('u:fuel'));
          expect(index.sharedFeatures(need.vector, position)).toEqual(contributions(need.vector, capability.vector).map(([feature]) => feature));
        }
        // Reading one query leaves nothing behind for the next.
        expect(index.overlaps(new Map([['w:ukjent', 1]]), positions).every((o) => o.cosine === 0 && !o.sharesUse)).toBe(true);
      }),
    );
  });

  it('finds what a fresh build finds after any sequence of additions, replacements and removals', () => {
    const operationArb = fc.oneof(
      fc.record({ op: fc.constant('upsert' as const), id: fc.integer({ min: 0, max: 30 }), listing: listingArb }),
      fc.record({ op: fc.constant('remove' as const), id: fc.integer({ min: 0, max: 30 }) }),
    );
    const queryArb = fc.dictionary(fc.constantFrom(...TERMS, 'w:ny'), fc.double({ min: 0.05, max: 1, noNaN: true }), { minKeys: 1 });
    fc.assert(
      fc.property(fc.array(listingArb, { maxLength: 20 }), fc.array(operationArb, { maxLength: 40 }), queryArb, fc.constantFrom(0, 0.2), (initial, operations, rawQuery, minImpact) => {
        const live = new Map(toIndexed(initial).map((l) => [l.id, l]));
        const index = ImpactIndex.of(live.values());
        for (const operation of operations) {
          const id = `l${String(operation.id).padStart(3, '0')}`;
          if (operation.op === 'remove') {
            expect(index.remove(id)).toBe(live.delete(id));
          } else {
            // New terms too: an index learns terms it was not built with.
            const listing = { ...toIndexed([operation.listing])[0]!, id, terms: [...Object.keys(operation.listing.vector), 'w:ny'], weights: [...Object.values(operation.listing.vector).map((w) => Math.fround(w)), Math.fround(0.5)] };
            index.upsert(listing);
            live.set(id, listing);
          }
        }
        expect(index.size).toBe(live.size);
        const query = Object.entries(rawQuery);
        const ranked = (found: { position: number; dot: number }[], from: ImpactIndex) => found.map((c) => [from.profile(c.position).id, Math.round(c.dot * 1e9)]);
        // A fresh build of the live listings, in any order, is the reference; so is the compacted index.
        const fresh = ImpactIndex.of([...live.values()].sort((a, b) => (a.id < b.id ? -1 : 1)));
        const expected = ranked(fresh.candidates(query, 'a', 5, minImpact), fresh);
        expect(ranked(index.candidates(query, 'a', 5, minImpact), index)).toEqual(expected);
        const compacted = index.compacted();
        expect(compacted.size).toBe(live.size);
        expect(ranked(compacted.candidates(query, 'a', 5, minImpact), compacted)).toEqual(expected);
        // The same changes applied in one rebuild of the initial index.
        const initialIds = toIndexed(initial).map((l) => l.id);
        const rebuilt = ImpactIndex.of(toIndexed(initial)).rebuiltWith([...live.values()], initialIds.filter((id) => !live.has(id)));
        expect(rebuilt.size).toBe(live.size);
        expect(ranked(rebuilt.candidates(query, 'a', 5, minImpact), rebuilt)).toEqual(expected);
      }),
    );
  });

  it('tells when compaction pays for itself', () => {
    const listings = toIndexed(Array.from({ length: 10 }, (_, i) => ({ company: 'a', vector: { 'w:sveis': 0.1 + i / 20 } })));
    const index = ImpactIndex.of(listings);
    expect(index.needsCompaction).toBe(false);
    for (const listing of listings.slice(0, 3)) index.remove(listing.id);
    expect(index.needsCompaction).toBe(true);
    expect(index.compacted().needsCompaction).toBe(false);
  });

  it('selects the k-th largest value as sorting would', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -10, max: 10, noNaN: true }).map((v) => v + 0), { minLength: 1, maxLength: 300 }), fc.nat(), (values, seed) => {
        const k = (seed % values.length) + 1;
        const sorted = [...values].sort((a, b) => b - a);
        expect(kthLargest(Float64Array.from(values), values.length, k)).toBe(sorted[k - 1]);
      }),
    );
  });
});
