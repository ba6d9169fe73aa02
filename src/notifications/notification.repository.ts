// Writing notifications, inside the transaction of the event they announce.
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../db/executor.js';
import { plainArray } from '../db/plain-array.js';
import { uuidv7Batch } from '../lib/uuid-v7-batch.js';

export type NotificationType = 'match.strong' | 'introduction.proposed';

// Whether a new row goes out by webhook: 'pending' when its company has registered one. Both
// inserts below join the webhooks once (`hooked`, on the row's company) rather than asking per row:
// a subquery per row was an eighth of the insert's time. Ids are made in order, and rows are
// inserted in that order without a sort, so the primary key is appended to.
const webhookJoin = (companyColumn: string) => sql`left join webhooks hooked on hooked.company_id = ${sql.ref(companyColumn)}`;
const webhookState = sql`case when hooked.company_id is null then 'none' else 'pending' end`;

export interface NewNotification {
  companyId: string;
  type: NotificationType;
  payload: Record<string, unknown>;
}

/**
 * Inserts notifications of any type with their payloads; those for companies with a webhook are
 * marked for delivery. Rows travel in a few parameters, not a VALUES list (one statement, however
 * many rows). Strong pairs, by far the most numerous, have their own `announceStrongPairs`.
 */
export async function createNotifications(db: Executor, notifications: NewNotification[]): Promise<number> {
  if (notifications.length === 0) return 0;
  // Columns as array literals (ids and type names never need quoting) and payloads as one JSON
  // array, zipped back into rows: PostgreSQL reads them faster than a document of row objects.
  const result = await sql`
    insert into notifications (id, company_id, type, payload, webhook_state)
    select r.id, r.company_id, r.type, r.payload::jsonb, ${webhookState}
    from rows from (
      unnest(${plainArray(uuidv7Batch(notifications.length))}::uuid[]),
      unnest(${plainArray(notifications.map((n) => n.companyId))}::uuid[]),
      unnest(${plainArray(notifications.map((n) => n.type))}::text[]),
      json_array_elements(${JSON.stringify(notifications.map((n) => n.payload))}::json)
    ) as r(id, company_id, type, payload)
    ${webhookJoin('r.company_id')}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** A pair worth announcing: the two listings, their companies and the pair's score. */
export interface StrongPair {
  needId: string;
  capabilityId: string;
  needCompanyId: string;
  capabilityCompanyId: string;
  score: number;
}

/**
 * `match.strong` to both companies of each pair, the need's company first. The pairs travel as
 * columns and PostgreSQL builds the two payloads: a full re-score announces hundreds of thousands
 * of pairs, and building, serialising and parsing a JSON payload per row was a tenth of the
 * batch's write time on both sides.
 */
export async function announceStrongPairs(db: Executor, pairs: readonly StrongPair[]): Promise<number> {
  let written = 0;
  for (let i = 0; i < pairs.length; i += 5_000) {
    const chunk = pairs.slice(i, i + 5_000);
    const ids = uuidv7Batch(2 * chunk.length);
    const result = await sql`${strongPairNotifications(sql`rows from (
        unnest(${plainArray(ids.filter((_, k) => k % 2 === 0))}::uuid[]),
        unnest(${plainArray(ids.filter((_, k) => k % 2 === 1))}::uuid[]),
        unnest(${plainArray(chunk.map((p) => p.needId))}::uuid[]),
        unnest(${plainArray(chunk.map((p) => p.capabilityId))}::uuid[]),
        unnest(${plainArray(chunk.map((p) => p.needCompanyId))}::uuid[]),
        unnest(${plainArray(chunk.map((p) => p.capabilityCompanyId))}::uuid[]),
        unnest(${plainArray(chunk.map((p) => p.score))}::float8[])
      ) as p(need_notification_id, capability_notification_id, need_id, capability_id, need_company_id, capability_company_id, score)`)}`.execute(db);
    written += Number(result.numAffectedRows ?? 0);
  }
  return written;
}

/**
 * The insert of `match.strong` notifications for the pairs of `pairs`, a from-item named `p` with
 * the columns need_id, capability_id, need_company_id, capability_company_id, score and the two
 * rows' ids, need_notification_id and capability_notification_id. Ids are made in order by the
 * caller, a pair's two consecutive, so rows come out in id order. Also used inside the statement
 * that writes a re-score batch's pairs, which announces its new strong pairs without sending them
 * back and forth (see replaceNeedsMatches).
 */
export function strongPairNotifications(pairs: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    insert into notifications (id, company_id, type, payload, webhook_state)
    select v.id, v.company_id, 'match.strong',
           jsonb_build_object('needId', p.need_id, 'capabilityId', p.capability_id, 'partnerCompanyId', v.partner_company_id, 'score', p.score),
           ${webhookState}
    from ${pairs}
    cross join lateral (values
      (p.need_notification_id, p.need_company_id, p.capability_company_id),
      (p.capability_notification_id, p.capability_company_id, p.need_company_id)
    ) as v(id, company_id, partner_company_id)
    ${webhookJoin('v.company_id')}`;
}
