// An in-memory inverted index over one side's stored vectors, for bulk scoring (a full re-score
// scores every need against the same capabilities, so loading them once beats one index query per
// need). Same candidate rule as the PostgreSQL index: the listings with the largest dot product
// over the query's features, skipping postings whose contribution is below `minImpact`.
// Compact on purpose: terms and weights live in typed arrays (about 8 bytes a posting), and a
// listing's vector is turned into a Map only when it is a candidate.
import type { ScoredListing } from './score.js';
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
    const found = touched.map((position) => ({ position, dot: this.scratch[position]!, id: this.meta[position]!.id }));
    for (const position of touched) this.scratch[position] = 0;
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
