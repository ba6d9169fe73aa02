// Plain data types of the pure matching core (no database, queue or HTTP types here).
export type Lang = 'nb' | 'nn' | 'en';
export type Side = 'need' | 'capability';
export type Kind = 'competence' | 'capacity' | 'equipment' | 'product' | 'byproduct' | 'rnd' | 'logistics' | 'service';

export interface ListingText {
  title: string;
  description: string;
  tags: readonly string[];
  lang: Lang;
}

/** Sparse feature vector: feature → weight. Features are prefixed by family (w: word, c: concept…). */
export type SparseVector = Map<string, number>;

export interface CompanyProfile {
  naceCode: string;
  valueChainRole: string | null;
}
