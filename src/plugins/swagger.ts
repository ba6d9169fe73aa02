// OpenAPI 3.1 generated from the route schemas (@fastify/swagger), with interactive docs at /docs.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Where the interactive docs are served. */
export const DOCS_PATH = '/docs';

export const OPENAPI_INFO = {
  title: 'Koblingsboks API',
  version: '0.1.0',
  description:
    'Cross-industry matchmaking for companies in regional industry clusters: companies post needs and capabilities, ' +
    'a scoring worker ranks need ↔ capability pairings, and cluster leaders broker introductions. ' +
    'Errors are RFC 9457 problem details (application/problem+json).',
  contact: { name: 'Koblingsboks', url: 'https://koblingsboks.no', email: 'hei@koblingsboks.no' },
  license: { name: 'UNLICENSED', identifier: 'LicenseRef-Proprietary' },
};

// What each status means in this API, for responses whose schema carries no description.
const RESPONSE_DESCRIPTIONS: Record<string, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted: the work is queued',
  204: 'No content',
  400: 'Invalid request: problem details with the offending fields in `errors`',
  401: 'Missing, unknown, revoked or expired token',
  403: 'The token’s role or scope does not allow this',
  404: 'No such resource, or not visible to this token',
  409: 'Conflicts with the current state (a duplicate, or a concurrent change)',
  413: 'Body larger than the limit',
  415: 'Unsupported content type',
  422: 'Well-formed but refused: problem details name every bad row or field',
  428: 'A precondition header is required',
  429: 'Rate limit reached; see Retry-After',
  503: 'A backing service is unavailable; retry shortly',
};

type OpenApiResponse = { description?: string; content?: Record<string, unknown> };
type OpenApiParameter = { in?: string; required?: boolean; schema?: { default?: unknown } };
type OpenApiOperation = { responses?: Record<string, OpenApiResponse>; parameters?: OpenApiParameter[] };
type OpenApiDocument = { paths?: Record<string, Record<string, OpenApiOperation | undefined> | undefined> };

const GENERIC = new Set(['Default Response', 'RFC 9457 problem details']);

/**
 * Replaces @fastify/swagger's generic response descriptions with what the status means here, and
 * documents error bodies under the media type the error handler sends (application/problem+json),
 * and marks query parameters with a default as optional: the validator fills them in, so clients
 * (and generated client types) need not send them.
 */
export function describeResponses<T extends OpenApiDocument>(document: T): T {
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations ?? {})) {
      for (const parameter of operation?.parameters ?? []) {
        if (parameter.in === 'query' && parameter.schema?.default !== undefined) parameter.required = false;
      }
      for (const [status, response] of Object.entries(operation?.responses ?? {})) {
        if (GENERIC.has(response.description ?? '') && RESPONSE_DESCRIPTIONS[status]) response.description = RESPONSE_DESCRIPTIONS[status];
        const problem = Object.values(response.content ?? {}).find((media) => (media as { schema?: { $ref?: string } }).schema?.$ref === '#/components/schemas/Problem');
        if (Number(status) >= 400 && problem) response.content = { 'application/problem+json': problem };
      }
    }
  }
  return document;
}

export default fp(
  async function swaggerPlugin(app: FastifyInstance) {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: OPENAPI_INFO,
        servers: [{ url: '/' }],
        components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
        tags: [
          { name: 'companies', description: 'The company registry' },
          { name: 'capabilities', description: 'What companies offer' },
          { name: 'needs', description: 'What companies seek' },
          { name: 'matches', description: 'Scored need ↔ capability pairings' },
          { name: 'clusters', description: 'Industry clusters and their member companies' },
          { name: 'tokens', description: 'API tokens with roles (admin)' },
          { name: 'introductions', description: 'Introductions brokered between companies' },
          { name: 'audit', description: 'The trail of broker and admin actions' },
          { name: 'notifications', description: 'In-app notifications and signed webhooks' },
          { name: 'import-export', description: 'CSV import and export for cluster spreadsheets' },
          { name: 'health', description: 'Probes' },
        ],
      },
      transformObject: (documentObject) => describeResponses(('openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject) as OpenApiDocument) as never,
      refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    });
    await app.register(swaggerUi, { routePrefix: DOCS_PATH });
  },
  { name: 'swagger' },
);
