// Writing notifications, inside the transaction of the event they announce.
import { sql } from 'kysely';
import type { Executor } from '../db/executor.js';
import { uuidv7Batch } from '../lib/uuid-v7-batch.js';

export type NotificationType = 'match.strong' | 'introduction.proposed';

export interface NewNotification {
  companyId: string;
  type: NotificationType;
  payload: Record<string, unknown>;
}

/**
 * Inserts notifications; those for companies with a webhook are marked for delivery. Rows travel
 * as one JSON parameter: a full re-score announces tens of thousands of strong pairs, and a
 * VALUES list with a webhook subquery per row took most of a re-score batch's write time.
 */
export async function createNotifications(db: Executor, notifications: NewNotification[]): Promise<number> {
  if (notifications.length === 0) return 0;
  const ids = uuidv7Batch(notifications.length);
  const rows = JSON.stringify(notifications.map((n, i) => ({ id: ids[i], company_id: n.companyId, type: n.type, payload: n.payload })));
  const result = await sql`
    insert into notifications (id, company_id, type, payload, webhook_state)
    select r.id, r.company_id, r.type, r.payload,
           case when exists (select 1 from webhooks w where w.company_id = r.company_id) then 'pending' else 'none' end
    from json_to_recordset(${rows}::json) as r(id uuid, company_id uuid, type text, payload jsonb)
    order by r.id`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
