// Generates the OpenAPI document from a fully built app on an in-memory embedded database.
import { buildApp } from './app.js';
import { connectDatabase } from './db/connect.js';
import type { ScoringDispatcher } from './scoring/scoring-dispatcher.js';

const idleScoring: ScoringDispatcher = { mode: 'in-process', notify: () => {}, failedCount: async () => 0, close: async () => {} };

export async function generateOpenApi(): Promise<string> {
  const database = await connectDatabase({ dataDir: 'memory://' });
  const app = await buildApp({ database, adminToken: 'x'.repeat(32), scoring: idleScoring, redis: null });
  await app.ready();
  const document = `${JSON.stringify(app.swagger(), null, 2)}\n`;
  await app.close();
  await database.close();
  return document;
}
