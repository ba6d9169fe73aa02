// Who is calling. Every /v1 request resolves to exactly one principal before its handler runs;
// authorisation rules read it from `request.principal`.

export type Role = 'admin' | 'cluster-leader' | 'company';

export interface Principal {
  role: Role;
  /** Token id, or 'bootstrap' for ADMIN_TOKEN. */
  tokenId: string;
  companyId?: string;
  clusterIds?: string[];
}

export interface TokenVerifier {
  /** Resolves a presented bearer secret to a principal, or null when it grants nothing; `digest` is its SHA-256 and `hash` that in hex, when the caller has them. */
  verify(secret: string, digest?: Buffer, hash?: string): Promise<Principal | null>;
}
