// The generated client against the real server listening on a port: if the OpenAPI document and
// the server disagree on a path, a body or a response, this fails to compile or to pass.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKoblingsboksClient, type KoblingsboksClient } from '../../src/client/index.js';
import { orgNumber } from '../helpers/builders.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

describe('typed client (openapi-typescript + openapi-fetch) against the running server', () => {
  let t: TestApp;
  let admin: KoblingsboksClient;
  let baseUrl: string;
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    admin = createKoblingsboksClient({ baseUrl, token: t.token, requestId: 'typed-client-e2e' });
  });
  afterAll(() => t.close());

  it('registers companies, posts a need and a capability, and reads the match from both sides', async () => {
    const foundry = await admin.POST('/v1/companies', {
      body: { name: 'Glåmdal Lettmetall AS', orgNumber: orgNumber(), naceCode: '24.530', region: 'Innlandet', valueChainRole: 'manufacturer' },
    });
    expect(foundry.response.status).toBe(201);
    expect(foundry.response.headers.get('x-request-id')).toBe('typed-client-e2e');
    const welder = await admin.POST('/v1/companies', { body: { name: 'Sveiseservice Vest AS', naceCode: '33.110', valueChainRole: 'service' } });
    const foundryId = foundry.data!.id;
    const welderId = welder.data!.id;

    const need = await admin.POST('/v1/companies/{companyId}/needs', {
      params: { path: { companyId: foundryId } },
      body: { kind: 'competence', title: 'Kompetanse på sveising av aluminium', description: 'Vi trenger hjelp til sveising av tynne aluminiumsprofiler og sveiseprosedyrer.' },
    });
    expect(need.data).toMatchObject({ side: 'need', companyId: foundryId, lang: 'nb' });
    const capability = await admin.POST('/v1/companies/{companyId}/capabilities', {
      params: { path: { companyId: welderId } },
      body: { kind: 'service', title: 'Aluminiumssveising og sveiseprosedyrer', description: 'Sertifiserte sveisere sveiser aluminium og kvalifiserer sveiseprosedyrer.' },
    });
    expect(capability.response.status).toBe(201);

    await t.waitForScoring();
    const status = await admin.GET('/v1/matching/status');
    expect(status.data).toMatchObject({ pending: 0, mode: 'in-process' });

    const matches = await admin.GET('/v1/needs/{needId}/matches', { params: { path: { needId: need.data!.id }, query: { limit: 10 } } });
    expect(matches.error).toBeUndefined();
    const best = matches.data!.items[0]!;
    expect(best).toMatchObject({ capabilityId: capability.data!.id, capabilityCompanyId: welderId, capability: { companyName: 'Sveiseservice Vest AS' } });
    expect(best.score).toBeGreaterThan(0);
    expect(best.explanation.reasons.length).toBeGreaterThan(0);

    const partners = await admin.GET('/v1/companies/{companyId}/matches', { params: { path: { companyId: welderId } } });
    expect(partners.data!.items.map((p) => p.companyId)).toContain(foundryId);
  });

  it('returns problem details, typed as the error, for bad input and for a missing token', async () => {
    const bad = await admin.POST('/v1/companies', { body: { name: 'Feil Orgnr AS', orgNumber: '123456789', naceCode: '24.530' } });
    expect(bad.response.status).toBe(400);
    expect(bad.response.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.error).toMatchObject({ status: 400, type: 'https://koblingsboks.no/problems/validation', errors: [expect.objectContaining({ field: '/orgNumber' })] });

    const anonymous = createKoblingsboksClient({ baseUrl });
    const denied = await anonymous.GET('/v1/companies', { params: { query: {} } });
    expect(denied.response.status).toBe(401);
    expect(denied.error).toMatchObject({ status: 401, title: 'Unauthorized' });
  });
});
