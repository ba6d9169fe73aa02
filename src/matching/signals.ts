// The non-text score components: how well the listing kinds fit, whether the pair crosses
// industries (NACE codes) and whether it crosses value-chain positions.
import type { Kind } from './types.js';

/**
 * How well a capability of one kind can meet a need of another (rows: need kind). A soft table,
 * used as a score component, never a filter: a "capacity" need can still be met by a "service".
 */
export const KIND_FIT: Record<Kind, Record<Kind, number>> = {
  competence: { competence: 1, service: 0.9, rnd: 0.9, equipment: 0.5, capacity: 0.5, logistics: 0.3, product: 0.2, byproduct: 0.1 },
  capacity: { capacity: 1, equipment: 0.8, service: 0.7, byproduct: 0.7, product: 0.7, logistics: 0.6, competence: 0.4, rnd: 0.3 },
  equipment: { equipment: 1, capacity: 0.8, product: 0.7, service: 0.6, rnd: 0.4, competence: 0.4, byproduct: 0.3, logistics: 0.3 },
  product: { product: 1, byproduct: 0.9, capacity: 0.7, equipment: 0.5, service: 0.4, rnd: 0.3, logistics: 0.3, competence: 0.2 },
  byproduct: { byproduct: 0.8, service: 0.8, capacity: 0.7, product: 0.6, rnd: 0.5, logistics: 0.5, competence: 0.4, equipment: 0.3 },
  rnd: { rnd: 1, competence: 0.9, equipment: 0.7, service: 0.6, capacity: 0.5, product: 0.3, byproduct: 0.2, logistics: 0.2 },
  logistics: { logistics: 1, capacity: 0.8, service: 0.7, equipment: 0.4, competence: 0.3, product: 0.2, rnd: 0.2, byproduct: 0.1 },
  service: { service: 1, competence: 0.9, capacity: 0.8, equipment: 0.6, rnd: 0.6, logistics: 0.5, product: 0.4, byproduct: 0.3 },
};

// Looked up through Maps: kinds read from the database are strings V8 has not interned, and using
// one as a property key looked it up in the string table on every call (~0.6 µs, and kindFit runs
// for each of a need's 200 candidates); a Map keeps each string's hash.
const KIND_FIT_BY_NEED = new Map(Object.entries(KIND_FIT).map(([need, row]) => [need, new Map(Object.entries(row))]));

export function kindFit(needKind: Kind, capabilityKind: Kind): number {
  return KIND_FIT_BY_NEED.get(needKind)!.get(capabilityKind)!;
}

/** 1 across NACE divisions (first two digits), 0.5 within a division but across groups, 0 within a group. */
export function crossIndustry(naceA: string, naceB: string): number {
  if (!samePrefix(naceA, naceB, 2)) return 1;
  return samePrefix(naceA, naceB, 4) ? 0 : 0.5;
}

/** `a.slice(0, n) === b.slice(0, n)` without making the two slices (this runs for every candidate pair). */
function samePrefix(a: string, b: string, n: number): boolean {
  for (let i = 0; i < n; i += 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    // Past both ends, the prefixes ended together.
    if (x !== y) return i >= a.length && i >= b.length;
  }
  return true;
}

/** 1 when the companies stand at different positions of a value chain, 0.3 at the same, 0.5 when unknown. */
export function crossValueChain(roleA: string | null, roleB: string | null): number {
  if (!roleA || !roleB) return 0.5;
  return roleA === roleB ? 0.3 : 1;
}
