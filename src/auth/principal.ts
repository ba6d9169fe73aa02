// Who is calling. Every /v1 request resolves to exactly one principal before its handler runs;
// authorisation rules read it from `request.principal`.
import type { BearerCredential } from './bearer.js';

export type Role = 'admin' | 'cluster-leader' | 'company';

export interface Principal {
  role: Role;
  /** Token id, or 'bootstrap' for ADMIN_TOKEN. */
  tokenId: string;
  companyId?: string;
  clusterIds?: string[];
}

export interface TokenVerifier {
  /** Resolves a presented secret (with its digest, see bearer.ts) to a principal, or null when it grants nothing. */
  verify(credential: BearerCredential): Promise<Principal | null>;
}
