import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyBody } from '../helpers/builders.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const post = (body: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/v1/companies', headers: { ...t.auth, ...headers }, payload: body as object });

function expectProblem(response: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = response.json() as { status: number; type: string; title: string };
  expect(problem.status).toBe(status);
  expect(problem.type).toMatch(/^https:\/\//);
  return problem as { status: number; type: string; title: string; errors?: { field: string; message: string }[] };
}

describe('companies', () => {
  it('creates a company and reads it back', async () => {
    const body = companyBody({ description: 'Støperi på Elverum', website: 'https://example.no' });
    const created = await post(body);
    expect(created.statusCode).toBe(201);
    const company = created.json();
    expect(company).toMatchObject({ name: body.name, orgNumber: body.orgNumber, naceCode: '24.530', website: 'https://example.no' });
    expect(company.id).toMatch(/^[0-9a-f-]{36}$/);
    const read = await t.app.inject({ method: 'GET', url: `/v1/companies/${company.id}`, headers: t.auth });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(company);
  });

  it('patches a subset of fields and clears an optional one with null', async () => {
    const company = (await post(companyBody({ region: 'Viken' }))).json();
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/v1/companies/${company.id}`,
      headers: t.auth,
      payload: { name: 'Nytt Navn AS', region: null },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ name: 'Nytt Navn AS', region: null, naceCode: company.naceCode });
    expect(Date.parse(patched.json().updatedAt)).toBeGreaterThanOrEqual(Date.parse(company.updatedAt));
  });

  it('deletes a company, after which it is 404', async () => {
    const company = (await post(companyBody())).json();
    const deleted = await t.app.inject({ method: 'DELETE', url: `/v1/companies/${company.id}`, headers: t.auth });
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expectProblem(await t.app.inject({ method: 'GET', url: `/v1/companies/${company.id}`, headers: t.auth }), 404);
    expectProblem(await t.app.inject({ method: 'DELETE', url: `/v1/companies/${company.id}`, headers: t.auth }), 404);
  });

  it('pages through companies with a cursor, without repeats', async () => {
    for (let i = 0; i < 5; i += 1) await post(companyBody());
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/companies?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await t.app.inject({ method: 'GET', url, headers: t.auth });
      expect(page.statusCode).toBe(200);
      const body = page.json<{ items: { id: string }[]; nextCursor: string | null }>();
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((c) => c.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('answers 409 with the field for a duplicate org number', async () => {
    const body = companyBody();
    expect((await post(body)).statusCode).toBe(201);
    const problem = expectProblem(await post({ ...body, name: 'Another name' }), 409);
    expect(problem.errors?.[0]?.field).toBe('/orgNumber');
  });

  it.each([
    ['an org number with a wrong check digit', { orgNumber: '923609017' }, '/orgNumber'],
    ['an org number with letters', { orgNumber: '92360901A' }, '/orgNumber'],
    ['a malformed NACE code', { naceCode: '24530' }, '/naceCode'],
    ['an unknown value-chain role', { valueChainRole: 'wizard' }, '/valueChainRole'],
    ['a name over 200 characters', { name: 'x'.repeat(201) }, '/name'],
    ['an empty name', { name: '' }, '/name'],
    ['a wrong type', { employees: 'forty' }, '/employees'],
    ['a negative employee count', { employees: -1 }, '/employees'],
    ['an unknown field', { ceo: 'Kari' }, '/ceo'],
    ['a website that is not http(s)', { website: 'javascript:alert(1)' }, '/website'],
  ])('rejects %s with 400 naming the field', async (_case, override, field) => {
    const problem = expectProblem(await post(companyBody(override)), 400);
    expect(problem.errors?.map((e) => e.field)).toContain(field);
  });

  it('rejects a body without the required fields', async () => {
    const problem = expectProblem(await post({}), 400);
    expect(problem.errors?.map((e) => e.field)).toEqual(expect.arrayContaining(['/name', '/naceCode']));
  });

  it('rejects malformed JSON with 400', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/companies',
      headers: { ...t.auth, 'content-type': 'application/json' },
      payload: '{"name": "Broken",',
    });
    expectProblem(response, 400);
  });

  it('rejects a body over 64 KiB with 413', async () => {
    expectProblem(await post(companyBody({ description: 'x'.repeat(70 * 1024) })), 413);
  });

  it('rejects a non-JSON content type with 415', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/companies',
      headers: { ...t.auth, 'content-type': 'text/plain' },
      payload: 'name=x',
    });
    expectProblem(response, 415);
  });

  it('rejects an empty PATCH with 400', async () => {
    const company = (await post(companyBody())).json();
    expectProblem(await t.app.inject({ method: 'PATCH', url: `/v1/companies/${company.id}`, headers: t.auth, payload: {} }), 400);
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/companies/0192f1c4-6b7a-7cc3-9f5e-2b1a4d3c5e6f', headers: t.auth }), 404);
    const problem = expectProblem(await t.app.inject({ method: 'GET', url: '/v1/companies/not-a-uuid', headers: t.auth }), 400);
    expect(problem.errors?.[0]?.field).toBe('/companyId');
  });

  it('rejects a bad cursor and an out-of-range limit with 400', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/companies?cursor=bogus', headers: t.auth }), 400);
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/companies?limit=101', headers: t.auth }), 400);
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/companies?limit=0', headers: t.auth }), 400);
  });
});

describe('authentication', () => {
  it('answers 401 problem+json without a token, with a wrong token and with a malformed header', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token-wrong-token' }, { authorization: 'Basic abc' }]) {
      const response = await t.app.inject({ method: 'GET', url: '/v1/companies', headers });
      expectProblem(response, 401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
    }
  });

  it('lets /health through without a token', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('reports readiness with the database dependency', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json().dependencies).toEqual([{ name: 'database', ok: true }]);
  });

  it('answers unknown routes with a 404 problem', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/nothing-here', headers: t.auth }), 404);
  });
});
