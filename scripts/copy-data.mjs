// Copies the matching data files (glossary, lexicon) next to the compiled code; tsc copies only code.
import { cpSync } from 'node:fs';

cpSync(new URL('../src/matching/data', import.meta.url), new URL('../dist/src/matching/data', import.meta.url), { recursive: true });
