// Kysely queries for companies. No rules here: the service decides.
import type { CompanyUpdate, NewCompanyRow } from '../db/database.js';
import type { Executor } from '../db/executor.js';

export const insertCompany = (db: Executor, row: NewCompanyRow) => db.insertInto('companies').values(row).returningAll().executeTakeFirstOrThrow();

export const findCompany = (db: Executor, id: string) => db.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst();

export function listCompanies(
  db: Executor,
  options: { after?: string | undefined; limit: number; inClusters?: string[]; orCompany?: string | undefined },
) {
  let query = db.selectFrom('companies').selectAll().orderBy('id').limit(options.limit + 1);
  if (options.after) query = query.where('id', '>', options.after);
  const { inClusters, orCompany } = options;
  if (inClusters) {
    query = query.where((eb) =>
      eb.or([
        ...(inClusters.length ? [eb('id', 'in', eb.selectFrom('cluster_members').select('company_id').where('cluster_id', 'in', inClusters))] : []),
        ...(orCompany ? [eb('id', '=', orCompany)] : []),
        eb.val(false),
      ]),
    );
  }
  return query.execute();
}

export const updateCompany = (db: Executor, id: string, changes: CompanyUpdate) =>
  db.updateTable('companies').set(changes).where('id', '=', id).returningAll().executeTakeFirst();

export const deleteCompany = (db: Executor, id: string) => db.deleteFrom('companies').where('id', '=', id).returning('id').executeTakeFirst();

export async function listingIdsOfCompany(db: Executor, companyId: string): Promise<string[]> {
  const rows = await db.selectFrom('listings').select('id').where('company_id', '=', companyId).execute();
  return rows.map((r) => r.id);
}
