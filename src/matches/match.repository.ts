// Read queries for matches, joined with the listing summaries the API shows. One query per page:
// no per-row look-ups.
import { sql, type Kysely } from 'kysely';
import { visibleToCompany } from '../auth/access.js';
import type { FeedbackVerdict } from '../db/database.js';
import type { Database } from '../db/database.js';

/** Matches with both listings' summaries and the viewing company's feedback on each pair. */
function matchesWithListings(db: Kysely<Database>, viewerCompanyId: string) {
  return db
    .selectFrom('matches as m')
    .leftJoin('match_feedback as f', (join) =>
      join.onRef('f.need_id', '=', 'm.need_id').onRef('f.capability_id', '=', 'm.capability_id').on('f.company_id', '=', viewerCompanyId),
    )
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
      'nc.nace_code as need_company_nace_code',
      'nc.value_chain_role as need_company_value_chain_role',
      'c.kind as capability_kind',
      'c.title as capability_title',
      'cc.name as capability_company_name',
      'cc.nace_code as capability_company_nace_code',
      'cc.value_chain_role as capability_company_value_chain_role',
      'f.verdict as feedback',
    ]);
}

export type MatchWithListingsRow = Awaited<ReturnType<ReturnType<typeof matchesWithListings>['execute']>>[number];

export async function upsertFeedback(
  db: Kysely<Database>,
  row: { needId: string; capabilityId: string; companyId: string; verdict: FeedbackVerdict; note: string | null },
) {
  return db
    .insertInto('match_feedback')
    .values({ need_id: row.needId, capability_id: row.capabilityId, company_id: row.companyId, verdict: row.verdict, note: row.note })
    .onConflict((oc) =>
      oc.columns(['need_id', 'capability_id', 'company_id']).doUpdateSet({ verdict: row.verdict, note: row.note, updated_at: new Date() }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function matchesOfListing(
  db: Kysely<Database>,
  query: { side: 'need' | 'capability'; listingId: string; viewerCompanyId: string; includeDismissed: boolean; offset: number; limit: number },
) {
  const { side, listingId, offset, limit } = query;
  return matchesWithListings(db, query.viewerCompanyId)
    .where(side === 'need' ? 'm.need_id' : 'm.capability_id', '=', listingId)
    // Nobody is suggested a listing they may not see.
    .where(visibleToCompany(side === 'need' ? 'c' : 'n', query.viewerCompanyId))
    .$if(!query.includeDismissed, (qb) => qb.where((eb) => eb.or([eb('f.verdict', 'is', null), eb('f.verdict', '!=', 'dismissed')])))
    .orderBy('m.score', 'desc')
    .orderBy(side === 'need' ? 'm.capability_id' : 'm.need_id')
    .offset(offset)
    .limit(limit + 1)
    .execute();
}

/**
 * The company's pairs in either direction, without those it dismissed: found through the company's
 * own listings (listings_company_side_id), then the primary key for its needs' pairs and
 * matches_capability_score for its capabilities' pairs.
 */
const pairsOf = (companyId: string) => sql`
  select m.* from listings own
  join matches m on m.need_id = own.id
  join listings counterpart on counterpart.id = m.capability_id
  where own.company_id = ${companyId} and own.side = 'need'
    and ${visibleToCompany('counterpart', companyId)}
    and not exists (
      select 1 from match_feedback f
      where f.need_id = m.need_id and f.capability_id = m.capability_id and f.company_id = ${companyId} and f.verdict = 'dismissed')
  union all
  select m.* from listings own
  join matches m on m.capability_id = own.id
  join listings counterpart on counterpart.id = m.need_id
  where own.company_id = ${companyId} and own.side = 'capability'
    and ${visibleToCompany('counterpart', companyId)}
    and not exists (
      select 1 from match_feedback f
      where f.need_id = m.need_id and f.capability_id = m.capability_id and f.company_id = ${companyId} and f.verdict = 'dismissed')`;

/** Partner companies ranked by their best pair with the company, either direction. */
export async function partnersOfCompany(db: Kysely<Database>, companyId: string, offset: number, limit: number) {
  const { rows } = await sql<{ partner_id: string; best: number; pairs: number }>`
    select case when need_company_id = ${companyId} then capability_company_id else need_company_id end as partner_id,
           max(score)::float8 as best, count(*)::int as pairs
    from (${pairsOf(companyId)}) p
    group by 1
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
      from (${pairsOf(companyId)}) p
      where need_company_id = any(${partnerIds}::uuid[]) or capability_company_id = any(${partnerIds}::uuid[])
    ) r where rank <= ${perPartner}`.execute(db);
  if (ranked.rows.length === 0) return [];
  return matchesWithListings(db, companyId)
    // Two array parameters rather than one OR per pair: the text stays the same whatever the page
    // holds, so it is prepared once and planned once per connection.
    .where(
      sql<boolean>`(m.need_id, m.capability_id) in (select * from unnest(${ranked.rows.map((r) => r.need_id)}::uuid[], ${ranked.rows.map((r) => r.capability_id)}::uuid[]))`,
    )
    .orderBy('m.score', 'desc')
    .execute();
}
