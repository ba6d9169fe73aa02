// The audit trail (admins, cluster leaders) and cluster analytics (admins, the cluster's leaders).
import { Type } from '@sinclair/typebox';
import type { App } from '../app-types.js';
import { principalOf } from '../auth/auth-plugin.js';
import type { AccessPolicy } from '../auth/access.js';
import type { AuditService } from '../audit/audit.service.js';
import { clusterAnalytics } from '../clusters/cluster-analytics.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { notFound } from '../errors.js';
import { ProblemRef, Timestamp, Uuid, commonErrors } from '../schemas/common.js';

const AuditEntry = Type.Object(
  {
    id: Type.Integer(),
    at: Timestamp,
    actorTokenId: Type.String(),
    actorRole: Type.String(),
    action: Type.String({ examples: ['introduction.propose', 'token.issue', 'cluster.member.add', 'listing.visibility'] }),
    resourceType: Type.String(),
    resourceId: Type.String(),
    clusterIds: Type.Array(Uuid),
    details: Type.Record(Type.String(), Type.Unknown()),
    requestId: Type.Union([Type.String(), Type.Null()]),
  },
  { title: 'AuditEntry' },
);

const Analytics = Type.Object(
  {
    members: Type.Integer(),
    openNeeds: Type.Integer(),
    suggestedMatches: Type.Integer({ description: 'Stored matches for members’ needs' }),
    introductionsByState: Type.Record(Type.String(), Type.Integer()),
    crossIndustryShare: Type.Object({
      matches: Type.Number({ minimum: 0, maximum: 1 }),
      introductions: Type.Number({ minimum: 0, maximum: 1 }),
    }),
    monthly: Type.Array(Type.Object({ month: Type.String(), introductions: Type.Integer(), needs: Type.Integer() })),
  },
  {
    title: 'ClusterAnalytics',
    examples: [
      {
        members: 38,
        openNeeds: 21,
        suggestedMatches: 412,
        introductionsByState: { proposed: 4, accepted: 3, collaboration: 2 },
        crossIndustryShare: { matches: 0.81, introductions: 0.78 },
        monthly: [{ month: '2026-10', introductions: 5, needs: 9 }],
      },
    ],
  },
);

export function auditAnalyticsRoutes(app: App, db: Kysely<Database>, audit: AuditService, access: AccessPolicy) {
  app.get(
    '/audit',
    {
      schema: {
        operationId: 'listAuditEntries',
        summary: 'Broker and admin actions, newest first (admins: all; leaders: their clusters)',
        description:
          'Who did what: broker and admin actions (companies, memberships, tokens, introductions, re-scores) with actor, time and subject, newest first. Admins see all; cluster leaders the entries of their clusters.',
        tags: ['audit'],
        querystring: Type.Object(
          {
            clusterId: Type.Optional(Type.String({ format: 'uuid' })),
            limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
            cursor: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(AuditEntry), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...commonErrors },
      },
    },
    async (request) => audit.list(principalOf(request), request.query),
  );

  app.get(
    '/clusters/:clusterId/analytics',
    {
      schema: {
        operationId: 'getClusterAnalytics',
        summary: 'Counts and monthly series for a cluster (admins and its leaders)',
        description:
          'Counts and monthly series for a cluster\'s members (listings, matches, introductions), for leaders reporting on their network. Admins and the cluster\'s leaders.',
        tags: ['clusters'],
        params: Type.Object({ clusterId: Uuid }, { additionalProperties: false }),
        querystring: Type.Object({ months: Type.Integer({ minimum: 1, maximum: 36, default: 12 }) }, { additionalProperties: false }),
        response: { 200: Analytics, 404: ProblemRef, ...commonErrors },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const visible = await access.visibleClusters(principal);
      if (visible !== 'all' && !visible.includes(request.params.clusterId)) throw notFound('Cluster', request.params.clusterId);
      access.assertManageCluster(principal, request.params.clusterId);
      if (!(await db.selectFrom('clusters').select('id').where('id', '=', request.params.clusterId).executeTakeFirst())) {
        throw notFound('Cluster', request.params.clusterId);
      }
      return clusterAnalytics(db, request.params.clusterId, request.query.months);
    },
  );
}
