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
import { rankCandidates, type RankedPair } from '../matching/rank.js';
import type { ScoredListing } from '../matching/score.js';
import { candidateMinImpact, queryFeatures, weightVector, type CorpusStats } from '../matching/vectors.js';
import * as index from './index.repository.js';
import { PairsToWrite } from './match.repository.js';
import { storedPair, writeNeedsMatches } from './write-needs-matches.js';
import { listingsWithNewerWork, markManyProcessed } from './outbox.repository.js';
import type { CapabilityCorpus } from './capability-corpus.js';
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

  type NeedInBatch = ScoredListing & { features: ListingFeatures };

  async function scoreNeeds(needs: LoadedListing[], features: Map<string, ListingFeatures>, indexed: Awaited<ReturnType<typeof reindex>>) {
    // Refreshed after this batch's needs were re-indexed (see capability-corpus.ts).
    const capabilities = await corpus.current();
    const { index: snapshotIndex } = capabilities;
    const matches = new PairsToWrite(needs.map((n) => n.id));
    // Pairs of capabilities whose facts the view does not hold (indexed before facts were kept):
    // explained afterwards from the database.
    const unexplained = new Map<string, { need: NeedInBatch; pair: RankedPair }[]>();
    for (const listing of needs) {
      // The need's object with its features is made once, not once per pair.
      const need: NeedInBatch = { ...scored(listing, indexed.vectors.get(listing.id)!), features: features.get(listing.id)! };
      const candidates = snapshotIndex.candidates(queryFeatures(need.vector, indexed.stats), need.companyId, CANDIDATES, candidateMinImpact(indexed.stats.documents));
      const ranked = rankCandidates(snapshotIndex, need, candidates.map((c) => c.position), MATCHES_PER_NEED, MIN_SCORE, resources);
      // Each pair is explained as it is ranked, from the view's packed facts: its intermediate
      // objects die young instead of living, with the whole batch's, through every young-generation
      // collection until the batch is explained.
      for (const pair of ranked) {
        const capability = snapshotIndex.profile(pair.position);
        const capabilityFeatures = capabilities.explanation(capability.id);
        if (capabilityFeatures) matches.add(storedPair(need, capability, capabilityFeatures, pair, resources));
        else {
          const waiting = unexplained.get(capability.id);
          if (waiting) waiting.push({ need, pair });
          else unexplained.set(capability.id, [{ need, pair }]);
        }
      }
    }
    const ids = [...unexplained.keys()];
    for (let i = 0; i < ids.length; i += EXPLAIN_CHUNK) {
      const chunk = ids.slice(i, i + EXPLAIN_CHUNK);
      // At most EXPLAIN_CHUNK at a time: holding thousands of capabilities' features at once
      // (about 15 KB each) ran a worker out of heap.
      const partnerFeatures = await explanationFeaturesIn(capabilities, db, chunk, resources);
      for (const id of chunk) {
        const capabilityFeatures = partnerFeatures.get(id);
        if (!capabilityFeatures) continue; // deleted since the snapshot was taken
        for (const { need, pair } of unexplained.get(id)!) matches.add(storedPair(need, snapshotIndex.profile(pair.position), capabilityFeatures, pair, resources));
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
        const { matches, view } = needs.length > 0 ? await scoreNeeds(needs, features, indexed) : { matches: new PairsToWrite([]), view: { readAt: new Date(), versions: new Map<string, number>() } };
        await db.transaction().execute(async (trx) => {
          await writeNeedsMatches(trx, matches, view);
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
