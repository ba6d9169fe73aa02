// Notifications: the in-app list, and the webhook a company registers to receive them signed.
import { Type } from '@sinclair/typebox';
import type { App } from '../app-types.js';
import { principalOf } from '../auth/auth-plugin.js';
import { CompanyParams } from '../companies/company.schema.js';
import type { NotificationService } from '../notifications/notification.service.js';
import { ProblemRef, Timestamp, Uuid, commonErrors } from '../schemas/common.js';

const tags = ['notifications'];
const Webhook = Type.Object({ url: Type.String(), createdAt: Timestamp }, { examples: [{ url: 'https://erp.glomma-stoperi.example.no/hooks/koblingsboks', createdAt: '2026-11-02T09:30:00.000Z' }] });
const Notification = Type.Object(
  {
    id: Uuid,
    companyId: Uuid,
    type: Type.String({ examples: ['match.strong', 'introduction.proposed'] }),
    data: Type.Record(Type.String(), Type.Unknown()),
    createdAt: Timestamp,
    readAt: Type.Union([Timestamp, Type.Null()]),
    webhook: Type.String({ description: 'Webhook delivery state: none, pending, queued, delivered or failed' }),
  },
  { title: 'Notification' },
);

export function notificationRoutes(app: App, service: NotificationService) {
  app.put(
    '/companies/:companyId/webhook',
    {
      schema: {
        operationId: 'setCompanyWebhook',
        summary: 'Register the URL that receives the company’s notifications, signed with HMAC-SHA256; the secret is shown only here',
        description:
          'Registers (or replaces) the URL that receives the company\'s notifications as signed JSON POSTs (`X-Koblingsboks-Signature: sha256=HMAC(secret, timestamp.body)`). The generated secret is shown only in this answer.',
        tags,
        params: CompanyParams,
        body: Type.Object({ url: Type.String({ format: 'uri', pattern: '^https?://', maxLength: 500 }) }, { additionalProperties: false, examples: [{ url: 'https://erp.glomma-stoperi.example.no/hooks/koblingsboks' }] }),
        response: { 200: Type.Object({ url: Type.String(), secret: Type.String(), createdAt: Timestamp }, { examples: [{ url: 'https://erp.glomma-stoperi.example.no/hooks/koblingsboks', secret: 'whsec_3q2+7w…', createdAt: '2026-11-02T09:30:00.000Z' }] }), 404: ProblemRef, 413: ProblemRef, 415: ProblemRef, ...commonErrors },
      },
    },
    async (request) => service.setWebhook(principalOf(request), request.params.companyId, request.body.url),
  );
  app.get(
    '/companies/:companyId/webhook',
    { schema: { operationId: 'getCompanyWebhook', summary: 'The company’s webhook (without its secret)', description: 'The company\'s registered webhook URL and when it was set, without its secret.', tags, params: CompanyParams, response: { 200: Webhook, 404: ProblemRef, ...commonErrors } } },
    async (request) => service.getWebhook(principalOf(request), request.params.companyId),
  );
  app.delete(
    '/companies/:companyId/webhook',
    {
      schema: { operationId: 'deleteCompanyWebhook', summary: 'Stop webhook deliveries', description: 'Stops webhook deliveries for the company; in-app notifications go on.', tags, params: CompanyParams, response: { 204: Type.Null({ description: 'Removed' }), 404: ProblemRef, ...commonErrors } },
    },
    async (request, reply) => {
      await service.deleteWebhook(principalOf(request), request.params.companyId);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/companies/:companyId/webhook/deliveries',
    {
      schema: {
        operationId: 'listWebhookDeliveries',
        summary: 'The webhook delivery log, newest first',
        description:
          'Every delivery attempt with its notification, HTTP status or error and time, newest first, to debug a receiving endpoint.',
        tags,
        params: CompanyParams,
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                notificationId: Uuid,
                url: Type.String(),
                attempt: Type.Integer(),
                statusCode: Type.Union([Type.Integer(), Type.Null()]),
                error: Type.Union([Type.String(), Type.Null()]),
                succeeded: Type.Boolean(),
                durationMs: Type.Integer(),
                at: Timestamp,
              }),
            ),
            nextCursor: Type.Null(),
          }),
          404: ProblemRef,
          ...commonErrors,
        },
      },
    },
    async (request) => ({ items: await service.deliveries(principalOf(request), request.params.companyId, request.query.limit), nextCursor: null }),
  );
  app.get(
    '/notifications',
    {
      schema: {
        operationId: 'listNotifications',
        summary: 'A company’s notifications, newest first (company tokens: their own; others pass companyId)',
        description:
          'In-app notifications (strong new matches, introductions proposed), newest first, with read state. Company tokens read their own; admins and leaders pass `companyId`.',
        tags,
        querystring: Type.Object(
          {
            companyId: Type.Optional(Type.String({ format: 'uuid' })),
            unread: Type.Boolean({ default: false }),
            limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
            cursor: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Notification), nextCursor: Type.Union([Type.String(), Type.Null()]) }), 404: ProblemRef, ...commonErrors },
      },
    },
    async (request) => service.list(principalOf(request), request.query),
  );
  app.post(
    '/notifications/:notificationId/read',
    {
      schema: {
        operationId: 'markNotificationRead',
        summary: 'Mark a notification read',
        description:
          'Marks one notification read; marking it again changes nothing.',
        tags,
        params: Type.Object({ notificationId: Uuid }, { additionalProperties: false }),
        response: { 204: Type.Null({ description: 'Marked' }), 404: ProblemRef, ...commonErrors },
      },
    },
    async (request, reply) => {
      await service.markRead(principalOf(request), request.params.notificationId);
      return reply.code(204).send(null);
    },
  );
}
