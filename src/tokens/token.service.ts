// Issuing, listing and revoking API tokens (admin only). Secrets are random, prefixed `kb_` and
// stored only as a SHA-256 hash.
import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { hashSecret } from '../auth/token-verifier.js';
import type { ApiTokenTable, Database } from '../db/database.js';
import { badRequest, notFound } from '../errors.js';
import type { Principal } from '../auth/principal.js';
import type { TokenCreate, TokenInfo } from './token.schema.js';
import { recordAudit } from '../audit/audit.repository.js';

const iso = (value: Date | string | null) => (value ? new Date(value).toISOString() : null);

export function toTokenInfo(row: Selectable<ApiTokenTable>): TokenInfo {
  return {
    id: row.id,
    role: row.role,
    companyId: row.company_id,
    clusterIds: row.cluster_ids,
    name: row.name,
    createdAt: row.created_at.toISOString(),
    expiresAt: iso(row.expires_at),
    revokedAt: iso(row.revoked_at),
  };
}

export function createTokenService(db: Kysely<Database>) {
  return {
    async issue(input: TokenCreate, issuer: Principal, requestId: string): Promise<TokenInfo & { token: string }> {
      if (input.role === 'company' && !input.companyId) throw badRequest('A company token needs companyId', [{ field: '/companyId', message: 'is required for role company' }]);
      if (input.role !== 'company' && input.companyId) throw badRequest('Only company tokens carry companyId', [{ field: '/companyId', message: 'only for role company' }]);
      if (input.role === 'cluster-leader' && !input.clusterIds?.length)
        throw badRequest('A cluster-leader token needs clusterIds', [{ field: '/clusterIds', message: 'is required for role cluster-leader' }]);
      if (input.role !== 'cluster-leader' && input.clusterIds) throw badRequest('Only cluster-leader tokens carry clusterIds', [{ field: '/clusterIds', message: 'only for role cluster-leader' }]);
      if (input.expiresAt && Date.parse(input.expiresAt) <= Date.now()) throw badRequest('expiresAt is in the past', [{ field: '/expiresAt', message: 'must be in the future' }]);
      if (input.companyId && !(await db.selectFrom('companies').select('id').where('id', '=', input.companyId).executeTakeFirst())) {
        throw notFound('Company', input.companyId);
      }
      if (input.clusterIds?.length) {
        const found = await db.selectFrom('clusters').select('id').where('id', 'in', input.clusterIds).execute();
        const missing = input.clusterIds.filter((id) => !found.some((f) => f.id === id));
        if (missing.length) throw notFound('Cluster', missing.join(', '));
      }
      const secret = `kb_${randomBytes(32).toString('base64url')}`;
      const row = await db.transaction().execute(async (trx) => {
        const inserted = await trx
        .insertInto('api_tokens')
        .values({
          id: uuidv7(),
          name: input.name ?? null,
          role: input.role,
          company_id: input.companyId ?? null,
          cluster_ids: input.clusterIds ?? [],
          secret_hash: hashSecret(secret),
          created_by: issuer.tokenId,
          expires_at: input.expiresAt ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
        await recordAudit(
          trx,
          issuer,
          { action: 'token.issue', resourceType: 'token', resourceId: inserted.id, clusterIds: inserted.cluster_ids, details: { role: inserted.role, companyId: inserted.company_id } },
          requestId,
        );
        return inserted;
      });
      return { ...toTokenInfo(row), token: secret };
    },

    async list(): Promise<TokenInfo[]> {
      const rows = await db.selectFrom('api_tokens').selectAll().orderBy('id').limit(1000).execute();
      return rows.map(toTokenInfo);
    },

    async revoke(principal: Principal, id: string, requestId: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const row = await trx.updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', id).returning(['id', 'cluster_ids']).executeTakeFirst();
        if (!row) throw notFound('Token', id);
        await recordAudit(trx, principal, { action: 'token.revoke', resourceType: 'token', resourceId: id, clusterIds: row.cluster_ids }, requestId);
      });
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
