// Idempotent POSTs, rate limiting per token and security headers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import { helmetHeaders } from '../../src/plugins/security-headers.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyBody, listingBody } from '../helpers/builders.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('Idempotency-Key', () => {
  it('creates one company for two POSTs with the same key, replaying the first answer', async () => {
    const body = companyBody();
    const send = () => t.app.inject({ method: 'POST', url: '/v1/companies', headers: { ...t.auth, 'idempotency-key': `create-${body.orgNumber}` }, payload: body });
    const first = await send();
    const second = await send();
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json().id).toBe(first.json().id);
  });

  it('creates one listing for a retried POST', async () => {
    const company = (await t.app.inject({ method: 'POST', url: '/v1/companies', headers: t.auth, payload: companyBody() })).json().id;
    const headers = { ...t.auth, 'idempotency-key': 'need-retry-1' };
    for (let i = 0; i < 3; i += 1) await t.app.inject({ method: 'POST', url: `/v1/companies/${company}/needs`, headers, payload: listingBody() });
    const needs = (await t.app.inject({ method: 'GET', url: `/v1/companies/${company}/needs`, headers: t.auth })).json();
    expect(needs.items).toHaveLength(1);
  });

  it('answers 422 when a key is reused for a different request, and 400 for a malformed key', async () => {
    const headers = { ...t.auth, 'idempotency-key': 'reused-key' };
    expect((await t.app.inject({ method: 'POST', url: '/v1/companies', headers, payload: companyBody() })).statusCode).toBe(201);
    const reused = await t.app.inject({ method: 'POST', url: '/v1/companies', headers, payload: companyBody() });
    expect(reused.statusCode).toBe(422);
    expect(reused.headers['content-type']).toMatch(/problem\+json/);
    const malformed = await t.app.inject({ method: 'POST', url: '/v1/companies', headers: { ...t.auth, 'idempotency-key': 'x'.repeat(201) }, payload: companyBody() });
    expect(malformed.statusCode).toBe(400);
  });
});

describe('rate limiting', () => {
  it('answers 429 problem+json with Retry-After past the per-token limit', async () => {
    const limited = await createTestApp({ rateLimitPerMinute: 5 });
    try {
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 7; i += 1) {
        last = await limited.app.inject({ method: 'GET', url: '/v1/companies', headers: limited.auth });
        statuses.push(last.statusCode);
      }
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses[5]).toBe(429);
      expect(last!.headers['content-type']).toMatch(/problem\+json/);
      expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});

describe('security headers', () => {
  const helmetSet = helmetHeaders({ contentSecurityPolicy: false });

  it.each([
    ['/health', 200],
    ['/v1/companies', 200],
    ['/no-such-path', 404],
  ])('sends OWASP’s API headers on JSON answers, and no document headers (%s)', async (url, status) => {
    const response = await t.app.inject({ method: 'GET', url, headers: t.auth });
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/json/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['content-security-policy']).toBe("frame-ancestors 'none'");
    expect(response.headers['strict-transport-security']).toBe(helmetSet['strict-transport-security']);
    for (const name of ['cross-origin-opener-policy', 'referrer-policy', 'x-dns-prefetch-control', 'x-permitted-cross-domain-policies']) expect(response.headers[name]).toBeUndefined();
  });

  it('sends helmet’s full set on the pages a browser renders', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/html/);
    for (const [name, value] of Object.entries(helmetSet)) expect(response.headers[name]).toBe(value);
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['content-security-policy']).toBe("frame-ancestors 'self'");
  });

  it('sends exactly the headers helmet’s own middleware sets', () => {
    const expected: Record<string, string> = {};
    const response = { setHeader: (name: string, value: unknown) => (expected[name.toLowerCase()] = String(value)), removeHeader: () => {} };
    helmet({ contentSecurityPolicy: false })({} as IncomingMessage, response as unknown as ServerResponse, () => {});
    expect(helmetHeaders({ contentSecurityPolicy: false })).toEqual(expected);
    expect(Object.keys(expected).length).toBeGreaterThan(8);
  });
});
