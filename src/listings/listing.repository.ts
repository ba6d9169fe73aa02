// Kysely queries for listings (both sides).
import { sql } from 'kysely';
import { visibleToCompany } from '../auth/access.js';
import type { ListingSide, ListingUpdate, NewListingRow } from '../db/database.js';
import type { Executor } from '../db/executor.js';

export const insertListing = (db: Executor, row: NewListingRow) => db.insertInto('listings').values(row).returningAll().executeTakeFirstOrThrow();

export const findListing = (db: Executor, side: ListingSide, id: string) =>
  db.selectFrom('listings').selectAll().where('id', '=', id).where('side', '=', side).executeTakeFirst();

/** `viewer`: 'all' for those who manage the company, else the viewing company (or null) for visibility. */
export function listListingsOfCompany(
  db: Executor,
  side: ListingSide,
  companyId: string,
  options: { after?: string | undefined; limit: number; viewer: 'all' | string | null },
) {
  const { viewer } = options;
  let query = db
    .selectFrom('listings')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('side', '=', side)
    .orderBy('id')
    .limit(options.limit + 1);
  if (options.after) query = query.where('id', '>', options.after);
  if (viewer !== 'all') {
    query = query.where(viewer ? visibleToCompany('listings', viewer) : sql<boolean>`listings.visibility = 'public'`);
  }
  return query.execute();
}

export const updateListing = (db: Executor, side: ListingSide, id: string, changes: ListingUpdate) =>
  db.updateTable('listings').set(changes).where('id', '=', id).where('side', '=', side).returningAll().executeTakeFirst();

export const deleteListing = (db: Executor, side: ListingSide, id: string) =>
  db.deleteFrom('listings').where('id', '=', id).where('side', '=', side).returning('id').executeTakeFirst();
