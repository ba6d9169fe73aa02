// Scores one listing: re-indexes its features, finds candidates of the other side through the
// inverted index, scores each pair with the pure matching core and replaces the listing's stored
// matches. Runs in a worker process (BullMQ) or in-process (embedded mode); both call this.
import type { Kysely, Transaction } from 'kysely';
import type { Executor } from '../db/executor.js';
import type { Database } from '../db/database.js';
import { extractFeatures, type ListingFeatures, type MatchingResources } from '../matching/features.js';
import { rankCandidates } from '../matching/rank.js';
import { explainPair, scorePair, type ScoreComponents, type ScoredListing } from '../matching/score.js';
import { candidateMinImpact, queryFeatures, weightVector, type CorpusStats } from '../matching/vectors.js';
import type { SparseVector } from '../matching/types.js';
import * as index from './index.repository.js';
import { explanationFeaturesIn, factsToStore } from './explanation-features.js';
import { loadListings, scored, type LoadedListing } from './scored-listings.js';
import { admissionScores, databaseNow, deleteMatchesOf, deleteStaleMatchesOfCapability, existingPairs, lockNeedMatches, trimNeeds, upsertMatches, PairsToWrite, type MatchInput } from './match.repository.js';
import { announceStrongPairs } from '../notifications/notification.repository.js';
import { hasNewerWork, markProcessed } from './outbox.repository.js';
import type { CapabilityCorpus, CorpusView } from './capability-corpus.js';
import { storedPair, writeNeedsMatches } from './write-needs-matches.js';

export { CANDIDATES, MATCHES_PER_NEED, MIN_SCORE, STRONG_MATCH } from './limits.js';
import { CANDIDATES, MATCHES_PER_NEED, MIN_SCORE, STRONG_MATCH } from './limits.js';

export interface ScoringWork {
  listingId: string;
  outboxId: number;
}

export type ScoringOutcome = 'scored' | 'removed' | 'superseded';


/**
 * Needs are scored against `capabilities`, the process's in-memory capability index (kept by a
 * worker, or by the API when it scores in-process); capabilities through PostgreSQL's inverted
 * index of needs.
 */
export function createScoringProcessor(db: Kysely<Database>, resources: MatchingResources, capabilities: CapabilityCorpus) {
  const featuresOf = (listing: LoadedListing) => extractFeatures(listing, listing.side, resources);

  const documentCount = index.documentCounter();

  /** Stores the listing's features in the index, updating document frequencies, in one transaction; returns its vector. */
  async function reindex(listing: LoadedListing, features: ListingFeatures): Promise<{ vector: SparseVector; stats: CorpusStats }> {
    return db.transaction().execute(async (trx) => {
      await index.lockListingIndex(trx, listing.id);
      const before = new Set(await index.indexedFeatures(trx, listing.id));
      const after = new Set(features.tf.keys());
      await index.adjustDocumentFrequencies(
        trx,
        [...after].filter((f) => !before.has(f)),
        [...before].filter((f) => !after.has(f)),
      );
      const documents = await documentCount(trx);
      const dfs = await index.documentFrequencies(trx, [...after]);
      const stats: CorpusStats = { documents, df: (f) => dfs.get(f) ?? 0 };
      const vector = weightVector(features.tf, stats);
      await index.replaceListingTerms(trx, listing, [...vector], factsToStore(listing, features));
      return { vector, stats };
    });
  }

  /**
   * Takes a deleted listing out of the index. Its matches went with it (trigger on listings); they
   * are deleted again here for a pair that a job racing the deletion wrote after it.
   */
  async function removeFromIndex(listingId: string): Promise<void> {
    await db.transaction().execute(async (trx) => {
      await index.lockListingIndex(trx, listingId);
      const removed = await index.removeListingTerms(trx, listingId);
      await index.adjustDocumentFrequencies(trx, [], removed);
      await deleteMatchesOf(trx, 'need', listingId);
      await deleteMatchesOf(trx, 'capability', listingId);
    });
  }

  /** A scored pair, not yet explained: explaining costs text processing, so only kept pairs get it. */
  interface ScoredPair {
    need: LoadedListing & ScoredListing;
    capability: ScoredListing;
    score: number;
    components: ScoreComponents;
  }

  /**
   * Scores a capability against candidate needs from PostgreSQL's inverted index, using the
   * vectors stored in the index (so a pair scores the same from either side), best first.
   */
  async function scoreCapabilityAgainstNeeds(executor: Executor, listing: LoadedListing, { vector, stats }: { vector: SparseVector; stats: CorpusStats }): Promise<ScoredPair[]> {
    const candidates = await index.candidateListings(executor, {
      side: 'need',
      excludeCompanyId: listing.companyId,
      features: queryFeatures(vector, stats),
      limit: CANDIDATES,
      documents: stats.documents,
    });
    const ids = candidates.map((c) => c.listingId);
    const [needs, vectors] = await Promise.all([loadListings(executor, ids), index.storedVectors(executor, ids)]);
    const capability = scored(listing, vector);
    return needs
      .map((need) => {
        const scoredNeed = { ...need, ...scored(need, vectors.get(need.id) ?? new Map()) };
        return { need: scoredNeed, capability, ...scorePair(scoredNeed, capability, resources) };
      })
      .filter((pair) => pair.score >= MIN_SCORE)
      .sort((a, b) => b.score - a.score)
      .slice(0, CANDIDATES);
  }

  /** Names what matched in each of a capability's pairs that will be stored. */
  function explained(features: ListingFeatures, pairs: ScoredPair[]): MatchInput[] {
    return pairs.map(({ need, capability, score, components }) => ({
      needId: need.id,
      capabilityId: capability.id,
      needCompanyId: need.companyId,
      capabilityCompanyId: capability.companyId,
      score,
      components,
      // A need's surface words name the shared terms, so it is analysed whole.
      explanation: explainPair({ ...need, features: featuresOf(need) }, { ...capability, features }, resources),
    }));
  }

  /**
   * Writes a capability's pairs and announces strong new ones: only pairs that would enter a
   * need's best list (or already are in it) are explained and written, and only the capability's
   * pairs that are stale since it looked for candidates are dropped.
   */
  async function writeCapabilityMatches(trx: Transaction<Database>, listing: LoadedListing, features: ListingFeatures, scoredPairs: ScoredPair[], lookedAt: Date): Promise<void> {
    const before = await pairKeys(trx, 'capability', listing.id);
    const bars = await admissionScores(trx, scoredPairs.map((p) => p.need.id), MATCHES_PER_NEED);
    const admitted = scoredPairs.filter((p) => {
      const bar = bars.get(p.need.id);
      return bar === null || bar === undefined || p.score > bar || before.has(`${p.need.id}/${p.capability.id}`);
    });
    const pairs = explained(features, admitted);
    await deleteStaleMatchesOfCapability(trx, listing.id, pairs.map((p) => p.needId), lookedAt);
    await upsertMatches(trx, pairs);
    await trimNeeds(
      trx,
      pairs.filter((p) => bars.get(p.needId) !== null).map((p) => p.needId),
      MATCHES_PER_NEED,
    );
    await announceStrongNewPairs(trx, pairs, before);
  }

  async function pairKeys(trx: Transaction<Database>, side: 'need' | 'capability', listingId: string): Promise<Set<string>> {
    return new Set((await existingPairs(trx, side, listingId)).map((p) => `${p.need_id}/${p.capability_id}`));
  }

  async function announceStrongNewPairs(trx: Transaction<Database>, pairs: MatchInput[], before: Set<string>): Promise<void> {
    await announceStrongPairs(
      trx,
      pairs.filter((p) => p.score >= STRONG_MATCH && !before.has(`${p.needId}/${p.capabilityId}`)),
    );
  }

  /**
   * A need scored against the worker's in-memory capability index: refreshed after the need's
   * vector was committed, so no capability committed before is missed (see capability-corpus.ts).
   */
  async function scoreNeedInMemory(corpus: CapabilityCorpus, listing: LoadedListing, features: ListingFeatures, { vector, stats }: { vector: SparseVector; stats: CorpusStats }): Promise<{ pairs: PairsToWrite; view: CorpusView }> {
    const view = await corpus.current();
    const { index: capabilityIndex } = view;
    const need = { ...scored(listing, vector), features };
    const candidates = capabilityIndex.candidates(queryFeatures(vector, stats), listing.companyId, CANDIDATES, candidateMinImpact(stats.documents));
    const ranked = rankCandidates(capabilityIndex, need, candidates.map((c) => c.position), MATCHES_PER_NEED, MIN_SCORE, resources);
    const profiles = ranked.map((pair) => capabilityIndex.profile(pair.position));
    // Explaining reads each partner's concepts and uses, held packed in the view.
    const partnerFeatures = await explanationFeaturesIn(view, db, profiles.map((p) => p.id), resources);
    const pairs = new PairsToWrite([listing.id]);
    ranked.forEach((pair, i) => {
      const capabilityFeatures = partnerFeatures.get(profiles[i]!.id);
      // Missing: deleted since the index saw it.
      if (capabilityFeatures) pairs.add(storedPair(need, profiles[i]!, capabilityFeatures, pair, resources));
    });
    return { pairs, view };
  }

  async function scoreListing(listing: LoadedListing): Promise<void> {
    const features = featuresOf(listing);
    const indexed = await reindex(listing, features);
    if (listing.side === 'need') {
      // Scored outside the transaction: the write keeps pairs that jobs wrote after the view was read.
      const { pairs, view } = await scoreNeedInMemory(capabilities, listing, features, indexed);
      await db.transaction().execute((trx) => writeNeedsMatches(trx, pairs, view));
    } else {
      const lookedAt = await databaseNow(db);
      const pairs = await scoreCapabilityAgainstNeeds(db, listing, indexed);
      await db.transaction().execute(async (trx) => {
        await lockNeedMatches(trx, pairs.map((p) => p.need.id));
        await writeCapabilityMatches(trx, listing, features, pairs, lookedAt);
      });
    }
  }

  return {
    /** Processes one unit of scoring work; idempotent, so a retried or duplicated job is harmless. */
    async process(work: ScoringWork): Promise<ScoringOutcome> {
      if (await hasNewerWork(db, work.listingId, work.outboxId)) {
        // A later edit has its own job, which will see this edit too.
        await markProcessed(db, work.listingId, work.outboxId);
        return 'superseded';
      }
      const [listing] = await loadListings(db, [work.listingId]);
      if (!listing) {
        await removeFromIndex(work.listingId);
        await markProcessed(db, work.listingId, work.outboxId);
        return 'removed';
      }
      await scoreListing(listing);
      await markProcessed(db, work.listingId, work.outboxId);
      return 'scored';
    },
  };
}

export type ScoringProcessor = ReturnType<typeof createScoringProcessor>;
