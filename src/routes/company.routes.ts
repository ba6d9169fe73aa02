// /v1/companies: the company registry.
import { Type } from '@sinclair/typebox';
import type { App } from '../app-types.js';
import { principalOf } from '../auth/auth-plugin.js';
import { CompanyCreate, CompanyParams, CompanyPatch } from '../companies/company.schema.js';
import type { CompanyService } from '../companies/company.service.js';
import { Page, PaginationQuery, ProblemRef, commonErrors } from '../schemas/common.js';

const CompanyRef = Type.Ref('Company');
const tags = ['companies'];

export function companyRoutes(app: App, service: CompanyService) {
  app.post(
    '/companies',
    {
      schema: {
        operationId: 'createCompany',
        summary: 'Register a company',
        description:
          'Registers a company with its NACE industry code and, optionally, its Norwegian organisation number (nine digits with a MOD11 check digit), region, size and value-chain role. A second company with the same organisation number answers 409. Admins and cluster leaders register companies; company tokens cannot.',
        tags,
        body: CompanyCreate,
        response: { 201: CompanyRef, 409: ProblemRef, 413: ProblemRef, 415: ProblemRef, ...commonErrors },
      },
    },
    async (request, reply) => reply.code(201).send(await service.create(principalOf(request), request.body)),
  );

  app.get(
    '/companies',
    {
      schema: {
        operationId: 'listCompanies',
        summary: 'List companies',
        description:
          'Company profiles in the order they were registered, in cursor pages (`limit` ≤ 100; pass `nextCursor` back as `cursor` for the next page).',
        tags,
        querystring: PaginationQuery,
        response: { 200: Page(CompanyRef, 'CompanyPage'), ...commonErrors },
      },
    },
    async (request) => service.list(principalOf(request), request.query.limit, request.query.cursor),
  );

  app.get(
    '/companies/:companyId',
    {
      schema: {
        operationId: 'getCompany',
        summary: 'Get a company',
        description:
          'One company\'s profile. Every token may read profiles; unknown ids answer 404.',
        tags,
        params: CompanyParams,
        response: { 200: CompanyRef, 404: ProblemRef, ...commonErrors },
      },
    },
    async (request) => service.get(request.params.companyId),
  );

  app.patch(
    '/companies/:companyId',
    {
      schema: {
        operationId: 'updateCompany',
        summary: 'Change some of a company’s fields',
        description:
          'Changes only the fields sent. A new NACE code or value-chain role changes the cross-industry and value-chain components of the company\'s pairs, so its listings are queued for re-scoring.',
        tags,
        params: CompanyParams,
        body: CompanyPatch,
        response: { 200: CompanyRef, 404: ProblemRef, 409: ProblemRef, 413: ProblemRef, 415: ProblemRef, ...commonErrors },
      },
    },
    async (request) => service.update(principalOf(request), request.params.companyId, request.body, request.id),
  );

  app.delete(
    '/companies/:companyId',
    {
      schema: {
        operationId: 'deleteCompany',
        summary: 'Delete a company with its listings and matches',
        description:
          'Deletes the company with its listings and their matches. Irreversible.',
        tags,
        params: CompanyParams,
        response: { 204: Type.Null({ description: 'Deleted' }), 404: ProblemRef, ...commonErrors },
      },
    },
    async (request, reply) => {
      await service.remove(principalOf(request), request.params.companyId, request.id);
      return reply.code(204).send(null);
    },
  );
}
