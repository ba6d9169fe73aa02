// Authentication in one place: an onRequest hook that turns `Authorization: Bearer <token>` into a
// principal or answers 401. Registered inside the /v1 scope only, so /health, /ready and /docs stay open.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { forbidden, unauthorized } from '../errors.js';
import { bearerOf } from './bearer.js';
import type { Principal, Role, TokenVerifier } from './principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export async function authenticate(request: FastifyRequest, verifier: TokenVerifier): Promise<Principal> {
  if (!request.headers.authorization) throw unauthorized('Send Authorization: Bearer <token>');
  const bearer = bearerOf(request);
  if (!bearer) throw unauthorized('The Authorization header must be "Bearer <token>"');
  const principal = await verifier.verify(bearer);
  if (!principal) throw unauthorized('The token is unknown, revoked or expired');
  return principal;
}

/** The authenticated principal of a /v1 request. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthorized('Authentication required');
  return request.principal;
}

/** Guards a route for the given roles; the principal is already authenticated by the scope's hook. */
export function requireRole(request: FastifyRequest, ...roles: Role[]): Principal {
  const principal = request.principal;
  if (!principal) throw unauthorized('Authentication required');
  if (!roles.includes(principal.role)) throw forbidden(`This action needs one of the roles: ${roles.join(', ')}`);
  return principal;
}

export default fp(
  async function authPlugin(app: FastifyInstance, options: { verifier: TokenVerifier }) {
    app.decorateRequest('principal', null);
    app.addHook('onRequest', async (request) => {
      request.principal = await authenticate(request, options.verifier);
    });
  },
  { name: 'auth' },
);
