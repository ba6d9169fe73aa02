// Read queries for matches, joined with the listing summaries the API shows. One query per page:
// no per-row look-ups.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';

function matchesWithListings(db: Kysely<Database>) {
  return db
    .selectFrom('matches as m')
    .innerJoin('listings as n', 'n.id', 'm.need_id')
    .innerJoin('listings as c', 'c.id', 'm.capability_id')
    .innerJoin('companies as nc', 'nc.id', 'm.need_company_id')
    .innerJoin('companies as cc', 'cc.id', 'm.capability_company_id')
    .select([
      'm.need_id',
      'm.capability_id',
      'm.need_company_id',
      'm.capability_company_id',
      'm.score',
      'm.components',
      'm.explanation',
      'm.scored_at',
      'n.kind as need_kind',
      'n.title as need_title',
      'nc.name as need_company_name',
      'c.kind as capability_kind',
      'c.title as capability_title',
      'cc.name as capability_company_name',
    ]);
}

export type MatchWithListingsRow = Awaited<ReturnType<ReturnType<typeof matchesWithListings>['execute']>>[number];

export function matchesOfListing(db: Kysely<Database>, side: 'need' | 'capability', listingId: string, offset: number, limit: number) {
  return matchesWithListings(db)
    .where(side === 'need' ? 'm.need_id' : 'm.capability_id', '=', listingId)
    .orderBy('m.score', 'desc')
    .orderBy(side === 'need' ? 'm.capability_id' : 'm.need_id')
    .offset(offset)
    .limit(limit + 1)
    .execute();
}

/** Partner companies ranked by their best pair with the company, either direction. */
export async function partnersOfCompany(db: Kysely<Database>, companyId: string, offset: number, limit: number) {
  const { rows } = await sql<{ partner_id: string; best: number; pairs: number }>`
    select partner_id, max(score)::float8 as best, count(*)::int as pairs from (
      select capability_company_id as partner_id, score from matches where need_company_id = ${companyId}
      union all
      select need_company_id as partner_id, score from matches where capability_company_id = ${companyId}
    ) p
    group by partner_id
    order by best desc, partner_id
    offset ${offset} limit ${limit + 1}`.execute(db);
  return rows;
}

/** The best `perPartner` pairs between the company and each of the given partners. */
export async function pairsWithPartners(db: Kysely<Database>, companyId: string, partnerIds: string[], perPartner: number) {
  if (partnerIds.length === 0) return [];
  const ranked = await sql<{ need_id: string; capability_id: string }>`
    select need_id, capability_id from (
      select need_id, capability_id, row_number() over (
        partition by case when need_company_id = ${companyId} then capability_company_id else need_company_id end
        order by score desc, need_id, capability_id) as rank
      from matches
      where (need_company_id = ${companyId} and capability_company_id = any(${partnerIds}::uuid[]))
         or (capability_company_id = ${companyId} and need_company_id = any(${partnerIds}::uuid[]))
    ) r where rank <= ${perPartner}`.execute(db);
  if (ranked.rows.length === 0) return [];
  return matchesWithListings(db)
    .where((eb) => eb.or(ranked.rows.map((r) => eb.and([eb('m.need_id', '=', r.need_id), eb('m.capability_id', '=', r.capability_id)]))))
    .orderBy('m.score', 'desc')
    .execute();
}
