// Company rules: row ↔ API shape, and which changes need the company's listings re-scored.
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { CompanyRow, CompanyUpdate, Database } from '../db/database.js';
import { decodeCursor, toPage } from '../db/pagination.js';
import { forbidden, notFound } from '../errors.js';
import type { AccessPolicy } from '../auth/access.js';
import type { Principal } from '../auth/principal.js';
import { recordScoringWork } from '../scoring/outbox.repository.js';
import * as repo from './company.repository.js';
import type { Company, CompanyCreate, CompanyPatch } from './company.schema.js';

export function toCompany(row: CompanyRow): Company {
  return {
    id: row.id,
    name: row.name,
    orgNumber: row.org_number,
    naceCode: row.nace_code,
    region: row.region,
    valueChainRole: row.value_chain_role,
    employees: row.employees,
    description: row.description,
    website: row.website,
    createdAt: row.created_at.toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

// Fields that feed the match score: changing them means the company's listings score differently.
const SCORING_FIELDS: (keyof CompanyPatch)[] = ['naceCode', 'valueChainRole'];

export function createCompanyService(db: Kysely<Database>, access: AccessPolicy, onScoringWork: () => void) {
  return {
    async create(principal: Principal, input: CompanyCreate): Promise<Company> {
      access.assertCreateCompany(principal);
      const row = await repo.insertCompany(db, {
        id: uuidv7(),
        name: input.name,
        org_number: input.orgNumber ?? null,
        nace_code: input.naceCode,
        region: input.region ?? null,
        value_chain_role: input.valueChainRole ?? null,
        employees: input.employees ?? null,
        description: input.description ?? null,
        website: input.website ?? null,
      });
      return toCompany(row);
    },

    /** Company profiles are not private: any authenticated caller may read one. */
    async get(id: string): Promise<Company> {
      const row = await repo.findCompany(db, id);
      if (!row) throw notFound('Company', id);
      return toCompany(row);
    },

    /** Admins list all companies; leaders their clusters' members; a company itself and its cluster peers. */
    async list(principal: Principal, limit: number, cursor: string | undefined) {
      const clusters = await access.visibleClusters(principal);
      const rows = await repo.listCompanies(db, {
        after: decodeCursor(cursor),
        limit,
        ...(clusters === 'all' ? {} : { inClusters: clusters, orCompany: principal.companyId }),
      });
      return toPage(rows, limit, toCompany);
    },

    async update(principal: Principal, id: string, patch: CompanyPatch, requestId: string): Promise<Company> {
      await access.assertManageCompany(principal, id);
      const changes: CompanyUpdate = { updated_at: new Date() };
      if (patch.name !== undefined) changes.name = patch.name;
      if (patch.orgNumber !== undefined) changes.org_number = patch.orgNumber;
      if (patch.naceCode !== undefined) changes.nace_code = patch.naceCode;
      if (patch.region !== undefined) changes.region = patch.region;
      if (patch.valueChainRole !== undefined) changes.value_chain_role = patch.valueChainRole;
      if (patch.employees !== undefined) changes.employees = patch.employees;
      if (patch.description !== undefined) changes.description = patch.description;
      if (patch.website !== undefined) changes.website = patch.website;
      const rescore = SCORING_FIELDS.some((field) => patch[field] !== undefined);
      const row = await db.transaction().execute(async (trx) => {
        const updated = await repo.updateCompany(trx, id, changes);
        if (!updated) throw notFound('Company', id);
        if (rescore) await recordScoringWork(trx, await repo.listingIdsOfCompany(trx, id), 'company-changed', requestId);
        return updated;
      });
      if (rescore) onScoringWork();
      return toCompany(row);
    },

    /** Admins, or the company itself; leaders broker, they do not delete members. */
    async remove(principal: Principal, id: string, requestId: string): Promise<void> {
      if (!(principal.role === 'admin' || (principal.role === 'company' && principal.companyId === id))) {
        throw forbidden('Only admins or the company itself may delete a company');
      }
      await db.transaction().execute(async (trx) => {
        // Recorded before the cascade removes the listings, so their index entries get cleaned up.
        await recordScoringWork(trx, await repo.listingIdsOfCompany(trx, id), 'deleted', requestId);
        const deleted = await repo.deleteCompany(trx, id);
        if (!deleted) throw notFound('Company', id);
      });
      onScoringWork();
    },
  };
}

export type CompanyService = ReturnType<typeof createCompanyService>;
