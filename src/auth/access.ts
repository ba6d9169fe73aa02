// The access policy, in one place. Every route asks it before reading or changing a resource:
//   admin          everything;
//   cluster-leader the companies of their clusters (profiles, all their listings, matches),
//                  plus what any principal may see;
//   company        its own company and listings; other companies' profiles; other companies'
//                  listings as their visibility allows (public; cluster = shares a cluster).
import { sql, type Kysely } from 'kysely';
import type { ReadCache } from '../cache/read-cache.js';
import type { Database, Visibility } from '../db/database.js';
import { forbidden, notFound } from '../errors.js';
import type { Principal } from './principal.js';

/**
 * `cache`: memberships are read on most authorisation checks of leaders and of cluster-visible
 * listings; any membership change empties the cache (migration 0014), so they are kept there.
 */
export function createAccessPolicy(db: Kysely<Database>, cache: ReadCache | null = null) {
  async function clustersOf(companyId: string): Promise<string[]> {
    const key = `clusters-of:${companyId}`;
    const cached = cache?.get<string[]>(key);
    if (cached) return cached;
    const stamp = cache?.stamp() ?? 0;
    const rows = await db.selectFrom('cluster_members').select('cluster_id').where('company_id', '=', companyId).execute();
    const clusters = rows.map((r) => r.cluster_id);
    cache?.set(key, clusters, { size: 64 + 40 * clusters.length, tags: [], stamp });
    return clusters;
  }

  /** True when the principal leads a cluster the company belongs to. */
  async function leads(principal: Principal, companyId: string): Promise<boolean> {
    if (principal.role !== 'cluster-leader' || !principal.clusterIds?.length) return false;
    const clusters = await clustersOf(companyId);
    return clusters.some((id) => principal.clusterIds!.includes(id));
  }

  async function sharesCluster(a: string, b: string): Promise<boolean> {
    const [ofA, ofB] = await Promise.all([clustersOf(a), clustersOf(b)]);
    return ofA.some((cluster) => ofB.includes(cluster));
  }

  /** May manage the company's data (its profile and listings)? */
  async function canManageCompany(principal: Principal, companyId: string): Promise<boolean> {
    if (principal.role === 'admin') return true;
    if (principal.role === 'company') return principal.companyId === companyId;
    return leads(principal, companyId);
  }

  async function canReadListing(principal: Principal, listing: { company_id: string; visibility: Visibility }): Promise<boolean> {
    if (listing.visibility === 'public') return true;
    if (await canManageCompany(principal, listing.company_id)) return true;
    if (listing.visibility === 'cluster' && principal.role === 'company' && principal.companyId) {
      return sharesCluster(principal.companyId, listing.company_id);
    }
    return false;
  }

  return {
    clustersOf,
    canManageCompany,
    canReadListing,

    async assertManageCompany(principal: Principal, companyId: string): Promise<void> {
      if (!(await canManageCompany(principal, companyId))) throw forbidden('This token may not act for that company');
    },

    /** Unknown and invisible listings look the same (404), so ids of private listings do not leak. */
    async assertReadListing<L extends { company_id: string; visibility: Visibility }>(principal: Principal, listing: L | undefined, noun: string, id: string): Promise<L> {
      if (!listing || !(await canReadListing(principal, listing))) throw notFound(noun, id);
      return listing;
    },

    assertCreateCompany(principal: Principal): void {
      if (principal.role === 'company') throw forbidden('Company tokens cannot register other companies');
    },

    /** Clusters the principal may see, or 'all'. */
    async visibleClusters(principal: Principal): Promise<string[] | 'all'> {
      if (principal.role === 'admin') return 'all';
      if (principal.role === 'cluster-leader') return principal.clusterIds ?? [];
      return principal.companyId ? clustersOf(principal.companyId) : [];
    },

    assertManageCluster(principal: Principal, clusterId: string): void {
      if (principal.role === 'admin') return;
      if (principal.role === 'cluster-leader' && principal.clusterIds?.includes(clusterId)) return;
      throw forbidden('Only admins and this cluster’s leaders may change it');
    },
  };
}

export type AccessPolicy = ReturnType<typeof createAccessPolicy>;

/**
 * SQL condition: the listing (alias) is visible to the given company as a suggestion — public, or
 * cluster-visible and sharing a cluster. Private listings are never suggested to other companies.
 */
export function visibleToCompany(listingAlias: string, companyId: string) {
  return sql<boolean>`(${sql.ref(`${listingAlias}.visibility`)} = 'public' or (${sql.ref(`${listingAlias}.visibility`)} = 'cluster' and exists (
    select 1 from cluster_members x join cluster_members y on y.cluster_id = x.cluster_id
    where x.company_id = ${companyId} and y.company_id = ${sql.ref(`${listingAlias}.company_id`)})))`;
}
