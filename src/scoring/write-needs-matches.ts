// Writes the lists of needs scored against a capability index view (a re-score batch, or one need
// in a worker): locks the needs' lists, replaces what changed, trims each list to its best and
// announces strong new pairs, all inside the caller's transaction.
import type { Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import { createNotifications } from '../notifications/notification.repository.js';
import type { CorpusView } from './capability-corpus.js';
import { lockNeedMatches, replaceNeedsMatches, trimNeeds, type MatchInput } from './match.repository.js';
import { MATCHES_PER_NEED, STRONG_MATCH } from './limits.js';

export async function writeNeedsMatches(trx: Transaction<Database>, needIds: string[], matches: MatchInput[], view: Pick<CorpusView, 'readAt' | 'versions'>): Promise<void> {
  if (needIds.length === 0) return;
  await lockNeedMatches(trx, needIds);
  // Pairs written since the view was read came from jobs that saw newer data: they are kept.
  const inserted = new Set((await replaceNeedsMatches(trx, needIds, matches, view.readAt, view.versions, STRONG_MATCH)).map((p) => `${p.needId}/${p.capabilityId}`));
  await trimNeeds(trx, needIds, MATCHES_PER_NEED);
  await announceStrongPairs(trx, matches.filter((m) => inserted.has(`${m.needId}/${m.capabilityId}`)));
}

/** In-app notifications (and webhooks) for strong pairs, to both companies, in chunks of at most 1,000 rows. */
export async function announceStrongPairs(trx: Transaction<Database>, pairs: MatchInput[]): Promise<void> {
  const notifications = pairs
    .filter((p) => p.score >= STRONG_MATCH)
    .flatMap((p) => [
      { companyId: p.needCompanyId, type: 'match.strong' as const, payload: { needId: p.needId, capabilityId: p.capabilityId, partnerCompanyId: p.capabilityCompanyId, score: p.score } },
      { companyId: p.capabilityCompanyId, type: 'match.strong' as const, payload: { needId: p.needId, capabilityId: p.capabilityId, partnerCompanyId: p.needCompanyId, score: p.score } },
    ]);
  for (let i = 0; i < notifications.length; i += 1_000) await createNotifications(trx, notifications.slice(i, i + 1_000));
}
