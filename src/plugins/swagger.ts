// OpenAPI 3.1 generated from the route schemas (@fastify/swagger), with interactive docs at /docs.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export const OPENAPI_INFO = {
  title: 'Koblingsboks API',
  version: '0.1.0',
  description:
    'Cross-industry matchmaking for companies in regional industry clusters: companies post needs and capabilities, ' +
    'a scoring worker ranks need ↔ capability pairings, and cluster leaders broker introductions. ' +
    'Errors are RFC 9457 problem details (application/problem+json).',
};

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
      refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
  },
  { name: 'swagger' },
);
