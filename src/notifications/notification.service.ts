// A company's webhook endpoint, its in-app notifications and the webhook delivery log.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AccessPolicy } from '../auth/access.js';
import type { Principal } from '../auth/principal.js';
import type { Database } from '../db/database.js';
import { decodeCursor, toPage } from '../db/pagination.js';
import { badRequest, notFound } from '../errors.js';

export function createNotificationService(db: Kysely<Database>, access: AccessPolicy) {
  async function companyFor(principal: Principal, companyId: string | undefined): Promise<string> {
    const id = companyId ?? principal.companyId;
    if (!id) throw badRequest('Say whose notifications', [{ field: '/companyId', message: 'is required for admin and cluster-leader tokens' }]);
    if (!(await db.selectFrom('companies').select('id').where('id', '=', id).executeTakeFirst())) throw notFound('Company', id);
    await access.assertManageCompany(principal, id);
    return id;
  }

  return {
    /** Registers (or replaces) the webhook; the signing secret is returned only here. */
    async setWebhook(principal: Principal, companyId: string, url: string) {
      await companyFor(principal, companyId);
      const secret = `whsec_${randomBytes(24).toString('base64url')}`;
      const row = await db
        .insertInto('webhooks')
        .values({ company_id: companyId, url, secret })
        .onConflict((oc) => oc.column('company_id').doUpdateSet({ url, secret, created_at: new Date() }))
        .returningAll()
        .executeTakeFirstOrThrow();
      return { url: row.url, secret, createdAt: row.created_at.toISOString() };
    },

    async getWebhook(principal: Principal, companyId: string) {
      await companyFor(principal, companyId);
      const row = await db.selectFrom('webhooks').select(['url', 'created_at']).where('company_id', '=', companyId).executeTakeFirst();
      if (!row) throw notFound('Webhook of company', companyId);
      return { url: row.url, createdAt: row.created_at.toISOString() };
    },

    async deleteWebhook(principal: Principal, companyId: string) {
      await companyFor(principal, companyId);
      const deleted = await db.deleteFrom('webhooks').where('company_id', '=', companyId).returning('company_id').executeTakeFirst();
      if (!deleted) throw notFound('Webhook of company', companyId);
    },

    async deliveries(principal: Principal, companyId: string, limit: number) {
      await companyFor(principal, companyId);
      const rows = await db.selectFrom('webhook_deliveries').selectAll().where('company_id', '=', companyId).orderBy('id', 'desc').limit(limit).execute();
      return rows.map((r) => ({
        notificationId: r.notification_id,
        url: r.url,
        attempt: r.attempt,
        statusCode: r.status_code,
        error: r.error,
        succeeded: r.succeeded,
        durationMs: r.duration_ms,
        at: r.at.toISOString(),
      }));
    },

    async list(principal: Principal, query: { companyId?: string | undefined; unread: boolean; limit: number; cursor?: string | undefined }) {
      const companyId = await companyFor(principal, query.companyId);
      const after = decodeCursor(query.cursor);
      const rows = await db
        .selectFrom('notifications')
        .selectAll()
        .where('company_id', '=', companyId)
        .$if(query.unread, (qb) => qb.where('read_at', 'is', null))
        .$if(after !== undefined, (qb) => qb.where('id', '<', after!))
        .orderBy('id', 'desc')
        .limit(query.limit + 1)
        .execute();
      return toPage(rows, query.limit, (r) => ({
        id: r.id,
        companyId: r.company_id,
        type: r.type,
        data: r.payload,
        createdAt: r.created_at.toISOString(),
        readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
        webhook: r.webhook_state,
      }));
    },

    async markRead(principal: Principal, id: string) {
      const row = await db.selectFrom('notifications').select('company_id').where('id', '=', id).executeTakeFirst();
      if (!row || !(await access.canManageCompany(principal, row.company_id))) throw notFound('Notification', id);
      await db.updateTable('notifications').set({ read_at: new Date() }).where('id', '=', id).where('read_at', 'is', null).execute();
    },
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
