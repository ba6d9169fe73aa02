// CSV import of companies and listings, and CSV exports for a cluster.
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { App } from '../app-types.js';
import type { AccessPolicy } from '../auth/access.js';
import { principalOf } from '../auth/auth-plugin.js';
import type { Database } from '../db/database.js';
import { badRequest, forbidden, notFound } from '../errors.js';
import { exportCsv } from '../import-export/csv-export.js';
import { COMPANY_COLUMNS, LISTING_COLUMNS, importCompaniesCsv } from '../import-export/csv-import.js';
import { ProblemRef, Uuid, commonErrors } from '../schemas/common.js';

const CSV_LIMIT = 5 * 1024 * 1024;
const tags = ['import-export'];

export function importExportRoutes(app: App, db: Kysely<Database>, access: AccessPolicy, onScoringWork: () => void) {
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: CSV_LIMIT }, (_request, body, done) => done(null, body));

  app.post(
    '/import/companies',
    {
      bodyLimit: CSV_LIMIT,
      schema: {
        operationId: 'importCompaniesCsv',
        summary: 'Import companies and listings from CSV (admins; cluster leaders into their cluster); all rows or none',
        description:
          `Content-Type text/csv, UTF-8, ";" or "," separated, one row per listing. Company columns: ${COMPANY_COLUMNS.join(', ')}; ` +
          `listing columns: ${LISTING_COLUMNS.join(', ')} (side is need or capability, tags are "|"-separated). ` +
          'Rows with the same orgNumber belong to one company. Invalid rows are reported with their line numbers (422) and nothing is imported.',
        tags,
        consumes: ['text/csv'],
        querystring: Type.Object(
          { dryRun: Type.Boolean({ default: false }), clusterId: Type.Optional(Type.String({ format: 'uuid', description: 'Add the new companies to this cluster' })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ dryRun: Type.Boolean(), companies: Type.Integer(), listings: Type.Integer() }, { examples: [{ dryRun: false, companies: 12, listings: 31 }] }),
          404: ProblemRef,
          413: ProblemRef,
          415: ProblemRef,
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      if (principal.role === 'company') throw forbidden('Imports are for admins and cluster leaders');
      const { clusterId } = request.query;
      if (principal.role === 'cluster-leader' && !clusterId) throw badRequest('Cluster leaders import into one of their clusters', [{ field: '/clusterId', message: 'is required' }]);
      if (clusterId) {
        access.assertManageCluster(principal, clusterId);
        if (!(await db.selectFrom('clusters').select('id').where('id', '=', clusterId).executeTakeFirst())) throw notFound('Cluster', clusterId);
      }
      if (typeof request.body !== 'string') throw badRequest('Send the CSV as text/csv');
      const result = await importCompaniesCsv(db, request.body, { dryRun: request.query.dryRun, requestId: request.id, clusterId }, onScoringWork);
      return result;
    },
  );

  for (const what of ['companies', 'matches'] as const) {
    app.get(
      `/export/${what}.csv`,
      {
        schema: {
          operationId: what === 'companies' ? 'exportCompaniesCsv' : 'exportMatchesCsv',
          summary: `Stream a cluster's ${what === 'companies' ? 'member companies' : 'members’ matches'} as CSV (";", UTF-8 with BOM)`,
          description:
            what === 'companies' ? 'Streams the cluster\'s member companies as `;`-separated CSV, UTF-8 with a BOM so spreadsheet programs open æøå correctly. Admins, or the cluster\'s leaders.' : 'Streams the matches between the cluster\'s members as `;`-separated CSV (UTF-8 with BOM), best first, with scores and reasons.',
          tags,
          produces: ['text/csv'],
          querystring: Type.Object({ clusterId: Uuid }, { additionalProperties: false }),
          response: { 200: Type.String({ description: 'CSV' }), 404: ProblemRef, ...commonErrors },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const visible = await access.visibleClusters(principal);
        if (visible !== 'all' && !visible.includes(request.query.clusterId)) throw notFound('Cluster', request.query.clusterId);
        access.assertManageCluster(principal, request.query.clusterId);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${what}.csv"`)
          .send(exportCsv(db, what, request.query.clusterId));
      },
    );
  }
}
