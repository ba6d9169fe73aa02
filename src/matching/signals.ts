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

export function kindFit(needKind: Kind, capabilityKind: Kind): number {
  return KIND_FIT[needKind][capabilityKind];
}

/** 1 across NACE divisions (first two digits), 0.5 within a division but across groups, 0 within a group. */
export function crossIndustry(naceA: string, naceB: string): number {
  if (division(naceA) !== division(naceB)) return 1;
  return group(naceA) !== group(naceB) ? 0.5 : 0;
}

const division = (code: string) => code.slice(0, 2);
const group = (code: string) => code.slice(0, 4);

/** 1 when the companies stand at different positions of a value chain, 0.3 at the same, 0.5 when unknown. */
export function crossValueChain(roleA: string | null, roleB: string | null): number {
  if (!roleA || !roleB) return 0.5;
  return roleA === roleB ? 0.3 : 1;
}
