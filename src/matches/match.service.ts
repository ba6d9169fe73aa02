// Serves stored matches: per listing, per company (partners) and the scoring status.
import type { Kysely } from 'kysely';
import type { Database, Visibility } from '../db/database.js';
import { decodeNumberCursor, encodeNumberCursor } from '../db/pagination.js';
import { badRequest, notFound } from '../errors.js';
import { findCompany } from '../companies/company.repository.js';
import { findListing } from '../listings/listing.repository.js';
import { outboxCounts, recordRescoreOfAll } from '../scoring/outbox.repository.js';
import type { ScoringDispatcher } from '../scoring/scoring-dispatcher.js';
import type { AccessPolicy } from '../auth/access.js';
import type { Principal } from '../auth/principal.js';
import { explanationReasons } from '../matching/score.js';
import { componentsOf, explanationOf } from '../db/stored-match.js';
import * as repo from './match.repository.js';
import type { Feedback, FeedbackInput, Match, PartnerSuggestion } from './match.schema.js';

const PAIRS_PER_PARTNER = 5;

// Match lists are short (≤ 50 per need) and ranked by score, so an offset cursor is exact and simple.
const encodeOffset = (offset: number) => encodeNumberCursor('o', offset);
const decodeOffset = (cursor: string | undefined) => decodeNumberCursor('o', cursor) ?? 0;

function page<T>(rows: T[], offset: number, limit: number) {
  return { items: rows.slice(0, limit), nextCursor: rows.length > limit ? encodeOffset(offset + limit) : null };
}

/** What authorising a listing's match list needs. */
export interface ListingFacts {
  company_id: string;
  visibility: Visibility;
}

export function toMatch(row: repo.MatchWithListingsRow): Match {
  const components = componentsOf(row.components);
  const explanation = explanationOf(row.explanation);
  return {
    needId: row.need_id,
    capabilityId: row.capability_id,
    needCompanyId: row.need_company_id,
    capabilityCompanyId: row.capability_company_id,
    score: row.score,
    components,
    explanation: {
      sharedTerms: explanation.sharedTerms,
      concepts: explanation.concepts,
      reasons: explanationReasons(
        explanation,
        components,
        { kind: row.need_kind, naceCode: row.need_company_nace_code, valueChainRole: row.need_company_value_chain_role },
        { kind: row.capability_kind, naceCode: row.capability_company_nace_code, valueChainRole: row.capability_company_value_chain_role },
      ),
    },
    status: row.feedback ?? 'suggested',
    scoredAt: new Date(row.scored_at).toISOString(),
    need: { id: row.need_id, companyId: row.need_company_id, companyName: row.need_company_name, kind: row.need_kind, title: row.need_title },
    capability: {
      id: row.capability_id,
      companyId: row.capability_company_id,
      companyName: row.capability_company_name,
      kind: row.capability_kind,
      title: row.capability_title,
    },
  };
}

export function createMatchService(db: Kysely<Database>, access: AccessPolicy, scoring: ScoringDispatcher) {
  return {
    /** What authorising a listing's match list needs: its company and visibility (404 when absent). */
    async listingFacts(side: 'need' | 'capability', listingId: string): Promise<ListingFacts> {
      const listing = await findListing(db, side, listingId);
      if (!listing) throw notFound(side === 'need' ? 'Need' : 'Capability', listingId);
      return { company_id: listing.company_id, visibility: listing.visibility };
    },

    /** A listing's suggestions belong to its company (and those who act for it); invisible listings are 404. */
    async authorizeListing(principal: Principal, side: 'need' | 'capability', listingId: string, facts: ListingFacts): Promise<void> {
      await access.assertReadListing(principal, facts, side === 'need' ? 'Need' : 'Capability', listingId);
      await access.assertManageCompany(principal, facts.company_id);
    },

    /** A page of the listing's matches, as its own company sees them: pairs it dismissed drop out. */
    async listingMatches(side: 'need' | 'capability', listingId: string, facts: ListingFacts, query: { limit: number; cursor?: string | undefined; includeDismissed: boolean }) {
      const { limit } = query;
      const offset = decodeOffset(query.cursor);
      const rows = await repo.matchesOfListing(db, {
        side,
        listingId,
        viewerCompanyId: facts.company_id,
        includeDismissed: query.includeDismissed,
        offset,
        limit,
      });
      const result = page(rows, offset, limit);
      return { items: result.items.map(toMatch), nextCursor: result.nextCursor };
    },

    async companyExists(companyId: string): Promise<void> {
      if (!(await findCompany(db, companyId))) throw notFound('Company', companyId);
    },

    authorizePartners: (principal: Principal, companyId: string) => access.assertManageCompany(principal, companyId),

    async partners(companyId: string, limit: number, cursor: string | undefined) {
      const offset = decodeOffset(cursor);
      const ranked = page(await repo.partnersOfCompany(db, companyId, offset, limit), offset, limit);
      const partnerIds = ranked.items.map((p) => p.partner_id);
      const [pairs, companies] = await Promise.all([
        repo.pairsWithPartners(db, companyId, partnerIds, PAIRS_PER_PARTNER),
        partnerIds.length ? db.selectFrom('companies').selectAll().where('id', 'in', partnerIds).execute() : Promise.resolve([]),
      ]);
      const byId = new Map(companies.map((c) => [c.id, c]));
      const items: PartnerSuggestion[] = ranked.items.flatMap((partner) => {
        const company = byId.get(partner.partner_id);
        if (!company) return []; // deleted between the two queries
        return [
          {
            companyId: company.id,
            companyName: company.name,
            naceCode: company.nace_code,
            valueChainRole: company.value_chain_role,
            score: partner.best,
            pairCount: partner.pairs,
            pairs: pairs
              .filter((p) => p.need_company_id === company.id || p.capability_company_id === company.id)
              .map((p) => ({ direction: p.need_company_id === companyId ? ('they-offer' as const) : ('we-offer' as const), match: toMatch(p) })),
          },
        ];
      });
      return { items, nextCursor: ranked.nextCursor };
    },


    /** Records a company's verdict on a pair; defaults to the need's company. */
    async feedback(principal: Principal, needId: string, capabilityId: string, input: FeedbackInput): Promise<Feedback> {
      const need = await access.assertReadListing(principal, await findListing(db, 'need', needId), 'Need', needId);
      const capability = await access.assertReadListing(principal, await findListing(db, 'capability', capabilityId), 'Capability', capabilityId);
      // A company token speaks for its own company; others default to the need's company.
      const companyId = input.companyId ?? (principal.role === 'company' ? principal.companyId! : need.company_id);
      if (companyId !== need.company_id && companyId !== capability.company_id) {
        throw badRequest('Feedback comes from one of the two companies of the pair', [
          { field: '/companyId', message: 'is neither the need’s nor the capability’s company' },
        ]);
      }
      await access.assertManageCompany(principal, companyId);
      const row = await repo.upsertFeedback(db, { needId, capabilityId, companyId, verdict: input.verdict, note: input.note ?? null });
      return {
        needId: row.need_id,
        capabilityId: row.capability_id,
        companyId: row.company_id,
        verdict: row.verdict,
        note: row.note,
        updatedAt: new Date(row.updated_at).toISOString(),
      };
    },

    /** Queues every listing for re-indexing and re-scoring. */
    async rescoreAll(requestId: string): Promise<{ queued: number }> {
      const queued = await db.transaction().execute((trx) => recordRescoreOfAll(trx, requestId));
      scoring.notify();
      return { queued };
    },

    async status() {
      const [counts, failed] = await Promise.all([outboxCounts(db), scoring.failedCount()]);
      return {
        pending: counts.pendingListings,
        failed,
        lastScoredAt: counts.lastProcessedAt ? new Date(counts.lastProcessedAt).toISOString() : null,
        mode: scoring.mode,
      };
    },
  };
}

export type MatchService = ReturnType<typeof createMatchService>;
