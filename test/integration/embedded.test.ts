// Boots the service on its embedded defaults exactly as `npm start` does without configuration:
// PGlite on disk under DATA_DIR, a generated admin token kept there, in-process scoring.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp, fastifyOptions } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { connectDatabase } from '../../src/db/connect.js';
import { startRuntime } from '../../src/runtime.js';
import { companyBody } from '../helpers/builders.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'koblingsboks-embedded-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function boot() {
  const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' });
  const runtime = await startRuntime(config, pino({ level: 'silent' }));
  const app = await buildApp(runtime, fastifyOptions());
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    address,
    async close() {
      await app.close();
      await runtime.close();
    },
  };
}

describe('embedded defaults (no DATABASE_URL, no REDIS_URL, no ADMIN_TOKEN)', () => {
  it('serves docs, generates and keeps an admin token, stores data across restarts and scores in-process', async () => {
    const first = await boot();
    const token = readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
    expect(token.length).toBeGreaterThanOrEqual(32);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    let companyId: string;
    try {
      expect((await fetch(`${first.address}/docs`)).status).toBe(200);
      const created = await fetch(`${first.address}/v1/companies`, { method: 'POST', headers, body: JSON.stringify(companyBody()) });
      expect(created.status).toBe(201);
      companyId = ((await created.json()) as { id: string }).id;
      const other = (await (await fetch(`${first.address}/v1/companies`, { method: 'POST', headers, body: JSON.stringify(companyBody({ naceCode: '33.110' })) })).json()) as { id: string };
      const need = (await (
        await fetch(`${first.address}/v1/companies/${companyId}/needs`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ kind: 'competence', title: 'Sveising av aluminium', description: 'Vi trenger sveising av aluminium.' }),
        })
      ).json()) as { id: string };
      await fetch(`${first.address}/v1/companies/${other.id}/capabilities`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ kind: 'service', title: 'Aluminiumssveising', description: 'Vi utfører sveising av aluminium.' }),
      });
      for (let i = 0; i < 200; i += 1) {
        const status = (await (await fetch(`${first.address}/v1/matching/status`, { headers })).json()) as { pending: number; mode: string };
        expect(status.mode).toBe('in-process');
        if (status.pending === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const matches = (await (await fetch(`${first.address}/v1/needs/${need.id}/matches`, { headers })).json()) as { items: unknown[] };
      expect(matches.items).toHaveLength(1);
    } finally {
      await first.close();
    }

    const second = await boot();
    try {
      expect(readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim()).toBe(token);
      const read = await fetch(`${second.address}/v1/companies/${companyId}`, { headers });
      expect(read.status).toBe(200);
    } finally {
      await second.close();
    }
  });
});

describe('the embedded database, in memory and on disk', () => {
  it.each(['memory://', 'disk'])('%s: reads int8 as a number and a json parameter given as UTF-8 bytes as its text', async (kind) => {
    const folder = kind === 'disk' ? mkdtempSync(path.join(tmpdir(), 'koblingsboks-pglite-')) : null;
    const database = await connectDatabase({ databaseUrl: '', dataDir: folder ?? 'memory://' });
    try {
      const { rows } = await sql<{ n: unknown; elements: unknown }>`select 9007199254740991::int8 as n, json_array_length(${Buffer.from('["ø", [1], {"a": 2}]')}::json) as elements`.execute(database.db);
      expect(rows).toEqual([{ n: 9007199254740991, elements: 3 }]);
    } finally {
      await database.close();
      if (folder) rmSync(folder, { recursive: true, force: true });
    }
  });
});
