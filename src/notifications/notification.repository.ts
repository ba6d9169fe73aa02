// Writing notifications, inside the transaction of the event they announce.
import { sql } from 'kysely';
import type { Executor } from '../db/executor.js';
import { plainArray } from '../db/plain-array.js';
import { uuidv7Batch } from '../lib/uuid-v7-batch.js';

export type NotificationType = 'match.strong' | 'introduction.proposed';

export interface NewNotification {
  companyId: string;
  type: NotificationType;
  payload: Record<string, unknown>;
}

/**
 * Inserts notifications; those for companies with a webhook are marked for delivery. Rows travel
 * in a few parameters, not a VALUES list: a full re-score announces tens of thousands of strong
 * pairs, and a VALUES list with a webhook subquery per row took most of a re-score batch's write time.
 */
export async function createNotifications(db: Executor, notifications: NewNotification[]): Promise<number> {
  if (notifications.length === 0) return 0;
  // Columns as array literals (ids and type names never need quoting) and payloads as one JSON
  // array, zipped back into rows: PostgreSQL reads them faster than a document of row objects.
  const result = await sql`
    insert into notifications (id, company_id, type, payload, webhook_state)
    select r.id, r.company_id, r.type, r.payload::jsonb,
           case when exists (select 1 from webhooks w where w.company_id = r.company_id) then 'pending' else 'none' end
    from rows from (
      unnest(${plainArray(uuidv7Batch(notifications.length))}::uuid[]),
      unnest(${plainArray(notifications.map((n) => n.companyId))}::uuid[]),
      unnest(${plainArray(notifications.map((n) => n.type))}::text[]),
      json_array_elements(${JSON.stringify(notifications.map((n) => n.payload))}::json)
    ) as r(id, company_id, type, payload)
    order by r.id`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
