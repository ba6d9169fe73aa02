import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyBody } from '../helpers/builders.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
const ids: Record<string, string> = {};
type Auth = { authorization: string };
const tokens = {} as Record<'leader' | 'otherLeader' | 'foundry' | 'welder' | 'outsider', Auth>;

async function call(method: 'GET' | 'POST' | 'PUT', url: string, headers: { authorization: string }, payload?: object) {
  return t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
}

async function issue(body: object) {
  const response = await call('POST', '/v1/tokens', t.auth, body);
  expect(response.statusCode, response.body).toBe(201);
  return { authorization: `Bearer ${response.json().token}` };
}

beforeAll(async () => {
  t = await createTestApp({ queue: true });
  t.startWorker();
  ids.cluster = (await call('POST', '/v1/clusters', t.auth, { name: '7sterke test', region: 'Innlandet' })).json().id;
  ids.otherCluster = (await call('POST', '/v1/clusters', t.auth, { name: 'Viken Teknologiklynge test' })).json().id;
  ids.foundry = (await call('POST', '/v1/companies', t.auth, companyBody({ naceCode: '24.530' }))).json().id;
  ids.welder = (await call('POST', '/v1/companies', t.auth, companyBody({ naceCode: '33.110', valueChainRole: 'service' }))).json().id;
  ids.outsider = (await call('POST', '/v1/companies', t.auth, companyBody({ naceCode: '62.010' }))).json().id;
  for (const company of ['foundry', 'welder']) await call('PUT', `/v1/clusters/${ids.cluster}/members/${ids[company]}`, t.auth);
  await call('PUT', `/v1/clusters/${ids.otherCluster}/members/${ids.outsider}`, t.auth);
  ids.need = (await call('POST', `/v1/companies/${ids.foundry}/needs`, t.auth, { kind: 'competence', title: 'Sveising av aluminium', description: 'Vi trenger sveising av aluminium.' })).json().id;
  ids.capability = (await call('POST', `/v1/companies/${ids.welder}/capabilities`, t.auth, { kind: 'service', title: 'Aluminiumssveising', description: 'Vi utfører sveising av aluminium.' })).json().id;
  await t.waitForScoring();
  tokens.leader = await issue({ role: 'cluster-leader', clusterIds: [ids.cluster], name: 'Klyngeleder' });
  tokens.otherLeader = await issue({ role: 'cluster-leader', clusterIds: [ids.otherCluster] });
  tokens.foundry = await issue({ role: 'company', companyId: ids.foundry });
  tokens.welder = await issue({ role: 'company', companyId: ids.welder });
  tokens.outsider = await issue({ role: 'company', companyId: ids.outsider });
});
afterAll(() => t.close());

const propose = (headers: { authorization: string }, extra: object = {}) =>
  call('POST', '/v1/introductions', headers, {
    companyAId: ids.foundry,
    companyBId: ids.welder,
    needId: ids.need,
    capabilityId: ids.capability,
    clusterId: ids.cluster,
    message: 'Dere bør snakke sammen om aluminiumssveising.',
    ...extra,
  });
const act = (headers: { authorization: string }, id: string, action: string, note?: string) =>
  call('POST', `/v1/introductions/${id}/transitions`, headers, { action, ...(note ? { note } : {}) });

describe('a cluster leader brokers an introduction through the API alone', () => {
  it('sees members’ matches, proposes, and follows the introduction to collaboration with a full history', async () => {
    const matches = await call('GET', `/v1/needs/${ids.need}/matches`, tokens.leader);
    expect(matches.statusCode).toBe(200);
    expect(matches.json().items[0].capabilityId).toBe(ids.capability);

    const proposed = await propose(tokens.leader);
    expect(proposed.statusCode, proposed.body).toBe(201);
    const id = proposed.json().id;
    expect(proposed.json()).toMatchObject({ state: 'proposed', responses: { a: 'pending', b: 'pending' } });

    expect((await act(tokens.foundry, id, 'accept')).json()).toMatchObject({ state: 'proposed', responses: { a: 'accepted' } });
    expect((await act(tokens.welder, id, 'accept', 'Gjerne!')).json()).toMatchObject({ state: 'accepted' });
    expect((await act(tokens.leader, id, 'meeting-held', 'Møte på Elverum 3. desember')).json().state).toBe('meeting-held');
    const done = await act(tokens.leader, id, 'collaboration', 'Felles prosjekt startet');
    expect(done.statusCode).toBe(200);
    expect(done.json().state).toBe('collaboration');
    expect(done.json().history.map((e: { toState: string }) => e.toState)).toEqual(['proposed', 'proposed', 'accepted', 'meeting-held', 'collaboration']);

    const listed = (await call('GET', `/v1/introductions?state=collaboration&clusterId=${ids.cluster}`, tokens.leader)).json();
    expect(listed.items.map((i: { id: string }) => i.id)).toContain(id);
    const forCompany = (await call('GET', `/v1/introductions?companyId=${ids.welder}`, tokens.welder)).json();
    expect(forCompany.items.map((i: { id: string }) => i.id)).toContain(id);
  });
});

describe('introduction rules', () => {
  it('rejects illegal transitions with 409 and wrong parties with 403 or 404', async () => {
    const id = (await propose(tokens.leader)).json().id;
    expect((await act(tokens.leader, id, 'meeting-held')).statusCode).toBe(409); // not accepted yet
    expect((await act(tokens.leader, id, 'accept')).statusCode).toBe(403); // leaders do not answer for companies
    expect((await act(tokens.outsider, id, 'accept')).statusCode).toBe(404); // not involved: cannot even see it
    expect((await act(tokens.otherLeader, id, 'decline')).statusCode).toBe(404);
    expect((await act(tokens.foundry, id, 'decline')).json().state).toBe('declined');
    expect((await act(tokens.welder, id, 'accept')).statusCode).toBe(409); // already declined
    const problem = await act(tokens.foundry, id, 'collaboration');
    expect(problem.statusCode).toBe(409);
    expect(problem.headers['content-type']).toMatch(/problem\+json/);
  });

  it('lets a leader broker only within their cluster and between its members', async () => {
    expect((await propose(tokens.otherLeader, { clusterId: ids.otherCluster })).statusCode).toBe(403);
    expect((await propose(tokens.leader, { companyBId: ids.outsider, needId: undefined, capabilityId: undefined })).statusCode).toBe(403);
    expect((await propose(tokens.leader, { clusterId: undefined })).statusCode).toBe(400);
  });

  it('lets a company propose for its own match only, and counts its own side as accepted', async () => {
    const own = await propose(tokens.foundry, { clusterId: undefined });
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json().responses).toEqual({ a: 'accepted', b: 'pending' });
    expect((await propose(tokens.outsider, { clusterId: undefined })).statusCode).toBe(403);
    expect((await propose(tokens.foundry, { clusterId: undefined, needId: undefined, capabilityId: undefined })).statusCode).toBe(400);
  });

  it('keeps introductions out of sight of uninvolved companies', async () => {
    const list = (await call('GET', '/v1/introductions', tokens.outsider)).json();
    expect(list.items).toEqual([]);
  });
});

describe('audit trail and analytics', () => {
  it('records broker and admin actions, readable by admins and the cluster’s leaders only', async () => {
    await propose(tokens.leader);
    const leaderView = (await call('GET', '/v1/audit?limit=100', tokens.leader)).json();
    const actions = leaderView.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['introduction.propose', 'cluster.member.add', 'token.issue']));
    expect(leaderView.items.every((e: { clusterIds: string[] }) => e.clusterIds.includes(ids.cluster!))).toBe(true);
    const adminView = (await call('GET', '/v1/audit?limit=100', t.auth)).json();
    expect(adminView.items.length).toBeGreaterThanOrEqual(leaderView.items.length);
    expect((await call('GET', '/v1/audit', tokens.foundry)).statusCode).toBe(403);
    expect((await call('GET', `/v1/audit?clusterId=${ids.cluster}`, tokens.otherLeader)).statusCode).toBe(403);
  });

  it('gives a cluster leader the cluster’s counts, introductions by state and cross-industry share', async () => {
    const response = await call('GET', `/v1/clusters/${ids.cluster}/analytics?months=3`, tokens.leader);
    expect(response.statusCode, response.body).toBe(200);
    const analytics = response.json();
    expect(analytics).toMatchObject({ members: 2, openNeeds: 1 });
    expect(analytics.suggestedMatches).toBeGreaterThanOrEqual(1);
    expect(analytics.introductionsByState.collaboration).toBe(1);
    expect(analytics.crossIndustryShare.introductions).toBe(1);
    expect(analytics.monthly).toHaveLength(3);
    expect((await call('GET', `/v1/clusters/${ids.cluster}/analytics`, tokens.otherLeader)).statusCode).toBe(404);
    expect((await call('GET', `/v1/clusters/${ids.cluster}/analytics`, tokens.foundry)).statusCode).toBe(403);
  });
});
