// Authorisation matrix. Every role (admin, a company token, the leader of cluster A, the leader of
// cluster B, no token, a revoked token, an expired token) meets every route against a company of its
// own, a peer (same cluster) and an outsider (other cluster), and, for listings, each visibility.
//
// World, built through the API with the bootstrap admin token:
//   cluster A = { own, peer }        cluster B = { outsider }
//   every company has a need and a capability of each visibility: public, cluster, private.
//
// The expected statuses come from the policy in src/auth/access.ts, written out as data below.
// Rows whose request may destroy its target (DELETE, membership changes) act on a fresh fixture of
// the same kind, marked `*` in the test name (e.g. {peer*} = a new company in cluster A), so that an
// allowed request, or a bug that allows a denied one, cannot disturb the rows after it.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyBody, listingBody } from '../helpers/builders.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

/** Principals with a valid token. */
type Actor = 'admin' | 'company' | 'leaderA' | 'leaderB';
/** …and those without one (no header, a revoked admin-role token, an expired admin-role token). */
type Role = Actor | 'anonymous' | 'revoked' | 'expired';
type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
type Owner = 'own' | 'peer' | 'outsider';
type Visibility = 'public' | 'cluster' | 'private';
type Side = 'need' | 'capability';
type ListingKey = `${Owner}:${Visibility}`;

const ACTORS: Actor[] = ['admin', 'company', 'leaderA', 'leaderB'];
const UNAUTHENTICATED: Role[] = ['anonymous', 'revoked', 'expired'];
const OWNERS: Owner[] = ['own', 'peer', 'outsider'];
const VISIBILITIES: Visibility[] = ['public', 'cluster', 'private'];
const SIDES: { side: Side; plural: 'needs' | 'capabilities' }[] = [
  { side: 'need', plural: 'needs' },
  { side: 'capability', plural: 'capabilities' },
];
const LISTING_KEYS: ListingKey[] = OWNERS.flatMap((o) => VISIBILITIES.map((v) => `${o}:${v}` as const));

const ROLE_NAME: Record<Role, string> = {
  admin: 'admin',
  company: 'company(own)',
  leaderA: 'leader(A)',
  leaderB: 'leader(B)',
  anonymous: 'no token',
  revoked: 'revoked(admin) token',
  expired: 'expired(admin) token',
};

/** Expected status per authenticated actor; `OK` stands for the route's success status. */
type Statuses = Record<Actor, number>;
const OK = 0;
const s = (admin: number, company: number, leaderA: number, leaderB: number): Statuses => ({ admin, company, leaderA, leaderB });
const withOk = (statuses: Statuses, ok: number): Statuses =>
  Object.fromEntries(ACTORS.map((a) => [a, statuses[a] === OK ? ok : statuses[a]])) as Statuses;

// ---------------------------------------------------------------------------------------------
// The policy as data (src/auth/access.ts)
// ---------------------------------------------------------------------------------------------

//                                               admin company leaderA leaderB
/** canManageCompany: admin; the company itself; a leader of one of the company's clusters. */
const MANAGE_COMPANY: Record<Owner, Statuses> = {
  own: /*                                     */ s(OK, OK, OK, 403),
  peer: /*                                    */ s(OK, 403, OK, 403),
  outsider: /*                                */ s(OK, 403, 403, OK),
};

/**
 * Listings. read: public to all; otherwise those who manage the owner, plus (cluster visibility)
 * a company sharing a cluster with the owner; invisible is 404, never 403.
 * write (PATCH, DELETE, and the listing's matches): invisible 404, visible but not managed 403.
 */
const LISTING_ACCESS: Record<ListingKey, { read: Statuses; write: Statuses }> = {
  //                  read: admin company leaderA leaderB     write: admin company leaderA leaderB
  'own:public': /*       */ { read: s(200, 200, 200, 200), write: s(OK, OK, OK, 403) },
  'own:cluster': /*      */ { read: s(200, 200, 200, 404), write: s(OK, OK, OK, 404) },
  'own:private': /*      */ { read: s(200, 200, 200, 404), write: s(OK, OK, OK, 404) },
  'peer:public': /*      */ { read: s(200, 200, 200, 200), write: s(OK, 403, OK, 403) },
  'peer:cluster': /*     */ { read: s(200, 200, 200, 404), write: s(OK, 403, OK, 404) },
  'peer:private': /*     */ { read: s(200, 404, 200, 404), write: s(OK, 404, OK, 404) },
  'outsider:public': /*  */ { read: s(200, 200, 200, 200), write: s(OK, 403, 403, OK) },
  'outsider:cluster': /* */ { read: s(200, 404, 404, 200), write: s(OK, 404, 404, OK) },
  'outsider:private': /* */ { read: s(200, 404, 404, 200), write: s(OK, 404, 404, OK) },
};

/** Clusters: visible to admin, their leaders and member companies (else 404); managed by admin and their leaders. */
const CLUSTER_ACCESS: Record<'A' | 'B', { read: Statuses; manage: Statuses }> = {
  A: { read: s(200, 200, 200, 404), manage: s(OK, 403, OK, 404) },
  B: { read: s(200, 404, 404, 200), manage: s(OK, 404, 404, OK) },
};

/** Company lists: admin all; leaders their clusters' members; a company itself and its cluster peers. */
const COMPANY_LIST: Record<Actor, { sees: Owner[]; hides: Owner[] }> = {
  admin: { sees: ['own', 'peer', 'outsider'], hides: [] },
  company: { sees: ['own', 'peer'], hides: ['outsider'] },
  leaderA: { sees: ['own', 'peer'], hides: ['outsider'] },
  leaderB: { sees: ['outsider'], hides: ['own', 'peer'] },
};

const CLUSTER_LIST: Record<Actor, { sees: ('A' | 'B')[]; hides: ('A' | 'B')[] }> = {
  admin: { sees: ['A', 'B'], hides: [] },
  company: { sees: ['A'], hides: ['B'] },
  leaderA: { sees: ['A'], hides: ['B'] },
  leaderB: { sees: ['B'], hides: ['A'] },
};

// ---------------------------------------------------------------------------------------------
// Test app, world and fixture builders
// ---------------------------------------------------------------------------------------------

let t: TestApp;
/** Ids of the world: own, peer, outsider, A, B, and listings as `need:peer:private`. */
const ids: Record<string, string> = {};
const headers: Record<Role, Record<string, string>> = {
  admin: {},
  company: {},
  leaderA: {},
  leaderB: {},
  anonymous: {},
  revoked: {},
  expired: {},
};
const unexpectedAllows: string[] = [];
let counter = 0;

async function adminCall(method: Method, url: string, payload?: object): Promise<LightMyRequestResponse> {
  return t.app.inject({ method, url, headers: t.auth, ...(payload ? { payload } : {}) });
}

async function adminPost<T = { id: string }>(url: string, payload: object): Promise<T> {
  const response = await adminCall('POST', url, payload);
  expect(response.statusCode, `setup POST ${url}: ${response.body}`).toBe(201);
  return response.json<T>();
}

async function addMember(cluster: string, company: string): Promise<void> {
  const response = await adminCall('PUT', `/v1/clusters/${cluster}/members/${company}`);
  expect(response.statusCode, `setup membership: ${response.body}`).toBe(204);
}

async function issueToken(body: object): Promise<{ id: string; header: Record<string, string> }> {
  const issued = await adminPost<{ id: string; token: string }>('/v1/tokens', body);
  return { id: issued.id, header: { authorization: `Bearer ${issued.token}` } };
}

/** Fresh fixtures for rows whose request may destroy or re-wire its target. */
const fresh = {
  async company(cluster?: 'A' | 'B'): Promise<string> {
    const { id } = await adminPost('/v1/companies', companyBody());
    if (cluster) await addMember(ids[cluster]!, id);
    return id;
  },
  async listing(side: Side, key: ListingKey): Promise<string> {
    const [owner, visibility] = key.split(':') as [Owner, Visibility];
    const plural = side === 'need' ? 'needs' : 'capabilities';
    return (await adminPost(`/v1/companies/${ids[owner]}/${plural}`, listingBody({ visibility }))).id;
  },
  async cluster(): Promise<string> {
    return (await adminPost('/v1/clusters', { name: `Engangsklynge ${++counter}` })).id;
  },
  async token(): Promise<string> {
    return (await issueToken({ role: 'company', companyId: ids.outsider, name: `engangs ${++counter}` })).id;
  },
};

/** Fills `{own}`, `{peer}`, `{A}`… in a path template from the world's ids. */
const fill = (template: string) =>
  template.replace(/\{([^}*]+)\}/g, (_, key: string) => {
    const id = ids[key];
    if (!id) throw new Error(`no id for {${key}}`);
    return id;
  });

// ---------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------

interface Case {
  name: string;
  role: Role;
  method: Method;
  /** Resolved when the case runs (may create a fresh fixture). */
  url: () => string | Promise<string>;
  body?: () => object;
  status: number;
  /** For list endpoints: world keys (own, A, need:peer:private…) whose ids must / must not be among `items`. */
  sees?: () => string[];
  hides?: () => string[];
  /** After an expected denial, the admin must still GET this url with 200 (nothing was destroyed). */
  survives?: boolean;
}

interface RowOptions {
  /** Request url; defaults to the label with its {placeholders} filled. */
  url?: () => string | Promise<string>;
  body?: () => object;
  /** World keys (see `ids`) the actor's list must / must not contain. */
  sees?: (actor: Actor) => string[];
  hides?: (actor: Actor) => string[];
  survives?: boolean;
  /** Add the no-token / revoked / expired cases (401); default true. */
  unauthenticated?: boolean;
}

/** One route and target, tried by each actor listed in `statuses`, plus the three 401 cases. */
function row(method: Method, label: string, statuses: Partial<Statuses>, options: RowOptions = {}): Case[] {
  const url = options.url ?? (() => fill(label));
  const cases: Case[] = [];
  for (const actor of ACTORS) {
    const status = statuses[actor];
    if (status === undefined) continue;
    const sees = options.sees;
    const hides = options.hides;
    const visibility = sees || hides ? `, sees ${listOf(sees?.(actor))}, hides ${listOf(hides?.(actor))}` : '';
    cases.push({
      name: `${ROLE_NAME[actor]} ${method} ${label} → ${status}${visibility}`,
      role: actor,
      method,
      url,
      ...(options.body ? { body: options.body } : {}),
      status,
      ...(sees ? { sees: () => sees(actor) } : {}),
      ...(hides ? { hides: () => hides(actor) } : {}),
      ...(options.survives ? { survives: true } : {}),
    });
  }
  if (options.unauthenticated !== false) {
    for (const role of UNAUTHENTICATED) {
      cases.push({ name: `${ROLE_NAME[role]} ${method} ${label} → 401`, role, method, url, ...(options.body ? { body: options.body } : {}), status: 401 });
    }
  }
  return cases;
}

const listOf = (worldKeys: string[] | undefined) => `{${(worldKeys ?? []).join(',')}}`;

const CASES: Case[] = [
  // --- Company profiles -------------------------------------------------------------------------
  ...OWNERS.flatMap((o) => row('GET', `/v1/companies/{${o}}`, s(200, 200, 200, 200))),
  ...OWNERS.flatMap((o) =>
    row('PATCH', `/v1/companies/{${o}}`, withOk(MANAGE_COMPANY[o], 200), { body: () => ({ description: `Endret ${++counter}` }) }),
  ),
  ...row('POST', '/v1/companies', s(201, 403, 201, 201), { body: () => companyBody() }),
  ...row('GET', '/v1/companies?limit=100', s(200, 200, 200, 200), {
    sees: (a) => COMPANY_LIST[a].sees,
    hides: (a) => COMPANY_LIST[a].hides,
  }),

  // --- Listings, both sides ---------------------------------------------------------------------
  ...SIDES.flatMap(({ side, plural }) => [
    // Reading one listing.
    ...LISTING_KEYS.flatMap((k) => row('GET', `/v1/${plural}/{${k}}`, LISTING_ACCESS[k].read, { url: () => `/v1/${plural}/${ids[`${side}:${k}`]}` })),
    // A company's listings, filtered by what the caller may read.
    ...OWNERS.flatMap((o) =>
      row('GET', `/v1/companies/{${o}}/${plural}?limit=100`, s(200, 200, 200, 200), {
        sees: (a) => VISIBILITIES.filter((v) => LISTING_ACCESS[`${o}:${v}`].read[a] === 200).map((v) => `${side}:${o}:${v}`),
        hides: (a) => VISIBILITIES.filter((v) => LISTING_ACCESS[`${o}:${v}`].read[a] !== 200).map((v) => `${side}:${o}:${v}`),
      }),
    ),
    // Creating under a company's path.
    ...OWNERS.flatMap((o) => row('POST', `/v1/companies/{${o}}/${plural}`, withOk(MANAGE_COMPANY[o], 201), { body: () => listingBody() })),
    // Changing one (title only, so visibility and ownership stay as the matrix assumes).
    ...LISTING_KEYS.flatMap((k) =>
      row('PATCH', `/v1/${plural}/{${k}}`, withOk(LISTING_ACCESS[k].write, 200), {
        url: () => `/v1/${plural}/${ids[`${side}:${k}`]}`,
        body: () => ({ title: `Endret tittel ${++counter}` }),
      }),
    ),
    // Its matches belong to its company and those who act for it.
    ...LISTING_KEYS.flatMap((k) =>
      row('GET', `/v1/${plural}/{${k}}/matches`, withOk(LISTING_ACCESS[k].write, 200), { url: () => `/v1/${plural}/${ids[`${side}:${k}`]}/matches` }),
    ),
    // Mass assignment: the owner comes from the path, never the body; ownership cannot be patched.
    ...row('POST', `/v1/companies/{own}/${plural} with companyId={outsider} in body`, s(400, 400, 400, 400), {
      url: () => `/v1/companies/${ids.own}/${plural}`,
      body: () => listingBody({ companyId: ids.outsider }),
    }),
    ...row('PATCH', `/v1/${plural}/{own:public} with companyId={outsider} in body`, s(400, 400, 400, 400), {
      url: () => `/v1/${plural}/${ids[`${side}:own:public`]}`,
      body: () => ({ companyId: ids.outsider }),
    }),
  ]),

  // --- Matches of companies, feedback on pairs ----------------------------------------------------
  ...OWNERS.flatMap((o) => row('GET', `/v1/companies/{${o}}/matches`, withOk(MANAGE_COMPANY[o], 200))),
  ...row('POST', '/v1/matches/{peer:public need}/{outsider:public capability}/feedback as {peer}', s(200, 403, 200, 403), {
    url: () => `/v1/matches/${ids['need:peer:public']}/${ids['capability:outsider:public']}/feedback`,
    body: () => ({ verdict: 'useful', companyId: ids.peer }),
  }),
  ...row('POST', '/v1/matches/{own:public need}/{outsider:public capability}/feedback as {outsider}', s(200, 403, 403, 200), {
    url: () => `/v1/matches/${ids['need:own:public']}/${ids['capability:outsider:public']}/feedback`,
    body: () => ({ verdict: 'useful', companyId: ids.outsider }),
  }),
  ...row('POST', '/v1/matches/{peer:private need}/{own:public capability}/feedback as {own}', s(200, 404, 200, 404), {
    url: () => `/v1/matches/${ids['need:peer:private']}/${ids['capability:own:public']}/feedback`,
    body: () => ({ verdict: 'dismissed', companyId: ids.own }),
  }),

  // --- Clusters and memberships -------------------------------------------------------------------
  ...row('POST', '/v1/clusters', s(201, 403, 403, 403), { body: () => ({ name: `Ny klynge ${++counter}` }) }),
  ...row('GET', '/v1/clusters', s(200, 200, 200, 200), {
    sees: (a) => CLUSTER_LIST[a].sees,
    hides: (a) => CLUSTER_LIST[a].hides,
  }),
  ...(['A', 'B'] as const).flatMap((c) => [
    ...row('GET', `/v1/clusters/{${c}}`, CLUSTER_ACCESS[c].read),
    ...row('GET', `/v1/clusters/{${c}}/members`, CLUSTER_ACCESS[c].read),
    ...row('PATCH', `/v1/clusters/{${c}}`, withOk(CLUSTER_ACCESS[c].manage, 200), { body: () => ({ description: `Oppdatert ${++counter}` }) }),
    // {company*}: a fresh company in no cluster, so adding it re-wires nothing the matrix relies on.
    ...row('PUT', `/v1/clusters/{${c}}/members/{company*}`, withOk(CLUSTER_ACCESS[c].manage, 204), {
      url: async () => `/v1/clusters/${ids[c]}/members/${await fresh.company()}`,
    }),
    // {outsider}: a company of the other cluster. Membership would hand its data to this cluster's
    // leaders, so only an admin may add it (no take-over by a leader).
    ...row('PUT', `/v1/clusters/{${c}}/members/{${c === 'A' ? 'outsider' : 'peer'}}`, { company: CLUSTER_ACCESS[c].manage.company, leaderA: c === 'A' ? 403 : 404, leaderB: c === 'B' ? 403 : 404 }),
    // {member*}: a fresh company that is a member of the cluster.
    ...row('DELETE', `/v1/clusters/{${c}}/members/{member*}`, withOk(CLUSTER_ACCESS[c].manage, 204), {
      url: async () => `/v1/clusters/${ids[c]}/members/${await fresh.company(c)}`,
    }),
  ]),

  // --- Tokens and scoring administration ----------------------------------------------------------
  ...row('POST', '/v1/tokens', s(201, 403, 403, 403), { body: () => ({ role: 'company', companyId: ids.own }) }),
  ...row('POST', '/v1/tokens with role=admin', s(201, 403, 403, 403), { url: () => '/v1/tokens', body: () => ({ role: 'admin' }) }),
  ...row('GET', '/v1/tokens', s(200, 403, 403, 403)),
  ...row('DELETE', '/v1/tokens/{token*}', s(204, 403, 403, 403), { url: async () => `/v1/tokens/${await fresh.token()}` }),
  ...row('POST', '/v1/matching/rescore', s(202, 403, 403, 403)),
  ...row('GET', '/v1/matching/failures', s(200, 403, 403, 403)),
  ...row('GET', '/v1/matching/status', s(200, 200, 200, 200)),

  // --- Destructive rows, on fresh fixtures -------------------------------------------------------
  ...SIDES.flatMap(({ side, plural }) =>
    LISTING_KEYS.flatMap((k) =>
      row('DELETE', `/v1/${plural}/{${k}*}`, withOk(LISTING_ACCESS[k].write, 204), {
        url: async () => `/v1/${plural}/${await fresh.listing(side, k)}`,
        survives: true,
      }),
    ),
  ),
  // {peer*} is a fresh member of cluster A, {outsider*} a fresh member of cluster B.
  ...row('DELETE', '/v1/companies/{peer*}', s(204, 403, 403, 403), { url: async () => `/v1/companies/${await fresh.company('A')}`, survives: true }),
  ...row('DELETE', '/v1/companies/{outsider*}', s(204, 403, 403, 403), { url: async () => `/v1/companies/${await fresh.company('B')}`, survives: true }),
  // A cluster the caller cannot see answers 404 on every method, so cluster ids do not leak.
  ...row('DELETE', '/v1/clusters/{cluster*}', s(204, 404, 404, 404), { url: async () => `/v1/clusters/${await fresh.cluster()}` }),
  // Deleting cluster A itself: only the admin may, not even its leader. (The admin's 204 is the row above.)
  ...row('DELETE', '/v1/clusters/{A}', { company: 403, leaderA: 403, leaderB: 404 }, { survives: true }),
  // Last, because it removes the company the company token acts for: a company may delete itself.
  ...row('DELETE', '/v1/companies/{own}', { leaderA: 403, leaderB: 403 }, { survives: true }),
  ...row('DELETE', '/v1/companies/{own}', { company: 204 }, { unauthenticated: false }),
];

// ---------------------------------------------------------------------------------------------
// Setup
// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  t = await createTestApp();
  headers.admin = t.auth;

  // The expiring token first, so its few seconds run out while the rest is built.
  const expiresAt = Date.now() + 2_000;
  const expiring = await issueToken({ role: 'admin', name: 'expires soon', expiresAt: new Date(expiresAt).toISOString() });
  const before = await t.app.inject({ method: 'GET', url: '/v1/matching/status', headers: expiring.header });
  expect(before.statusCode, 'the expiring token works before it expires').toBe(200);

  ids.A = (await adminPost('/v1/clusters', { name: 'Klynge A' })).id;
  ids.B = (await adminPost('/v1/clusters', { name: 'Klynge B' })).id;
  for (const owner of OWNERS) ids[owner] = (await adminPost('/v1/companies', companyBody())).id;
  await addMember(ids.A, ids.own!);
  await addMember(ids.A, ids.peer!);
  await addMember(ids.B, ids.outsider!);
  for (const { side, plural } of SIDES) {
    for (const key of LISTING_KEYS) {
      const [owner, visibility] = key.split(':') as [Owner, Visibility];
      ids[`${side}:${key}`] = (await adminPost(`/v1/companies/${ids[owner]}/${plural}`, listingBody({ visibility }))).id;
    }
  }

  headers.company = (await issueToken({ role: 'company', companyId: ids.own })).header;
  headers.leaderA = (await issueToken({ role: 'cluster-leader', clusterIds: [ids.A] })).header;
  headers.leaderB = (await issueToken({ role: 'cluster-leader', clusterIds: [ids.B] })).header;

  const revoked = await issueToken({ role: 'admin', name: 'to be revoked' });
  const works = await t.app.inject({ method: 'GET', url: '/v1/tokens', headers: revoked.header });
  expect(works.statusCode, 'the token works before it is revoked').toBe(200);
  expect((await adminCall('DELETE', `/v1/tokens/${revoked.id}`)).statusCode).toBe(204);
  headers.revoked = revoked.header;

  headers.expired = expiring.header;
  const wait = expiresAt + 250 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
});

afterAll(() => t?.close());

// ---------------------------------------------------------------------------------------------
// The matrix
// ---------------------------------------------------------------------------------------------

describe('authorisation matrix', () => {
  it('has unique case names', () => {
    const names = CASES.map((k) => k.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it.each(CASES.map((k) => [k.name, k] as const))('%s', async (name, k) => {
    const url = await k.url();
    const payload = k.body?.();
    const response = await t.app.inject({ method: k.method, url, headers: headers[k.role], ...(payload ? { payload } : {}) });
    const status = response.statusCode;
    if (k.status >= 400 && status < 300) unexpectedAllows.push(`${name} (got ${status})`);

    expect(status, `${k.method} ${url}: ${response.body.slice(0, 400)}`).toBe(k.status);

    if (k.status >= 400 || status >= 400) {
      expect(response.headers['content-type'], 'a denial is problem details').toMatch(/^application\/problem\+json/);
      expect(response.json<{ status: number }>().status).toBe(status);
    }
    if (k.status === 401) expect(response.headers['www-authenticate']).toBe('Bearer');

    if (k.sees || k.hides) {
      for (const key of [...(k.sees?.() ?? []), ...(k.hides?.() ?? [])]) expect(ids[key], `world key {${key}}`).toBeDefined();
      const listed = new Set(response.json<{ items: { id: string }[] }>().items.map((item) => item.id));
      for (const key of k.sees?.() ?? []) expect(listed.has(ids[key]!), `lists {${key}}`).toBe(true);
      for (const key of k.hides?.() ?? []) expect(listed.has(ids[key]!), `does not list {${key}}`).toBe(false);
    }

    if (k.survives && k.status >= 400) {
      const after = await adminCall('GET', url);
      expect(after.statusCode, `the denied ${k.method} left ${url} in place`).toBe(200);
    }
  });

  it('found no unexpected allow (a denial expected, a 2xx received)', () => {
    expect(unexpectedAllows).toEqual([]);
  });
});
