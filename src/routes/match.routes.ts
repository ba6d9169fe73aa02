// Match endpoints: ranked matches per need and per capability, partner suggestions per company,
// and the scoring status.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendCached } from '../cache/cached-response.js';
import type { ReadCache } from '../cache/read-cache.js';
import type { App } from '../app-types.js';
import { principalOf, requireRole } from '../auth/auth-plugin.js';
import { CompanyParams } from '../companies/company.schema.js';
import { Feedback, FeedbackInput, MatchListQuery, MatchingStatus } from '../matches/match.schema.js';
import type { MatchService } from '../matches/match.service.js';
import type { ScoringDispatcher } from '../scoring/scoring-dispatcher.js';
import { Page, PaginationQuery, ProblemRef, Uuid, commonErrors } from '../schemas/common.js';

const MatchPage = Page(Type.Ref('Match'), 'MatchPage');
const tags = ['matches'];

/** Answered when the request's If-None-Match names the list's current ETag. */
const NotModified = Type.Null({ description: 'Not modified: the list is unchanged since the ETag sent in If-None-Match' });
const cacheKey = (parts: (string | number | boolean | undefined)[]) => parts.map((part) => String(part ?? '')).join(':');

export function matchRoutes(app: App, service: MatchService, scoring: ScoringDispatcher, cache: ReadCache | null, syncReads: () => Promise<void>) {
  /** A listing's match list, through the read cache (tagged with the listing: its pairs' writes name it). */
  const listingMatches = (side: 'need' | 'capability', id: string, query: Static<typeof MatchListQuery>, request: FastifyRequest, reply: FastifyReply) => {
    const principal = principalOf(request);
    return sendCached(cache, request, reply, {
      key: cacheKey([`${side}-matches`, id, query.limit, query.cursor, query.includeDismissed]),
      tags: [id],
      facts: () => service.listingFacts(side, id),
      authorize: (facts) => service.authorizeListing(principal, side, id, facts),
      payload: (facts) => service.listingMatches(side, id, facts, query),
    });
  };

  app.get(
    '/needs/:needId/matches',
    {
      schema: {
        operationId: 'listNeedMatches',
        summary: 'Ranked capabilities of other companies that fulfil the need',
        description:
          'The need\'s stored matches, best first: each with score, components (text, crossIndustry, valueChain, kindFit, circular) and an explanation naming the words and concepts that matched. Scoring runs after each write, so a new need shows matches within moments; `GET /v1/matching/status` tells whether work is pending. Pairs the company dismissed are left out.',
        tags,
        params: Type.Object({ needId: Uuid }, { additionalProperties: false }),
        querystring: MatchListQuery,
        response: { 200: MatchPage, 304: NotModified, 404: ProblemRef, ...commonErrors },
      },
    },
    async (request, reply) => listingMatches('need', request.params.needId, request.query, request, reply),
  );

  app.get(
    '/capabilities/:capabilityId/matches',
    {
      schema: {
        operationId: 'listCapabilityMatches',
        summary: 'Ranked needs of other companies that the capability fulfils',
        description:
          'The needs of other companies this capability fulfils, best first, with the same score, components and explanation as the need side. Needs the capability\'s company may not see are never listed.',
        tags,
        params: Type.Object({ capabilityId: Uuid }, { additionalProperties: false }),
        querystring: MatchListQuery,
        response: { 200: MatchPage, 304: NotModified, 404: ProblemRef, ...commonErrors },
      },
    },
    async (request, reply) => listingMatches('capability', request.params.capabilityId, request.query, request, reply),
  );

  app.get(
    '/companies/:companyId/matches',
    {
      schema: {
        operationId: 'listCompanyPartners',
        summary: 'Suggested partner companies, best first, with the listing pairs behind each',
        description:
          'Partner companies for the company, ranked by their best pair in either direction, each with its pair count and its best listing pairs (`they-offer`: their capability meets our need; `we-offer`: the reverse). Cursor pages.',
        tags,
        params: CompanyParams,
        querystring: PaginationQuery,
        response: { 200: Page(Type.Ref('PartnerSuggestion'), 'PartnerPage'), 304: NotModified, 404: ProblemRef, ...commonErrors },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { companyId } = request.params;
      const { limit, cursor } = request.query;
      // Tagged with the company: every write of one of its pairs names both companies.
      return sendCached(cache, request, reply, {
        key: cacheKey(['partners', companyId, limit, cursor]),
        tags: [companyId],
        facts: () => service.companyExists(companyId),
        authorize: () => service.authorizePartners(principal, companyId),
        payload: () => service.partners(companyId, limit, cursor),
      });
    },
  );

  app.post(
    '/matches/:needId/:capabilityId/feedback',
    {
      schema: {
        operationId: 'giveMatchFeedback',
        summary: 'Mark a suggested pair useful or dismiss it (stored for later learning)',
        description:
          'Records the company\'s verdict on a pair: `useful`, or `dismissed`, which drops the pair from that company\'s suggestions (the other side still sees it) and survives re-scoring. Sending again replaces the verdict. Defaults to the need\'s company; admins and leaders name the company.',
        tags,
        params: Type.Object({ needId: Uuid, capabilityId: Uuid }, { additionalProperties: false }),
        body: FeedbackInput,
        response: { 200: Feedback, 404: ProblemRef, 413: ProblemRef, 415: ProblemRef, ...commonErrors },
      },
    },
    async (request) => service.feedback(principalOf(request), request.params.needId, request.params.capabilityId, request.body),
  );

  app.post(
    '/matching/rescore',
    {
      schema: {
        operationId: 'rescoreAll',
        summary: 'Re-index and re-score every listing (admin), e.g. after corpus statistics have drifted',
        description:
          'Queues every listing for re-indexing and re-scoring, as batch jobs of 250 listings (capabilities first), e.g. after corpus statistics have drifted or the scoring rules changed. Answers 202 at once; follow progress with `GET /v1/matching/status`. Admin only.',
        tags,
        response: { 202: Type.Object({ queued: Type.Integer({ minimum: 0, description: 'Listings queued' }) }, { examples: [{ queued: 1250 }] }), ...commonErrors },
      },
    },
    async (request, reply) => {
      requireRole(request, 'admin');
      return reply.code(202).send(await service.rescoreAll(request.id));
    },
  );

  app.get(
    '/matching/failures',
    {
      schema: {
        operationId: 'listScoringFailures',
        summary: 'Scoring jobs that failed for good, with their last error (admin)',
        description:
          'Scoring jobs that failed for good after their retries, newest first, with listing id, attempts and last error: the dead letters of the queue (or of the in-process runner without Redis). Admin only.',
        tags,
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                jobId: Type.String(),
                listingId: Type.String(),
                error: Type.String(),
                attempts: Type.Integer(),
                failedAt: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
            nextCursor: Type.Null(),
          }, {
            examples: [
              {
                items: [{ jobId: 'score-0192f1c5-0a3b-7e55-a1c2-3d4e5f60718a-17', listingId: '0192f1c5-0a3b-7e55-a1c2-3d4e5f60718a', error: 'Connection terminated', attempts: 8, failedAt: '2026-11-02T09:31:00.000Z' }],
                nextCursor: null,
              },
            ],
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      requireRole(request, 'admin');
      return { items: await scoring.failures(request.query.limit), nextCursor: null };
    },
  );

  app.post(
    '/matching/failures/retry',
    {
      schema: {
        operationId: 'retryScoringFailures',
        summary: 'Put every failed scoring job back in line (admin)',
        description:
          'Puts every scoring job that failed for good back in the queue and answers how many. Admin only.',
        tags,
        response: { 202: Type.Object({ retried: Type.Integer({ minimum: 0 }) }, { examples: [{ retried: 1 }] }), ...commonErrors },
      },
    },
    async (request, reply) => {
      requireRole(request, 'admin');
      return reply.code(202).send({ retried: await scoring.retryFailed() });
    },
  );

  app.get(
    '/matching/status',
    {
      schema: {
        operationId: 'getMatchingStatus',
        summary: 'Scoring progress: pending and failed work, last scoring time',
        description:
          'How far scoring has come: listings with unfinished work (`pending`), jobs failed for good (`failed`) and when scoring last finished (`lastScoredAt`). Poll it after a write or a re-score.',
        tags,
        response: { 200: MatchingStatus, ...commonErrors },
      },
    },
    async () => {
      const status = await service.status();
      // Every change committed before the status was read has now reached this instance's read
      // cache: a list read after `pending: 0` shows it.
      await syncReads();
      return status;
    },
  );
}
