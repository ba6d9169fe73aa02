// An in-memory inverted index over one side's stored vectors, for scoring needs against every
// capability without a database query per need. Same candidate rule as the PostgreSQL index: the
// listings with the largest dot product over the query's features, skipping postings whose
// contribution is below `minImpact`.
// Compact on purpose: terms and weights live in typed arrays (about 8 bytes a posting), and a
// listing's vector is turned into a Map only when asked for.
// Live: listings can be added, replaced and removed after the build, so a worker keeps one index
// current with small refreshes instead of reloading it. New postings go to unsorted per-term tails
// (read whole, they stay small); a replaced or removed listing is only marked, and `compacted()`
// rebuilds the index from its live listings when the tails or the marks grow large.
import type { ListingProfile, ScoredListing, VectorOverlap } from './score.js';
import { crossIndustryOfCodes, crossValueChainOfCodes, kindFitOfCodes, SignalCodes } from './signals.js';
import type { CompanyProfile, Kind, SparseVector } from './types.js';

export interface IndexedListing {
  id: string;
  companyId: string;
  kind: Kind;
  company: CompanyProfile;
  terms: readonly string[];
  weights: readonly number[];
}

type Meta = Omit<IndexedListing, 'terms' | 'weights'>;

interface Postings {
  listings: Int32Array;
  weights: Float32Array;
}

/** A term's postings added since the build, in arrival order. */
interface Tail {
  listings: Int32Array;
  weights: Float32Array;
  length: number;
}

interface IndexParts {
  meta: Meta[];
  termIds: Map<string, number>;
  termNames: string[];
  companyIds: Map<string, number>;
  companyOf: Int32Array;
  offsets: Int32Array;
  vectorTerms: Int32Array;
  vectorWeights: Float32Array;
}

/**
 * Collects listings one at a time, so a large side can be loaded page by page: each page's rows
 * are reduced to typed arrays and interned terms at once, instead of holding every row as objects.
 */
export class ImpactIndexBuilder {
  private readonly meta: Meta[] = [];
  private readonly termIds = new Map<string, number>();
  private readonly termNames: string[] = [];
  private readonly companyIds = new Map<string, number>();
  private readonly companyOf: number[] = [];
  private readonly offsets: number[] = [0];
  private vectorTerms: Int32Array;
  private vectorWeights: Float32Array;
  private length = 0;

  /** `postings`: how many terms all listings will have together, when known (no growing, no copy at build). */
  constructor(postings = 1 << 12) {
    this.vectorTerms = new Int32Array(postings);
    this.vectorWeights = new Float32Array(postings);
  }

  add(listing: IndexedListing): void {
    const { id, companyId, kind, company } = listing;
    this.meta.push({ id, companyId, kind, company });
    this.companyOf.push(intern(this.companyIds, companyId));
    this.vectorTerms = grown(this.vectorTerms, this.length + listing.terms.length);
    this.vectorWeights = grown(this.vectorWeights, this.length + listing.terms.length);
    listing.terms.forEach((term, j) => {
      let termId = this.termIds.get(term);
      if (termId === undefined) {
        termId = this.termNames.length;
        this.termIds.set(term, termId);
        this.termNames.push(term);
      }
      this.vectorTerms[this.length] = termId;
      this.vectorWeights[this.length] = listing.weights[j]!;
      this.length += 1;
    });
    this.offsets.push(this.length);
  }

  build(): ImpactIndex {
    return new ImpactIndex({
      meta: this.meta,
      termIds: this.termIds,
      termNames: this.termNames,
      companyIds: this.companyIds,
      companyOf: Int32Array.from(this.companyOf),
      offsets: Int32Array.from(this.offsets),
      vectorTerms: this.length === this.vectorTerms.length ? this.vectorTerms : this.vectorTerms.slice(0, this.length),
      vectorWeights: this.length === this.vectorWeights.length ? this.vectorWeights : this.vectorWeights.slice(0, this.length),
    });
  }
}

function intern(ids: Map<string, number>, key: string): number {
  let id = ids.get(key);
  if (id === undefined) ids.set(key, (id = ids.size));
  return id;
}

type TypedArray = Int32Array | Float32Array | Float64Array | Uint8Array;

/** The array itself when it holds `needed` elements, else a copy with room to grow (by half: these arrays are large). */
function grown<T extends TypedArray>(array: T, needed: number): T {
  if (needed <= array.length) return array;
  const next = new (array.constructor as new (length: number) => T)(Math.max(needed, Math.ceil(array.length * 1.5), 16));
  next.set(array);
  return next;
}

/** The k-th largest of values[0..n) (1 ≤ k ≤ n), found by quickselect; reorders that range. */
export function kthLargest(values: Float64Array, n: number, k: number): number {
  let left = 0;
  let right = n - 1;
  const target = k - 1; // index in descending order
  while (left < right) {
    const middle = (left + right) >>> 1;
    // Median of three as the pivot keeps sorted and reversed inputs linear.
    const a = values[left]!;
    const b = values[middle]!;
    const c = values[right]!;
    const pivot = a > b ? (b > c ? b : a > c ? c : a) : a > c ? a : b > c ? c : b;
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i]! > pivot) i += 1;
      while (values[j]! < pivot) j -= 1;
      if (i <= j) {
        const swap = values[i]!;
        values[i] = values[j]!;
        values[j] = swap;
        i += 1;
        j -= 1;
      }
    }
    if (target <= j) right = j;
    else if (target >= i) left = i;
    else return values[target]!;
  }
  return values[target]!;
}

/** One query's view of the index, valid inside `ImpactIndex.withQuery`. */
export interface QueryReader {
  overlaps(positions: readonly number[]): VectorOverlap[];
  /** `overlaps` written into arrays (cosine, and 1 where a use feature is shared): no object per listing. */
  overlapsInto(positions: readonly number[], cosines: Float64Array, sharesUse: Uint8Array): void;
  /** The features the query shares with the listing, largest contribution first (ties in query order). */
  sharedFeatures(position: number): string[];
}

/** Numbers per listing in `signals`: its SignalCodes. */
const SIGNAL_CODES = 4;

/** Tails or marks beyond these (or a tenth of the postings) make `needsCompaction` true. */
const COMPACT_TAIL_POSTINGS = 20_000;
const COMPACT_REMOVED_SHARE = 0.2;

export class ImpactIndex {
  private readonly meta: Meta[];
  private readonly termIds: Map<string, number>;
  private readonly termNames: string[];
  private readonly companyIds: Map<string, number>;
  private companyOf: Int32Array;
  private offsets: Int32Array;
  private vectorTerms: Int32Array;
  private vectorWeights: Float32Array;
  /** Positions used, removed ones included. */
  private count: number;
  private removed: Uint8Array;
  private removedCount = 0;
  private readonly positionOf = new Map<string, number>();
  /** Impact-ordered posting lists of the listings the index was built with. */
  private readonly postings: Postings[] = [];
  private readonly mainPostings: number;
  /** Postings of listings added since, per term, in no order. */
  private readonly tails: (Tail | undefined)[] = [];
  private tailPostings = 0;
  /** Per term: whether it is a use feature (u:…), whose sharing is a circular link. */
  private isUse: Uint8Array;
  private readonly signalCodes = new SignalCodes();
  /** Per position, SIGNAL_CODES numbers: the listing's SignalCodes (kind, NACE division and group, role). */
  private signals: Int32Array;
  /** A query's weights by term id (terms the index does not hold cannot overlap), zeroed after use. */
  private queryWeights: Float64Array;
  private queryHas: Uint8Array;
  private queryInUse = false;
  private sharedStamp: Int32Array;
  private sharedWeight: Float32Array;
  private stamp = 0;
  /** Per position: a query's accumulated dot product; then the listings it touched, their dots, and a copy of those that selection reorders. */
  private scratch: Float64Array;
  private touched: Int32Array;
  private dots: Float64Array;
  private selecting: Float64Array;

  static of(listings: Iterable<IndexedListing>): ImpactIndex {
    const builder = new ImpactIndexBuilder();
    for (const listing of listings) builder.add(listing);
    return builder.build();
  }

  constructor(parts: IndexParts) {
    ({
      meta: this.meta,
      termIds: this.termIds,
      termNames: this.termNames,
      companyIds: this.companyIds,
      companyOf: this.companyOf,
      offsets: this.offsets,
      vectorTerms: this.vectorTerms,
      vectorWeights: this.vectorWeights,
    } = parts);
    this.count = this.meta.length;
    this.meta.forEach((listing, position) => this.positionOf.set(listing.id, position));
    this.removed = new Uint8Array(this.count);
    this.signals = new Int32Array(SIGNAL_CODES * this.count);
    for (let position = 0; position < this.count; position += 1) this.setSignals(position, this.meta[position]!);
    this.scratch = new Float64Array(this.count);
    this.touched = new Int32Array(this.count);
    this.dots = new Float64Array(this.count);
    this.selecting = new Float64Array(this.count);
    const terms = this.termNames.length;
    this.isUse = Uint8Array.from(this.termNames, (term) => (term.startsWith('u:') ? 1 : 0));
    this.queryWeights = new Float64Array(terms);
    this.queryHas = new Uint8Array(terms);
    this.sharedStamp = new Int32Array(terms);
    this.sharedWeight = new Float32Array(terms);
    // Posting lists, strongest first, so a query stops reading a term at its impact threshold.
    const counts = new Int32Array(terms);
    const used = this.offsets[this.count]!;
    for (let k = 0; k < used; k += 1) counts[this.vectorTerms[k]!]! += 1;
    for (const n of counts) this.postings.push({ listings: new Int32Array(n), weights: new Float32Array(n) });
    const filled = new Int32Array(terms);
    for (let i = 0; i < this.count; i += 1) {
      for (let k = this.offsets[i]!; k < this.offsets[i + 1]!; k += 1) {
        const term = this.vectorTerms[k]!;
        const list = this.postings[term]!;
        list.listings[filled[term]!] = i;
        list.weights[filled[term]!] = this.vectorWeights[k]!;
        filled[term]! += 1;
      }
    }
    for (const list of this.postings) sortByWeightDescending(list);
    this.mainPostings = used;
  }

  /** Live listings (added and not removed or replaced since). */
  get size(): number {
    return this.count - this.removedCount;
  }

  has(id: string): boolean {
    return this.positionOf.has(id);
  }

  /** True when tails or removal marks have grown enough that `compacted()` pays for itself. */
  get needsCompaction(): boolean {
    return this.tailPostings > Math.max(COMPACT_TAIL_POSTINGS, this.mainPostings / 10) || this.removedCount > this.count * COMPACT_REMOVED_SHARE;
  }

  /** Adds a listing, or replaces the one with its id; it is found by the next query. */
  upsert(listing: IndexedListing): void {
    if (this.queryInUse) throw new Error('ImpactIndex cannot change inside withQuery');
    const old = this.positionOf.get(listing.id);
    if (old !== undefined) this.markRemoved(old);
    const position = this.count;
    this.count += 1;
    this.ensurePositions(this.count);
    const { id, companyId, kind, company } = listing;
    this.meta[position] = { id, companyId, kind, company };
    this.companyOf[position] = intern(this.companyIds, companyId);
    this.setSignals(position, listing);
    const start = this.offsets[position]!;
    this.vectorTerms = grown(this.vectorTerms, start + listing.terms.length);
    this.vectorWeights = grown(this.vectorWeights, start + listing.terms.length);
    listing.terms.forEach((term, j) => {
      const termId = this.termIdFor(term);
      const weight = Math.fround(listing.weights[j]!);
      this.vectorTerms[start + j] = termId;
      this.vectorWeights[start + j] = weight;
      const tail = (this.tails[termId] ??= { listings: new Int32Array(4), weights: new Float32Array(4), length: 0 });
      tail.listings = grown(tail.listings, tail.length + 1);
      tail.weights = grown(tail.weights, tail.length + 1);
      tail.listings[tail.length] = position;
      tail.weights[tail.length] = weight;
      tail.length += 1;
    });
    this.tailPostings += listing.terms.length;
    this.offsets[position + 1] = start + listing.terms.length;
    this.positionOf.set(id, position);
  }

  /** Removes the listing with this id; false when the index does not hold it. */
  remove(id: string): boolean {
    if (this.queryInUse) throw new Error('ImpactIndex cannot change inside withQuery');
    const position = this.positionOf.get(id);
    if (position === undefined) return false;
    this.markRemoved(position);
    this.positionOf.delete(id);
    return true;
  }

  /** A new index of the live listings, every posting impact-ordered again. */
  compacted(): ImpactIndex {
    return this.rebuiltWith([], []);
  }

  /**
   * A new index of the live listings with these listings added or replaced and these ids removed:
   * what `upsert`, `remove` and `compacted` would give, without growing this one first (for a
   * batch of changes as large as a tenth of the index).
   */
  rebuiltWith(upserts: readonly IndexedListing[], removals: readonly string[]): ImpactIndex {
    const replaced = new Set([...upserts.map((l) => l.id), ...removals]);
    const kept = (position: number) => this.removed[position] === 0 && !replaced.has(this.meta[position]!.id);
    // Sized exactly, so building allocates the new arrays once, beside this index's.
    let postings = upserts.reduce((sum, l) => sum + l.terms.length, 0);
    for (let position = 0; position < this.count; position += 1) if (kept(position)) postings += this.offsets[position + 1]! - this.offsets[position]!;
    const builder = new ImpactIndexBuilder(postings);
    for (let position = 0; position < this.count; position += 1) {
      if (!kept(position)) continue;
      const terms: string[] = [];
      const weights: number[] = [];
      for (let k = this.offsets[position]!; k < this.offsets[position + 1]!; k += 1) {
        terms.push(this.termNames[this.vectorTerms[k]!]!);
        weights.push(this.vectorWeights[k]!);
      }
      builder.add({ ...this.meta[position]!, terms, weights });
    }
    for (const listing of upserts) builder.add(listing);
    return builder.build();
  }

  /** The listing as the scoring core takes it, its vector rebuilt as a Map. */
  scoredListing(position: number): ScoredListing {
    const vector: SparseVector = new Map();
    for (let k = this.offsets[position]!; k < this.offsets[position + 1]!; k += 1) {
      vector.set(this.termNames[this.vectorTerms[k]!]!, this.vectorWeights[k]!);
    }
    const { id, companyId, kind, company } = this.meta[position]!;
    return { id, companyId, kind, company, vector };
  }

  /** The listing without its vector: what scoring needs besides the overlap. */
  profile(position: number): ListingProfile {
    return this.meta[position]!;
  }

  /**
   * The non-text components of `need` paired with each listing at `positions` (crossIndustry,
   * crossValueChain and kindFit), from the listings' codes: what `scoreFromOverlap` computes from
   * the two profiles.
   */
  signalsInto(need: ListingProfile, positions: readonly number[], crossIndustry: Float64Array, valueChain: Float64Array, kindFit: Float64Array): void {
    const [kind, division, group, role] = this.signalCodes.of(need.kind, need.company);
    const { signals } = this;
    for (let i = 0; i < positions.length; i += 1) {
      const at = SIGNAL_CODES * positions[i]!;
      kindFit[i] = kindFitOfCodes(kind, signals[at]!);
      crossIndustry[i] = crossIndustryOfCodes(division, group, signals[at + 1]!, signals[at + 2]!);
      valueChain[i] = crossValueChainOfCodes(role, signals[at + 3]!);
    }
  }

  /**
   * Reads listings against one query vector (a unit vector, as stored vectors are), loaded into
   * the index's dense per-term arrays once for all of them: a need's 200 candidates and its 50
   * explained pairs cost one load, not one Map each.
   */
  withQuery<T>(query: SparseVector, read: (reader: QueryReader) => T): T {
    if (this.queryInUse) throw new Error('ImpactIndex.withQuery does not nest');
    this.queryInUse = true;
    // The query's features the index holds, in the query's order (explanations list ties in it).
    const held: { feature: string; term: number; weight: number }[] = [];
    for (const [feature, weight] of query) {
      const term = this.termIds.get(feature);
      if (term === undefined) continue;
      this.queryWeights[term] = weight;
      this.queryHas[term] = 1;
      held.push({ feature, term, weight });
    }
    try {
      return read({
        overlaps: (positions) => positions.map((position) => this.overlapWithLoaded(position)),
        overlapsInto: (positions, cosines, sharesUse) => {
          for (let i = 0; i < positions.length; i += 1) {
            const overlap = this.overlapWithLoaded(positions[i]!);
            cosines[i] = overlap.cosine;
            sharesUse[i] = overlap.sharesUse ? 1 : 0;
          }
        },
        sharedFeatures: (position) => this.sharedWithLoaded(held, position),
      });
    } finally {
      for (const { term } of held) {
        this.queryWeights[term] = 0;
        this.queryHas[term] = 0;
      }
      this.queryInUse = false;
    }
  }

  /** The exact cosine of `query` with each listing at `positions` and whether they share a use feature: what `scorePair` computes from two Maps. */
  overlaps(query: SparseVector, positions: readonly number[]): VectorOverlap[] {
    return this.withQuery(query, (reader) => reader.overlaps(positions));
  }

  /** Features `query` shares with the listing at `position`, largest contribution first (the order of `contributions`). */
  sharedFeatures(query: SparseVector, position: number): string[] {
    return this.withQuery(query, (reader) => reader.sharedFeatures(position));
  }

  /**
   * Positions of the `limit` live listings with the largest dot product over `query`, best first
   * (ties by id), leaving out one company's own listings.
   */
  candidates(query: readonly [string, number][], excludeCompanyId: string, limit: number, minImpact: number): { position: number; dot: number }[] {
    const excluded = this.companyIds.get(excludeCompanyId) ?? -1;
    const { scratch, touched, companyOf, removed, dots, selecting } = this;
    let touchedCount = 0;
    // The posting loops only accumulate: the company and removal checks run once per touched
    // listing below, not once per posting (a query reads ~7,000 postings for ~5,500 listings).
    for (const [term, queryWeight] of query) {
      const termId = this.termIds.get(term);
      if (termId === undefined || queryWeight <= 0) continue;
      const minWeight = minImpact / queryWeight;
      const { listings, weights } = this.postings[termId]!;
      for (let k = 0; k < listings.length; k += 1) {
        const weight = weights[k]!;
        if (weight < minWeight) break;
        const position = listings[k]!;
        if (scratch[position] === 0) touched[touchedCount++] = position;
        scratch[position]! += weight * queryWeight;
      }
      const tail = this.tails[termId];
      if (!tail) continue;
      for (let k = 0; k < tail.length; k += 1) {
        const weight = tail.weights[k]!;
        if (weight < minWeight) continue;
        const position = tail.listings[k]!;
        if (scratch[position] === 0) touched[touchedCount++] = position;
        scratch[position]! += weight * queryWeight;
      }
    }
    // Own-company and removed listings leave the set here. Every sum is read and cleared in this
    // one pass over the listings' scattered places; what follows reads the dots in touched order.
    let eligible = 0;
    for (let i = 0; i < touchedCount; i += 1) {
      const position = touched[i]!;
      const dot = scratch[position]!;
      scratch[position] = 0;
      if (companyOf[position] === excluded || removed[position] === 1) continue;
      touched[eligible] = position;
      dots[eligible] = dot;
      selecting[eligible] = dot;
      eligible += 1;
    }
    // A query touches thousands of listings: only those at least as strong as the limit-th are
    // ordered, and that one is found by selection (which reorders its copy), not by sorting them all.
    const cut = eligible > limit ? kthLargest(selecting, eligible, limit) : -Infinity;
    const found: { position: number; dot: number }[] = [];
    for (let i = 0; i < eligible; i += 1) if (dots[i]! >= cut) found.push({ position: touched[i]!, dot: dots[i]! });
    // Ties broken by id, as the SQL candidate query does. Ids are read only for ties: each is a
    // listing's object somewhere in the heap, and reading one per candidate was a cache miss each.
    const { meta } = this;
    found.sort((a, b) => b.dot - a.dot || compareIds(meta[a.position]!.id, meta[b.position]!.id));
    if (found.length > limit) found.length = limit;
    return found;
  }

  private setSignals(position: number, listing: Meta): void {
    const [kind, division, group, role] = this.signalCodes.of(listing.kind, listing.company);
    const at = SIGNAL_CODES * position;
    this.signals[at] = kind;
    this.signals[at + 1] = division;
    this.signals[at + 2] = group;
    this.signals[at + 3] = role;
  }

  private markRemoved(position: number): void {
    if (this.removed[position] === 1) return;
    this.removed[position] = 1;
    this.removedCount += 1;
  }

  private termIdFor(term: string): number {
    let termId = this.termIds.get(term);
    if (termId !== undefined) return termId;
    termId = this.termNames.length;
    this.termIds.set(term, termId);
    this.termNames.push(term);
    this.postings.push({ listings: new Int32Array(0), weights: new Float32Array(0) });
    const terms = this.termNames.length;
    this.isUse = grown(this.isUse, terms);
    this.isUse[termId] = term.startsWith('u:') ? 1 : 0;
    this.queryWeights = grown(this.queryWeights, terms);
    this.queryHas = grown(this.queryHas, terms);
    this.sharedStamp = grown(this.sharedStamp, terms);
    this.sharedWeight = grown(this.sharedWeight, terms);
    return termId;
  }

  private ensurePositions(count: number): void {
    this.companyOf = grown(this.companyOf, count);
    this.offsets = grown(this.offsets, count + 1);
    this.removed = grown(this.removed, count);
    this.signals = grown(this.signals, SIGNAL_CODES * count);
    this.scratch = grown(this.scratch, count);
    this.touched = grown(this.touched, count);
    this.dots = grown(this.dots, count);
    this.selecting = grown(this.selecting, count);
  }

  private overlapWithLoaded(position: number): VectorOverlap {
    let dot = 0;
    let sharesUse = false;
    for (let k = this.offsets[position]!; k < this.offsets[position + 1]!; k += 1) {
      const term = this.vectorTerms[k]!;
      if (this.queryHas[term] === 0) continue;
      dot += this.queryWeights[term]! * this.vectorWeights[k]!;
      if (this.isUse[term] === 1) sharesUse = true;
    }
    return { cosine: dot, sharesUse };
  }

  /**
   * Names only, no [feature, contribution] pair per shared feature: a re-score batch holds its
   * ~12,500 pairs' lists until they are explained, and those small arrays were a good part of
   * what the worker's garbage collector copied and promoted.
   */
  private sharedWithLoaded(held: readonly { feature: string; term: number; weight: number }[], position: number): string[] {
    // Stamps mark this listing's shared terms, so nothing needs clearing afterwards.
    if (this.stamp === 0x7fffffff) this.sharedStamp.fill((this.stamp = 0));
    this.stamp += 1;
    for (let k = this.offsets[position]!; k < this.offsets[position + 1]!; k += 1) {
      const term = this.vectorTerms[k]!;
      if (this.queryHas[term] === 0) continue;
      this.sharedStamp[term] = this.stamp;
      this.sharedWeight[term] = this.vectorWeights[k]!;
    }
    const shared: string[] = [];
    const contributions: number[] = [];
    for (const { feature, term, weight } of held) {
      if (this.sharedStamp[term] !== this.stamp) continue;
      // Insertion in order of contribution, after equal ones (a stable sort; lists are short).
      const contribution = weight * this.sharedWeight[term]!;
      let k = shared.length;
      while (k > 0 && contributions[k - 1]! < contribution) {
        shared[k] = shared[k - 1]!;
        contributions[k] = contributions[k - 1]!;
        k -= 1;
      }
      shared[k] = feature;
      contributions[k] = contribution;
    }
    return shared;
  }
}

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function sortByWeightDescending(list: Postings): void {
  const order = Array.from(list.listings.keys()).sort((a, b) => list.weights[b]! - list.weights[a]! || list.listings[a]! - list.listings[b]!);
  const listings = Int32Array.from(order, (k) => list.listings[k]!);
  const weights = Float32Array.from(order, (k) => list.weights[k]!);
  list.listings.set(listings);
  list.weights.set(weights);
}
