// A capability's stored explanation facts (JSON), and the packed form a worker holds them in,
// explain a pair exactly as its full features do.
import { describe, expect, it } from 'vitest';
import { explanationFacts, featuresFromFacts } from '../../src/matching/explanation-facts.js';
import { extractFeatures } from '../../src/matching/features.js';
import { PackedFactsTable } from '../../src/matching/packed-facts.js';
import { matchingResources } from '../../src/matching/resources.js';
import { explainPair } from '../../src/matching/score.js';
import { weightVector } from '../../src/matching/vectors.js';
import { scored, type LoadedListing } from '../../src/scoring/scored-listings.js';

const resources = matchingResources();
const listing = (side: LoadedListing['side'], title: string, description: string): LoadedListing => ({
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
  updatedAt: new Date('2026-11-01T10:00:00Z'),
});

describe('explanation facts', () => {
  const pairs = [
    [
      listing('need', 'Avsetning for sagflis og flis', 'Vi har store mengder sagflis og treflis fra produksjonen som vi ønsker å selge som brensel.'),
      listing('capability', 'Vi kjøper flis og sagflis til brensel', 'Bioenergianlegget vårt fyrer med sagflis, bark og treflis fra sagbruk i regionen.'),
    ],
    [
      listing('need', 'Fôr til gris', 'Vi søker lokalt protein til fôr.'),
      listing('capability', 'Myse fra osteproduksjonen', 'Meieriet har overskudd av myse hver uke.'),
    ],
  ] as const;

  it.each(pairs)('explain a pair as the full features do, after a round trip through JSON (%#)', (need, capability) => {
    const needFeatures = extractFeatures(need, 'need', resources);
    const full = extractFeatures(capability, 'capability', resources);
    const df = new Map<string, number>();
    for (const f of [needFeatures, full]) for (const term of f.tf.keys()) df.set(term, (df.get(term) ?? 0) + 1);
    const stats = { documents: 10, df: (t: string) => df.get(t) ?? 0 };
    const n = scored(need, weightVector(needFeatures.tf, stats));
    const c = scored(capability, weightVector(full.tf, stats));
    const stored = featuresFromFacts(JSON.parse(JSON.stringify(explanationFacts(full))));
    const expected = explainPair({ ...n, features: needFeatures }, { ...c, features: full }, resources);
    expect(expected.concepts.length + expected.sharedTerms.length + expected.circular.length).toBeGreaterThan(0);
    expect(explainPair({ ...n, features: needFeatures }, { ...c, features: stored }, resources)).toEqual(expected);
    // Packed in a table shared with another capability's facts (which intern strings first).
    const table = new PackedFactsTable();
    table.pack(explanationFacts(needFeatures));
    const packed = table.features(table.pack(JSON.parse(JSON.stringify(explanationFacts(full))))!);
    expect(explainPair({ ...n, features: needFeatures }, { ...c, features: packed }, resources)).toEqual(expected);
  });

  it('looks up every concept and use of packed facts as the maps hold them, and nothing else', () => {
    const [, capability] = pairs[1];
    const full = extractFeatures(capability, 'capability', resources);
    const table = new PackedFactsTable();
    const packed = table.features(table.pack(explanationFacts(full))!);
    expect(full.concepts.size + full.uses.size).toBeGreaterThan(2);
    expect(packed.lang).toBe(full.lang);
    for (const [feature, hit] of full.concepts) expect(packed.concepts.get(feature)).toEqual(hit);
    for (const [feature, hit] of full.uses) expect(packed.uses.get(feature)).toEqual(hit);
    // A concept's key is not a use of the capability, and a key never seen is nothing.
    const conceptOnly = [...full.concepts.keys()].find((feature) => !full.uses.has(feature))!;
    expect(packed.uses.get(conceptOnly)).toBeUndefined();
    expect(packed.concepts.get('c:no-such-concept')).toBeUndefined();
  });

  it('shares the hits capabilities have in common, and packs nothing more once the table is full', () => {
    const facts = explanationFacts(extractFeatures(pairs[0][1], 'capability', resources));
    const other = explanationFacts(extractFeatures(pairs[1][1], 'capability', resources));
    const hits = facts.concepts.length + facts.uses.length;
    const table = new PackedFactsTable(hits);
    const packed = table.pack(facts)!;
    // The same facts again add no hit to the table, and pack the same.
    expect(table.pack(facts)).toBe(packed);
    expect(table.size).toBe(hits);
    // Facts with hits the full table lacks are not packed (their capability is read from the database).
    expect(other.concepts.length).toBeGreaterThan(0);
    expect(table.pack(other)).toBeNull();
    const [key, id, via, evidence] = facts.concepts[0]!;
    expect(table.features(packed).concepts.get(key)).toEqual({ id, via, evidence });
  });
});
