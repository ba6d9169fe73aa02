// Scores a batch of listings at once: the work of a full re-score, where every listing is
// scored again. Per listing, the single-listing processor makes about 25 database round trips
// and one index query; here a batch of a few hundred listings is re-indexed with a handful of
// set-based statements, its needs are scored against the worker's in-memory index of every
// capability (capability-corpus.ts, refreshed after the batch's own writes), and the matches are
// written in one transaction.
// Capabilities in a batch are re-indexed only: the needs of the same re-score, queued after them,
// find them (see recordRescoreOfAll).
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { extractFeatures, type ListingFeatures, type MatchingResources } from '../matching/features.js';
import { rankCandidates } from '../matching/rank.js';
import { explainShared, type ListingProfile, type ScoreComponents, type ScoredListing } from '../matching/score.js';
import { candidateMinImpact, queryFeatures, weightVector, type CorpusStats } from '../matching/vectors.js';
import * as index from './index.repository.js';
import type { MatchInput } from './match.repository.js';
import { writeNeedsMatches } from './write-needs-matches.js';
import { listingsWithNewerWork, markManyProcessed } from './outbox.repository.js';
import type { CapabilityCorpus, CorpusView } from './capability-corpus.js';
import { explanationFeaturesIn, factsToStore } from './explanation-features.js';
import { loadListings, scored, type LoadedListing } from './scored-listings.js';
import { CANDIDATES, MATCHES_PER_NEED, MIN_SCORE } from './limits.js';
import type { ScoringProcessor, ScoringWork } from './scoring-processor.js';

/** Capabilities whose features are held at once while explaining a batch's pairs. */
const EXPLAIN_CHUNK = 500;

export interface BatchOutcome {
  scored: number;
  superseded: number;
  removed: number;
}

export function createBatchProcessor(db: Kysely<Database>, resources: MatchingResources, single: ScoringProcessor, corpus: CapabilityCorpus) {
  const documentCount = index.documentCounter();
  /** Re-indexes the batch with set-based writes; returns each listing's new vector and the corpus statistics. */
  async function reindex(listings: LoadedListing[], features: Map<string, ListingFeatures>) {
    return db.transaction().execute(async (trx) => {
      const ids = listings.map((l) => l.id);
      await index.lockListingIndexes(trx, ids);
      const stored = await index.storedVectorsOf(trx, ids);
      const deltas = new Map<string, number>();
      for (const listing of listings) {
        const old = stored.get(listing.id)?.weights ?? new Map<string, number>();
        const now = features.get(listing.id)!.tf;
        for (const term of now.keys()) if (!old.has(term)) deltas.set(term, (deltas.get(term) ?? 0) + 1);
        for (const term of old.keys()) if (!now.has(term)) deltas.set(term, (deltas.get(term) ?? 0) - 1);
      }
      await index.applyDocumentFrequencyDeltas(trx, deltas);
      const documents = await documentCount(trx);
      const allTerms = new Set(listings.flatMap((l) => [...features.get(l.id)!.tf.keys()]));
      const dfs = await index.documentFrequencies(trx, [...allTerms]);
      const stats: CorpusStats = { documents, df: (f) => dfs.get(f) ?? 0 };
      const vectors = new Map(listings.map((l) => [l.id, weightVector(features.get(l.id)!.tf, stats)]));
      // A re-score mostly recomputes the vectors already stored: rewriting their postings would
      // only churn the index (dead tuples, index writes) for the same values. A capability stored
      // without explanation facts (indexed before they were kept) is written again to get them.
      const changed = listings.filter((l) => {
        const old = stored.get(l.id);
        return !old || !sameStoredVector(vectors.get(l.id)!, old.weights) || (l.side === 'capability' && !old.explained);
      });
      await index.replaceListingsTerms(
        trx,
        changed.map((l) => ({ id: l.id, side: l.side, companyId: l.companyId, weights: [...vectors.get(l.id)!], explain: factsToStore(l, features.get(l.id)!) })),
      );
      return { vectors, stats };
    });
  }

  interface ScoredPair {
    need: ScoredListing & { features: ListingFeatures };
    capability: ListingProfile;
    score: number;
    components: ScoreComponents;
    /** Shared features, largest contribution first: what the explanation names. */
    shared: string[];
  }

  /** The need's best pairs, scored straight from the index's typed arrays (no per-candidate Maps). */
  function scoreNeed(need: ScoredPair['need'], stats: CorpusStats, capabilities: CorpusView): ScoredPair[] {
    const { index: snapshotIndex } = capabilities;
    const candidates = snapshotIndex.candidates(queryFeatures(need.vector, stats), need.companyId, CANDIDATES, candidateMinImpact(stats.documents));
    return rankCandidates(snapshotIndex, need, candidates.map((c) => c.position), MATCHES_PER_NEED, MIN_SCORE, resources).map(({ position, score, components, shared }) => ({
      need,
      capability: snapshotIndex.profile(position),
      score,
      components,
      shared,
    }));
  }

  async function scoreNeeds(needs: LoadedListing[], features: Map<string, ListingFeatures>, indexed: Awaited<ReturnType<typeof reindex>>) {
    // Refreshed after this batch's needs were re-indexed (see capability-corpus.ts).
    const capabilities = await corpus.current();
    // Each need and capability object with its features is made once, not once per pair.
    const pairs = needs.flatMap((need) => scoreNeed({ ...scored(need, indexed.vectors.get(need.id)!), features: features.get(need.id)! }, indexed.stats, capabilities));
    const byCapability = new Map<string, ScoredPair[]>();
    for (const pair of pairs) {
      const list = byCapability.get(pair.capability.id);
      if (list) list.push(pair);
      else byCapability.set(pair.capability.id, [pair]);
    }
    const capabilityIds = [...byCapability.keys()];
    const matches: MatchInput[] = [];
    for (let i = 0; i < capabilityIds.length; i += EXPLAIN_CHUNK) {
      const chunk = capabilityIds.slice(i, i + EXPLAIN_CHUNK);
      // At most EXPLAIN_CHUNK at a time: a batch's pairs can name ten thousand capabilities, and
      // holding all their features at once (about 15 KB each) ran a worker out of heap. (The
      // view's packed facts serve nearly all; this bounds the reads for capabilities without.)
      const partnerFeatures = await explanationFeaturesIn(capabilities, db, chunk, resources);
      for (const id of chunk) {
        const capFeatures = partnerFeatures.get(id);
        if (!capFeatures) continue; // deleted since the snapshot was taken
        const group = byCapability.get(id)!;
        const capability = { ...group[0]!.capability, features: capFeatures };
        for (const { need, score, components, shared } of group) {
          matches.push({
            needId: need.id,
            capabilityId: capability.id,
            needCompanyId: need.companyId,
            capabilityCompanyId: capability.companyId,
            score,
            components,
            explanation: explainShared(need, capability, shared, resources),
          });
        }
      }
    }
    return { matches, view: capabilities };
  }

  return {
    async processBatch(work: ScoringWork[]): Promise<BatchOutcome> {
      const newer = await listingsWithNewerWork(db, work);
      const current = work.filter((w) => !newer.has(w.listingId));
      const listings = await loadListings(db, current.map((w) => w.listingId));
      const found = new Set(listings.map((l) => l.id));
      // Deleted listings are rare in a re-score: the single-listing path removes them from the index.
      const gone = current.filter((w) => !found.has(w.listingId));
      for (const item of gone) await single.process(item);

      if (listings.length > 0) {
        const features = new Map(listings.map((l) => [l.id, extractFeatures(l, l.side, resources)]));
        const indexed = await reindex(listings, features);
        const needs = listings.filter((l) => l.side === 'need');
        const { matches, view } = needs.length > 0 ? await scoreNeeds(needs, features, indexed) : { matches: [], view: { readAt: new Date(), versions: new Map<string, number>() } };
        await db.transaction().execute(async (trx) => {
          await writeNeedsMatches(trx, needs.map((n) => n.id), matches, view);
          await markManyProcessed(trx, current.filter((w) => found.has(w.listingId)));
        });
      }
      await markManyProcessed(db, work.filter((w) => newer.has(w.listingId)));
      return { scored: listings.length, superseded: work.length - current.length, removed: gone.length };
    },
  };
}

/** Whether a vector equals the stored one, compared at the single precision the index stores. */
function sameStoredVector(vector: Map<string, number>, stored: Map<string, number>): boolean {
  if (stored.size !== vector.size) return false;
  for (const [term, weight] of vector) if (stored.get(term) !== Math.fround(weight)) return false;
  return true;
}

export type BatchProcessor = ReturnType<typeof createBatchProcessor>;
