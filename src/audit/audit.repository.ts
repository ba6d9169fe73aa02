// The audit trail of broker and admin actions. Written in the same transaction as the action
// when there is one, so the trail never claims what did not happen.
import type { Principal } from '../auth/principal.js';
import type { Executor } from '../db/executor.js';

export interface AuditEntry {
  action: string;
  resourceType: string;
  resourceId: string;
  clusterIds?: string[];
  details?: Record<string, unknown>;
}

export async function recordAudit(db: Executor, principal: Principal, entry: AuditEntry, requestId: string | null): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_token_id: principal.tokenId,
      actor_role: principal.role,
      action: entry.action,
      resource_type: entry.resourceType,
      resource_id: entry.resourceId,
      cluster_ids: entry.clusterIds ?? [],
      details: JSON.stringify(entry.details ?? {}),
      request_id: requestId,
    })
    .execute();
}
