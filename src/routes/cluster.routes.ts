// /v1/clusters: clusters and their member companies.
import { Type } from '@sinclair/typebox';
import type { App } from '../app-types.js';
import { ClusterCreate, ClusterParams, ClusterPatch, MemberParams } from '../clusters/cluster.schema.js';
import type { ClusterService } from '../clusters/cluster.service.js';
import { Page, PaginationQuery, ProblemRef, commonErrors } from '../schemas/common.js';
import { principalOf } from '../auth/auth-plugin.js';

const ClusterRef = Type.Ref('Cluster');
const tags = ['clusters'];
const NoContent = Type.Null({ description: 'Done' });

export function clusterRoutes(app: App, service: ClusterService) {
  app.post(
    '/clusters',
    {
      schema: {
        operationId: 'createCluster',
        summary: 'Create a cluster (admin)',
        description:
          'Creates an industry cluster (e.g. a regional network) that leaders broker introductions in. Admin only.',
        tags,
        body: ClusterCreate,
        response: { 201: ClusterRef, 409: ProblemRef, 413: ProblemRef, 415: ProblemRef, ...commonErrors },
      },
    },
    async (request, reply) => reply.code(201).send(await service.create(principalOf(request), request.body, request.id)),
  );
  app.get(
    '/clusters',
    {
      schema: {
        operationId: 'listClusters',
        summary: 'Clusters the caller may see',
        description:
          'The clusters the caller may see: all for admins, their own for leaders and member companies.',
        tags,
        response: { 200: Type.Object({ items: Type.Array(ClusterRef), nextCursor: Type.Null() }), ...commonErrors },
      },
    },
    async (request) => ({ items: await service.list(principalOf(request)), nextCursor: null }),
  );
  app.get(
    '/clusters/:clusterId',
    { schema: { operationId: 'getCluster', summary: 'Get a cluster', description: 'One cluster with its name, region and description.', tags, params: ClusterParams, response: { 200: ClusterRef, 404: ProblemRef, ...commonErrors } } },
    async (request) => service.get(principalOf(request), request.params.clusterId),
  );
  app.patch(
    '/clusters/:clusterId',
    {
      schema: {
        operationId: 'updateCluster',
        summary: 'Change a cluster (admin or its leaders)',
        description:
          'Changes only the fields sent. Admins, or the cluster\'s own leaders.',
        tags,
        params: ClusterParams,
        body: ClusterPatch,
        response: { 200: ClusterRef, 404: ProblemRef, 409: ProblemRef, 413: ProblemRef, 415: ProblemRef, ...commonErrors },
      },
    },
    async (request) => service.update(principalOf(request), request.params.clusterId, request.body),
  );
  app.delete(
    '/clusters/:clusterId',
    {
      schema: { operationId: 'deleteCluster', summary: 'Delete a cluster (admin)', description: 'Deletes the cluster and its memberships; the companies stay. Admin only.', tags, params: ClusterParams, response: { 204: NoContent, 404: ProblemRef, ...commonErrors } },
    },
    async (request, reply) => {
      await service.remove(principalOf(request), request.params.clusterId);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/clusters/:clusterId/members',
    {
      schema: {
        operationId: 'listClusterMembers',
        summary: 'Member companies of a cluster',
        description:
          'The member companies of a cluster, in cursor pages. Admins, its leaders and its member companies.',
        tags,
        params: ClusterParams,
        querystring: PaginationQuery,
        response: { 200: Page(Type.Ref('Company'), 'MemberPage'), 404: ProblemRef, ...commonErrors },
      },
    },
    async (request) => service.members(principalOf(request), request.params.clusterId, request.query.limit, request.query.cursor),
  );
  app.put(
    '/clusters/:clusterId/members/:companyId',
    {
      schema: {
        operationId: 'addClusterMember',
        summary: 'Add a member company (admin or the cluster’s leaders); idempotent',
        description:
          'Makes a company a member of the cluster. Idempotent: adding a member again answers 204 as well. Leaders may add companies that belong to no other cluster.',
        tags,
        params: MemberParams,
        response: { 204: NoContent, 404: ProblemRef, ...commonErrors },
      },
    },
    async (request, reply) => {
      await service.addMember(principalOf(request), request.params.clusterId, request.params.companyId, request.id);
      return reply.code(204).send(null);
    },
  );
  app.delete(
    '/clusters/:clusterId/members/:companyId',
    {
      schema: {
        operationId: 'removeClusterMember',
        summary: 'Remove a member company (admin or the cluster’s leaders)',
        description:
          'Ends a company\'s membership; its listings shared with the cluster (`visibility: cluster`) stop being suggested to the other members.',
        tags,
        params: MemberParams,
        response: { 204: NoContent, 404: ProblemRef, ...commonErrors },
      },
    },
    async (request, reply) => {
      await service.removeMember(principalOf(request), request.params.clusterId, request.params.companyId, request.id);
      return reply.code(204).send(null);
    },
  );
}
