// One webhook delivery attempt: POST the notification as JSON with an HMAC-SHA256 signature over
// "<timestamp>.<body>" (headers X-Koblingsboks-Timestamp and X-Koblingsboks-Signature), logged in
// webhook_deliveries. A non-2xx answer or a network error throws, so the queue retries with backoff.
import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';

export class WebhookDeliveryError extends Error {}

export function signPayload(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

const TIMEOUT_MS = 5_000;

/** Returns 'delivered' or 'skipped' (no webhook any more); throws when the receiver did not take it. */
export async function deliverNotification(db: Kysely<Database>, notificationId: string, attempt: number): Promise<'delivered' | 'skipped'> {
  const row = await db
    .selectFrom('notifications as n')
    .leftJoin('webhooks as w', 'w.company_id', 'n.company_id')
    .select(['n.id', 'n.company_id', 'n.type', 'n.payload', 'n.created_at', 'w.url', 'w.secret'])
    .where('n.id', '=', notificationId)
    .executeTakeFirst();
  if (!row || !row.url || !row.secret) {
    if (row) await db.updateTable('notifications').set({ webhook_state: 'none' }).where('id', '=', notificationId).execute();
    return 'skipped';
  }
  const body = JSON.stringify({ id: row.id, type: row.type, companyId: row.company_id, createdAt: row.created_at.toISOString(), data: row.payload });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const started = performance.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const response = await fetch(row.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-koblingsboks-timestamp': timestamp,
        'x-koblingsboks-signature': signPayload(row.secret, timestamp, body),
        'x-koblingsboks-delivery': `${row.id}-${attempt}`,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    statusCode = response.status;
    await response.body?.cancel();
    if (response.status < 200 || response.status >= 300) error = `receiver answered ${response.status}`;
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  }
  const succeeded = error === null;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('webhook_deliveries')
      .values({
        notification_id: row.id,
        company_id: row.company_id,
        url: row.url!,
        attempt,
        status_code: statusCode,
        error,
        succeeded,
        duration_ms: Math.round(performance.now() - started),
      })
      .execute();
    if (succeeded) await trx.updateTable('notifications').set({ webhook_state: 'delivered' }).where('id', '=', row.id).execute();
  });
  if (!succeeded) throw new WebhookDeliveryError(error ?? 'delivery failed');
  return 'delivered';
}

export async function markDeliveryFailed(db: Kysely<Database>, notificationId: string): Promise<void> {
  await db.updateTable('notifications').set({ webhook_state: 'failed' }).where('id', '=', notificationId).execute();
}
