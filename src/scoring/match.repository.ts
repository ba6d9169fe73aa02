// Stored matches: replaced per listing in one transaction, so a retried job rewrites the same rows.
import { sql, type Transaction } from 'kysely';
import type { Executor } from '../db/executor.js';
import { JsonArrayBytes } from '../db/json-array-bytes.js';
import { plainArray } from '../db/plain-array.js';
import { PLANNED_PER_CALL } from '../db/prepared-statements.js';
import type { Database, MatchComponents, MatchExplanation } from '../db/database.js';
import { strongPairNotifications } from '../notifications/notification.repository.js';
import { uuidv7ArrayLiteral } from '../lib/uuid-v7-batch.js';
import { storedComponents, storedExplanation } from '../db/stored-match.js';

/** Stands for the company of a listing that is gone: no company has it (ids are uuid v7). */
const NIL_UUID = sql`'00000000-0000-0000-0000-000000000000'::uuid`;

export interface MatchInput {
  needId: string;
  capabilityId: string;
  needCompanyId: string;
  capabilityCompanyId: string;
  score: number;
  components: MatchComponents;
  explanation: MatchExplanation;
}

/**
 * Inserts or updates pairs. Pairs whose listing was deleted meanwhile are skipped (matches have no
 * foreign keys; see migration 0012), as is a pair of one company's own listings.
 */
export async function upsertMatches(trx: Transaction<Database>, matches: MatchInput[]): Promise<void> {
  if (matches.length === 0) return;
  const rows = JSON.stringify(
    matches.map((m) => ({ need_id: m.needId, capability_id: m.capabilityId, score: m.score, components: storedComponents(m.components), explanation: storedExplanation(m.explanation) })),
  );
  // The database's clock at write time, comparable across processes (see deleteStaleMatchesOfCapability).
  await sql`
    insert into matches (need_id, capability_id, need_company_id, capability_company_id, score, components, explanation, scored_at)
    select x.need_id, x.capability_id, n.company_id, c.company_id, x.score, x.components, x.explanation, clock_timestamp()
    from json_to_recordset(${rows}::json) as x(need_id uuid, capability_id uuid, score real, components json, explanation json)
    join listings n on n.id = x.need_id
    join listings c on c.id = x.capability_id and c.company_id <> n.company_id
    on conflict (need_id, capability_id) do update
      set score = excluded.score, components = excluded.components, explanation = excluded.explanation, scored_at = excluded.scored_at`.execute(trx);
}

/**
 * Serialises the writers of these needs' match lists (sorted, so two writers never deadlock).
 * A need's job holds its lock from candidate query to write; a capability's job takes the locks
 * of the needs it writes to. Without it, a capability indexed while a need was being scored could
 * write its pair just before the need's job replaced the list without it.
 */
export async function lockNeedMatches(trx: Transaction<Database>, needIds: string[]): Promise<void> {
  if (needIds.length === 0) return;
  await sql`select pg_advisory_xact_lock(k) from (
    select distinct hashtext('need-matches:' || id::text) as k from unnest(${needIds}::uuid[]) as id order by 1) locks`.execute(trx);
}

export async function databaseNow(db: Executor): Promise<Date> {
  const { rows } = await sql<{ now: Date }>`select clock_timestamp() as now`.execute(db);
  return rows[0]!.now;
}

export function existingPairs(trx: Transaction<Database>, side: 'need' | 'capability', listingId: string) {
  return trx
    .selectFrom('matches')
    .select(['need_id', 'capability_id'])
    .where(side === 'need' ? 'need_id' : 'capability_id', '=', listingId)
    .execute();
}

/**
 * A capability's pairs that its job did not score again and that were written before the job
 * looked for candidates. Pairs written since then by a need's job (which already saw this
 * capability) are kept: deleting them would lose a match the capability's job could not see.
 */
export async function deleteStaleMatchesOfCapability(trx: Transaction<Database>, capabilityId: string, keepNeedIds: string[], lookedAt: Date): Promise<void> {
  await trx
    .deleteFrom('matches')
    .where('capability_id', '=', capabilityId)
    .where('scored_at', '<', lookedAt)
    .$if(keepNeedIds.length > 0, (qb) => qb.where('need_id', 'not in', keepNeedIds))
    .execute();
}

export async function deleteMatchesOf(trx: Transaction<Database>, side: 'need' | 'capability', listingId: string): Promise<void> {
  await trx
    .deleteFrom('matches')
    .where(side === 'need' ? 'need_id' : 'capability_id', '=', listingId)
    .execute();
}

/** Keeps only each need's best `keep` matches (one index range scan per need, not a window over all of them). */
export async function trimNeeds(trx: Transaction<Database>, needIds: string[], keep: number): Promise<void> {
  if (needIds.length === 0) return;
  await sql`
    delete from matches m using (
      select x.need_id, x.capability_id
      from unnest(${[...new Set(needIds)]}::uuid[]) as n(id)
      cross join lateral (
        select need_id, capability_id from matches where need_id = n.id order by score desc, capability_id offset ${keep}
      ) x
    ) extra
    where m.need_id = extra.need_id and m.capability_id = extra.capability_id`.execute(trx);
}

/** Each need's current `rank`-th best score (null while it has fewer matches): the bar a new pair must clear. */
export async function admissionScores(db: Executor, needIds: string[], rank: number): Promise<Map<string, number | null>> {
  if (needIds.length === 0) return new Map();
  const { rows } = await sql<{ need_id: string; bar: number | null }>`
    select n.id as need_id, (select score from matches where need_id = n.id order by score desc offset ${rank - 1} limit 1) as bar
    from unnest(${needIds}::uuid[]) as n(id)`.execute(db);
  return new Map(rows.map((r) => [r.need_id, r.bar]));
}

/**
 * Needs' scored pairs on their way to `replaceNeedsMatches`, held as its statement sends them: a
 * batch's ~12,500 pairs name a few hundred needs and a few thousand capabilities, so each id is
 * kept once and a pair names its two listings by their places in those lists (sending both ids,
 * and the capability's version as an ISO string, with every pair was most of the bytes the worker
 * built and PostgreSQL parsed). A pair's components and explanation become JSON as it is added,
 * written into byte buffers outside the heap (see json-array-bytes.ts): held as objects until
 * the write (a pair, its components, its explanation with three arrays: some fifteen objects
 * each), or as strings, a batch's pairs outlived several young-generation collections, each
 * copying them, and were then promoted.
 */
export class PairsToWrite {
  /** The needs whose lists are replaced, each once; a pair's need is its 1-based place here. */
  readonly needIds: string[] = [];
  /** The capabilities paired, each once, in order of first pair; 1-based places as for needs. */
  readonly capabilityIds: string[] = [];
  readonly needOf: number[] = [];
  readonly capabilityOf: number[] = [];
  readonly scores: number[] = [];
  private readonly needOrdinals = new Map<string, number>();
  private readonly capabilityOrdinals = new Map<string, number>();
  private readonly components = new JsonArrayBytes();
  private readonly explanations = new JsonArrayBytes();

  constructor(needIds: Iterable<string>, pairs: Iterable<MatchInput> = []) {
    for (const id of needIds) if (!this.needOrdinals.has(id)) this.needOrdinals.set(id, this.needIds.push(id));
    for (const pair of pairs) this.add(pair);
  }

  get size(): number {
    return this.scores.length;
  }

  add(pair: MatchInput): void {
    const need = this.needOrdinals.get(pair.needId);
    if (need === undefined) throw new Error(`pair of need ${pair.needId}, which is not among the needs being replaced`);
    let capability = this.capabilityOrdinals.get(pair.capabilityId);
    if (capability === undefined) this.capabilityOrdinals.set(pair.capabilityId, (capability = this.capabilityIds.push(pair.capabilityId)));
    this.needOf.push(need);
    this.capabilityOf.push(capability);
    this.scores.push(pair.score);
    this.components.push(JSON.stringify(storedComponents(pair.components)));
    this.explanations.push(JSON.stringify(storedExplanation(pair.explanation)));
  }

  /** The pairs' components as stored (stored-match.ts), one JSON array in pair order, as UTF-8 bytes. */
  componentsJson(): Buffer {
    return this.components.bytes();
  }

  /** The pairs' explanations, as `componentsJson` gives their components. */
  explanationsJson(): Buffer {
    return this.explanations.bytes();
  }
}

/**
 * Replaces many needs' lists with pairs scored from a snapshot taken at `scoredFrom`: pairs written
 * since then by other jobs (which saw newer data) are kept, and so win over ours. A full re-score
 * mostly finds the pairs it already stored: those are left untouched (no new row version, no
 * foreign-key checks, no index writes), only changed pairs are updated and new ones inserted.
 * Pairs whose listings were deleted meanwhile are skipped rather than failing the batch. Callers
 * hold the needs' locks and trim the lists afterwards. The pairs written that did not exist before
 * and score at least `announceFrom` are announced (`match.strong`) in the same statement; returns
 * the number of notifications written.
 */
export async function replaceNeedsMatches(
  trx: Transaction<Database>,
  pairs: PairsToWrite,
  scoredFrom: Date,
  /** The version (updated_at, ms) of each capability as scored: a pair is not written for a capability edited since. */
  capabilityVersions: ReadonlyMap<string, number>,
  announceFrom: number,
): Promise<number> {
  if (pairs.needIds.length === 0) return 0;
  const versions = pairs.capabilityIds.map((id) => capabilityVersions.get(id) ?? 0);
  // Each pair that would be announced if it is new gets its two notifications' ids (its place in
  // them, 1-based; 0 for none). Returning the new strong pairs to announce them in a second
  // statement sent a from-scratch re-score's ~370k of them back and forth: rows PostgreSQL
  // formatted and the worker parsed and held across the round trip, then sent back as arrays.
  let strong = 0;
  const announcedAs = pairs.scores.map((score) => (score >= announceFrom ? ++strong : 0));
  // Nothing here is passed as a JavaScript array: pg would escape each element in JavaScript
  // (measured: the larger part of a batch's write time); V8 writes JSON and joined text natively.
  // One statement: the stale pairs are deleted, the scored ones written and the new strong ones
  // announced. Its parts see the same snapshot and touch different rows: a
  // stale pair is one that was not scored again.
  // A pair finds its listings and their companies by subscript in the id arrays and in arrays of
  // companies looked up once per listing, not by joining tables of ordinals: the planner, guessing
  // the sizes of unnested arrays, sorted 12,500 pairs (spilling to disk) for a merge join, and the
  // subscripts need no plan at all. A listing that is gone (or a capability changed since it was
  // scored) has the nil uuid for company, never a real company's id: subscripts into an array with
  // nulls walk it from the start.
  const { rows } = await sql<{ announced: string }>`${sql.raw(PLANNED_PER_CALL)}
    with need_ids as (select ${plainArray(pairs.needIds)}::uuid[] as ids),
    capability_ids as (select ${plainArray(pairs.capabilityIds)}::uuid[] as ids),
    -- Materialized: inlined into pairs, each of its two arrays was built again for every
    -- reference to it there (three each), with a primary-key lookup per capability every time.
    companies as materialized (
      select (select array_agg(coalesce(l.company_id, ${NIL_UUID}) order by n.ordinal)
              from need_ids, unnest(need_ids.ids) with ordinality as n(id, ordinal)
              left join listings l on l.id = n.id) as of_needs,
             -- Looked up one by one through the primary key: joined, the planner hashed every
             -- listing for a batch's few thousand capabilities (a third of the statement's time).
             array(select coalesce((
                        select l.company_id from listings l
                        -- A capability edited since it was scored has its own job, whose pairs are the true ones.
                        where l.id = c.id and date_trunc('milliseconds', l.updated_at) <= 'epoch'::timestamptz + c.version * interval '1 millisecond'), ${NIL_UUID})
                   from capability_ids, unnest(capability_ids.ids, ${plainArray(versions)}::bigint[]) with ordinality as c(id, version, ordinal)
                   order by c.ordinal) as of_capabilities),
    pairs as (
      select need_ids.ids[x.need] as need_id, capability_ids.ids[x.capability] as capability_id,
             companies.of_needs[x.need] as need_company_id, companies.of_capabilities[x.capability] as capability_company_id,
             x.score, x.components, x.explanation, x.announced_as,
             -- Written only between two companies that both still have the listing as scored.
             companies.of_needs[x.need] not in (companies.of_capabilities[x.capability], ${NIL_UUID})
               and companies.of_capabilities[x.capability] <> ${NIL_UUID} as writable
      from need_ids, capability_ids, companies, rows from (
        unnest(${plainArray(pairs.needOf)}::int[]),
        unnest(${plainArray(pairs.capabilityOf)}::int[]),
        unnest(${plainArray(pairs.scores)}::real[]),
        json_array_elements(${pairs.componentsJson()}::json),
        json_array_elements(${pairs.explanationsJson()}::json),
        unnest(${plainArray(announcedAs)}::int[])
      ) as x(need, capability, score, components, explanation, announced_as)),
    -- The needs' stored pairs, found need by need through the primary key (offset 0 keeps the
    -- planner from flattening the lateral subquery: with statistics lagging behind a re-score's
    -- inserts it then scanned the whole table), to be deleted or updated by row address. The
    -- callers hold the needs' locks, so no other writer adds or moves those rows in between.
    existing as (
      select m.* from need_ids, unnest(need_ids.ids) as n(id)
      cross join lateral (select ctid, need_id, capability_id, score, components, explanation, scored_at from matches where need_id = n.id offset 0) m),
    stale as (
      delete from matches d where d.ctid = any(array(
        select e.ctid from existing e
        where e.scored_at < ${scoredFrom} and not exists (select 1 from pairs p where p.need_id = e.need_id and p.capability_id = e.capability_id)))),
    changed as (
      update matches u set score = p.score, components = p.components, explanation = p.explanation, scored_at = clock_timestamp()
      from existing e join pairs p on p.need_id = e.need_id and p.capability_id = e.capability_id
      where u.ctid = e.ctid and e.scored_at < ${scoredFrom} and p.writable
        -- json has no equality; the texts are V8's JSON.stringify of the same shapes, so equal values read equal.
        and (e.score, e.components::text, e.explanation::text) is distinct from (p.score, p.components::text, p.explanation::text)),
    -- New pairs are plain inserts: under the needs' locks none can have appeared since the
    -- snapshot. An upsert (on conflict) checked the key before and after each insertion, a sixth
    -- of a batch's write when a re-score writes every pair anew.
    new_pairs as (
      select * from pairs p
      where p.writable and not exists (select 1 from existing e where e.need_id = p.need_id and e.capability_id = p.capability_id)),
    written as (
      insert into matches (need_id, capability_id, need_company_id, capability_company_id, score, components, explanation, scored_at)
      select need_id, capability_id, need_company_id, capability_company_id, score, components, explanation, clock_timestamp()
      from new_pairs),
    -- The new pairs as written, those to announce.
    announced as (${strongPairNotifications(sql`(
        select p.*, ids.ids[2 * p.announced_as - 1] as need_notification_id, ids.ids[2 * p.announced_as] as capability_notification_id
        from new_pairs p, (select ${uuidv7ArrayLiteral(2 * strong)}::uuid[] as ids) ids
        where p.announced_as > 0
      ) as p`)}
      returning 1)
    select count(*) as announced from announced`.execute(trx);
  return Number(rows[0]!.announced);
}
