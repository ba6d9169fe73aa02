// An in-memory inverted index over one side's stored vectors, for bulk scoring (a full re-score
// scores every need against the same capabilities, so loading them once beats one index query per
// need). Same candidate rule as the PostgreSQL index: the listings with the largest dot product
// over the query's features, skipping postings whose contribution is below `minImpact`.
// Compact on purpose: terms and weights live in typed arrays (about 8 bytes a posting), and a
// listing's vector is turned into a Map only when it is a candidate.
import type { ListingProfile, ScoredListing, VectorOverlap } from './score.js';
import type { CompanyProfile, Kind, SparseVector } from './types.js';

export interface IndexedListing {
  id: string;
  companyId: string;
  kind: Kind;
  company: CompanyProfile;
  terms: readonly string[];
  weights: readonly number[];
}

interface Postings {
  listings: Int32Array;
  weights: Float32Array;
}

interface IndexParts {
  meta: Omit<IndexedListing, 'terms' | 'weights'>[];
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
  private readonly meta: IndexParts['meta'] = [];
  private readonly termIds = new Map<string, number>();
  private readonly termNames: string[] = [];
  private readonly companyIds = new Map<string, number>();
  private readonly companyOf: number[] = [];
  private readonly offsets: number[] = [0];
  private vectorTerms = new Int32Array(1 << 12);
  private vectorWeights = new Float32Array(1 << 12);
  private length = 0;

  add(listing: IndexedListing): void {
    const { id, companyId, kind, company } = listing;
    this.meta.push({ id, companyId, kind, company });
    this.companyOf.push(intern(this.companyIds, companyId));
    this.reserve(listing.terms.length);
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
      vectorTerms: this.vectorTerms.slice(0, this.length),
      vectorWeights: this.vectorWeights.slice(0, this.length),
    });
  }

  private reserve(more: number): void {
    if (this.length + more <= this.vectorTerms.length) return;
    const capacity = Math.max(this.vectorTerms.length * 2, this.length + more);
    const terms = new Int32Array(capacity);
    terms.set(this.vectorTerms.subarray(0, this.length));
    const weights = new Float32Array(capacity);
    weights.set(this.vectorWeights.subarray(0, this.length));
    this.vectorTerms = terms;
    this.vectorWeights = weights;
  }
}

function intern(ids: Map<string, number>, key: string): number {
  let id = ids.get(key);
  if (id === undefined) ids.set(key, (id = ids.size));
  return id;
}

/** One query's view of the index, valid inside `ImpactIndex.withQuery`. */
export interface QueryReader {
  overlaps(positions: readonly number[]): VectorOverlap[];
  sharedFeatures(position: number): [string, number][];
}

export class ImpactIndex {
  readonly size: number;
  private readonly meta: IndexParts['meta'];
  private readonly termIds: Map<string, number>;
  private readonly termNames: string[];
  private readonly offsets: Int32Array;
  private readonly vectorTerms: Int32Array;
  private readonly vectorWeights: Float32Array;
  private readonly postings: Postings[] = [];
  private readonly companyOf: Int32Array;
  private readonly companyIds: Map<string, number>;
  private readonly scratch: Float64Array;
  /** Per term: whether it is a use feature (u:…), whose sharing is a circular link. */
  private readonly isUse: Uint8Array;
  /** A query's weights by term id (terms the index does not hold cannot overlap), zeroed after use. */
  private readonly queryWeights: Float64Array;
  private readonly queryHas: Uint8Array;
  private queryInUse = false;
  private readonly sharedStamp: Int32Array;
  private readonly sharedWeight: Float32Array;
  private stamp = 0;

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
    this.size = this.meta.length;
    this.scratch = new Float64Array(this.size);
    this.isUse = Uint8Array.from(this.termNames, (term) => (term.startsWith('u:') ? 1 : 0));
    this.queryWeights = new Float64Array(this.termNames.length);
    this.queryHas = new Uint8Array(this.termNames.length);
    this.sharedStamp = new Int32Array(this.termNames.length);
    this.sharedWeight = new Float32Array(this.termNames.length);
    // Posting lists, strongest first, so a query stops reading a term at its impact threshold.
    const counts = new Int32Array(this.termNames.length);
    for (const term of this.vectorTerms) counts[term]! += 1;
    for (const count of counts) this.postings.push({ listings: new Int32Array(count), weights: new Float32Array(count) });
    const filled = new Int32Array(this.termNames.length);
    for (let i = 0; i < this.size; i += 1) {
      for (let k = this.offsets[i]!; k < this.offsets[i + 1]!; k += 1) {
        const term = this.vectorTerms[k]!;
        const list = this.postings[term]!;
        list.listings[filled[term]!] = i;
        list.weights[filled[term]!] = this.vectorWeights[k]!;
        filled[term]! += 1;
      }
    }
    for (const list of this.postings) sortByWeightDescending(list);
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

  /** Features `query` shares with the listing at `position` and their contributions, largest first (as `contributions`). */
  sharedFeatures(query: SparseVector, position: number): [string, number][] {
    return this.withQuery(query, (reader) => reader.sharedFeatures(position));
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

  private sharedWithLoaded(held: readonly { feature: string; term: number; weight: number }[], position: number): [string, number][] {
    // Stamps mark this listing's shared terms, so nothing needs clearing afterwards.
    if (this.stamp === 0x7fffffff) this.sharedStamp.fill((this.stamp = 0));
    this.stamp += 1;
    for (let k = this.offsets[position]!; k < this.offsets[position + 1]!; k += 1) {
      const term = this.vectorTerms[k]!;
      if (this.queryHas[term] === 0) continue;
      this.sharedStamp[term] = this.stamp;
      this.sharedWeight[term] = this.vectorWeights[k]!;
    }
    const shared: [string, number][] = [];
    for (const { feature, term, weight } of held) if (this.sharedStamp[term] === this.stamp) shared.push([feature, weight * this.sharedWeight[term]!]);
    return shared.sort((x, y) => y[1] - x[1]);
  }

  /**
   * Positions of the `limit` listings with the largest dot product over `query`, best first,
   * leaving out one company's own listings.
   */
  candidates(query: readonly [string, number][], excludeCompanyId: string, limit: number, minImpact: number): { position: number; dot: number }[] {
    const excluded = this.companyIds.get(excludeCompanyId) ?? -1;
    const touched: number[] = [];
    for (const [term, queryWeight] of query) {
      const termId = this.termIds.get(term);
      if (termId === undefined || queryWeight <= 0) continue;
      const { listings, weights } = this.postings[termId]!;
      const minWeight = minImpact / queryWeight;
      for (let k = 0; k < listings.length; k += 1) {
        const weight = weights[k]!;
        if (weight < minWeight) break;
        const position = listings[k]!;
        if (this.companyOf[position] === excluded) continue;
        if (this.scratch[position] === 0) touched.push(position);
        this.scratch[position]! += weight * queryWeight;
      }
    }
    // Only listings at least as strong as the limit-th are ordered (a query touches thousands).
    const dots = new Float64Array(touched.length);
    for (let i = 0; i < touched.length; i += 1) dots[i] = this.scratch[touched[i]!]!;
    dots.sort();
    const cut = touched.length > limit ? dots[dots.length - limit]! : -Infinity;
    const found: { position: number; dot: number; id: string }[] = [];
    for (const position of touched) {
      const dot = this.scratch[position]!;
      if (dot >= cut) found.push({ position, dot, id: this.meta[position]!.id });
      this.scratch[position] = 0;
    }
    // Ties broken by id, as the SQL candidate query does.
    found.sort((a, b) => b.dot - a.dot || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return found.slice(0, limit).map(({ position, dot }) => ({ position, dot }));
  }
}

function sortByWeightDescending(list: Postings): void {
  const order = Array.from(list.listings.keys()).sort((a, b) => list.weights[b]! - list.weights[a]! || list.listings[a]! - list.listings[b]!);
  const listings = Int32Array.from(order, (k) => list.listings[k]!);
  const weights = Float32Array.from(order, (k) => list.weights[k]!);
  list.listings.set(listings);
  list.weights.set(weights);
}
