// Builds the Fastify app from its dependencies. Used by the server entry, the eval script and
// the tests, so all of them validate, authorise and serialise exactly alike.
import rateLimit from '@fastify/rate-limit';
import { batchedRateLimitStore } from './plugins/batched-rate-limit-store.js';
import { HttpProblem } from './errors.js';
import idempotencyPlugin from './plugins/idempotency.js';
import { appendRouteHook, changesState } from './plugins/route-hooks.js';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyServerOptions } from 'fastify';
import type { App } from './app-types.js';
import authPlugin from './auth/auth-plugin.js';
import { createAccessPolicy } from './auth/access.js';
import { tokenVerifier } from './auth/token-verifier.js';
import { bearerOf } from './auth/bearer.js';
import { Cluster } from './clusters/cluster.schema.js';
import { createClusterService } from './clusters/cluster.service.js';
import { clusterRoutes } from './routes/cluster.routes.js';
import { tokenRoutes } from './routes/token.routes.js';
import { introductionRoutes } from './routes/introduction.routes.js';
import { auditAnalyticsRoutes } from './routes/audit-analytics.routes.js';
import { createAuditService } from './audit/audit.service.js';
import { notificationRoutes } from './routes/notification.routes.js';
import { importExportRoutes } from './routes/import-export.routes.js';
import { createNotificationService } from './notifications/notification.service.js';
import { Introduction } from './introductions/introduction.schema.js';
import { createIntroductionService } from './introductions/introduction.service.js';
import { TokenInfo } from './tokens/token.schema.js';
import { createTokenService } from './tokens/token.service.js';
import { Company } from './companies/company.schema.js';
import { createCompanyService } from './companies/company.service.js';
import { Listing } from './listings/listing.schema.js';
import { createListingService } from './listings/listing.service.js';
import { Match, PartnerSuggestion } from './matches/match.schema.js';
import { createMatchService } from './matches/match.service.js';
import errorHandler, { sendProblem, toProblem } from './plugins/error-handler.js';
import securityHeaders from './plugins/security-headers.js';
import swaggerPlugin, { DOCS_PATH } from './plugins/swagger.js';
import metricsPlugin from './plugins/metrics.js';
import { companyRoutes } from './routes/company.routes.js';
import { healthRoutes } from './routes/health.routes.js';
import { listingRoutes } from './routes/listing.routes.js';
import { matchRoutes } from './routes/match.routes.js';
import type { Runtime } from './runtime.js';
import { DASHBOARD_PATH, queueDashboard } from './plugins/queue-dashboard.js';
import { ProblemSchema } from './schemas/common.js';
import { customFormats } from './schemas/formats.js';

export const BODY_LIMIT = 64 * 1024;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's request id when it is a short token of safe characters (it is logged and echoed). */
export function acceptedRequestId(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : undefined;
}

/** Fastify options shared by production and tests; pass the process's pino logger, or none for silence. */
export function fastifyOptions(logger?: FastifyBaseLogger): FastifyServerOptions {
  return {
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    bodyLimit: BODY_LIMIT,
    requestTimeout: 30_000,
    connectionTimeout: 60_000,
    return503OnClosing: true,
    // A caller's X-Request-Id is kept when it is a sane token, so one id follows a request from a
    // client or proxy through the API into the scoring worker's logs; anything else gets a UUID.
    requestIdHeader: false,
    genReqId: (request) => acceptedRequestId(request.headers['x-request-id']) ?? crypto.randomUUID(),
    // Errors the router raises before any route runs (bad percent-encoding, over-long URLs…)
    // get problem details like every other error.
    frameworkErrors: (error, request, reply) => {
      void sendProblem(request, reply, toProblem(error));
    },
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true },
      plugins: [customFormats],
    },
  };
}

export type AppDeps = Pick<Runtime, 'database' | 'adminToken' | 'scoring' | 'redis'> & {
  queue?: Runtime['queue'];
  webhookQueue?: Runtime['webhookQueue'];
  webhooks?: Runtime['webhooks'];
  /** Scoring done in this process (embedded mode), exposed at /metrics. */
  scoringMetrics?: Runtime['scoringMetrics'];
  /** The read cache and its change feed (none: every read goes to the database). */
  reads?: Runtime['reads'];
  rateLimitPerMinute?: number;
};

export async function buildApp(deps: AppDeps, options: FastifyServerOptions = fastifyOptions()): Promise<App> {
  const app = Fastify(options).withTypeProvider<TypeBoxTypeProvider>();
  const { db } = deps.database;
  const notify = () => deps.scoring.notify();

  await app.register(errorHandler);
  // Every response names its request id, so a user reporting a problem can quote it.
  // (Callback-style like the other per-request hooks that never wait: no promise per request.)
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  // The API speaks JSON only: other bodies get 415 rather than being parsed as text.
  app.removeContentTypeParser('text/plain');
  await app.register(securityHeaders, { helmet: { contentSecurityPolicy: false }, documentPaths: [DOCS_PATH, DASHBOARD_PATH] });
  for (const schema of [ProblemSchema, Company, Listing, Match, PartnerSuggestion, Cluster, TokenInfo, Introduction]) app.addSchema(schema);
  await app.register(swaggerPlugin);
  await app.register(metricsPlugin, {
    db,
    queue: deps.queue ?? null,
    registries: deps.scoringMetrics ? [deps.scoringMetrics.registry] : [],
    readCache: deps.reads?.cache ?? null,
  });

  const checks = [{ name: 'database', check: () => deps.database.ping() }];
  const { redis } = deps;
  if (redis) checks.push({ name: 'redis', check: async () => void (await redis.ping()) });
  healthRoutes(app, checks);
  const cache = deps.reads?.cache ?? null;
  const syncReads = async () => deps.reads?.feed.sync();
  const verifier = tokenVerifier(db, deps.adminToken, cache);
  const queues = [deps.queue, deps.webhookQueue].filter((q) => q != null);
  await app.register(queueDashboard, { prefix: DASHBOARD_PATH, queues, verifier });

  await app.register(
    async (v1) => {
      // Every /v1 operation is documented as needing the bearer token.
      v1.addHook('onRoute', (route) => {
        route.schema = { ...route.schema, security: [{ bearerAuth: [] }] };
      });
      await v1.register(rateLimit, {
        max: deps.rateLimitPerMinute ?? 600,
        timeWindow: '1 minute',
        // Per token (its SHA-256, never the secret itself), per address without a bearer token.
        keyGenerator: (request) => {
          const bearer = bearerOf(request);
          return bearer ? `t:${bearer.key}` : `ip:${request.ip}`;
        },
        // Shared by every instance through Redis, asked once per client per 100 ms while far from the limit.
        ...(deps.redis ? { store: batchedRateLimitStore(deps.redis, 'koblingsboks-rate-') } : {}),
        // A Redis outage must not take the API down with it: fail open.
        skipOnError: true,
        errorResponseBuilder: (_request, context) =>
          new HttpProblem(429, 'rate-limited', 'Too many requests', `Limit of ${context.max} requests per ${context.after} reached; retry later`, undefined, {
            'retry-after': String(Math.ceil(context.ttl / 1000)),
          }),
      });
      await v1.register(authPlugin, { verifier });
      // Read your writes: a write's answer leaves once its changes have reached this instance's
      // read cache, so the caller's next read never sees what the write replaced.
      v1.addHook('onRoute', (route) => {
        if (changesState(route)) appendRouteHook(route, 'onSend', syncReads);
      });
      await v1.register(idempotencyPlugin, { db });
      const api = v1.withTypeProvider<TypeBoxTypeProvider>();
      const access = createAccessPolicy(db, cache);
      companyRoutes(api, createCompanyService(db, access, notify));
      listingRoutes(api, createListingService(db, access, notify));
      matchRoutes(api, createMatchService(db, access, deps.scoring), deps.scoring, cache, syncReads);
      clusterRoutes(api, createClusterService(db, access));
      tokenRoutes(api, createTokenService(db));
      introductionRoutes(api, createIntroductionService(db, access, () => deps.webhooks?.notify()));
      auditAnalyticsRoutes(api, db, createAuditService(db), access);
      notificationRoutes(api, createNotificationService(db, access));
      importExportRoutes(api, db, access, notify);
    },
    { prefix: '/v1' },
  );
  return app;
}
