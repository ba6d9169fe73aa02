// Bull Board, the BullMQ dashboard, at /admin/queues for administrators: queue depth, failed jobs
// with their errors, retries. Browsers cannot send bearer tokens, so the dashboard also accepts
// HTTP Basic with any user name and an admin token as the password (the browser asks for it once
// and resends it with the dashboard's own API calls). Without Redis there is no queue to show.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BEARER, credentialFor } from '../auth/bearer.js';
import type { TokenVerifier } from '../auth/principal.js';
import { forbidden, HttpProblem } from '../errors.js';
import { sendProblem, toProblem } from './error-handler.js';

export const DASHBOARD_PATH = '/admin/queues';

const REALM = 'Basic realm="Koblingsboks queues", charset="UTF-8"';
const BASIC = /^Basic ([A-Za-z0-9+/=]{1,1024})$/;

const askForCredentials = (detail: string) =>
  new HttpProblem(401, 'unauthorized', 'Unauthorized', detail, undefined, { 'www-authenticate': `${REALM}, Bearer` });

/** The secret presented as a bearer token or as the password of HTTP Basic, if any. */
export function presentedSecret(header: string | undefined): string | null {
  if (!header) return null;
  const bearer = BEARER.exec(header);
  if (bearer?.[1]) return bearer[1];
  const basic = BASIC.exec(header);
  if (!basic?.[1]) return null;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && colon < decoded.length - 1 ? decoded.slice(colon + 1) : null;
}

async function requireAdmin(request: FastifyRequest, verifier: TokenVerifier): Promise<void> {
  const secret = presentedSecret(request.headers.authorization);
  if (!secret) throw askForCredentials('Sign in with an admin token (as the password, any user name) or send Authorization: Bearer <token>');
  const principal = await verifier.verify(credentialFor(secret));
  if (!principal) throw askForCredentials('The token is unknown, revoked or expired');
  if (principal.role !== 'admin') throw forbidden('The queue dashboard is for administrators');
}

export async function queueDashboard(app: FastifyInstance, options: { queues: Queue[]; verifier: TokenVerifier }): Promise<void> {
  // Answered here rather than thrown: Bull Board sets its own error handler for its routes.
  app.addHook('onRequest', async (request, reply) => {
    try {
      await requireAdmin(request, options.verifier);
    } catch (error) {
      return sendProblem(request, reply, toProblem(error as Parameters<typeof toProblem>[0]));
    }
  });
  if (options.queues.length === 0) {
    const noQueue = async () => {
      throw new HttpProblem(404, 'no-queue', 'No queue dashboard', 'Scoring runs in-process in this installation (no REDIS_URL), so there is no queue to show');
    };
    app.get('/', { schema: { hide: true } }, noQueue);
    app.get('/*', { schema: { hide: true } }, noQueue);
    return;
  }
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: options.queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Koblingsboks' } },
  });
  await app.register(serverAdapter.registerPlugin());
}
