// Introductions: proposing (cluster leaders within their cluster, companies for their own
// matches, admins), reading as far as the caller is involved, and moving through the workflow.
import type { Kysely, Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { AccessPolicy } from '../auth/access.js';
import type { Principal } from '../auth/principal.js';
import { recordAudit } from '../audit/audit.repository.js';
import { createNotifications } from '../notifications/notification.repository.js';
import type { Database, IntroductionEventTable, IntroductionTable } from '../db/database.js';
import { decodeCursor, toPage } from '../db/pagination.js';
import { badRequest, forbidden, notFound } from '../errors.js';
import { applyAction, type WorkflowActor } from './introduction-workflow.js';
import type { Introduction, IntroductionCreate, IntroductionListQuery, IntroductionTransition } from './introduction.schema.js';

type Row = Selectable<IntroductionTable>;

function toIntroduction(row: Row, events: Selectable<IntroductionEventTable>[]): Introduction {
  return {
    id: row.id,
    clusterId: row.cluster_id,
    needId: row.need_id,
    capabilityId: row.capability_id,
    companyAId: row.company_a_id,
    companyBId: row.company_b_id,
    message: row.message,
    state: row.state,
    responses: { a: row.a_response, b: row.b_response },
    proposedByRole: row.proposed_by_role,
    createdAt: row.created_at.toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    history: events.map((e) => ({
      action: e.action,
      fromState: e.from_state,
      toState: e.to_state,
      actorRole: e.actor_role,
      actorCompanyId: e.actor_company_id,
      note: e.note,
      at: e.at.toISOString(),
    })),
  };
}

export function createIntroductionService(db: Kysely<Database>, access: AccessPolicy, onIntroduced: (row: Row) => void = () => {}) {
  async function eventsOf(ids: string[]) {
    if (ids.length === 0) return new Map<string, Selectable<IntroductionEventTable>[]>();
    const rows = await db.selectFrom('introduction_events').selectAll().where('introduction_id', 'in', ids).orderBy('id').execute();
    const byId = new Map<string, Selectable<IntroductionEventTable>[]>();
    for (const row of rows) byId.set(row.introduction_id, [...(byId.get(row.introduction_id) ?? []), row]);
    return byId;
  }

  /** Leads the introduction's cluster, or a cluster both parties belong to. */
  async function isBroker(principal: Principal, row: Row): Promise<boolean> {
    if (principal.role !== 'cluster-leader') return false;
    if (row.cluster_id && principal.clusterIds?.includes(row.cluster_id)) return true;
    return (await access.canManageCompany(principal, row.company_a_id)) && (await access.canManageCompany(principal, row.company_b_id));
  }

  async function canSee(principal: Principal, row: Row): Promise<boolean> {
    if (principal.role === 'admin') return true;
    if (principal.role === 'company') return principal.companyId === row.company_a_id || principal.companyId === row.company_b_id;
    return (
      (await isBroker(principal, row)) ||
      (await access.canManageCompany(principal, row.company_a_id)) ||
      (await access.canManageCompany(principal, row.company_b_id))
    );
  }

  async function load(principal: Principal, id: string): Promise<Row> {
    const row = await db.selectFrom('introductions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || !(await canSee(principal, row))) throw notFound('Introduction', id);
    return row;
  }

  async function validateProposal(principal: Principal, input: IntroductionCreate) {
    const { companyAId: a, companyBId: b } = input;
    if (a === b) throw badRequest('An introduction needs two different companies', [{ field: '/companyBId', message: 'equals companyAId' }]);
    const companies = await db.selectFrom('companies').select('id').where('id', 'in', [a, b]).execute();
    for (const id of [a, b]) if (!companies.some((c) => c.id === id)) throw notFound('Company', id);
    if (input.needId || input.capabilityId) {
      if (!input.needId || !input.capabilityId) throw badRequest('Give both needId and capabilityId, or neither', [{ field: input.needId ? '/capabilityId' : '/needId', message: 'is required with the other' }]);
      const match = await db
        .selectFrom('matches')
        .select(['need_company_id', 'capability_company_id'])
        .where('need_id', '=', input.needId)
        .where('capability_id', '=', input.capabilityId)
        .executeTakeFirst();
      const parties = [a, b].sort().join();
      if (!match || [match.need_company_id, match.capability_company_id].sort().join() !== parties) {
        throw badRequest('The need and capability are not a suggested match between these two companies', [{ field: '/needId', message: 'no such match' }]);
      }
    }
    if (principal.role === 'cluster-leader') {
      if (!input.clusterId) throw badRequest('Cluster leaders broker within a cluster', [{ field: '/clusterId', message: 'is required for cluster leaders' }]);
      if (!principal.clusterIds?.includes(input.clusterId)) throw forbidden('You do not lead that cluster');
      const members = await db.selectFrom('cluster_members').select('company_id').where('cluster_id', '=', input.clusterId).where('company_id', 'in', [a, b]).execute();
      if (members.length !== 2) throw forbidden('Both companies must be members of the cluster');
    } else if (principal.role === 'company') {
      if (principal.companyId !== a && principal.companyId !== b) throw forbidden('A company proposes introductions for itself only');
      if (!input.needId) throw badRequest('A company proposes introductions for its own matches', [{ field: '/needId', message: 'is required for company tokens' }]);
      if (input.clusterId) throw badRequest('Only cluster leaders and admins broker within a cluster', [{ field: '/clusterId', message: 'not for company tokens' }]);
    } else if (input.clusterId && !(await db.selectFrom('clusters').select('id').where('id', '=', input.clusterId).executeTakeFirst())) {
      throw notFound('Cluster', input.clusterId);
    }
  }

  return {
    async propose(principal: Principal, input: IntroductionCreate, requestId: string): Promise<Introduction> {
      await validateProposal(principal, input);
      const id = uuidv7();
      // A company proposing for itself has said yes already.
      const ownSide = principal.role === 'company' ? (principal.companyId === input.companyAId ? 'a' : 'b') : null;
      const row = await db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('introductions')
          .values({
            id,
            cluster_id: input.clusterId ?? null,
            need_id: input.needId ?? null,
            capability_id: input.capabilityId ?? null,
            company_a_id: input.companyAId,
            company_b_id: input.companyBId,
            message: input.message,
            state: 'proposed',
            a_response: ownSide === 'a' ? 'accepted' : 'pending',
            b_response: ownSide === 'b' ? 'accepted' : 'pending',
            proposed_by: principal.tokenId,
            proposed_by_role: principal.role,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('introduction_events')
          .values({
            introduction_id: id,
            action: 'propose',
            from_state: null,
            to_state: 'proposed',
            actor_token_id: principal.tokenId,
            actor_role: principal.role,
            actor_company_id: principal.companyId ?? null,
            note: null,
          })
          .execute();
        // Both companies hear of it, except the one that proposed it.
        await createNotifications(
          trx,
          [input.companyAId, input.companyBId]
            .filter((companyId) => companyId !== principal.companyId)
            .map((companyId) => ({ companyId, type: 'introduction.proposed' as const, payload: { introductionId: id, message: input.message } })),
        );
        if (principal.role !== 'company') {
          await recordAudit(trx, principal, { action: 'introduction.propose', resourceType: 'introduction', resourceId: id, clusterIds: input.clusterId ? [input.clusterId] : [], details: { companyAId: input.companyAId, companyBId: input.companyBId } }, requestId);
        }
        return inserted;
      });
      onIntroduced(row);
      return toIntroduction(row, (await eventsOf([id])).get(id) ?? []);
    },

    async get(principal: Principal, id: string): Promise<Introduction> {
      const row = await load(principal, id);
      return toIntroduction(row, (await eventsOf([id])).get(id) ?? []);
    },

    /** Introductions the caller is involved in, filterable by state, company and cluster. */
    async list(principal: Principal, query: IntroductionListQuery) {
      const after = decodeCursor(query.cursor);
      const clusters = await access.visibleClusters(principal);
      const rows = await db
        .selectFrom('introductions as i')
        .selectAll('i')
        .$if(principal.role === 'company', (qb) => qb.where((eb) => eb.or([eb('i.company_a_id', '=', principal.companyId!), eb('i.company_b_id', '=', principal.companyId!)])))
        .$if(principal.role === 'cluster-leader', (qb) =>
          qb.where((eb) => {
            const led = (clusters === 'all' ? [] : clusters) as string[];
            if (led.length === 0) return eb.val(false);
            const members = eb.selectFrom('cluster_members').select('company_id').where('cluster_id', 'in', led);
            return eb.or([eb('i.cluster_id', 'in', led), eb('i.company_a_id', 'in', members), eb('i.company_b_id', 'in', members)]);
          }),
        )
        .$if(query.state !== undefined, (qb) => qb.where('i.state', '=', query.state!))
        .$if(query.clusterId !== undefined, (qb) => qb.where('i.cluster_id', '=', query.clusterId!))
        .$if(query.companyId !== undefined, (qb) => qb.where((eb) => eb.or([eb('i.company_a_id', '=', query.companyId!), eb('i.company_b_id', '=', query.companyId!)])))
        .$if(after !== undefined, (qb) => qb.where('i.id', '>', after!))
        .orderBy('i.id')
        .limit(query.limit + 1)
        .execute();
      const page = toPage(rows, query.limit, (row) => row);
      const events = await eventsOf(page.items.map((r) => r.id));
      return { items: page.items.map((row) => toIntroduction(row, events.get(row.id) ?? [])), nextCursor: page.nextCursor };
    },

    async transition(principal: Principal, id: string, input: IntroductionTransition, requestId: string): Promise<Introduction> {
      await load(principal, id);
      await db.transaction().execute(async (trx) => {
        // Locked so two answers at once cannot both read "pending".
        const row = await trx.selectFrom('introductions').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
        const sideOf = (companyId: string | undefined) => (companyId === row.company_a_id ? 'a' : companyId === row.company_b_id ? 'b' : null);
        let side: 'a' | 'b' | null = null;
        if (principal.role === 'company') side = sideOf(principal.companyId);
        else if (principal.role === 'admin' && input.companyId) {
          side = sideOf(input.companyId);
          if (!side) throw badRequest('companyId is not a party of this introduction', [{ field: '/companyId', message: 'not a party' }]);
        }
        const actor: WorkflowActor = { isAdmin: principal.role === 'admin', side, isBroker: await isBroker(principal, row) };
        const next = applyAction({ state: row.state, aResponse: row.a_response, bResponse: row.b_response }, input.action, actor);
        await trx
          .updateTable('introductions')
          .set({ state: next.state, a_response: next.aResponse, b_response: next.bResponse, updated_at: new Date() })
          .where('id', '=', id)
          .execute();
        await trx
          .insertInto('introduction_events')
          .values({
            introduction_id: id,
            action: input.action,
            from_state: row.state,
            to_state: next.state,
            actor_token_id: principal.tokenId,
            actor_role: principal.role,
            actor_company_id: side ? (side === 'a' ? row.company_a_id : row.company_b_id) : null,
            note: input.note ?? null,
          })
          .execute();
        if (principal.role !== 'company') {
          await recordAudit(trx, principal, { action: `introduction.${input.action}`, resourceType: 'introduction', resourceId: id, clusterIds: row.cluster_id ? [row.cluster_id] : [], details: { from: row.state, to: next.state } }, requestId);
        }
      });
      return this.get(principal, id);
    },
  };
}

export type IntroductionService = ReturnType<typeof createIntroductionService>;

