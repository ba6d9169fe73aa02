import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/clusters/cluster.schema.js';
import { Company } from '../../src/companies/company.schema.js';
import { Introduction } from '../../src/introductions/introduction.schema.js';
import { Listing } from '../../src/listings/listing.schema.js';
import { Match, PartnerSuggestion } from '../../src/matches/match.schema.js';
import { generateOpenApi } from '../../src/openapi-document.js';
import { CLIENT_TYPES, generateClientTypes } from '../../scripts/client.js';
import { ProblemSchema } from '../../src/schemas/common.js';
import { customFormats } from '../../src/schemas/formats.js';
import { TokenInfo } from '../../src/tokens/token.schema.js';

type Json = Record<string, unknown>;
interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  requestBody?: { content: Record<string, Json & { schema?: Json }> };
  responses: Record<string, { content?: Record<string, Json & { schema?: Json }> }>;
}
interface Document {
  openapi: string;
  tags: { name: string; description?: string }[];
  components: { schemas: Record<string, Json> };
  paths: Record<string, Record<string, Operation>>;
}

const document = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8')) as Document;
const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, path, op })));

/** Whether a media object or schema, following $refs into components, carries an example anywhere. */
function hasExample(schema: unknown, seen = new Set<string>()): boolean {
  if (!schema || typeof schema !== 'object') return false;
  const node = schema as Json;
  if ('example' in node || (Array.isArray(node.examples) && node.examples.length > 0)) return true;
  if (typeof node.$ref === 'string') {
    const name = node.$ref.replace('#/components/schemas/', '');
    if (seen.has(name)) return false;
    seen.add(name);
    return hasExample(document.components.schemas[name], seen);
  }
  return Object.values(node).some((child) => hasExample(child, seen));
}

describe('openapi/openapi.json', () => {
  it('is what the routes generate (run `npm run openapi` after changing a route)', async () => {
    const committed = readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8');
    expect(committed).toBe(await generateOpenApi());
  });

  it('has client types generated from it (run `npm run client` after `npm run openapi`)', async () => {
    expect(readFileSync(CLIENT_TYPES, 'utf8')).toBe(await generateClientTypes());
  });

  it('gives every operation an id, a summary, a description and declared tags', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(operations.length).toBeGreaterThan(40);
    const declared = new Set(document.tags.map((t) => t.name));
    expect(document.tags.every((t) => t.description)).toBe(true);
    const ids = operations.map(({ op }) => op.operationId);
    expect(new Set(ids).size, 'operationIds are unique').toBe(ids.length);
    for (const { name, op } of operations) {
      expect(op.operationId, name).toMatch(/^[a-z][A-Za-z0-9]+$/);
      expect(op.summary, name).toBeTruthy();
      // More than the summary again: what happens, who may call it.
      expect(op.description?.length ?? 0, `${name} has a description`).toBeGreaterThan(40);
      expect(op.tags?.length, name).toBeGreaterThan(0);
      for (const tag of op.tags ?? []) expect(declared.has(tag), `${name}: tag ${tag} is declared`).toBe(true);
    }
  });

  it('documents error responses as problem details: 401 on every /v1 operation, 400 wherever input is validated', () => {
    for (const { name, path, op } of operations) {
      const errors = Object.entries(op.responses).filter(([status]) => Number(status) >= 400);
      // Liveness is the one operation that cannot fail while the process can answer at all.
      if (path !== '/health') expect(errors.length, name).toBeGreaterThan(0);
      for (const [status, response] of errors) {
        expect(response.content?.['application/problem+json']?.schema, `${name} ${status}`).toEqual({ $ref: '#/components/schemas/Problem' });
      }
      if (path.startsWith('/v1')) expect(Object.keys(op.responses), name).toContain('401');
      if (op.requestBody || path.includes('{')) expect(Object.keys(op.responses), name).toContain('400');
    }
  });

  it('shows examples of every JSON request body and success response', () => {
    for (const { name, op } of operations) {
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
        if (type === 'application/json') expect(hasExample(media), `${name} request`).toBe(true);
      }
      for (const [status, response] of Object.entries(op.responses)) {
        const json = response.content?.['application/json'];
        if (Number(status) < 300 && json) expect(hasExample(json), `${name} ${status}`).toBe(true);
      }
    }
  });

  it('has examples that are valid instances of their schemas', () => {
    const ajv = customFormats(addFormats.default(new Ajv({ strict: false, allErrors: true })));
    for (const schema of [ProblemSchema, Company, Listing, Match, PartnerSuggestion, Cluster, TokenInfo, Introduction]) ajv.addSchema(schema);
    for (const schema of [ProblemSchema, Company, Listing, Match, PartnerSuggestion, Cluster, TokenInfo, Introduction]) {
      const validate = ajv.getSchema(schema.$id!)!;
      expect(schema.examples, schema.$id).toHaveLength(1);
      for (const example of schema.examples as unknown[]) {
        expect(validate(example), `${schema.$id}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
    }
  });
});
