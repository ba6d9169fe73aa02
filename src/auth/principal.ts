// Who is calling. Every /v1 request resolves to exactly one principal before its handler runs;
// authorisation rules read it from `request.principal`.
import { createHash, timingSafeEqual } from 'node:crypto';

export type Role = 'admin' | 'cluster-leader' | 'company';

export interface Principal {
  role: Role;
  /** Token id, or 'bootstrap' for ADMIN_TOKEN. */
  tokenId: string;
  companyId?: string;
  clusterIds?: string[];
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Constant-time comparison: hashing first makes both inputs the same length. */
export function secretsEqual(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

export interface TokenVerifier {
  /** Resolves a presented bearer secret to a principal, or null when it grants nothing. */
  verify(secret: string): Promise<Principal | null>;
}
