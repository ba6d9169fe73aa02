import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyBody, listingBody } from '../helpers/builders.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let companyId: string;
beforeAll(async () => {
  t = await createTestApp();
  companyId = (await t.app.inject({ method: 'POST', url: '/v1/companies', headers: t.auth, payload: companyBody() })).json().id;
});
afterAll(() => t.close());

const SIDES = [
  { side: 'capability', plural: 'capabilities' },
  { side: 'need', plural: 'needs' },
] as const;

describe.each(SIDES)('$plural', ({ side, plural }) => {
  const create = (body: object, company = companyId) =>
    t.app.inject({ method: 'POST', url: `/v1/companies/${company}/${plural}`, headers: t.auth, payload: body });

  it('creates, reads, patches and deletes a listing', async () => {
    const created = await create(listingBody({ tags: ['sveising', 'aluminium'], visibility: 'cluster' }));
    expect(created.statusCode).toBe(201);
    const listing = created.json();
    expect(listing).toMatchObject({ companyId, side, kind: 'competence', tags: ['sveising', 'aluminium'], visibility: 'cluster' });

    const read = await t.app.inject({ method: 'GET', url: `/v1/${plural}/${listing.id}`, headers: t.auth });
    expect(read.json()).toEqual(listing);

    const patched = await t.app.inject({ method: 'PATCH', url: `/v1/${plural}/${listing.id}`, headers: t.auth, payload: { title: 'Ny tittel' } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ title: 'Ny tittel', description: listing.description });

    expect((await t.app.inject({ method: 'DELETE', url: `/v1/${plural}/${listing.id}`, headers: t.auth })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/v1/${plural}/${listing.id}`, headers: t.auth })).statusCode).toBe(404);
  });

  it('detects the language when none is given, and keeps a given one', async () => {
    const english = (await create(listingBody({ title: 'Welding of aluminium', description: 'We need help with the welding of thin aluminium profiles.' }))).json();
    expect(english).toMatchObject({ lang: 'en', langDetected: true });
    const nynorsk = (await create(listingBody({ title: 'Korrosjonsvern', description: 'Vi treng ein partnar som kan ta på seg varmforsinking, ikkje lakk.' }))).json();
    expect(nynorsk).toMatchObject({ lang: 'nn', langDetected: true });
    const stated = (await create(listingBody({ lang: 'nb' }))).json();
    expect(stated).toMatchObject({ lang: 'nb', langDetected: false });
  });

  it('lists a company’s listings of this side only, paged', async () => {
    const other = (await t.app.inject({ method: 'POST', url: '/v1/companies', headers: t.auth, payload: companyBody() })).json().id;
    for (let i = 0; i < 3; i += 1) await create(listingBody({ title: `Oppføring ${i}` }), other);
    const first = await t.app.inject({ method: 'GET', url: `/v1/companies/${other}/${plural}?limit=2`, headers: t.auth });
    const body = first.json();
    expect(body.items).toHaveLength(2);
    expect(body.items.every((l: { side: string; companyId: string }) => l.side === side && l.companyId === other)).toBe(true);
    const second = (await t.app.inject({ method: 'GET', url: `/v1/companies/${other}/${plural}?limit=2&cursor=${body.nextCursor}`, headers: t.auth })).json();
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
  });

  it.each([
    ['an unknown kind', { kind: 'magic' }, '/kind'],
    ['a title over 200 characters', { title: 't'.repeat(201) }, '/title'],
    ['a description over 5000 characters', { description: 'd'.repeat(5001) }, '/description'],
    ['more than 20 tags', { tags: Array.from({ length: 21 }, (_, i) => `tag${i}`) }, '/tags'],
    ['an unknown language', { lang: 'sv' }, '/lang'],
    ['an unknown visibility', { visibility: 'secret' }, '/visibility'],
    ['an owner set in the body', { companyId: '0192f1c4-6b7a-7cc3-9f5e-2b1a4d3c5e6f' }, '/companyId'],
  ])('rejects %s with 400', async (_case, override, field) => {
    const response = await create(listingBody(override));
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
    expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('answers 404 for a listing of an unknown company and for an unknown listing', async () => {
    expect((await create(listingBody(), '0192f1c4-6b7a-7cc3-9f5e-2b1a4d3c5e6f')).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/v1/${plural}/0192f1c4-6b7a-7cc3-9f5e-2b1a4d3c5e6f`, headers: t.auth })).statusCode).toBe(404);
  });

  it('does not serve a listing of the other side under this path', async () => {
    const otherPlural = plural === 'needs' ? 'capabilities' : 'needs';
    const other = (await t.app.inject({ method: 'POST', url: `/v1/companies/${companyId}/${otherPlural}`, headers: t.auth, payload: listingBody() })).json();
    expect((await t.app.inject({ method: 'GET', url: `/v1/${plural}/${other.id}`, headers: t.auth })).statusCode).toBe(404);
  });
});

describe('company deletion', () => {
  it('deletes the company’s listings with it', async () => {
    const company = (await t.app.inject({ method: 'POST', url: '/v1/companies', headers: t.auth, payload: companyBody() })).json();
    const need = (await t.app.inject({ method: 'POST', url: `/v1/companies/${company.id}/needs`, headers: t.auth, payload: listingBody() })).json();
    await t.app.inject({ method: 'DELETE', url: `/v1/companies/${company.id}`, headers: t.auth });
    expect((await t.app.inject({ method: 'GET', url: `/v1/needs/${need.id}`, headers: t.auth })).statusCode).toBe(404);
  });
});
