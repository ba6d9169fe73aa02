import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyBody } from '../helpers/builders.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

describe('queue dashboard with a Redis queue', () => {
  let t: TestApp;
  let companyToken: string;
  beforeAll(async () => {
    t = await createTestApp({ queue: true });
    const company = await t.app.inject({ method: 'POST', url: '/v1/companies', headers: t.auth, payload: companyBody() });
    const issued = await t.app.inject({ method: 'POST', url: '/v1/tokens', headers: t.auth, payload: { role: 'company', companyId: company.json<{ id: string }>().id } });
    companyToken = issued.json<{ token: string }>().token;
  });
  afterAll(() => t.close());

  it('asks anonymous callers for credentials with a problem and a Basic challenge', async () => {
    for (const url of ['/admin/queues', '/admin/queues/api/queues']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.headers['www-authenticate']).toContain('Basic realm="Koblingsboks queues"');
    }
    const wrong = await t.app.inject({ method: 'GET', url: '/admin/queues', headers: basic('admin', 'not-a-token') });
    expect(wrong.statusCode).toBe(401);
  });

  it('refuses a company token, as bearer or as a Basic password', async () => {
    for (const headers of [{ authorization: `Bearer ${companyToken}` }, basic('someone', companyToken)]) {
      const response = await t.app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ status: 403, type: expect.stringContaining('forbidden') });
    }
  });

  it('serves the board and its queue API to an admin (Basic in a browser, bearer for scripts)', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/admin/queues', headers: basic('admin', t.token) });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('Koblingsboks');

    const api = await t.app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: t.auth });
    expect(api.statusCode).toBe(200);
    const names = api.json<{ queues: { name: string }[] }>().queues.map((q) => q.name);
    expect(names.sort()).toEqual(['scoring', 'webhooks']);
  });
});

describe('queue dashboard without Redis', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('still requires an admin, then explains there is no queue', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/admin/queues' })).statusCode).toBe(401);
    for (const url of ['/admin/queues', '/admin/queues/api/queues']) {
      const response = await t.app.inject({ method: 'GET', url, headers: t.auth });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ status: 404, type: expect.stringContaining('no-queue') });
    }
  });
});
