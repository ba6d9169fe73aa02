// The non-text score components: how well the listing kinds fit, whether the pair crosses
// industries (NACE codes) and whether it crosses value-chain positions.
import type { CompanyProfile, Kind } from './types.js';

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

const KINDS = Object.keys(KIND_FIT) as Kind[];
const KIND_CODES = new Map(KINDS.map((kind, code) => [kind, code]));
/** KIND_FIT by codes: row the need's kind, column the capability's. */
const KIND_FIT_BY_CODE = Float64Array.from(KINDS.flatMap((need) => KINDS.map((capability) => KIND_FIT[need][capability])));
/** The role code of a company whose value-chain role is not known. */
const UNKNOWN_ROLE = 0;

/** A listing's [kind, NACE division, NACE group, value-chain role], as SignalCodes numbers them. */
export type ListingSignalCodes = readonly [kind: number, division: number, group: number, role: number];

/**
 * What the non-text components compare, numbered: ranking a need's candidates reads four small
 * integers per candidate from a typed array instead of following each candidate's profile object
 * to its company and its strings, four dependent reads from anywhere in the heap (profiled: a
 * re-score's ranking spent ~2.5 s of ~30 s of scoring there, for 5M candidate pairs at 50k
 * listings). The numbers mean nothing outside the SignalCodes that gave them.
 */
export class SignalCodes {
  private readonly divisions = new Map<string, number>();
  private readonly groups = new Map<string, number>();
  // 0 is the unknown role.
  private readonly roles = new Map<string, number>([['', UNKNOWN_ROLE]]);

  /**
   * A company's codes, kept per profile object: listings of one company share it (a loaded index
   * makes one per company), and slicing and hashing its strings again for each of 100k listings
   * slowed building an index by half (1.4 → 2.1 s). Weakly held: a profile dropped with its
   * listings takes its entry with it.
   */
  private readonly ofCompany = new WeakMap<CompanyProfile, readonly [division: number, group: number, role: number]>();

  of(kind: Kind, company: CompanyProfile): ListingSignalCodes {
    let codes = this.ofCompany.get(company);
    if (codes === undefined) {
      // The prefixes crossIndustry compares (a shorter code is its own prefix, as there).
      codes = [numbered(this.divisions, company.naceCode.slice(0, 2)), numbered(this.groups, company.naceCode.slice(0, 4)), numbered(this.roles, company.valueChainRole ?? '')];
      this.ofCompany.set(company, codes);
    }
    return [KIND_CODES.get(kind)!, codes[0], codes[1], codes[2]];
  }
}

function numbered(numbers: Map<string, number>, value: string): number {
  let code = numbers.get(value);
  if (code === undefined) numbers.set(value, (code = numbers.size));
  return code;
}

/** `crossIndustry` of two listings' codes. */
export const crossIndustryOfCodes = (divisionA: number, groupA: number, divisionB: number, groupB: number): number =>
  divisionA !== divisionB ? 1 : groupA === groupB ? 0 : 0.5;

/** `crossValueChain` of two listings' role codes. */
export const crossValueChainOfCodes = (roleA: number, roleB: number): number =>
  roleA === UNKNOWN_ROLE || roleB === UNKNOWN_ROLE ? 0.5 : roleA === roleB ? 0.3 : 1;

/** `kindFit` of a need's and a capability's kind codes. */
export const kindFitOfCodes = (needKind: number, capabilityKind: number): number => KIND_FIT_BY_CODE[needKind * KINDS.length + capabilityKind]!;
