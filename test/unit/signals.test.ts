// The non-text components are computed without allocating; they must still be the plain definitions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crossIndustry, kindFit, KIND_FIT } from '../../src/matching/signals.js';
import type { Kind } from '../../src/matching/types.js';

/** The definition: divisions are the first two characters, groups the first four. */
const byDefinition = (a: string, b: string) => (a.slice(0, 2) !== b.slice(0, 2) ? 1 : a.slice(0, 4) !== b.slice(0, 4) ? 0.5 : 0);

describe('crossIndustry', () => {
  it('is 1 across divisions, 0.5 across groups of one division, 0 within a group', () => {
    expect(crossIndustry('24.530', '33.110')).toBe(1);
    expect(crossIndustry('25.110', '25.620')).toBe(0.5);
    expect(crossIndustry('25.110', '25.12')).toBe(0);
  });

  it('agrees with the slice definition for any two codes, valid or not', () => {
    const code = fc.oneof(fc.stringMatching(/^[0-9]{2}\.[0-9]{1,3}$/), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(code, code, (a, b) => {
        expect(crossIndustry(a, b)).toBe(byDefinition(a, b));
      }),
    );
  });
});

describe('kindFit', () => {
  it('reads the table for every pair of kinds, whatever string object carries the kind', () => {
    for (const need of Object.keys(KIND_FIT) as Kind[]) {
      for (const capability of Object.keys(KIND_FIT[need]) as Kind[]) {
        // Kinds parsed from database rows are fresh strings, not the literals of the table.
        expect(kindFit([...need].join('') as Kind, [...capability].join('') as Kind)).toBe(KIND_FIT[need][capability]);
      }
    }
  });
});
