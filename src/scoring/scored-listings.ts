// Listings as scoring loads them (text, kind and the company profile in one query) and as the
// pure scoring core takes them. Shared by the per-listing and the batch processors.
import { sql } from 'kysely';
import type { ListingKind, ListingSide } from '../db/database.js';
import type { Executor } from '../db/executor.js';
import type { ScoredListing } from '../matching/score.js';
import type { SparseVector } from '../matching/types.js';

export interface LoadedListing {
  id: string;
  companyId: string;
  side: ListingSide;
  kind: ListingKind;
  title: string;
  description: string;
  lang: 'nb' | 'nn' | 'en';
  tags: string[];
  naceCode: string;
  valueChainRole: string | null;
  /** The listing's version: explanation features are cached per version. */
  updatedAt: Date;
}


export async function loadListings(executor: Executor, ids: string[]): Promise<LoadedListing[]> {
  if (ids.length === 0) return [];
  return executor
    .selectFrom('listings as l')
    .innerJoin('companies as c', 'c.id', 'l.company_id')
    .select([
      'l.id',
      'l.company_id as companyId',
      'l.side',
      'l.kind',
      'l.title',
      'l.description',
      'l.lang',
      'l.tags',
      'c.nace_code as naceCode',
      'c.value_chain_role as valueChainRole',
      'l.updated_at as updatedAt',
    ])
    // One array parameter, not one per id: the statement stays the same for any number of ids,
    // so it is prepared and planned once (an IN list of 200 was planned on every call).
    .where('l.id', '=', sql<string>`any(${ids}::uuid[])`)
    .execute();
}

export const scored = (listing: LoadedListing, vector: SparseVector): ScoredListing => ({
  id: listing.id,
  companyId: listing.companyId,
  kind: listing.kind,
  vector,
  company: { naceCode: listing.naceCode, valueChainRole: listing.valueChainRole },
});
