// /v1/tokens: admins issue, list and revoke API tokens.
import { Type } from '@sinclair/typebox';
import type { App } from '../app-types.js';
import { requireRole } from '../auth/auth-plugin.js';
import { ProblemRef, Uuid, commonErrors } from '../schemas/common.js';
import { IssuedToken, TokenCreate } from '../tokens/token.schema.js';
import type { TokenService } from '../tokens/token.service.js';

const tags = ['tokens'];

export function tokenRoutes(app: App, service: TokenService) {
  app.post(
    '/tokens',
    {
      schema: {
        operationId: 'issueToken',
        summary: 'Issue an API token (admin); the secret is shown only in this answer',
        description:
          'Issues an API token for a role (admin, cluster-leader for named clusters, company for one company), optionally expiring. The secret is in this answer only; the service keeps a SHA-256 hash. Admin only.',
        tags,
        body: TokenCreate,
        response: { 201: IssuedToken, 404: ProblemRef, 413: ProblemRef, 415: ProblemRef, ...commonErrors },
      },
    },
    async (request, reply) => reply.code(201).send(await service.issue(request.body, requireRole(request, 'admin'), request.id)),
  );

  app.get(
    '/tokens',
    {
      schema: {
        operationId: 'listTokens',
        summary: 'List API tokens without their secrets (admin)',
        description:
          'Issued tokens with role, scope and expiry, never their secrets. Admin only.',
        tags,
        response: { 200: Type.Object({ items: Type.Array(Type.Ref('TokenInfo')), nextCursor: Type.Null() }), ...commonErrors },
      },
    },
    async (request) => {
      requireRole(request, 'admin');
      return { items: await service.list(), nextCursor: null };
    },
  );

  app.delete(
    '/tokens/:tokenId',
    {
      schema: {
        operationId: 'revokeToken',
        summary: 'Revoke an API token (admin)',
        description:
          'Revokes a token at once: later requests with it answer 401. Admin only.',
        tags,
        params: Type.Object({ tokenId: Uuid }, { additionalProperties: false }),
        response: { 204: Type.Null({ description: 'Revoked' }), 404: ProblemRef, ...commonErrors },
      },
    },
    async (request, reply) => {
      await service.revoke(requireRole(request, 'admin'), request.params.tokenId, request.id);
      return reply.code(204).send(null);
    },
  );
}
