// Listing rules: language detection on write, row ↔ API shape, and a scoring outbox record in the
// same transaction as every change.
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database, ListingRow, ListingSide, ListingUpdate } from '../db/database.js';
import { decodeCursor, toPage } from '../db/pagination.js';
import { notFound } from '../errors.js';
import { detectLanguage } from '../matching/language.js';
import { recordScoringWork } from '../scoring/outbox.repository.js';
import { findCompany } from '../companies/company.repository.js';
import * as repo from './listing.repository.js';
import { recordAudit } from '../audit/audit.repository.js';
import type { AccessPolicy } from '../auth/access.js';
import type { Principal } from '../auth/principal.js';
import type { Listing, ListingCreate, ListingPatch } from './listing.schema.js';

export function toListing(row: ListingRow): Listing {
  return {
    id: row.id,
    companyId: row.company_id,
    side: row.side,
    kind: row.kind,
    title: row.title,
    description: row.description,
    lang: row.lang,
    langDetected: row.lang_detected,
    tags: row.tags,
    visibility: row.visibility,
    createdAt: row.created_at.toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

const SIDE_NAME: Record<ListingSide, string> = { need: 'Need', capability: 'Capability' };

export function createListingService(db: Kysely<Database>, access: AccessPolicy, onScoringWork: () => void) {
  /** Loads a listing the principal may see (404 otherwise) and may change (403 otherwise). */
  async function manageable(principal: Principal, side: ListingSide, id: string) {
    const listing = await access.assertReadListing(principal, await repo.findListing(db, side, id), SIDE_NAME[side], id);
    await access.assertManageCompany(principal, listing.company_id);
    return listing;
  }

  return {
    async create(principal: Principal, side: ListingSide, companyId: string, input: ListingCreate, requestId: string): Promise<Listing> {
      if (!(await findCompany(db, companyId))) throw notFound('Company', companyId);
      await access.assertManageCompany(principal, companyId);
      const row = await db.transaction().execute(async (trx) => {
        const inserted = await repo.insertListing(trx, {
          id: uuidv7(),
          company_id: companyId,
          side,
          kind: input.kind,
          title: input.title,
          description: input.description,
          lang: input.lang ?? detectLanguage(`${input.title}. ${input.description}`),
          lang_detected: input.lang === undefined,
          tags: input.tags ?? [],
          visibility: input.visibility ?? 'public',
        });
        await recordScoringWork(trx, [inserted.id], 'created', requestId);
        return inserted;
      });
      onScoringWork();
      return toListing(row);
    },

    async get(principal: Principal, side: ListingSide, id: string): Promise<Listing> {
      return toListing(await access.assertReadListing(principal, await repo.findListing(db, side, id), SIDE_NAME[side], id));
    },

    /** A company's listings as the caller may see them: all for those who manage it, else by visibility. */
    async listOfCompany(principal: Principal, side: ListingSide, companyId: string, limit: number, cursor: string | undefined) {
      if (!(await findCompany(db, companyId))) throw notFound('Company', companyId);
      const viewer = (await access.canManageCompany(principal, companyId)) ? 'all' : (principal.companyId ?? null);
      const rows = await repo.listListingsOfCompany(db, side, companyId, { after: decodeCursor(cursor), limit, viewer });
      return toPage(rows, limit, toListing);
    },

    async update(principal: Principal, side: ListingSide, id: string, patch: ListingPatch, requestId: string): Promise<Listing> {
      await manageable(principal, side, id);
      const row = await db.transaction().execute(async (trx) => {
        const current = await repo.findListing(trx, side, id);
        if (!current) throw notFound(SIDE_NAME[side], id);
        const changes: ListingUpdate = { updated_at: new Date() };
        if (patch.kind !== undefined) changes.kind = patch.kind;
        if (patch.title !== undefined) changes.title = patch.title;
        if (patch.description !== undefined) changes.description = patch.description;
        if (patch.tags !== undefined) changes.tags = patch.tags;
        if (patch.visibility !== undefined) changes.visibility = patch.visibility;
        if (patch.lang !== undefined) {
          changes.lang = patch.lang;
          changes.lang_detected = false;
        } else if (current.lang_detected && (patch.title !== undefined || patch.description !== undefined)) {
          // A detected language follows the text; a language the company stated stays.
          changes.lang = detectLanguage(`${patch.title ?? current.title}. ${patch.description ?? current.description}`);
        }
        const updated = await repo.updateListing(trx, side, id, changes);
        if (!updated) throw notFound(SIDE_NAME[side], id);
        await recordScoringWork(trx, [id], 'updated', requestId);
        if (patch.visibility !== undefined && patch.visibility !== current.visibility) {
          await recordAudit(
            trx,
            principal,
            { action: 'listing.visibility', resourceType: side, resourceId: id, clusterIds: await access.clustersOf(current.company_id), details: { from: current.visibility, to: patch.visibility } },
            requestId,
          );
        }
        return updated;
      });
      onScoringWork();
      return toListing(row);
    },

    async remove(principal: Principal, side: ListingSide, id: string, requestId: string): Promise<void> {
      await manageable(principal, side, id);
      await db.transaction().execute(async (trx) => {
        const deleted = await repo.deleteListing(trx, side, id);
        if (!deleted) throw notFound(SIDE_NAME[side], id);
        await recordScoringWork(trx, [id], 'deleted', requestId);
      });
      onScoringWork();
    },
  };
}

export type ListingService = ReturnType<typeof createListingService>;
