// The stored form of a match's components and explanation reads back as what was written.
import { describe, expect, it } from 'vitest';
import { COMPONENT_POSITION, componentsOf, explanationOf, storedComponents, storedExplanation } from '../../src/db/stored-match.js';

describe('stored match JSON', () => {
  const components = { text: 0.4321, crossIndustry: 1, valueChain: 0.5, kindFit: 0.9, circular: 0.25 };
  const explanation = { sharedTerms: ['sveising'], concepts: ['sveising ≈ welding'], circular: [] };

  it('round-trips components and explanations through their JSON text', () => {
    expect(componentsOf(JSON.parse(JSON.stringify(storedComponents(components))))).toEqual(components);
    expect(explanationOf(JSON.parse(JSON.stringify(storedExplanation(explanation))))).toEqual(explanation);
  });

  it('places each component where SQL looks for it', () => {
    const stored = storedComponents(components);
    for (const [name, position] of Object.entries(COMPONENT_POSITION)) expect(stored[position]).toBe(components[name as keyof typeof components]);
  });
});
