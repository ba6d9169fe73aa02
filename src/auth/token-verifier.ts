// Resolves bearer secrets: the bootstrap ADMIN_TOKEN (constant-time compare) or an issued token,
// looked up by the SHA-256 of its secret (revoked and expired tokens grant nothing).
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { secretsEqual, type Principal, type TokenVerifier } from './principal.js';

export const hashSecret = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

export function tokenVerifier(db: Kysely<Database>, adminToken: string): TokenVerifier {
  return {
    async verify(secret): Promise<Principal | null> {
      if (secretsEqual(secret, adminToken)) return { role: 'admin', tokenId: 'bootstrap' };
      if (!secret.startsWith('kb_')) return null;
      const row = await db
        .selectFrom('api_tokens')
        .select(['id', 'role', 'company_id', 'cluster_ids', 'expires_at', 'revoked_at'])
        .where('secret_hash', '=', hashSecret(secret))
        .executeTakeFirst();
      if (!row || row.revoked_at) return null;
      if (row.expires_at && new Date(row.expires_at).getTime() <= Date.now()) return null;
      return {
        role: row.role,
        tokenId: row.id,
        ...(row.company_id ? { companyId: row.company_id } : {}),
        ...(row.role === 'cluster-leader' ? { clusterIds: row.cluster_ids } : {}),
      };
    },
  };
}
