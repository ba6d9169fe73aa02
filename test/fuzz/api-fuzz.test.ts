// Schema-driven fuzzing: thousands of malformed and hostile requests, generated from
// openapi/openapi.json, against every operation. No answer may be a 5xx, every error is
// problem+json, and the data written before the run is unchanged.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyBody, listingBody } from '../helpers/builders.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

interface Operation {
  method: string;
  path: string;
  hasBody: boolean;
  queryNames: string[];
  bodyProperties: string[];
}

const document = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> } }>>;
};
const operations: Operation[] = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({
    method: method.toUpperCase(),
    path,
    hasBody: op.requestBody !== undefined,
    queryNames: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
    bodyProperties: Object.keys(op.requestBody?.content['application/json']?.schema.properties ?? {}),
  })),
);

const HOSTILE = [
  "' OR 1=1 --",
  "'; DROP TABLE companies; --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '\u0000',
  '\uD800',
  '😀'.repeat(300),
  'a'.repeat(70_000),
  '${jndi:ldap://x}',
  '{{7*7}}',
  'null',
  '-1',
  '1e309',
  '0192f1c4-6b7a-7cc3-9f5e-2b1a4d3c5e6f',
  '00000000-0000-0000-0000-000000000000',
  'ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ',
];

const hostileString = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 30 }));
const deepJson = fc.integer({ min: 50, max: 2_000 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileString, { maxLength: 30 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 5 }),
  deepJson,
);

function bodyFor(op: Operation): fc.Arbitrary<unknown> {
  const shaped = op.bodyProperties.length
    ? fc.record(Object.fromEntries(op.bodyProperties.map((name) => [name, hostileValue])), { requiredKeys: [] })
    : fc.object();
  return fc.oneof(shaped, fc.jsonValue(), hostileValue);
}

const rawBody = fc.oneof(fc.constant('{"unterminated": '), fc.constant('\u0000\u0001'), fc.string({ maxLength: 200 }), fc.constant('[]'.repeat(10_000)));

function requestFor(op: Operation) {
  return fc.record({
    params: fc.array(hostileString, { minLength: 3, maxLength: 3 }),
    query: fc.dictionary(fc.constantFrom(...op.queryNames, 'limit', 'cursor', 'extra'), hostileString, { maxKeys: 3 }),
    body: op.hasBody ? fc.oneof(bodyFor(op).map((b) => ({ json: b })), rawBody.map((raw) => ({ raw }))) : fc.constant(undefined),
    contentType: fc.constantFrom('application/json', 'application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1'),
  });
}

const CASES_PER_OPERATION = 130;

/** Lone surrogates cannot be sent in a URL; a client would send U+FFFD. */
const wellFormed = (value: string) => value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

let t: TestApp;
let snapshot: () => Promise<unknown>;
beforeAll(async () => {
  t = await createTestApp();
  const company = (await t.app.inject({ method: 'POST', url: '/v1/companies', headers: t.auth, payload: companyBody() })).json();
  const need = (await t.app.inject({ method: 'POST', url: `/v1/companies/${company.id}/needs`, headers: t.auth, payload: listingBody() })).json();
  snapshot = async () => [
    (await t.app.inject({ method: 'GET', url: `/v1/companies/${company.id}`, headers: t.auth })).json(),
    (await t.app.inject({ method: 'GET', url: `/v1/needs/${need.id}`, headers: t.auth })).json(),
  ];
});
afterAll(() => t.close());

describe('fuzzing every operation of openapi/openapi.json', () => {
  it(`sends ${CASES_PER_OPERATION} hostile requests per operation: no 5xx, problem+json errors, data unchanged`, async () => {
    const before = await snapshot();
    let sent = 0;
    const serverErrors: string[] = [];
    const badErrorBodies: string[] = [];
    for (const op of operations) {
      const samples = fc.sample(requestFor(op), { numRuns: CASES_PER_OPERATION, seed: 20261122 + sent });
      for (const sample of samples) {
        let i = 0;
        // Path parameters get hostile values, URL-encoded as a client would send them.
        const path = op.path.replace(/\{[^}]+\}/g, () => {
          const value = sample.params[i++ % 3] ?? '';
          // Now and then a broken percent-encoding, as a hostile client would send it raw.
          return value.length % 11 === 0 ? '%E0%A4%A' : encodeURIComponent(wellFormed(value));
        });
        const search = new URLSearchParams(Object.entries(sample.query as Record<string, string>).map(([k, v]): [string, string] => [k, wellFormed(v)])).toString();
        const url = `${path}${search ? `?${search}` : ''}`;
        const body = sample.body as { json?: unknown; raw?: string } | undefined;
        const payload = body === undefined ? undefined : 'raw' in body ? body.raw : JSON.stringify(body.json);
        const response = await t.app.inject({
          method: op.method as 'GET',
          url,
          headers: { ...t.auth, ...(payload !== undefined ? { 'content-type': sample.contentType } : {}) },
          ...(payload !== undefined ? { payload } : {}),
        });
        sent += 1;
        if (response.statusCode >= 500) serverErrors.push(`${op.method} ${url.slice(0, 120)} → ${response.statusCode} ${response.body.slice(0, 200)}`);
        else if (response.statusCode >= 400 && !String(response.headers['content-type']).startsWith('application/problem+json')) {
          badErrorBodies.push(`${op.method} ${url.slice(0, 120)} → ${response.statusCode} ${response.headers['content-type']}`);
        }
      }
    }
    console.log(`fuzz: ${sent} requests over ${operations.length} operations, ${serverErrors.length} answers ≥ 500`);
    expect(serverErrors.slice(0, 10)).toEqual([]);
    expect(badErrorBodies.slice(0, 10)).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(5_000);
    expect(await snapshot()).toEqual(before);
  }, 300_000);
});
