// The authorisation matrix: every kind of route, tried by each role against its own company, a
// company in the same cluster, a company in another cluster, and listings of each visibility.
// Each case states the one status the access policy (src/auth/access.ts) must give.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyBody, listingBody } from '../helpers/builders.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

type Role = 'admin' | 'company' | 'leaderA' | 'leaderB' | 'anonymous';
type Ids = Record<string, string>;
interface Case {
  role: Role;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: (ids: Ids) => string;
  label: string;
  body?: (ids: Ids) => object;
  expect: number;
}

let t: TestApp;
const ids: Ids = {};
const auth: Partial<Record<Role, Record<string, string>>> = { anonymous: {} };
let unexpectedAllows = 0;

beforeAll(async () => {
  t = await createTestApp();
  auth.admin = t.auth;
  const post = async (url: string, payload: object) => {
    const response = await t.app.inject({ method: 'POST', url, headers: t.auth, payload });
    expect(response.statusCode, `${url}: ${response.body}`).toBe(201);
    return response.json();
  };
  ids.clusterA = (await post('/v1/clusters', { name: 'Klynge A' })).id;
  ids.clusterB = (await post('/v1/clusters', { name: 'Klynge B' })).id;
  for (const name of ['own', 'peer', 'outsider']) ids[name] = (await post('/v1/companies', companyBody())).id;
  for (const [cluster, company] of [['clusterA', 'own'], ['clusterA', 'peer'], ['clusterB', 'outsider']]) {
    await t.app.inject({ method: 'PUT', url: `/v1/clusters/${ids[cluster!]}/members/${ids[company!]}`, headers: t.auth });
  }
  ids.ownNeed = (await post(`/v1/companies/${ids.own}/needs`, listingBody({ visibility: 'private' }))).id;
  for (const company of ['peer', 'outsider']) {
    for (const visibility of ['public', 'cluster', 'private']) {
      ids[`${company}-${visibility}`] = (await post(`/v1/companies/${ids[company]}/needs`, listingBody({ visibility }))).id;
    }
  }
  const token = async (body: object) => ({ authorization: `Bearer ${(await post('/v1/tokens', body)).token}` });
  auth.company = await token({ role: 'company', companyId: ids.own });
  auth.leaderA = await token({ role: 'cluster-leader', clusterIds: [ids.clusterA] });
  auth.leaderB = await token({ role: 'cluster-leader', clusterIds: [ids.clusterB] });
  ids.spareToken = (await post('/v1/tokens', { role: 'company', companyId: ids.outsider })).id;
});
afterAll(() => t.close());

const c = (role: Role, method: Case['method'], label: string, url: Case['url'], expected: number, body?: Case['body']): Case => ({ role, method, label, url, expect: expected, body });
const ROLES: Role[] = ['admin', 'company', 'leaderA', 'leaderB'];
const byRole = (statuses: Record<Role, number>, method: Case['method'], label: string, url: Case['url'], body?: Case['body']) =>
  [...ROLES, 'anonymous' as const].map((role) => c(role, method, label, url, role === 'anonymous' ? 401 : statuses[role], body));

const CASES: Case[] = [
  // Company profiles: readable by all, changed by admin, the company itself and its leaders.
  ...byRole({ admin: 200, company: 200, leaderA: 200, leaderB: 200, anonymous: 401 }, 'GET', 'GET company {outsider}', (i) => `/v1/companies/${i.outsider}`),
  ...byRole({ admin: 200, company: 200, leaderA: 200, leaderB: 403, anonymous: 401 }, 'PATCH', 'PATCH company {own}', (i) => `/v1/companies/${i.own}`, () => ({ region: 'Hamar' })),
  ...byRole({ admin: 200, company: 403, leaderA: 200, leaderB: 403, anonymous: 401 }, 'PATCH', 'PATCH company {peer}', (i) => `/v1/companies/${i.peer}`, () => ({ region: 'Gjøvik' })),
  ...byRole({ admin: 200, company: 403, leaderA: 403, leaderB: 200, anonymous: 401 }, 'PATCH', 'PATCH company {outsider}', (i) => `/v1/companies/${i.outsider}`, () => ({ region: 'Drammen' })),
  ...byRole({ admin: 201, company: 403, leaderA: 201, leaderB: 201, anonymous: 401 }, 'POST', 'POST company', () => '/v1/companies', () => companyBody()),
  c('company', 'DELETE', 'DELETE company {peer}', (i) => `/v1/companies/${i.peer}`, 403),
  c('leaderA', 'DELETE', 'DELETE company {peer}', (i) => `/v1/companies/${i.peer}`, 403),
  // Listings by visibility: invisible is 404, so ids of private listings do not leak.
  ...byRole({ admin: 200, company: 200, leaderA: 200, leaderB: 200, anonymous: 401 }, 'GET', 'GET need {peer public}', (i) => `/v1/needs/${i['peer-public']}`),
  ...byRole({ admin: 200, company: 200, leaderA: 200, leaderB: 404, anonymous: 401 }, 'GET', 'GET need {peer cluster}', (i) => `/v1/needs/${i['peer-cluster']}`),
  ...byRole({ admin: 200, company: 404, leaderA: 200, leaderB: 404, anonymous: 401 }, 'GET', 'GET need {peer private}', (i) => `/v1/needs/${i['peer-private']}`),
  ...byRole({ admin: 200, company: 404, leaderA: 404, leaderB: 200, anonymous: 401 }, 'GET', 'GET need {outsider cluster}', (i) => `/v1/needs/${i['outsider-cluster']}`),
  ...byRole({ admin: 200, company: 404, leaderA: 404, leaderB: 200, anonymous: 401 }, 'GET', 'GET need {outsider private}', (i) => `/v1/needs/${i['outsider-private']}`),
  ...byRole({ admin: 200, company: 200, leaderA: 200, leaderB: 404, anonymous: 401 }, 'GET', 'GET need {own private}', (i) => `/v1/needs/${i.ownNeed}`),
  // Listing writes: admin, the owner and the owner's leaders.
  ...byRole({ admin: 201, company: 201, leaderA: 201, leaderB: 403, anonymous: 401 }, 'POST', 'POST need for {own}', (i) => `/v1/companies/${i.own}/needs`, () => listingBody()),
  ...byRole({ admin: 201, company: 403, leaderA: 403, leaderB: 201, anonymous: 401 }, 'POST', 'POST need for {outsider}', (i) => `/v1/companies/${i.outsider}/needs`, () => listingBody()),
  ...byRole({ admin: 200, company: 403, leaderA: 200, leaderB: 403, anonymous: 401 }, 'PATCH', 'PATCH need {peer public}', (i) => `/v1/needs/${i['peer-public']}`, () => ({ title: 'Endret' })),
  c('company', 'DELETE', 'DELETE need {peer public}', (i) => `/v1/needs/${i['peer-public']}`, 403),
  c('company', 'DELETE', 'DELETE need {outsider private}', (i) => `/v1/needs/${i['outsider-private']}`, 404),
  c('company', 'POST', 'POST need with companyId in body (mass assignment)', (i) => `/v1/companies/${i.own}/needs`, 400, (i) => listingBody({ companyId: i.outsider })),
  // Matches and partner suggestions belong to the company and its leaders.
  ...byRole({ admin: 200, company: 200, leaderA: 200, leaderB: 404, anonymous: 401 }, 'GET', 'GET matches of need {own private}', (i) => `/v1/needs/${i.ownNeed}/matches`),
  ...byRole({ admin: 200, company: 403, leaderA: 200, leaderB: 404, anonymous: 401 }, 'GET', 'GET matches of need {peer cluster}', (i) => `/v1/needs/${i['peer-cluster']}/matches`),
  ...byRole({ admin: 200, company: 200, leaderA: 200, leaderB: 403, anonymous: 401 }, 'GET', 'GET partners of {own}', (i) => `/v1/companies/${i.own}/matches`),
  ...byRole({ admin: 200, company: 403, leaderA: 403, leaderB: 200, anonymous: 401 }, 'GET', 'GET partners of {outsider}', (i) => `/v1/companies/${i.outsider}/matches`),
  // Clusters and memberships.
  ...byRole({ admin: 201, company: 403, leaderA: 403, leaderB: 403, anonymous: 401 }, 'POST', 'POST cluster', () => '/v1/clusters', () => ({ name: `Ny klynge ${Math.random()}` })),
  ...byRole({ admin: 200, company: 200, leaderA: 200, leaderB: 404, anonymous: 401 }, 'GET', 'GET cluster {A}', (i) => `/v1/clusters/${i.clusterA}`),
  ...byRole({ admin: 200, company: 403, leaderA: 200, leaderB: 404, anonymous: 401 }, 'PATCH', 'PATCH cluster {A}', (i) => `/v1/clusters/${i.clusterA}`, () => ({ description: 'Oppdatert' })),
  ...byRole({ admin: 204, company: 403, leaderA: 204, leaderB: 404, anonymous: 401 }, 'PUT', 'PUT member {own} in {A}', (i) => `/v1/clusters/${i.clusterA}/members/${i.own}`),
  ...byRole({ admin: 200, company: 403, leaderA: 200, leaderB: 404, anonymous: 401 }, 'GET', 'GET analytics {A}', (i) => `/v1/clusters/${i.clusterA}/analytics`),
  c('leaderA', 'DELETE', 'DELETE cluster {A}', (i) => `/v1/clusters/${i.clusterA}`, 403),
  // Tokens, re-score and the audit trail.
  ...byRole({ admin: 200, company: 403, leaderA: 403, leaderB: 403, anonymous: 401 }, 'GET', 'GET tokens', () => '/v1/tokens'),
  ...byRole({ admin: 201, company: 403, leaderA: 403, leaderB: 403, anonymous: 401 }, 'POST', 'POST token', () => '/v1/tokens', (i) => ({ role: 'company', companyId: i.own })),
  c('company', 'DELETE', 'DELETE token', (i) => `/v1/tokens/${i.spareToken}`, 403),
  ...byRole({ admin: 202, company: 403, leaderA: 403, leaderB: 403, anonymous: 401 }, 'POST', 'POST rescore', () => '/v1/matching/rescore'),
  ...byRole({ admin: 200, company: 403, leaderA: 403, leaderB: 403, anonymous: 401 }, 'GET', 'GET failures', () => '/v1/matching/failures'),
  ...byRole({ admin: 200, company: 200, leaderA: 200, leaderB: 200, anonymous: 401 }, 'GET', 'GET status', () => '/v1/matching/status'),
  ...byRole({ admin: 200, company: 403, leaderA: 200, leaderB: 200, anonymous: 401 }, 'GET', 'GET audit', () => '/v1/audit'),
  // Webhooks and notifications of a company.
  ...byRole({ admin: 200, company: 200, leaderA: 200, leaderB: 403, anonymous: 401 }, 'GET', 'GET notifications of {own}', (i) => `/v1/notifications?companyId=${i.own}`),
  ...byRole({ admin: 200, company: 403, leaderA: 403, leaderB: 200, anonymous: 401 }, 'PUT', 'PUT webhook of {outsider}', (i) => `/v1/companies/${i.outsider}/webhook`, () => ({ url: 'https://example.no/hook' })),
];

describe('authorisation matrix', () => {
  it.each(CASES.map((k) => [`${k.role} ${k.method} ${k.label} → ${k.expect}`, k] as const))('%s', async (_name, k) => {
    const body = k.body?.(ids);
    const response = await t.app.inject({ method: k.method, url: k.url(ids), headers: auth[k.role]!, ...(body ? { payload: body } : {}) });
    if (k.expect >= 400 && response.statusCode < 400) unexpectedAllows += 1;
    expect(response.statusCode, response.body.slice(0, 300)).toBe(k.expect);
    if (k.expect >= 400) expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('found no unexpected allow', () => {
    expect(unexpectedAllows).toBe(0);
  });
});
