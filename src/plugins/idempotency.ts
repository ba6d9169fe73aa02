// Idempotency-Key on POST: the first request with a key (per token) runs and its answer is kept
// for 24 hours; a retry with the same key and body gets that answer again (header
// `Idempotent-Replayed: true`), a retry while the first still runs gets 409, and the same key
// with a different request gets 422. Server errors are not kept, so the client may retry them.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { HttpProblem, badRequest, conflict } from '../errors.js';
import { appendRouteHook, routeMethods } from './route-hooks.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { tokenId: string; key: string } | null;
  }
}

const KEY = /^[\x21-\x7e]{1,200}$/;
const RETENTION = '24 hours';

function requestHash(request: FastifyRequest): string {
  return createHash('sha256').update(JSON.stringify(request.body ?? null)).digest('hex');
}

export default fp(
  async function idempotencyPlugin(app: FastifyInstance, options: { db: Kysely<Database> }) {
    const { db } = options;
    app.decorateRequest('idempotency', null);

    const claimKey = async (request: FastifyRequest, reply: FastifyReply) => {
      const key = request.headers['idempotency-key'];
      if (request.method !== 'POST' || key === undefined || !request.principal) return;
      if (typeof key !== 'string' || !KEY.test(key)) {
        throw badRequest('Idempotency-Key must be 1–200 visible ASCII characters', [{ field: '/headers/idempotency-key', message: 'is malformed' }]);
      }
      const tokenId = request.principal.tokenId;
      const path = request.url.split('?')[0]!;
      const bodyHash = requestHash(request);
      await db.deleteFrom('idempotency_keys').where('token_id', '=', tokenId).where('key', '=', key).where('created_at', '<', sql<Date>`now() - ${RETENTION}::interval`).execute();
      const claimed = await db
        .insertInto('idempotency_keys')
        .values({ token_id: tokenId, key, method: request.method, path, body_hash: bodyHash })
        .onConflict((oc) => oc.doNothing())
        .returning('key')
        .executeTakeFirst();
      if (claimed) {
        request.idempotency = { tokenId, key };
        return;
      }
      const stored = await db.selectFrom('idempotency_keys').selectAll().where('token_id', '=', tokenId).where('key', '=', key).executeTakeFirstOrThrow();
      if (stored.path !== path || stored.method !== request.method || stored.body_hash !== bodyHash) {
        throw new HttpProblem(422, 'idempotency-key-reused', 'Idempotency key reused', 'This Idempotency-Key was used for a different request');
      }
      if (stored.status_code === null) throw conflict('A request with this Idempotency-Key is still being processed; retry shortly');
      return reply
        .code(stored.status_code)
        .header('idempotent-replayed', 'true')
        .type(stored.status_code >= 400 ? 'application/problem+json' : 'application/json; charset=utf-8')
        .send(stored.response_body ?? '');
    };

    const keepAnswer = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      const claim = request.idempotency;
      if (!claim) return payload;
      request.idempotency = null;
      const where = db.updateTable('idempotency_keys').where('token_id', '=', claim.tokenId).where('key', '=', claim.key);
      if (reply.statusCode >= 500) {
        await db.deleteFrom('idempotency_keys').where('token_id', '=', claim.tokenId).where('key', '=', claim.key).execute();
      } else {
        await where.set({ status_code: reply.statusCode, response_body: typeof payload === 'string' ? payload : '' }).execute();
      }
      return payload;
    };

    // Only POST routes take the key: reads and other writes run neither hook.
    app.addHook('onRoute', (route) => {
      if (!routeMethods(route).includes('POST')) return;
      appendRouteHook(route, 'preHandler', claimKey);
      appendRouteHook(route, 'onSend', keepAnswer);
    });
  },
  { name: 'idempotency' },
);
