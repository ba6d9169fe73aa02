// Resolves bearer secrets: the bootstrap ADMIN_TOKEN (constant-time compare) or an issued token,
// looked up by the SHA-256 of its secret (revoked and expired tokens grant nothing). Issued tokens
// found are kept in the read cache, which a revocation empties; unknown secrets are not (a token
// issued a moment later must work at once).
import { timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ReadCache } from '../cache/read-cache.js';
import type { Database } from '../db/database.js';
import { credentialFor, secretDigest } from './bearer.js';
import type { Principal, TokenVerifier } from './principal.js';

export const hashSecret = (secret: string) => credentialFor(secret).key;

interface KnownToken {
  principal: Principal;
  expiresAt: number | null;
}

export function tokenVerifier(db: Kysely<Database>, adminToken: string, cache: ReadCache | null = null): TokenVerifier {
  async function lookUp(hash: string): Promise<KnownToken | null> {
    const stamp = cache?.stamp() ?? 0;
    const row = await db
      .selectFrom('api_tokens')
      .select(['id', 'role', 'company_id', 'cluster_ids', 'expires_at', 'revoked_at'])
      .where('secret_hash', '=', hash)
      .executeTakeFirst();
    if (!row || row.revoked_at) return null;
    const known: KnownToken = {
      principal: {
        role: row.role,
        tokenId: row.id,
        ...(row.company_id ? { companyId: row.company_id } : {}),
        ...(row.role === 'cluster-leader' ? { clusterIds: row.cluster_ids } : {}),
      },
      expiresAt: row.expires_at ? new Date(row.expires_at).getTime() : null,
    };
    cache?.set(`token:${hash}`, known, { size: 256, tags: [], stamp });
    return known;
  }

  const adminDigest = secretDigest(adminToken);
  return {
    async verify({ secret, digest, key: hash }): Promise<Principal | null> {
      // The secret's SHA-256 (bearer.ts keeps it per client): compared in constant time with the
      // admin token's, and (as hex) the key issued tokens are stored under.
      if (timingSafeEqual(digest, adminDigest)) return { role: 'admin', tokenId: 'bootstrap' };
      if (!secret.startsWith('kb_')) return null;
      const known = cache?.get<KnownToken>(`token:${hash}`) ?? (await lookUp(hash));
      if (!known) return null;
      if (known.expiresAt !== null && known.expiresAt <= Date.now()) return null;
      return known.principal;
    },
  };
}
