// /v1/introductions: brokered introductions and their workflow.
import { Type } from '@sinclair/typebox';
import type { App } from '../app-types.js';
import { principalOf } from '../auth/auth-plugin.js';
import { IntroductionCreate, IntroductionListQuery, IntroductionTransition } from '../introductions/introduction.schema.js';
import type { IntroductionService } from '../introductions/introduction.service.js';
import { Page, ProblemRef, Uuid, commonErrors } from '../schemas/common.js';

const IntroductionRef = Type.Ref('Introduction');
const Params = Type.Object({ introductionId: Uuid }, { additionalProperties: false });
const tags = ['introductions'];

export function introductionRoutes(app: App, service: IntroductionService) {
  app.post(
    '/introductions',
    {
      schema: {
        operationId: 'proposeIntroduction',
        summary: 'Propose an introduction between two companies (cluster leader, admin, or a company for its own match)',
        description:
          'Proposes introducing two companies, usually for a match between them: a cluster leader between members of its cluster, an admin between any, or a company for one of its own matches. Both companies are notified; each then accepts or declines.',
        tags,
        body: IntroductionCreate,
        response: { 201: IntroductionRef, 404: ProblemRef, 413: ProblemRef, 415: ProblemRef, ...commonErrors },
      },
    },
    async (request, reply) => reply.code(201).send(await service.propose(principalOf(request), request.body, request.id)),
  );
  app.get(
    '/introductions',
    {
      schema: {
        operationId: 'listIntroductions',
        summary: 'Introductions the caller is involved in, filterable by state, company and cluster',
        description:
          'Introductions the caller takes part in or brokers, newest first, filterable by state, company and cluster.',
        tags,
        querystring: IntroductionListQuery,
        response: { 200: Page(IntroductionRef, 'IntroductionPage'), ...commonErrors },
      },
    },
    async (request) => service.list(principalOf(request), request.query),
  );
  app.get(
    '/introductions/:introductionId',
    {
      schema: { operationId: 'getIntroduction', summary: 'Get an introduction with its history', description: 'One introduction with its pair, parties and full history of transitions (actor, time, note).', tags, params: Params, response: { 200: IntroductionRef, 404: ProblemRef, ...commonErrors } },
    },
    async (request) => service.get(principalOf(request), request.params.introductionId),
  );
  app.post(
    '/introductions/:introductionId/transitions',
    {
      schema: {
        operationId: 'transitionIntroduction',
        summary: 'Move an introduction on: accept or decline (each company), meeting-held, collaboration or closed-no-fit',
        description:
          'Moves an introduction on: each company `accept`s or `decline`s its side (one decline ends it; two accepts make it `accepted`), then `meeting-held`, and finally `collaboration` or `closed-no-fit`. Illegal steps answer 409, wrong parties 403.',
        tags,
        params: Params,
        body: IntroductionTransition,
        response: { 200: IntroductionRef, 404: ProblemRef, 409: ProblemRef, 413: ProblemRef, 415: ProblemRef, ...commonErrors },
      },
    },
    async (request) => service.transition(principalOf(request), request.params.introductionId, request.body, request.id),
  );
}
