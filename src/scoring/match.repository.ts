// Stored matches: replaced per listing in one transaction, so a retried job rewrites the same rows.
import { sql, type Transaction } from 'kysely';
import type { Database, MatchComponents, MatchExplanation } from '../db/database.js';

export interface MatchInput {
  needId: string;
  capabilityId: string;
  needCompanyId: string;
  capabilityCompanyId: string;
  score: number;
  components: MatchComponents;
  explanation: MatchExplanation;
}

function toRow(match: MatchInput) {
  return {
    need_id: match.needId,
    capability_id: match.capabilityId,
    need_company_id: match.needCompanyId,
    capability_company_id: match.capabilityCompanyId,
    score: match.score,
    components: JSON.stringify(match.components),
    explanation: JSON.stringify(match.explanation),
    scored_at: new Date(),
  };
}

export async function upsertMatches(trx: Transaction<Database>, matches: MatchInput[]): Promise<void> {
  if (matches.length === 0) return;
  await trx
    .insertInto('matches')
    .values(matches.map(toRow))
    .onConflict((oc) =>
      oc.columns(['need_id', 'capability_id']).doUpdateSet((eb) => ({
        score: eb.ref('excluded.score'),
        components: eb.ref('excluded.components'),
        explanation: eb.ref('excluded.explanation'),
        scored_at: eb.ref('excluded.scored_at'),
      })),
    )
    .execute();
}

export function existingPairs(trx: Transaction<Database>, side: 'need' | 'capability', listingId: string) {
  return trx
    .selectFrom('matches')
    .select(['need_id', 'capability_id'])
    .where(side === 'need' ? 'need_id' : 'capability_id', '=', listingId)
    .execute();
}

export async function deleteMatchesOf(trx: Transaction<Database>, side: 'need' | 'capability', listingId: string): Promise<void> {
  await trx
    .deleteFrom('matches')
    .where(side === 'need' ? 'need_id' : 'capability_id', '=', listingId)
    .execute();
}

/** Keeps only each need's best `keep` matches. */
export async function trimNeeds(trx: Transaction<Database>, needIds: string[], keep: number): Promise<void> {
  if (needIds.length === 0) return;
  await sql`
    delete from matches m using (
      select need_id, capability_id, row_number() over (partition by need_id order by score desc, capability_id) as rank
      from matches where need_id = any(${needIds}::uuid[])
    ) ranked
    where m.need_id = ranked.need_id and m.capability_id = ranked.capability_id and ranked.rank > ${keep}`.execute(trx);
}
