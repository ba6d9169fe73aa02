// Clusters and memberships: admins manage all clusters; a cluster's leaders manage that cluster
// and its members; member companies may read it.
import { sql, type Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { AccessPolicy } from '../auth/access.js';
import type { Principal } from '../auth/principal.js';
import { toCompany } from '../companies/company.service.js';
import type { Database } from '../db/database.js';
import { decodeCursor, toPage } from '../db/pagination.js';
import { forbidden, notFound } from '../errors.js';
import type { Cluster, ClusterCreate, ClusterPatch } from './cluster.schema.js';
import { recordAudit } from '../audit/audit.repository.js';

type ClusterRow = { id: string; name: string; region: string | null; description: string | null; created_at: Date; updated_at: Date | string; member_count: number };

const toCluster = (row: ClusterRow): Cluster => ({
  id: row.id,
  name: row.name,
  region: row.region,
  description: row.description,
  memberCount: row.member_count,
  createdAt: row.created_at.toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
});

export function createClusterService(db: Kysely<Database>, access: AccessPolicy) {
  const withCounts = () =>
    db
      .selectFrom('clusters as c')
      .selectAll('c')
      .select(sql<number>`(select count(*)::int from cluster_members m where m.cluster_id = c.id)`.as('member_count'));

  async function find(id: string) {
    const row = await withCounts().where('c.id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Cluster', id);
    return row;
  }

  async function assertCanRead(principal: Principal, clusterId: string) {
    const visible = await access.visibleClusters(principal);
    if (visible !== 'all' && !visible.includes(clusterId)) throw notFound('Cluster', clusterId);
  }

  return {
    async create(principal: Principal, input: ClusterCreate, requestId: string): Promise<Cluster> {
      if (principal.role !== 'admin') throw forbidden('Only admins create clusters');
      const id = uuidv7();
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('clusters').values({ id, name: input.name, region: input.region ?? null, description: input.description ?? null }).execute();
        await recordAudit(trx, principal, { action: 'cluster.create', resourceType: 'cluster', resourceId: id, clusterIds: [id], details: { name: input.name } }, requestId);
      });
      return toCluster(await find(id));
    },

    async list(principal: Principal): Promise<Cluster[]> {
      const visible = await access.visibleClusters(principal);
      if (visible !== 'all' && visible.length === 0) return [];
      const rows = await withCounts()
        .$if(visible !== 'all', (qb) => qb.where('c.id', 'in', visible as string[]))
        .orderBy('c.name')
        .limit(1000)
        .execute();
      return rows.map(toCluster);
    },

    async get(principal: Principal, id: string): Promise<Cluster> {
      await assertCanRead(principal, id);
      return toCluster(await find(id));
    },

    async update(principal: Principal, id: string, patch: ClusterPatch): Promise<Cluster> {
      await assertCanRead(principal, id);
      access.assertManageCluster(principal, id);
      const updated = await db
        .updateTable('clusters')
        .set({ ...patch, updated_at: new Date() })
        .where('id', '=', id)
        .returning('id')
        .executeTakeFirst();
      if (!updated) throw notFound('Cluster', id);
      return toCluster(await find(id));
    },

    async remove(principal: Principal, id: string): Promise<void> {
      await assertCanRead(principal, id);
      if (principal.role !== 'admin') throw forbidden('Only admins delete clusters');
      const deleted = await db.deleteFrom('clusters').where('id', '=', id).returning('id').executeTakeFirst();
      if (!deleted) throw notFound('Cluster', id);
    },

    async addMember(principal: Principal, clusterId: string, companyId: string, requestId: string): Promise<void> {
      await assertCanRead(principal, clusterId);
      access.assertManageCluster(principal, clusterId);
      await find(clusterId);
      if (!(await db.selectFrom('companies').select('id').where('id', '=', companyId).executeTakeFirst())) throw notFound('Company', companyId);
      // Membership grants the cluster's leaders the company's data, so a leader may not pull in a
      // company that belongs to a cluster they do not lead: that takes an admin.
      if (principal.role === 'cluster-leader') {
        const elsewhere = (await access.clustersOf(companyId)).filter((id) => !principal.clusterIds?.includes(id));
        if (elsewhere.length > 0) throw forbidden('The company belongs to a cluster you do not lead; ask an admin to add it');
      }
      await db.transaction().execute(async (trx) => {
        const added = await trx
          .insertInto('cluster_members')
          .values({ cluster_id: clusterId, company_id: companyId })
          .onConflict((oc) => oc.doNothing())
          .returning('company_id')
          .executeTakeFirst();
        if (added) await recordAudit(trx, principal, { action: 'cluster.member.add', resourceType: 'company', resourceId: companyId, clusterIds: [clusterId] }, requestId);
      });
    },

    async removeMember(principal: Principal, clusterId: string, companyId: string, requestId: string): Promise<void> {
      await assertCanRead(principal, clusterId);
      access.assertManageCluster(principal, clusterId);
      await db.transaction().execute(async (trx) => {
        const deleted = await trx
          .deleteFrom('cluster_members')
          .where('cluster_id', '=', clusterId)
          .where('company_id', '=', companyId)
          .returning('company_id')
          .executeTakeFirst();
        if (!deleted) throw notFound('Membership of company', companyId);
        await recordAudit(trx, principal, { action: 'cluster.member.remove', resourceType: 'company', resourceId: companyId, clusterIds: [clusterId] }, requestId);
      });
    },

    async members(principal: Principal, clusterId: string, limit: number, cursor: string | undefined) {
      await assertCanRead(principal, clusterId);
      const after = decodeCursor(cursor);
      const rows = await db
        .selectFrom('companies as co')
        .innerJoin('cluster_members as m', 'm.company_id', 'co.id')
        .selectAll('co')
        .where('m.cluster_id', '=', clusterId)
        .$if(after !== undefined, (qb) => qb.where('co.id', '>', after!))
        .orderBy('co.id')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, toCompany);
    },
  };
}

export type ClusterService = ReturnType<typeof createClusterService>;
