import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ConfigError, ConfigSchema, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('applies defaults for an empty environment', () => {
    expect(loadConfig({})).toMatchObject({ HOST: '127.0.0.1', PORT: 3000, LOG_LEVEL: 'info', DATA_DIR: './data' });
  });

  it('converts PORT to a number', () => {
    expect(loadConfig({ PORT: '8080' }).PORT).toBe(8080);
  });

  it('migrates on start unless told otherwise (compose runs a one-shot migrate service instead)', () => {
    expect(loadConfig({}).MIGRATE_ON_START).toBe(true);
    expect(loadConfig({ MIGRATE_ON_START: 'false' }).MIGRATE_ON_START).toBe(false);
  });

  it.each([
    ['MIGRATE_ON_START', 'sometimes'],
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['REDIS_URL', 'localhost:6379'],
    ['LOG_LEVEL', 'loud'],
    ['ADMIN_TOKEN', 'short'],
    ['WORKER_CONCURRENCY', '0'],
    ['WORKER_METRICS_PORT', '-1'],
  ])('names the bad variable %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}`));
  });
});

describe('README configuration table', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
  const documented = new Map([...section.matchAll(/^\| `([A-Z_]+)` \| ([^|]+) \|/gm)].map((m) => [m[1]!, m[2]!.trim()]));

  it('documents every variable the service reads, with its real default', () => {
    for (const [name, schema] of Object.entries(ConfigSchema.properties)) {
      expect(documented.has(name), `${name} missing from the README table`).toBe(true);
      const fallback = (schema as { default?: unknown }).default;
      if (fallback !== undefined) expect(documented.get(name), name).toBe(`\`${String(fallback)}\``);
    }
    expect([...documented.keys()].filter((name) => !(name in ConfigSchema.properties))).toEqual([]);
  });
});
