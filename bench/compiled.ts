// The JavaScript the benchmark's servers and workers run: src, workers, db and bench compiled
// file by file (types stripped, no bundling), as `npm run build` compiles them for `npm start`
// and `npm run worker`. Run through tsx instead, the API served ~14 % fewer requests per second
// (15.8k vs 18.0k req/s on a cached match list, same machine, alternating runs): tsx keeps
// function names by wrapping every function it creates in a `__name` call, a cost production
// code does not pay. esbuild compiles in under a second where tsc takes several, so the quick
// run stays quick; the output goes to bench/.build, inside the project, so that the compiled
// files find node_modules as the sources do.
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const COMPILED_DIR = join(root, 'bench', '.build');

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Compiles the project into COMPILED_DIR; returns the path of a compiled entry point given by its source path. */
export async function compileForBench(): Promise<(source: string) => string> {
  rmSync(COMPILED_DIR, { recursive: true, force: true });
  const sources = ['src', 'workers', 'db', 'bench'].flatMap((dir) => typeScriptFiles(join(root, dir)));
  await build({ entryPoints: sources, outdir: COMPILED_DIR, outbase: root, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' });
  // The matching pipeline's word lists, read at run time next to the code (as scripts/copy-data.mjs does for dist).
  cpSync(join(root, 'src', 'matching', 'data'), join(COMPILED_DIR, 'src', 'matching', 'data'), { recursive: true });
  return (source) => join(COMPILED_DIR, source.replace(/\.ts$/, '.js'));
}
