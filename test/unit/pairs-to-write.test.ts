// What a batch's write sends: array literals PostgreSQL parses back to the same values, and pairs
// as columns whose JSON arrays list every pair once (in its stored form), in order, however many chunks they were
// joined in.
import { describe, expect, it } from 'vitest';
import { JsonArrayBytes } from '../../src/db/json-array-bytes.js';
import { plainArray } from '../../src/db/plain-array.js';
import { storedComponents, storedExplanation } from '../../src/db/stored-match.js';
import { PairsToWrite, type MatchInput } from '../../src/scoring/match.repository.js';

describe('plainArray', () => {
  it('writes array literals of any length, values in order', () => {
    expect(plainArray([])).toBe('{}');
    expect(plainArray(['a'])).toBe('{a}');
    expect(plainArray([1, 0.5, -2])).toBe('{1,0.5,-2}');
    expect(plainArray(['0190a', '0190b', '0190c'])).toBe('{0190a,0190b,0190c}');
  });

  it('leaves the values it was given unchanged', () => {
    const values = ['x', 'y'];
    plainArray(values);
    expect(values).toEqual(['x', 'y']);
  });
});

const pair = (needId: string, capabilityId: string, i: number): MatchInput => ({
  needId,
  capabilityId,
  needCompanyId: 'need-company',
  capabilityCompanyId: 'capability-company',
  score: i / 1000,
  components: { text: i / 1000, crossIndustry: 1, valueChain: 0.3, kindFit: 0.9, circular: i % 2 },
  explanation: { sharedTerms: [`ord ${i}`], concepts: i % 3 === 0 ? [`sveising ≈ welding ${i}`] : [], circular: [] },
});

describe('JsonArrayBytes', () => {
  it('holds the values as one JSON array in UTF-8, past its first buffer, readable between pushes', () => {
    const array = new JsonArrayBytes();
    expect(array.bytes().toString()).toBe('[]');
    const values = Array.from({ length: 3_000 }, (_, i) => [`sveising ≈ welding ${i}`, ['ø', 'å', 'æ', '→'], i / 7]);
    values.slice(0, 10).forEach((v) => array.push(JSON.stringify(v)));
    expect(JSON.parse(array.bytes().toString())).toEqual(values.slice(0, 10));
    values.slice(10).forEach((v) => array.push(JSON.stringify(v)));
    const bytes = array.bytes();
    expect(bytes.length).toBeGreaterThan(64 * 1024);
    expect(JSON.parse(bytes.toString('utf8'))).toEqual(values);
  });
});

describe('PairsToWrite', () => {
  it('names each listing once, by its 1-based place, and keeps every pair in order across chunks', () => {
    const pairs = Array.from({ length: 150 }, (_, i) => pair(i % 2 === 0 ? 'n1' : 'n2', `c${i % 7}`, i));
    const written = new PairsToWrite(['n1', 'n2', 'n1'], pairs);

    expect(written.size).toBe(150);
    expect(written.needIds).toEqual(['n1', 'n2']);
    expect(written.capabilityIds).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
    expect(written.needOf.map((k) => written.needIds[k - 1])).toEqual(pairs.map((p) => p.needId));
    expect(written.capabilityOf.map((k) => written.capabilityIds[k - 1])).toEqual(pairs.map((p) => p.capabilityId));
    expect(written.scores).toEqual(pairs.map((p) => p.score));
    expect(JSON.parse(written.componentsJson().toString())).toEqual(pairs.map((p) => storedComponents(p.components)));
    expect(JSON.parse(written.explanationsJson().toString())).toEqual(pairs.map((p) => storedExplanation(p.explanation)));
    // Read twice (a retried statement), the texts are the same.
    expect(JSON.parse(written.componentsJson().toString())).toHaveLength(150);
  });

  it('adds pairs after the texts were read, and has empty texts without pairs', () => {
    const written = new PairsToWrite(['n1']);
    expect(written.componentsJson().toString()).toBe('[]');
    expect(written.explanationsJson().toString()).toBe('[]');
    written.add(pair('n1', 'c1', 1));
    expect(JSON.parse(written.explanationsJson().toString())).toEqual([storedExplanation(pair('n1', 'c1', 1).explanation)]);
  });

  it('refuses a pair of a need whose list it does not replace', () => {
    expect(() => new PairsToWrite(['n1'], [pair('n2', 'c1', 1)])).toThrow(/not among the needs/);
  });
});
