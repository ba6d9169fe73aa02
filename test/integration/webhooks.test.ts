// Webhook delivery against a real local receiver, through the real BullMQ queue and worker.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPayload } from '../../src/notifications/webhook-delivery.js';
import { companyBody } from '../helpers/builders.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

let t: TestApp;
let receiver: Server;
let url: string;
const received: Received[] = [];
let failuresLeft = 1;

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const answered = failuresLeft > 0 ? 500 : 204;
      failuresLeft -= 1;
      received.push({ headers: request.headers, body, answered });
      response.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/koblingsboks`;
  t = await createTestApp({ queue: true });
  t.startWorker();
});
afterAll(async () => {
  await t.close();
  await new Promise((resolve) => receiver.close(resolve));
});

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('webhooks', () => {
  it('delivers a signed notification, retrying after the receiver fails once, and logs both attempts', async () => {
    const post = (path: string, payload: object) => t.app.inject({ method: 'POST', url: path, headers: t.auth, payload });
    const a = (await post('/v1/companies', companyBody())).json().id;
    const b = (await post('/v1/companies', companyBody({ naceCode: '62.010' }))).json().id;
    const registered = await t.app.inject({ method: 'PUT', url: `/v1/companies/${b}/webhook`, headers: t.auth, payload: { url } });
    expect(registered.statusCode, registered.body).toBe(200);
    const { secret } = registered.json();
    expect(secret).toMatch(/^whsec_/);
    expect((await t.app.inject({ method: 'GET', url: `/v1/companies/${b}/webhook`, headers: t.auth })).json()).not.toHaveProperty('secret');

    expect((await post('/v1/introductions', { companyAId: a, companyBId: b, message: 'Hei!' })).statusCode).toBe(201);

    const delivered = await until(async () => received.find((r) => r.answered === 204));
    expect(received[0]?.answered).toBe(500);
    const timestamp = String(delivered.headers['x-koblingsboks-timestamp']);
    expect(delivered.headers['x-koblingsboks-signature']).toBe(signPayload(secret, timestamp, delivered.body));
    expect(JSON.parse(delivered.body)).toMatchObject({ type: 'introduction.proposed', companyId: b, data: { message: 'Hei!' } });

    const log = await until(async () => {
      const items = (await t.app.inject({ method: 'GET', url: `/v1/companies/${b}/webhook/deliveries`, headers: t.auth })).json().items;
      return items.length >= 2 ? items : undefined;
    });
    expect(log.map((d: { succeeded: boolean; statusCode: number }) => [d.succeeded, d.statusCode])).toEqual([
      [true, 204],
      [false, 500],
    ]);

    const notifications = (await t.app.inject({ method: 'GET', url: `/v1/notifications?companyId=${b}`, headers: t.auth })).json();
    expect(notifications.items[0]).toMatchObject({ type: 'introduction.proposed', webhook: 'delivered', readAt: null });
    const read = await t.app.inject({ method: 'POST', url: `/v1/notifications/${notifications.items[0].id}/read`, headers: t.auth });
    expect(read.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/v1/notifications?companyId=${b}&unread=true`, headers: t.auth })).json().items).toEqual([]);
  });

  it('rejects a webhook URL that is not http(s)', async () => {
    const company = (await t.app.inject({ method: 'POST', url: '/v1/companies', headers: t.auth, payload: companyBody() })).json().id;
    const response = await t.app.inject({ method: 'PUT', url: `/v1/companies/${company}/webhook`, headers: t.auth, payload: { url: 'file:///etc/passwd' } });
    expect(response.statusCode).toBe(400);
  });
});
