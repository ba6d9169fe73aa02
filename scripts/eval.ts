// `npm run eval -- <labelled-set.json> [--without=glossary,compounds,broader,circular,kindFit] [--json]`
// Loads a labelled set into a fresh embedded database through the public API (same code paths as
// production), waits for scoring, re-scores once so every pair uses the final corpus statistics,
// and prints nDCG@10, P@5, R@10 and MRR overall and per language group.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { buildApp, fastifyOptions } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { average, metricsFor, type RankingMetrics } from '../src/eval/metrics.js';
import { DEFAULT_OPTIONS, type MatchingOptions } from '../src/matching/features.js';
import { startRuntime } from '../src/runtime.js';

interface LabelledListing {
  key: string;
  kind: string;
  lang?: string;
  title: string;
  description: string;
}
interface LabelledSet {
  companies: (Record<string, unknown> & { key: string; capabilities?: LabelledListing[]; needs?: LabelledListing[] })[];
  gold: { need: string; relevant: { capability: string; grade: number }[] }[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { without: { type: 'string', default: '' }, json: { type: 'boolean', default: false } },
});
const file = positionals[0];
if (!file) {
  console.error('usage: npm run eval -- <labelled-set.json> [--without=glossary,compounds,broader,circular,kindFit] [--json]');
  process.exit(2);
}
const without = values.without ? values.without.split(',').map((s) => s.trim()) : [];
for (const name of without) {
  if (!(name in DEFAULT_OPTIONS)) {
    console.error(`unknown mechanism "${name}"; known: ${Object.keys(DEFAULT_OPTIONS).join(', ')}`);
    process.exit(2);
  }
}
const matching = Object.fromEntries(without.map((name) => [name, false])) as Partial<MatchingOptions>;
const set = JSON.parse(readFileSync(file, 'utf8')) as LabelledSet;

const config = loadConfig({ DATA_DIR: 'memory://', ADMIN_TOKEN: 'eval-admin-token-0123456789', LOG_LEVEL: 'silent' });
const runtime = await startRuntime(config, pino({ level: 'silent' }), { matching });
const app = await buildApp(runtime, fastifyOptions());
const headers = { authorization: `Bearer ${runtime.adminToken}` };

async function call<T>(method: 'GET' | 'POST', url: string, payload?: object): Promise<T> {
  const response = await app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  if (response.statusCode >= 300) throw new Error(`${method} ${url} → ${response.statusCode}: ${response.body}`);
  return response.json<T>();
}

async function waitForScoring() {
  for (;;) {
    const status = await call<{ pending: number; failed: number }>('GET', '/v1/matching/status');
    if (status.pending === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const idByKey = new Map<string, string>();
const keyById = new Map<string, string>();
const langOf = new Map<string, string>();
for (const { key, capabilities = [], needs = [], ...fields } of set.companies) {
  const company = await call<{ id: string }>('POST', '/v1/companies', fields);
  idByKey.set(key, company.id);
  for (const [plural, listings] of [['capabilities', capabilities], ['needs', needs]] as const) {
    for (const { key: listingKey, ...listing } of listings) {
      const created = await call<{ id: string; lang: string }>('POST', `/v1/companies/${company.id}/${plural}`, listing);
      idByKey.set(listingKey, created.id);
      keyById.set(created.id, listingKey);
      langOf.set(listingKey, created.lang);
    }
  }
}
await waitForScoring();
await call('POST', '/v1/matching/rescore');
await waitForScoring();

const groups = new Map<string, RankingMetrics[]>();
const perNeed: { need: string; metrics: RankingMetrics; top: string[] }[] = [];
// Calibration: the best score a need gets, split by whether a good partner exists (grade 2).
const topScores = { withPartner: [] as number[], withoutPartner: [] as number[] };
for (const { need, relevant } of set.gold) {
  const matches = await call<{ items: { capabilityId: string; score: number }[] }>('GET', `/v1/needs/${idByKey.get(need)}/matches?limit=50`);
  const best = matches.items[0]?.score ?? 0;
  (relevant.some((r) => r.grade === 2) ? topScores.withPartner : topScores.withoutPartner).push(best);
  if (relevant.length === 0) continue;
  const ranked = matches.items.map((m) => keyById.get(m.capabilityId) ?? m.capabilityId);
  const metrics = metricsFor(ranked, new Map(relevant.map((r) => [r.capability, r.grade])));
  perNeed.push({ need, metrics, top: ranked.slice(0, 5) });
  const needLang = langOf.get(need) ?? '?';
  const crossLingual = relevant.some((r) => langOf.get(r.capability) !== needLang);
  for (const group of ['overall', needLang, ...(crossLingual ? ['cross-lingual'] : [])]) {
    groups.set(group, [...(groups.get(group) ?? []), metrics]);
  }
}

const summary = Object.fromEntries([...groups].map(([group, rows]) => [group, average(rows)]));
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
const calibration = {
  meanTopScoreWithGoodPartner: mean(topScores.withPartner),
  meanTopScoreWithoutGoodPartner: mean(topScores.withoutPartner),
  needsWithGoodPartner: topScores.withPartner.length,
  needsWithoutGoodPartner: topScores.withoutPartner.length,
};
if (values.json) {
  console.log(JSON.stringify({ without, summary, calibration, perNeed }, null, 2));
} else {
  const f = (x: number) => x.toFixed(3);
  console.log(`mechanisms off: ${without.length ? without.join(', ') : 'none'}`);
  console.log('| group | needs | nDCG@10 | P@5 | R@10 | MRR |\n|---|---|---|---|---|---|');
  for (const group of ['overall', 'nb', 'nn', 'en', 'cross-lingual']) {
    const m = summary[group];
    if (m) console.log(`| ${group} | ${m.n} | ${f(m.ndcg10)} | ${f(m.p5)} | ${f(m.r10)} | ${f(m.mrr)} |`);
  }
  console.log(
    `calibration: mean top score ${f(calibration.meanTopScoreWithGoodPartner)} for needs with a good partner (${calibration.needsWithGoodPartner}), ` +
      `${f(calibration.meanTopScoreWithoutGoodPartner)} for needs without one (${calibration.needsWithoutGoodPartner})`,
  );
}
await app.close();
await runtime.close();
