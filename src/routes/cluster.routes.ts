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
        tags,
        response: { 200: Type.Object({ items: Type.Array(ClusterRef), nextCursor: Type.Null() }), ...commonErrors },
      },
    },
    async (request) => ({ items: await service.list(principalOf(request)), nextCursor: null }),
  );
  app.get(
    '/clusters/:clusterId',
    { schema: { operationId: 'getCluster', summary: 'Get a cluster', tags, params: ClusterParams, response: { 200: ClusterRef, 404: ProblemRef, ...commonErrors } } },
    async (request) => service.get(principalOf(request), request.params.clusterId),
  );
  app.patch(
    '/clusters/:clusterId',
    {
      schema: {
        operationId: 'updateCluster',
        summary: 'Change a cluster (admin or its leaders)',
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
      schema: { operationId: 'deleteCluster', summary: 'Delete a cluster (admin)', tags, params: ClusterParams, response: { 204: NoContent, 404: ProblemRef, ...commonErrors } },
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
