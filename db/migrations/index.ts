// The ordered list of migrations. Imported statically (not read from the folder at run time) so
// the same list works from TypeScript sources, the compiled build and the test runner.
import type { Migration } from 'kysely';
import * as registry from './0001-registry.js';
import * as matching from './0002-matching.js';
import * as feedback from './0003-match-feedback.js';
import * as access from './0004-access.js';
import * as introductions from './0005-introductions.js';
import * as notifications from './0006-notifications.js';
import * as idempotency from './0007-idempotency.js';
import * as outboxProcessedIndex from './0008-outbox-processed-index.js';
import * as impactOrderedPostings from './0009-impact-ordered-postings.js';
import * as listingVectors from './0010-listing-vectors.js';
import * as matchesCompanyKeysDerived from './0011-matches-company-keys-derived.js';
import * as leanMatches from './0012-lean-matches.js';
import * as indexChanges from './0013-index-changes.js';
import * as changeNotifications from './0014-change-notifications.js';
import * as explanationFacts from './0015-explanation-facts.js';
import * as notificationsWithoutCompanyKey from './0016-notifications-without-company-key.js';
import * as compactMatchJson from './0017-compact-match-json.js';

export const migrations: Record<string, Migration> = {
  '0001-registry': registry,
  '0002-matching': matching,
  '0003-match-feedback': feedback,
  '0004-access': access,
  '0005-introductions': introductions,
  '0006-notifications': notifications,
  '0007-idempotency': idempotency,
  '0008-outbox-processed-index': outboxProcessedIndex,
  '0009-impact-ordered-postings': impactOrderedPostings,
  '0010-listing-vectors': listingVectors,
  '0011-matches-company-keys-derived': matchesCompanyKeysDerived,
  '0012-lean-matches': leanMatches,
  '0013-index-changes': indexChanges,
  '0014-change-notifications': changeNotifications,
  '0015-explanation-facts': explanationFacts,
  '0016-notifications-without-company-key': notificationsWithoutCompanyKey,
  '0017-compact-match-json': compactMatchJson,
};
