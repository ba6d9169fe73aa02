// Adds lockfile entries for other platforms' optional packages (darwin, win32, …) that npm left
// out because this machine's registry mirror has no manifest for those versions. Without them
// `npm ci` refuses the lockfile ("Missing: … from lock file"), here and on a full registry alike.
// Run after `npm install` whenever dependencies change: `node scripts/complete-lockfile.mjs`.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;
let added = 0;

for (const [path, entry] of Object.entries(packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (packages[key] || packages[`${path}/node_modules/${name}`]) continue;
    const version = spec.replace(/^[\^~=]/, '');
    // os/cpu/libc do not change between a package's versions; take them from any version the registry has.
    let meta = {};
    try {
      meta = JSON.parse(execFileSync('npm', ['view', name, 'os', 'cpu', 'libc', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }) || '{}');
    } catch {
      meta = {};
    }
    packages[key] = {
      version,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      ...(meta.cpu ? { cpu: meta.cpu } : {}),
      ...(meta.libc ? { libc: meta.libc } : {}),
      ...(meta.os ? { os: meta.os } : {}),
    };
    added += 1;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} optional platform entries`);
