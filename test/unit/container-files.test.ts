// The container files as operators rely on them: a pinned, non-root, health-checked image whose
// migrations run once before the API and the workers start.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
const dockerfile = read('Dockerfile');
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .filter((line) => line.trim() && !line.trim().startsWith('#'));
const stages = instructions.join('\n').split(/^FROM /m).slice(1);
const finalStage = stages.at(-1)!;

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test?: unknown; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  restart?: string;
}
const compose = parse(read('compose.yaml'), { merge: true }) as { services: Record<string, Service> };
const { services } = compose;

describe('Dockerfile', () => {
  it('builds every stage on the same fully pinned Node version, the one package.json allows', () => {
    const bases = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]!);
    expect(bases.length).toBeGreaterThanOrEqual(2);
    expect(new Set(bases).size).toBe(1);
    const version = /^node:(\d+)\.(\d+)\.(\d+)-/.exec(bases[0]!);
    expect(version, 'node:<major>.<minor>.<patch>-<variant>').not.toBeNull();
    const engines = JSON.parse(read('package.json')).engines.node as string;
    const [, major, minor] = /(\d+)\.(\d+)/.exec(engines)!;
    expect(Number(version![1])).toBe(Number(major));
    expect(Number(version![2])).toBeGreaterThanOrEqual(Number(minor));
  });

  it('installs only production dependencies, runs as a non-root user and checks its health', () => {
    expect(finalStage).toMatch(/RUN npm ci --omit=dev/);
    const users = [...finalStage.matchAll(/^USER (\S+)/gm)].map((m) => m[1]);
    expect(users.at(-1)).toBeDefined();
    expect(['root', '0']).not.toContain(users.at(-1));
    expect(finalStage).toMatch(/^HEALTHCHECK .*CMD \[/m);
    expect(finalStage).toMatch(/^CMD \["node", "dist\/src\/server\.js"\]/m);
    expect(finalStage).toMatch(/org\.opencontainers\.image\.source=/);
  });

  it('is built from a context without dependencies, builds, secrets or history', () => {
    const ignored = read('.dockerignore').split('\n').map((line) => line.trim());
    for (const entry of ['node_modules', 'dist', '.git', 'data', '.env']) expect(ignored, entry).toContain(entry);
  });
});

describe('compose.yaml', () => {
  it('runs migrations once, in a one-shot service the API and the workers wait for', () => {
    expect(services.migrate?.command).toEqual(['node', 'dist/src/db/migrate-cli.js']);
    expect(services.migrate?.restart).toBe('no');
    for (const name of ['api', 'worker']) {
      expect(services[name]?.depends_on?.migrate?.condition, name).toBe('service_completed_successfully');
      expect(services[name]?.depends_on?.postgres?.condition, name).toBe('service_healthy');
      expect(services[name]?.depends_on?.redis?.condition, name).toBe('service_healthy');
      expect(String(services[name]?.environment?.MIGRATE_ON_START), name).toBe('false');
    }
  });

  it('health-checks the API and its backing services, and restarts long-running services', () => {
    for (const name of ['postgres', 'redis', 'api', 'worker']) expect(services[name]?.healthcheck?.test, name).toBeDefined();
    for (const name of ['postgres', 'redis', 'api', 'worker']) expect(services[name]?.restart, name).toBe('unless-stopped');
    // The worker's healthcheck asks the worker's own metrics endpoint, on the port it is told to use.
    const workerPort = String(services.worker?.environment?.WORKER_METRICS_PORT);
    expect(JSON.stringify(services.worker?.healthcheck?.test)).toContain(`127.0.0.1:${workerPort}/healthz`);
  });

  it('pins every third-party image to a version and starts workers with the benchmarked heap cap', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.image && !service.image.startsWith('koblingsboks')) expect(service.image, name).toMatch(/:\d+\.\d+(\.\d+)?-/);
    }
    const workerScript = JSON.parse(read('package.json')).scripts.worker as string;
    const nodeFlags = /\bnode ((?:--\S+ )+)dist\/workers\//.exec(workerScript)![1]!.trim().split(' ');
    expect(nodeFlags).toContain('--max-old-space-size=288');
    expect(services.worker?.command).toEqual(['node', ...nodeFlags, 'dist/workers/scoring-worker.js']);
  });
});
