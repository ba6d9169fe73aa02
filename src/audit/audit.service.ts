// Reading the audit trail: admins read all of it, cluster leaders the entries touching their clusters.
import { sql, type Kysely } from 'kysely';
import type { Principal } from '../auth/principal.js';
import type { Database } from '../db/database.js';
import { decodeNumberCursor, encodeNumberCursor } from '../db/pagination.js';
import { forbidden } from '../errors.js';

const encode = (id: number) => encodeNumberCursor('a', id);
const decode = (cursor: string | undefined) => decodeNumberCursor('a', cursor);

export function createAuditService(db: Kysely<Database>) {
  return {
    async list(principal: Principal, query: { clusterId?: string | undefined; limit: number; cursor?: string | undefined }) {
      if (principal.role === 'company') throw forbidden('The audit trail is for admins and cluster leaders');
      const led = principal.role === 'cluster-leader' ? (principal.clusterIds ?? []) : null;
      if (led && query.clusterId && !led.includes(query.clusterId)) throw forbidden('You do not lead that cluster');
      const before = decode(query.cursor);
      const scope = query.clusterId ? [query.clusterId] : led;
      const rows = await db
        .selectFrom('audit_log')
        .selectAll()
        .$if(scope !== null, (qb) => qb.where(sql<boolean>`cluster_ids && ${scope}::uuid[]`))
        .$if(before !== undefined, (qb) => qb.where('id', '<', before!))
        .orderBy('id', 'desc')
        .limit(query.limit + 1)
        .execute();
      const items = rows.slice(0, query.limit).map((r) => ({
        id: Number(r.id),
        at: r.at.toISOString(),
        actorTokenId: r.actor_token_id,
        actorRole: r.actor_role,
        action: r.action,
        resourceType: r.resource_type,
        resourceId: r.resource_id,
        clusterIds: r.cluster_ids,
        details: r.details,
        requestId: r.request_id,
      }));
      return { items, nextCursor: rows.length > query.limit ? encode(Number(rows[query.limit - 1]!.id)) : null };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
