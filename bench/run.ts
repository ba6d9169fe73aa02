// `npm run bench [-- --quick]`: how the cost of matching grows, measured on this machine in one run.
// Prints a table and writes bench/results/<time>.json. Needs PostgreSQL (DATABASE_URL, default
// the local test server) and Redis (REDIS_URL) like the tests.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { Queue } from 'bullmq';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { connectDatabase, type DatabaseHandle } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { matchingResources } from '../src/matching/resources.js';
import { SCORING_QUEUE } from '../src/scoring/queue.js';
import { createScoringProcessor } from '../src/scoring/scoring-processor.js';
import { createCapabilityCorpus } from '../src/scoring/capability-corpus.js';
import { recordRescoreOfAll } from '../src/scoring/outbox.repository.js';
import { compileForBench } from './compiled.js';
import { candidateRecall } from './recall.js';
import type { BruteForceRescore } from './compute-only.js';
import type { InMemoryRescore } from './in-memory-rescore.js';
import { seed } from './seed.js';
import { syntheticListings } from './synthetic.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    // e.g. --only=rescore --rescore-sizes=10000: one section while working on it.
    only: { type: 'string' },
    'rescore-sizes': { type: 'string' },
    // e.g. --jobs-per-worker=3: a worker's WORKER_CONCURRENCY, instead of one job per core across the workers.
    'jobs-per-worker': { type: 'string' },
  },
});
const runs = (section: 'curve' | 'rescore' | 'worker' | 'http') => !values.only || values.only.split(',').includes(section);
const quick = values.quick;
const BASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d+$/, '')}/7`;
const SIZES = quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
const RESCORE_SIZES = values['rescore-sizes'] ? values['rescore-sizes'].split(',').map(Number) : quick ? [2_000] : [10_000, 50_000];
const NEEDS = quick ? 20 : 50;
// Jobs per worker process, as the README's scaling section advises for workers that share the
// host's cores with PostgreSQL: about one job in flight per core across the host's workers. More
// only competed for the cores (2 workers on 2 cores, 50k listings: ~810 listings/s with 1 job
// each, ~690 with 2, ~650 with 4); fewer left a core idle (1 worker with 1 job: 369 listings/s,
// machine 64 % busy).
const jobsPerWorker = (workers: number) => values['jobs-per-worker'] ?? String(Math.max(1, Math.round(os.cpus().length / workers)));
// Workers run as they are started in production (package.json `worker`, compose.yaml), with the same heap flags.
const WORKER_NODE_FLAGS = /\bnode ((?:--\S+ )+)dist\/workers\//.exec(JSON.parse(readFileSync('package.json', 'utf8')).scripts.worker)![1]!.trim().split(' ');
// BENCH_WORKER_NODE_FLAGS adds flags to see inside a run's workers, e.g. `--cpu-prof --cpu-prof-dir=/tmp/profiles`
// (Node refuses those in NODE_OPTIONS).
WORKER_NODE_FLAGS.push(...(process.env.BENCH_WORKER_NODE_FLAGS ?? '').split(' ').filter(Boolean));
const resources = matchingResources();
// Servers and workers run compiled JavaScript, as in production (see compiled.ts).
const compiled = await compileForBench();
const WORKER_ENTRY = compiled('workers/scoring-worker.ts');
const results: Record<string, unknown> = { quick, node: process.version, at: new Date().toISOString() };
const table: [string, string][] = [];
const report = (label: string, value: string) => {
  table.push([label, value]);
  console.log(`  ${label}: ${value}`);
};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function freshDatabase(name: string): Promise<{ url: string; handle: DatabaseHandle }> {
  const admin = await connectDatabase({ databaseUrl: BASE_URL, dataDir: 'unused' });
  await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
  await sql.raw(`create database ${name}`).execute(admin.db);
  await admin.close();
  const url = new URL(BASE_URL);
  url.pathname = `/${name}`;
  const handle = await connectDatabase({ databaseUrl: url.toString(), dataDir: 'unused' });
  await migrateToLatest(handle.db);
  return { url: url.toString(), handle };
}

/**
 * Scores NEEDS new needs one by one through the real processor, configured as a worker runs it
 * (with its in-memory capability index, loaded before the first need as a running worker has it);
 * returns per-need ms and the index's load time.
 */
async function scoreNewNeeds(handle: DatabaseHandle, seedOffset: number): Promise<{ timings: number[]; needIds: string[]; loadMs: number }> {
  const corpus = createCapabilityCorpus(handle.db);
  const loadStart = performance.now();
  await corpus.current();
  const loadMs = performance.now() - loadStart;
  const processor = createScoringProcessor(handle.db, resources, corpus);
  const company = uuidv7();
  await handle.db.insertInto('companies').values({ id: company, name: 'Bench need owner', nace_code: '99.000', updated_at: new Date() }).execute();
  const timings: number[] = [];
  const needIds: string[] = [];
  for (const need of syntheticListings(NEEDS, 1_000 + seedOffset)) {
    const id = uuidv7();
    await handle.db.insertInto('listings').values({ id, company_id: company, side: 'need', kind: need.kind, title: need.title, description: need.description, lang: need.lang, updated_at: new Date() }).execute();
    const outbox = await handle.db.insertInto('scoring_outbox').values({ listing_id: id, reason: 'created' }).returning('id').executeTakeFirstOrThrow();
    const start = performance.now();
    await processor.process({ listingId: id, outboxId: Number(outbox.id) });
    timings.push(performance.now() - start);
    needIds.push(id);
  }
  return { timings, needIds, loadMs };
}

/**
 * Queries timed for natural's brute-force figures (one need, and the re-score estimated from
 * them). Its query times spread widely within one run (100 to 290 ms over 25,000 capabilities:
 * it allocates for every document, and its collections land on some queries): the median of 20
 * ranged from 166 to 196 ms in four runs within the same hour.
 */
const BRUTE_FORCE_QUERIES = 60;

/** Runs bench/compute-only.ts in a fresh process (see there why) and returns what it prints. */
function computeOnly<T>(mode: 'need' | 'brute' | 'ours', listings: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(compiled('bench/compute-only.ts'), [mode, String(listings), String(quick ? 10 : BRUTE_FORCE_QUERIES)], { execArgv: [], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    liveChildren.add(child);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      liveChildren.delete(child);
      if (code === 0) resolve(JSON.parse(output) as T);
      else reject(new Error(`compute-only ${mode} exited with ${code}`));
    });
  });
}

const vmHwmMb = (pid: number) => {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
};

/** Busy and total CPU time of the whole machine so far (clock ticks, from /proc/stat). */
function machineCpu(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3]! + (fields[4] ?? 0);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds (user and system) a process has used so far; 0 when it is gone. */
function processCpuSeconds(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces, so split after its closing parenthesis).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds used so far by each PostgreSQL process of this machine (the server's and its backends). */
function postgresCpu(): Map<number, number> {
  const used = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') used.set(Number(entry), processCpuSeconds(Number(entry)));
    } catch {
      // The process ended meanwhile.
    }
  }
  return used;
}

// Worker processes die with the benchmark, whatever way it ends: an orphaned worker would take
// jobs from the next run's queue.
const liveChildren = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

/** Resolves when the child logs a line containing `text`; its output is drained from then on. */
function loggedLine(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.includes(text)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before logging "${text}"`)));
  });
}

/** Starts `workers` worker processes on the database, records a full re-score and times it to the last listing. */
async function timedRescore(url: string, handle: DatabaseHandle, workers: number, concurrency: string): Promise<{ seconds: number; peakRss: number; cpuBusy: number; workerCpuSeconds: number; postgresCpuSeconds: number }> {
  const queue = new Queue(SCORING_QUEUE, { connection: { url: REDIS_URL } });
  await queue.obliterate({ force: true });
  const children: ChildProcess[] = Array.from({ length: workers }, () =>
    spawn(process.execPath, [...WORKER_NODE_FLAGS, WORKER_ENTRY], {
      env: { ...process.env, DATABASE_URL: url, REDIS_URL, LOG_LEVEL: 'info', WORKER_CONCURRENCY: concurrency, WORKER_METRICS_PORT: '0' },
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  );
  for (const child of children) liveChildren.add(child);
  // Timed from when every worker has loaded its capability index and takes jobs, so process
  // start-up is not counted as scoring (a running service's workers are warm).
  await Promise.all(children.map((child) => loggedLine(child, 'capability index loaded')));
  await queue.close();
  // Every run starts without matches, so each writes every pair (the worst case of a re-score,
  // as after a change of the scoring rules) and runs with 1 and 2 workers do the same work.
  await sql`truncate matches, notifications cascade`.execute(handle.db);
  // Vacuumed as autovacuum would have done since the seeding or the previous run (a deployment
  // keeps it on; this machine's PostgreSQL runs without it): otherwise each run walks the dead
  // outbox entries of the runs before it, and the first reads of freshly seeded rows set their
  // hint bits, writing pages back, inside the timed run. Probed at 50k listings, 2 workers:
  // 885 and 834 listings/s on a second and third run without vacuum, 918–961 vacuumed.
  await sql`vacuum analyze`.execute(handle.db);
  // What POST /v1/matching/rescore records.
  await handle.db.transaction().execute((trx) => recordRescoreOfAll(trx, null));
  const start = performance.now();
  const cpuAtStart = machineCpu();
  const workerCpuAtStart = children.reduce((sum, child) => sum + processCpuSeconds(child.pid!), 0);
  const postgresAtStart = postgresCpu();
  let peakRss = 0;
  for (;;) {
    // Whether any work is left, not how much: counting a 50k backlog five times a second took
    // PostgreSQL CPU from the run being measured.
    const { rows } = await sql<{ pending: boolean }>`select exists (select 1 from scoring_outbox where processed_at is null) as pending`.execute(handle.db);
    for (const child of children) peakRss = Math.max(peakRss, vmHwmMb(child.pid!) ?? 0);
    if (!rows[0]!.pending) break;
    if (children.some((child) => child.exitCode !== null)) throw new Error('a worker exited during the re-score');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const seconds = (performance.now() - start) / 1000;
  const cpuAtEnd = machineCpu();
  // How much of the machine (all cores: workers, PostgreSQL, Redis) the run kept busy.
  const cpuBusy = (cpuAtEnd.busy - cpuAtStart.busy) / (cpuAtEnd.total - cpuAtStart.total);
  // Where that time went: the workers, and the PostgreSQL processes that lived through the run
  // (the workers' backends stay connected until the workers stop).
  const workerCpuSeconds = children.reduce((sum, child) => sum + processCpuSeconds(child.pid!), 0) - workerCpuAtStart;
  let postgresCpuSeconds = 0;
  for (const [pid, used] of postgresCpu()) postgresCpuSeconds += used - (postgresAtStart.get(pid) ?? 0);
  for (const child of children) peakRss = Math.max(peakRss, vmHwmMb(child.pid!) ?? 0);
  await Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve).kill('SIGTERM'))));
  for (const child of children) liveChildren.delete(child);
  return { seconds, peakRss, cpuBusy, workerCpuSeconds, postgresCpuSeconds };
}

console.log(`Koblingsboks benchmark (${quick ? 'quick' : 'full'}) on ${process.version}`);
console.log('\n1. Scoring one new need against N capabilities (real processor and PostgreSQL)');
// The largest corpus stays for the worker-memory and HTTP sections.
let largestDb: { size: number; url: string; handle: DatabaseHandle; needId: string; needIds: string[]; companyId: string } | null = null;
const curve: Record<string, unknown>[] = [];
// Quick mode leaves section 3 out to stay under two minutes: section 2 already runs the same worker
// re-score (and reports its RSS), and the memory target is about 100k listings, which only the full
// run seeds.
const measuresWorkerMemory = runs('worker') && !quick;
const keepLargest = measuresWorkerMemory || runs('http');
for (const size of runs('curve') || keepLargest ? SIZES : []) {
  const { url, handle } = await freshDatabase(`kb_bench_${size}`);
  const seedStart = performance.now();
  await seed(handle.db, [{ listings: syntheticListings(size, 1), side: 'capability' }], resources);
  const seedMs = performance.now() - seedStart;
  const { timings, needIds, loadMs } = await scoreNewNeeds(handle, size);
  const brute = size > (quick ? 10_000 : 50_000) ? null : (await computeOnly<{ queryP50: number }>('need', size)).queryP50;
  const recall = await candidateRecall(handle.db, needIds);
  const row = { capabilities: size, seedMs: Math.round(seedMs), indexLoadMs: Math.round(loadMs), p50: pct(timings, 50), p95: pct(timings, 95), recallAt10: recall, bruteForceP50: brute, ratio: brute ? brute / pct(timings, 50) : null };
  curve.push(row);
  report(
    `${size} capabilities`,
    `p50 ${ms(row.p50)}, p95 ${ms(row.p95)}; top-10 recall vs exact cosine ${recall.inMemory.toFixed(3)} (worker's index), ${recall.sql.toFixed(3)} (SQL index); index load ${ms(loadMs)}${brute ? `; natural TfIdf brute force p50 ${ms(brute)} (×${row.ratio!.toFixed(1)} ours)` : ''}`,
  );
  if (size === SIZES.at(-1) && keepLargest) {
    const owner = await handle.db.selectFrom('listings').select('company_id').where('id', '=', needIds[0]!).executeTakeFirstOrThrow();
    largestDb = { size, url, handle, needId: needIds[0]!, needIds, companyId: owner.company_id };
  } else await handle.close();
}
results.costCurve = curve;

console.log('\n2. Full re-score throughput with 1 and 2 worker processes');
const rescore: Record<string, unknown>[] = [];
for (const size of runs('rescore') ? RESCORE_SIZES : []) {
  const { url, handle } = await freshDatabase(`kb_bench_rescore`);
  const half = Math.floor(size / 2);
  await seed(handle.db, [{ listings: syntheticListings(half, 11), side: 'capability' }, { listings: syntheticListings(size - half, 12), side: 'need' }], resources);
  for (const workers of [1, 2]) {
    const { seconds, peakRss, cpuBusy, workerCpuSeconds, postgresCpuSeconds } = await timedRescore(url, handle, workers, jobsPerWorker(workers));
    const row = { listings: size, workers, seconds, perSecond: size / seconds, workerPeakRssMb: peakRss, machineCpuBusy: cpuBusy, workerCpuSeconds, postgresCpuSeconds };
    rescore.push(row);
    report(
      `re-score ${size} listings, ${workers} worker${workers > 1 ? 's' : ''}`,
      `${row.perSecond.toFixed(0)} listings/s (${seconds.toFixed(1)} s), worker peak RSS ${peakRss.toFixed(0)} MB, machine CPU ${(100 * cpuBusy).toFixed(0)} % busy (${os.cpus().length} cores; CPU time: workers ${workerCpuSeconds.toFixed(1)} s, PostgreSQL ${postgresCpuSeconds.toFixed(1)} s)`,
    );
  }
  await handle.close();
  const brute = await computeOnly<BruteForceRescore>('brute', size);
  const ours = (rescore.at(-2) as { perSecond: number }).perSecond;
  const oursTwoWorkers = (rescore.at(-1) as { perSecond: number }).perSecond;
  // Like for like: natural only computes scores, so our scoring is also timed without the database.
  const scoringOnly = await computeOnly<InMemoryRescore>('ours', size);
  rescore.push({ listings: size, bruteForce: brute, speedup: ours / brute.perSecond, speedupTwoWorkers: oursTwoWorkers / brute.perSecond, scoringOnly, scoringOnlySpeedup: scoringOnly.perSecond / brute.perSecond });
  report(
    `re-score ${size} listings, natural TfIdf brute force`,
    `${brute.perSecond.toFixed(1)} listings/s (query p50 ${ms(brute.queryP50)} over ${Math.floor(size / 2)} capabilities, estimated from ${brute.sampled} timed queries); ours with pairs written ×${(ours / brute.perSecond).toFixed(0)} (1 worker), ×${(oursTwoWorkers / brute.perSecond).toFixed(0)} (2 workers)`,
  );
  report(
    `re-score ${size} listings, our scoring without the database`,
    `${scoringOnly.perSecond.toFixed(0)} listings/s (${scoringOnly.seconds.toFixed(1)} s: features, index, ranking and explanations of ${scoringOnly.pairsKept} kept pairs) → ×${(scoringOnly.perSecond / brute.perSecond).toFixed(0)} natural's brute force`,
  );
}
results.rescore = rescore;
const timedRuns = rescore.filter((r) => 'workers' in r) as { listings: number; workers: number; perSecond: number }[];
const largest = Math.max(...timedRuns.map((r) => r.listings));
const [one, two] = [1, 2].map((w) => timedRuns.find((r) => r.listings === largest && r.workers === w));
if (one && two) report(`1 → 2 workers throughput ratio (${largest} listings)`, `×${(two.perSecond / one.perSecond).toFixed(2)}`);

if (quick && runs('worker')) console.log('\n3. Worker memory at the largest corpus: full run only');
if (largestDb && measuresWorkerMemory) {
  const listings = Number((await sql<{ n: string }>`select count(*) as n from listings`.execute(largestDb.handle.db)).rows[0]!.n);
  console.log(`\n3. One worker re-scoring all ${listings} listings of the largest corpus (memory)`);
  const { seconds, peakRss } = await timedRescore(largestDb.url, largestDb.handle, 1, jobsPerWorker(1));
  report(`worker peak RSS, re-score of ${listings} listings`, `${peakRss.toFixed(0)} MB (${(listings / seconds).toFixed(0)} listings/s, ${seconds.toFixed(1)} s)`);
  results.workerAtLargest = { listings, seconds, workerPeakRssMb: peakRss };
}

/** Starts bench/serve.ts (the API as `npm start` runs it, plus baselines) on a database; resolves once it listens. */
async function startApi(url: string, env: Record<string, string>): Promise<{ port: number; plainPort: number; child: ChildProcess }> {
  const child = fork(compiled('bench/serve.ts'), [], {
    execArgv: [],
    // The load generator is one token; its limit is set so the ~1M requests a minute it sends stay
    // below half of it, where the rate limit counts locally, as it does for a client far from its limit.
    env: { ...process.env, DATABASE_URL: url, REDIS_URL: '', ADMIN_TOKEN: API_TOKEN, RATE_LIMIT_PER_MINUTE: '10000000', LOG_LEVEL: 'silent', ...env },
  });
  liveChildren.add(child);
  const ready = await new Promise<{ apiPort: number; plainPort: number }>((resolve, reject) => {
    child.once('message', resolve as (message: unknown) => void);
    child.once('exit', (code) => reject(new Error(`bench/serve.ts exited with code ${code} before it listened`)));
  });
  return { port: ready.apiPort, plainPort: ready.plainPort, child };
}

async function stopChild(child: ChildProcess): Promise<void> {
  await new Promise((resolve) => child.once('exit', resolve).kill('SIGTERM'));
  liveChildren.delete(child);
}

const API_TOKEN = 'bench-admin-token-0123456789';

// autocannon appends every response body to a string, decoding it as UTF-8, for callbacks
// (onResponse, verifyBody) this benchmark does not use. Compressed answers are binary, and that
// decoding made the load generator, not the server, the limit: 50 match lists in turn gave 19k
// req/s with autocannon at 93 % CPU and the API 31 % idle; without it 31–33k, as one list (whose
// identical bytes decode faster). Response bytes are still counted. The queue is autocannon's own
// module (9.x); if it moves, this fails loudly rather than measuring the client again.
const pipelinedRequests = createRequire(import.meta.url)('autocannon/lib/pipelinedRequestsQueue.js') as { prototype: { addBody?: unknown } };
if (typeof pipelinedRequests.prototype.addBody !== 'function') throw new Error('autocannon internals changed: PipelinedRequestsQueue.addBody is gone');
pipelinedRequests.prototype.addBody = () => {};

interface LoadTarget {
  name: string;
  port: number;
  /** Taken in turn by each connection. */
  paths: string[];
  headers?: Record<string, string>;
}

/** What fetch (undici), browsers and curl --compressed send; autocannon sends no Accept-Encoding of its own. */
const CLIENT_ENCODINGS = { 'accept-encoding': 'gzip, deflate, br' };

/**
 * req/s and p99 at 50 connections for each target. The targets are measured in turns (three
 * rounds, two in quick mode, each target once per round, after one warm-up each), so a slow spell of this shared
 * machine weighs on all of them alike instead of on whichever ran then.
 */
async function loadInTurns(targets: LoadTarget[]): Promise<Map<string, { requestsPerSecond: number; p99: number; bytesPerResponse: number; non2xx: number }>> {
  const run = (target: LoadTarget, duration: number) =>
    autocannon({
      url: `http://127.0.0.1:${target.port}`,
      connections: 50,
      duration,
      headers: { authorization: `Bearer ${API_TOKEN}`, ...target.headers },
      requests: target.paths.map((path) => ({ method: 'GET' as const, path })),
    });
  for (const target of targets) await run(target, quick ? 1 : 2);
  const rounds = new Map(targets.map((t) => [t.name, [] as autocannon.Result[]]));
  for (let round = 0; round < (quick ? 2 : 3); round += 1) for (const target of targets) rounds.get(target.name)!.push(await run(target, quick ? 1 : 4));
  return new Map(
    [...rounds].map(([name, results]) => [
      name,
      {
        requestsPerSecond: results.reduce((sum, r) => sum + r.requests.total, 0) / results.reduce((sum, r) => sum + r.duration, 0),
        p99: Math.max(...results.map((r) => r.latency.p99)),
        bytesPerResponse: results.reduce((sum, r) => sum + r.throughput.total, 0) / results.reduce((sum, r) => sum + r.requests.total, 0),
        non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
      },
    ]),
  );
}

/** POST a need, then poll its matches until the first one is served; ms per need. */
async function endToEnd(port: number, companyId: string, count: number): Promise<number[]> {
  const headers = { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' };
  const latencies: number[] = [];
  for (const need of syntheticListings(count, 5_000 + latencies.length)) {
    const start = performance.now();
    const response = await fetch(`http://127.0.0.1:${port}/v1/companies/${companyId}/needs`, { method: 'POST', headers, body: JSON.stringify({ kind: need.kind, title: need.title, description: need.description }) });
    const created = (await response.json()) as { id: string };
    const deadline = Date.now() + 60_000;
    for (;;) {
      const page = (await (await fetch(`http://127.0.0.1:${port}/v1/needs/${created.id}/matches?limit=1`, { headers })).json()) as { items: unknown[] };
      if (page.items.length > 0) break;
      if (Date.now() > deadline) throw new Error(`need ${created.id} has no match a minute after it was posted`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    latencies.push(performance.now() - start);
  }
  return latencies;
}

const httpDb = largestDb;
if (httpDb && runs('http')) {
  // The sections before rewrote every match and posting of this corpus: vacuum and fresh planner
  // statistics first, as autovacuum would give them in time, so reads are not timed against the
  // dead rows of a bulk rewrite (or against autovacuum running meanwhile).
  await sql`vacuum analyze`.execute(httpDb.handle.db);
  console.log(`\n4. HTTP at 50 connections (${httpDb.size} capabilities), next to bare Fastify routes`);
  const http: Record<string, unknown> = {};
  const measure = async (targets: LoadTarget[]) => {
    const measured = await loadInTurns(targets);
    for (const [name, result] of measured) {
      http[name] = result;
      report(name, `${result.requestsPerSecond.toFixed(0)} req/s, p99 ${result.p99} ms (worst round), ${result.bytesPerResponse.toFixed(0)} B/response, non-2xx ${result.non2xx}`);
    }
    return measured;
  };
  const needPath = (id: string) => `/v1/needs/${id}/matches`;
  const companyPath = `/v1/companies/${httpDb.companyId}/matches`;
  // As deployed at this size: the API relays to Redis and workers score, so it holds no
  // capability index of its own (in-process scoring is measured below, end to end).
  const api = await startApi(httpDb.url, { REDIS_URL });
  // Asked as HTTP clients ask (accepting br/gzip), and once without compression, byte for byte
  // the JSON: at ~28 KB per page the uncompressed answer is bounded by writing and reading bytes.
  // The quick mode (a smoke test, under two minutes) measures the two match routes as clients ask.
  const routes = [
    { name: 'GET /v1/needs/{id}/matches (one list)', port: api.port, paths: [needPath(httpDb.needId)], headers: CLIENT_ENCODINGS },
    ...(quick ? [] : [{ name: `GET /v1/needs/{id}/matches (${httpDb.needIds.length} lists in turn)`, port: api.port, paths: httpDb.needIds.map(needPath), headers: CLIENT_ENCODINGS }]),
    { name: 'GET /v1/companies/{id}/matches', port: api.port, paths: [companyPath], headers: CLIENT_ENCODINGS },
    ...(quick
      ? []
      : [
          { name: 'GET /v1/needs/{id}/matches (one list), uncompressed', port: api.port, paths: [needPath(httpDb.needId)] },
          { name: 'GET /v1/companies/{id}/matches, uncompressed', port: api.port, paths: [companyPath] },
        ]),
  ];
  const measured = await measure([
    { name: 'plain Fastify route (no plugins)', port: api.plainPort, paths: ['/bench/bare'] },
    { name: 'bare route inside the app (its global hooks)', port: api.port, paths: ['/bench/bare'] },
    ...routes,
  ]);
  const plain = measured.get('plain Fastify route (no plugins)')!.requestsPerSecond;
  const bare = measured.get('bare route inside the app (its global hooks)')!.requestsPerSecond;
  for (const { name } of routes) {
    const rps = measured.get(name)!.requestsPerSecond;
    report(`${name} vs bare`, `${((100 * rps) / plain).toFixed(0)} % of the plain Fastify route, ${((100 * rps) / bare).toFixed(0)} % of the app's bare route`);
  }

  console.log('\n5. End to end: POST a need → its first match served');
  const queue = new Queue(SCORING_QUEUE, { connection: { url: REDIS_URL } });
  await queue.obliterate({ force: true });
  const worker = spawn(process.execPath, [...WORKER_NODE_FLAGS, WORKER_ENTRY], {
    env: { ...process.env, DATABASE_URL: httpDb.url, REDIS_URL, LOG_LEVEL: 'error', WORKER_METRICS_PORT: '0' },
    stdio: 'ignore',
  });
  liveChildren.add(worker);
  while ((await queue.getWorkers()).length < 1) await new Promise((resolve) => setTimeout(resolve, 100));
  await queue.close();
  await endToEnd(api.port, httpDb.companyId, 3); // the worker loads its capability index on start
  const viaWorker = await endToEnd(api.port, httpDb.companyId, quick ? 10 : 30);
  report(`POST need → matches served, via Redis and a worker (${httpDb.size} capabilities)`, `p50 ${ms(pct(viaWorker, 50))}, p95 ${ms(pct(viaWorker, 95))}`);
  report('API peak RSS, scoring in workers (read cache on)', `${vmHwmMb(api.child.pid!)?.toFixed(0)} MB`);
  await stopChild(api.child);
  await stopChild(worker);

  // Without Redis the API scores in-process, holding the capability index itself.
  const inProcessApi = await startApi(httpDb.url, {});
  const inProcess = await endToEnd(inProcessApi.port, httpDb.companyId, quick ? 10 : 30);
  report(`POST need → matches served, in-process scoring (${httpDb.size} capabilities)`, `p50 ${ms(pct(inProcess, 50))}, p95 ${ms(pct(inProcess, 95))}`);
  report('API peak RSS, scoring in-process (capability index and read cache)', `${vmHwmMb(inProcessApi.child.pid!)?.toFixed(0)} MB`);
  results.endToEnd = { inProcess: { p50: pct(inProcess, 50), p95: pct(inProcess, 95) }, viaWorker: { p50: pct(viaWorker, 50), p95: pct(viaWorker, 95) } };
  await stopChild(inProcessApi.child);

  // The same reads with the read cache off: what each request costs the database (full run only).
  if (!quick) {
    const uncached = await startApi(httpDb.url, { REDIS_URL, READ_CACHE_MB: '0' });
    await measure([
      { name: 'GET /v1/needs/{id}/matches, read cache off', port: uncached.port, paths: [needPath(httpDb.needId)] },
      { name: 'GET /v1/companies/{id}/matches, read cache off', port: uncached.port, paths: [companyPath] },
    ]);
    await stopChild(uncached.child);
  }
  results.http = http;
}
await largestDb?.handle.close();
report('bench process peak RSS', `${(vmHwmMb(process.pid) ?? 0).toFixed(0)} MB`);

const file = new URL(`./results/${new Date().toISOString().replace(/[:.]/g, '-')}.json`, import.meta.url);
writeFileSync(file, `${JSON.stringify({ ...results, table }, null, 2)}\n`);
console.log(`\n| measure | result |\n|---|---|\n${table.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}`);
console.log(`\nwrote ${file.pathname}`);
process.exit(0);
