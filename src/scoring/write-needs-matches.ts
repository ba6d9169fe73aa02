// Writes the lists of needs scored against a capability index view (a re-score batch, or one need
// in a worker): locks the needs' lists, replaces what changed, trims each list to its best and
// announces strong new pairs, all inside the caller's transaction.
import type { Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import { announceStrongPairs } from '../notifications/notification.repository.js';
import type { CorpusView } from './capability-corpus.js';
import { lockNeedMatches, replaceNeedsMatches, trimNeeds, type MatchInput } from './match.repository.js';
import { MATCHES_PER_NEED, STRONG_MATCH } from './limits.js';

export async function writeNeedsMatches(trx: Transaction<Database>, needIds: string[], matches: MatchInput[], view: Pick<CorpusView, 'readAt' | 'versions'>): Promise<void> {
  if (needIds.length === 0) return;
  await lockNeedMatches(trx, needIds);
  // Pairs written since the view was read came from jobs that saw newer data: they are kept.
  const strongNew = await replaceNeedsMatches(trx, needIds, matches, view.readAt, view.versions, STRONG_MATCH);
  await trimNeeds(trx, needIds, MATCHES_PER_NEED);
  await announceStrongPairs(trx, strongNew);
}
