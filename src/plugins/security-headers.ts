// Helmet's security headers on every response. Helmet decides the headers and their values (its
// defaults without a Content-Security-Policy: the API serves JSON, and /docs brings its own
// scripts). None of them depends on the request, so they are computed once at start-up and set in
// one step, rather than running helmet's middleware chain on every request as @fastify/helmet
// does: that chain cost about 45 % of a trivial route's throughput here (22k → 12k req/s).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/** The headers helmet's middleware sets (and removes) for these options, as one object. */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let done = false;
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => {
    done = true;
  });
  // A request-dependent policy (a CSP nonce) would call back later or need the request: refuse it.
  if (!done) throw new Error('helmet options that depend on the request cannot be precomputed');
  return headers;
}

export default fp(
  async function securityHeaders(app: FastifyInstance, options: HelmetOptions) {
    const headers = helmetHeaders(options);
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
  },
  { name: 'security-headers' },
);
