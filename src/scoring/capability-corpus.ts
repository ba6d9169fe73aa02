// A scoring worker's in-memory index of every capability's stored vector, kept current by small
// refreshes: the worker scores needs against it instead of asking PostgreSQL's inverted index for
// candidates (at 100k capabilities that query took 15–40 ms per need; the index answers in well
// under one). Loaded once, page by page, then refreshed from the index_changes log.
//
// Freshness is what makes this exact, not a cache: `current()` answers with a view refreshed
// after the call began. A need's job calls it after committing the need's own vector, so every
// capability committed before then is in the view, and any capability committed later is
// scored by its own job against a need set that already contains this need. No pair is lost
// between the two.
//
// Beside each capability's vector the corpus holds its explanation facts, packed (see
// packed-facts.ts), read in the same statements: explaining a pair then needs no database read.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { ExplainedFeatures, ExplanationFacts } from '../matching/explanation-facts.js';
import { ImpactIndexBuilder, type ImpactIndex, type IndexedListing } from '../matching/impact-index.js';
import { PackedFactsTable, type PackedFacts } from '../matching/packed-facts.js';
import type { CompanyProfile, Kind } from '../matching/types.js';
import { sideVectorPages } from './index.repository.js';

export interface CorpusView {
  index: ImpactIndex;
  /** When the view's data was read (database clock): pairs written after it saw newer data. */
  readAt: Date;
  /** Each capability's version (updated_at, ms) as indexed. */
  versions: ReadonlyMap<string, number>;
  /** What explaining a pair reads of a capability; undefined for one indexed before facts were stored. */
  explanation(capabilityId: string): ExplainedFeatures | undefined;
}

export interface CapabilityCorpus {
  /** The index, refreshed after this call began (waits for, or joins, such a refresh). */
  current(): Promise<CorpusView>;
  /** Loads the index now and keeps it refreshed in the background, so no job waits for a load. */
  keepWarm(intervalMs?: number, onError?: (error: unknown) => void): void;
  close(): void;
  /** Statistics for logs and metrics. */
  stats(): { capabilities: number; loads: number; refreshes: number };
}

/**
 * Without a refresh for this long, reload instead: the change log keeps a day (CHANGE_LOG_RETENTION),
 * and after a long gap a reload is the cheaper way to catch up.
 */
const RELOAD_AFTER_MS = 60 * 60 * 1000;

interface State {
  index: ImpactIndex;
  versions: Map<string, number>;
  facts: Map<string, PackedFacts>;
  /** The strings of `facts`; a reload starts a new table, so strings of edited capabilities do not pile up. */
  factsTable: PackedFactsTable;
  /** Oldest transaction still running at the last read: changes from it on are read again. */
  watermark: string;
  readAt: Date;
  refreshedAt: number;
}

/** Changed listings whose vectors are read per statement while refreshing. */
const REFRESH_PAGE = 2_000;

/**
 * Capabilities read per statement while loading. Each row arrives with its explanation facts
 * parsed (~2.8 KB of objects) until they are packed: pages of 10,000 held ~30 MB of them at once,
 * which a worker's peak RSS kept.
 */
const LOAD_PAGE = 2_000;

interface ChangeRow {
  id: string;
  side: string | null;
  company_id: string;
  kind: Kind;
  updated_at: Date;
  nace_code: string;
  value_chain_role: string | null;
  terms: string[] | null;
  weights: number[] | null;
  explain: ExplanationFacts | null;
}

export function createCapabilityCorpus(db: Kysely<Database>): CapabilityCorpus {
  let state: State | null = null;
  let loads = 0;
  let refreshes = 0;
  // Refresh requests are numbered; a refresh serves every request made before it started.
  let requested = 0;
  let served = 0;
  let running: Promise<void> | null = null;

  async function load(): Promise<State> {
    loads += 1;
    return db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        // First statement: it fixes the snapshot every page below is read in.
        const { rows } = await sql<{ xmin: string; read_at: Date; postings: number }>`
          select pg_snapshot_xmin(pg_current_snapshot())::text as xmin, statement_timestamp() as read_at,
                 (select coalesce(sum(cardinality(v.terms)), 0)::int from listing_vectors v join listings l on l.id = v.listing_id where l.side = 'capability') as postings`.execute(trx);
        // Sized exactly from the same snapshot: the index's arrays are allocated once, not grown.
        const builder = new ImpactIndexBuilder(rows[0]!.postings);
        const versions = new Map<string, number>();
        const facts = new Map<string, PackedFacts>();
        const factsTable = new PackedFactsTable();
        // One profile object per company, not per listing: a third of the objects at 100k listings.
        const profiles = new Map<string, CompanyProfile>();
        for await (const page of sideVectorPages(trx, 'capability', LOAD_PAGE)) {
          for (const row of page) {
            let company = profiles.get(row.companyId);
            if (!company || company.naceCode !== row.naceCode || company.valueChainRole !== row.valueChainRole) {
              profiles.set(row.companyId, (company = { naceCode: row.naceCode, valueChainRole: row.valueChainRole }));
            }
            builder.add({ id: row.id, companyId: row.companyId, kind: row.kind, company, terms: row.terms, weights: row.weights });
            versions.set(row.id, new Date(row.updatedAt).getTime());
            holdFacts(facts, factsTable, row.id, row.explain);
          }
        }
        return { index: builder.build(), versions, facts, factsTable, watermark: rows[0]!.xmin, readAt: rows[0]!.read_at, refreshedAt: Date.now() };
      });
  }

  async function refresh(current: State): Promise<State> {
    refreshes += 1;
    // One statement, one snapshot: its xmin and the changed ids it sees belong together. Vectors
    // are then read in pages (bounded memory when a re-score changed thousands); a page may see
    // a newer version than that snapshot, which is as good, and is read again next time anyway.
    const { rows } = await sql<{ xmin: string; read_at: Date; ids: string[] | null }>`
      select pg_snapshot_xmin(pg_current_snapshot())::text as xmin, statement_timestamp() as read_at,
             (select array_agg(distinct listing_id) from index_changes where xid >= ${current.watermark}::xid8) as ids`.execute(db);
    const { xmin, read_at: readAt, ids } = rows[0]!;
    const { versions, facts, factsTable } = current;
    let { index } = current;
    // Many changes at once (a re-score rewrote vectors) rebuild the index with them, rather than
    // growing it by all of them and compacting afterwards: half the memory at the peak.
    const rebuild = (ids?.length ?? 0) > Math.max(REFRESH_PAGE, index.size / 10);
    const upserts: IndexedListing[] = [];
    const removals: string[] = [];
    for (let i = 0; i < (ids?.length ?? 0); i += REFRESH_PAGE) {
      const page = ids!.slice(i, i + REFRESH_PAGE);
      const { rows: changed } = await sql<ChangeRow>`
        select ch.id, l.side, l.company_id, l.kind, l.updated_at, c.nace_code, c.value_chain_role,
               to_json(v.terms) as terms, to_json(v.weights) as weights, v.explain
        from unnest(${page}::uuid[]) as ch(id)
        left join listing_vectors v on v.listing_id = ch.id
        left join listings l on l.id = ch.id
        left join companies c on c.id = l.company_id`.execute(db);
      for (const row of changed) {
        if (row.side === 'capability' && row.terms && row.weights) {
          if (rebuild) upserts.push(toIndexed(row));
          else index.upsert(toIndexed(row));
          versions.set(row.id, new Date(row.updated_at).getTime());
          holdFacts(facts, factsTable, row.id, row.explain);
        } else if (index.has(row.id)) {
          if (rebuild) removals.push(row.id);
          else index.remove(row.id);
          versions.delete(row.id);
          facts.delete(row.id);
        }
      }
    }
    if (rebuild) index = index.rebuiltWith(upserts, removals);
    const next = { ...current, index, watermark: xmin, readAt, refreshedAt: Date.now() };
    // Rebuilding takes about a second per 50k capabilities; it happens when tails or removal
    // marks have grown to a tenth of the index, not on every refresh.
    if (index.needsCompaction) next.index = index.compacted();
    return next;
  }

  async function update(): Promise<void> {
    state = !state || Date.now() - state.refreshedAt > RELOAD_AFTER_MS ? await load() : await refresh(state);
  }

  let timer: NodeJS.Timeout | null = null;

  const corpus: CapabilityCorpus = {
    async current(): Promise<CorpusView> {
      requested += 1;
      const mine = requested;
      while (served < mine) {
        if (!running) {
          const covers = requested;
          running = update()
            .then(() => {
              served = covers;
            })
            .finally(() => {
              running = null;
            });
        }
        await running;
      }
      const { index, readAt, versions, facts, factsTable } = state!;
      return {
        index,
        readAt,
        versions,
        explanation: (capabilityId) => {
          const packed = facts.get(capabilityId);
          return packed === undefined ? undefined : factsTable.features(packed);
        },
      };
    },
    keepWarm(intervalMs = 15_000, onError = () => {}) {
      const tick = () => void corpus.current().catch(onError);
      tick();
      timer ??= setInterval(tick, intervalMs).unref();
    },
    close() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    stats: () => ({ capabilities: state?.index.size ?? 0, loads, refreshes }),
  };
  return corpus;
}

/** Holds a capability's facts packed; one without (or beyond a full table) is explained from the database. */
function holdFacts(facts: Map<string, PackedFacts>, table: PackedFactsTable, id: string, explain: ExplanationFacts | null): void {
  const packed = explain && table.pack(explain);
  if (packed) facts.set(id, packed);
  else facts.delete(id);
}

function toIndexed(row: ChangeRow): IndexedListing {
  return {
    id: row.id,
    companyId: row.company_id,
    kind: row.kind,
    company: { naceCode: row.nace_code, valueChainRole: row.value_chain_role },
    terms: row.terms!,
    weights: row.weights!,
  };
}
