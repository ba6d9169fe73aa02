// Kysely queries for listings (both sides).
import type { ListingSide, ListingUpdate, NewListingRow } from '../db/database.js';
import type { Executor } from '../db/executor.js';

export const insertListing = (db: Executor, row: NewListingRow) => db.insertInto('listings').values(row).returningAll().executeTakeFirstOrThrow();

export const findListing = (db: Executor, side: ListingSide, id: string) =>
  db.selectFrom('listings').selectAll().where('id', '=', id).where('side', '=', side).executeTakeFirst();

export function listListingsOfCompany(db: Executor, side: ListingSide, companyId: string, options: { after?: string | undefined; limit: number }) {
  let query = db
    .selectFrom('listings')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('side', '=', side)
    .orderBy('id')
    .limit(options.limit + 1);
  if (options.after) query = query.where('id', '>', options.after);
  return query.execute();
}

export const updateListing = (db: Executor, side: ListingSide, id: string, changes: ListingUpdate) =>
  db.updateTable('listings').set(changes).where('id', '=', id).where('side', '=', side).returningAll().executeTakeFirst();

export const deleteListing = (db: Executor, side: ListingSide, id: string) =>
  db.deleteFrom('listings').where('id', '=', id).where('side', '=', side).returning('id').executeTakeFirst();
