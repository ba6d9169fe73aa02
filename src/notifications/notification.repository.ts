// Writing notifications, inside the transaction of the event they announce.
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Executor } from '../db/executor.js';

export type NotificationType = 'match.strong' | 'introduction.proposed';

export interface NewNotification {
  companyId: string;
  type: NotificationType;
  payload: Record<string, unknown>;
}

/** Inserts notifications; those for companies with a webhook are marked for delivery. */
export async function createNotifications(db: Executor, notifications: NewNotification[]): Promise<number> {
  if (notifications.length === 0) return 0;
  const result = await db
    .insertInto('notifications')
    .values(
      notifications.map((n) => ({
        id: uuidv7(),
        company_id: n.companyId,
        type: n.type,
        payload: JSON.stringify(n.payload),
        webhook_state: sql<'pending' | 'none'>`case when exists (select 1 from webhooks w where w.company_id = ${n.companyId}) then 'pending' else 'none' end`,
      })),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}
