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

export class ImpactIndex {
  readonly size: number;
  private readonly meta: Omit<IndexedListing, 'terms' | 'weights'>[];
  private readonly termIds = new Map<string, number>();
  private readonly termNames: string[] = [];
  private readonly offsets: Int32Array;
  private readonly vectorTerms: Int32Array;
  private readonly vectorWeights: Float32Array;
  private readonly postings: Postings[] = [];
  private readonly companyOf: Int32Array;
  private readonly companyIds = new Map<string, number>();
  private readonly scratch: Float64Array;

  constructor(listings: readonly IndexedListing[]) {
    this.size = listings.length;
    this.meta = listings.map(({ id, companyId, kind, company }) => ({ id, companyId, kind, company }));
    this.offsets = new Int32Array(listings.length + 1);
    let total = 0;
    listings.forEach((listing, i) => {
      this.offsets[i] = total;
      total += listing.terms.length;
    });
    this.offsets[listings.length] = total;
    this.vectorTerms = new Int32Array(total);
    this.vectorWeights = new Float32Array(total);
    this.companyOf = new Int32Array(listings.length);
    this.scratch = new Float64Array(listings.length);

    const counts: number[] = [];
    listings.forEach((listing, i) => {
      this.companyOf[i] = this.intern(this.companyIds, listing.companyId);
      listing.terms.forEach((term, j) => {
        let id = this.termIds.get(term);
        if (id === undefined) {
          id = this.termNames.length;
          this.termIds.set(term, id);
          this.termNames.push(term);
          counts.push(0);
        }
        counts[id]! += 1;
        this.vectorTerms[this.offsets[i]! + j] = id;
        this.vectorWeights[this.offsets[i]! + j] = listing.weights[j]!;
      });
    });
    // Posting lists, strongest first, so a query stops reading a term at its impact threshold.
    const filled = counts.map(() => 0);
    for (const count of counts) this.postings.push({ listings: new Int32Array(count), weights: new Float32Array(count) });
    for (let i = 0; i < listings.length; i += 1) {
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

  private intern(ids: Map<string, number>, key: string): number {
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    return id;
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
