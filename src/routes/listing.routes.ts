// Needs and capabilities: the same routes twice, once per side.
import { Type } from '@sinclair/typebox';
import type { App } from '../app-types.js';
import { principalOf } from '../auth/auth-plugin.js';
import { CompanyParams } from '../companies/company.schema.js';
import type { ListingSide } from '../db/database.js';
import { ListingCreate, ListingPatch } from '../listings/listing.schema.js';
import type { ListingService } from '../listings/listing.service.js';
import { Page, PaginationQuery, ProblemRef, Uuid, commonErrors } from '../schemas/common.js';

const ListingRef = Type.Ref('Listing');
const ListingParams = Type.Object({ id: Uuid }, { additionalProperties: false });

const SIDES: { side: ListingSide; plural: string; Noun: string }[] = [
  { side: 'capability', plural: 'capabilities', Noun: 'Capability' },
  { side: 'need', plural: 'needs', Noun: 'Need' },
];

export function listingRoutes(app: App, service: ListingService) {
  for (const { side, plural, Noun } of SIDES) {
    const tags = [plural];
    app.post(
      `/companies/:companyId/${plural}`,
      {
        schema: {
          operationId: `create${Noun}`,
          summary: `Post a ${side} for a company`,
          description:
            `Posts a ${side} with its kind, title, description, language (detected when left out), tags and visibility (\`public\`, \`cluster\`, \`private\`). It is indexed and scored against the other side in the background: matches appear shortly after (see \`GET /v1/matching/status\`).`,
          tags,
          params: CompanyParams,
          body: ListingCreate,
          response: { 201: ListingRef, 404: ProblemRef, 413: ProblemRef, 415: ProblemRef, ...commonErrors },
        },
      },
      async (request, reply) => reply.code(201).send(await service.create(principalOf(request), side, request.params.companyId, request.body, request.id)),
    );

    app.get(
      `/companies/:companyId/${plural}`,
      {
        schema: {
          operationId: `listCompany${Noun === 'Need' ? 'Needs' : 'Capabilities'}`,
          summary: `List a company’s ${plural}`,
          description:
            `The company's ${plural} in the order they were posted, in cursor pages. Other companies see only what each listing's visibility allows them.`,
          tags,
          params: CompanyParams,
          querystring: PaginationQuery,
          response: { 200: Page(ListingRef, `${Noun}Page`), 404: ProblemRef, ...commonErrors },
        },
      },
      async (request) => service.listOfCompany(principalOf(request), side, request.params.companyId, request.query.limit, request.query.cursor),
    );

    app.get(
      `/${plural}/:id`,
      {
        schema: {
          operationId: `get${Noun}`,
          summary: `Get a ${side}`,
          description:
            `One ${side}. A ${side} the caller may not see answers 404, so its id does not leak.`,
          tags,
          params: ListingParams,
          response: { 200: ListingRef, 404: ProblemRef, ...commonErrors },
        },
      },
      async (request) => service.get(principalOf(request), side, request.params.id),
    );

    app.patch(
      `/${plural}/:id`,
      {
        schema: {
          operationId: `update${Noun}`,
          summary: `Change some of a ${side}’s fields`,
          description:
            `Changes only the fields sent and queues the ${side} for re-scoring; its matches are replaced when that is done. A detected language follows a changed text; a stated one stays.`,
          tags,
          params: ListingParams,
          body: ListingPatch,
          response: { 200: ListingRef, 404: ProblemRef, 413: ProblemRef, 415: ProblemRef, ...commonErrors },
        },
      },
      async (request) => service.update(principalOf(request), side, request.params.id, request.body, request.id),
    );

    app.delete(
      `/${plural}/:id`,
      {
        schema: {
          operationId: `delete${Noun}`,
          summary: `Delete a ${side} and its matches`,
          description:
            `Deletes the ${side} with its matches; the pairs disappear from both sides' suggestions.`,
          tags,
          params: ListingParams,
          response: { 204: Type.Null({ description: 'Deleted' }), 404: ProblemRef, ...commonErrors },
        },
      },
      async (request, reply) => {
        await service.remove(principalOf(request), side, request.params.id, request.id);
        return reply.code(204).send(null);
      },
    );
  }
}
