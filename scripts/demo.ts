// `npm run demo`: loads a demo cluster inspired by Innlandet and Viken industry into an in-memory
// instance through the public API, waits for scoring, and prints the suggested matches with the
// reasons behind them. No database or Redis needed.
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { buildApp, fastifyOptions } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { startRuntime } from '../src/runtime.js';

interface DemoListing { kind: string; lang?: string; title: string; description: string }
interface DemoSet {
  cluster: { name: string; region: string; description: string };
  companies: (Record<string, unknown> & { key: string; name: string; capabilities: DemoListing[]; needs: DemoListing[] })[];
}

const demo = JSON.parse(readFileSync(new URL('../demo/innlandet-viken.json', import.meta.url), 'utf8')) as DemoSet;
const config = loadConfig({ DATA_DIR: 'memory://', ADMIN_TOKEN: 'demo-admin-token-0123456789', LOG_LEVEL: 'silent' });
const runtime = await startRuntime(config, pino({ level: 'silent' }));
const app = await buildApp(runtime, fastifyOptions());
const headers = { authorization: `Bearer ${runtime.adminToken}` };
const call = async <T>(method: 'GET' | 'POST' | 'PUT', url: string, payload?: object): Promise<T> => {
  const response = await app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  if (response.statusCode >= 300) throw new Error(`${method} ${url} → ${response.statusCode} ${response.body}`);
  return (response.body ? response.json() : undefined) as T;
};

const cluster = await call<{ id: string }>('POST', '/v1/clusters', demo.cluster);
const needs: { id: string; title: string; company: string }[] = [];
for (const { key: _key, capabilities, needs: companyNeeds, ...fields } of demo.companies) {
  const company = await call<{ id: string }>('POST', '/v1/companies', fields);
  await call('PUT', `/v1/clusters/${cluster.id}/members/${company.id}`);
  for (const capability of capabilities) await call('POST', `/v1/companies/${company.id}/capabilities`, capability);
  for (const need of companyNeeds) needs.push({ ...(await call<{ id: string }>('POST', `/v1/companies/${company.id}/needs`, need)), title: need.title, company: fields.name });
}
for (;;) {
  if ((await call<{ pending: number }>('GET', '/v1/matching/status')).pending === 0) break;
  await new Promise((resolve) => setTimeout(resolve, 50));
}
await call('POST', '/v1/matching/rescore');
for (;;) {
  if ((await call<{ pending: number }>('GET', '/v1/matching/status')).pending === 0) break;
  await new Promise((resolve) => setTimeout(resolve, 50));
}

console.log(`Koblingsboks demo: ${demo.companies.length} companies in "${demo.cluster.name}", ${needs.length} needs\n`);
for (const need of needs) {
  const { items } = await call<{ items: { score: number; capability: { title: string; companyName: string }; explanation: { reasons: string[] } }[] }>(
    'GET',
    `/v1/needs/${need.id}/matches?limit=2`,
  );
  console.log(`${need.company} — "${need.title}"`);
  if (items.length === 0 || items[0]!.score < 0.3) console.log('   no good partner in the cluster yet');
  for (const match of items.filter((m) => m.score >= 0.3)) {
    console.log(`   ${match.score.toFixed(2)}  ${match.capability.companyName}: "${match.capability.title}"`);
    for (const reason of match.explanation.reasons.slice(0, 3)) console.log(`          · ${reason}`);
  }
  console.log();
}
await app.close();
await runtime.close();
