// Integrity of the shipped matching data: the bilingual glossary (concepts, terms, is-a links and
// circular-economy flows) and the Norwegian compound-splitting lexicon.
import fs from 'node:fs';
import { describe, it, expect } from 'vitest';

type Lang = 'nb' | 'nn' | 'en';

interface Concept {
  id: string;
  label: { nb: string; en: string; nn?: string };
  terms: Partial<Record<Lang, string[]>>;
  broader?: string[];
  usedAs?: string[];
  category: string;
}

const CATEGORIES = new Set([
  'process',
  'material',
  'byproduct',
  'energy',
  'equipment',
  'service',
  'competence',
  'education',
  'logistics',
  'product',
  'business',
]);
const LANGS: Lang[] = ['nb', 'nn', 'en'];

const glossary = JSON.parse(
  fs.readFileSync(new URL('../../src/matching/data/glossary.json', import.meta.url), 'utf8'),
) as { version: number; concepts: Concept[] };
const concepts = glossary.concepts;
const ids = new Set(concepts.map((c) => c.id));

const lexicon = fs
  .readFileSync(new URL('../../src/matching/data/lexicon-no.txt', import.meta.url), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line.length > 0 && !line.startsWith('#'));

describe('glossary.json', () => {
  it('has version 1 and at least 300 concepts', () => {
    expect(glossary.version).toBe(1);
    expect(Array.isArray(concepts)).toBe(true);
    expect(concepts.length).toBeGreaterThanOrEqual(300);
  });

  it('has unique kebab-case ascii ids', () => {
    expect(ids.size).toBe(concepts.length);
    const bad = concepts.map((c) => c.id).filter((id) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id));
    expect(bad).toEqual([]);
  });

  it('gives every concept nb and en labels and at least one nb and one en term', () => {
    const bad = concepts.filter(
      (c) =>
        typeof c.label?.nb !== 'string' ||
        c.label.nb.trim() === '' ||
        typeof c.label?.en !== 'string' ||
        c.label.en.trim() === '' ||
        (c.terms.nb ?? []).length === 0 ||
        (c.terms.en ?? []).length === 0,
    );
    expect(bad.map((c) => c.id)).toEqual([]);
  });

  it('has only non-empty, trimmed, lower-case terms in known languages', () => {
    const bad: string[] = [];
    for (const c of concepts) {
      for (const [lang, terms] of Object.entries(c.terms)) {
        if (!LANGS.includes(lang as Lang)) bad.push(`${c.id}: unknown language ${lang}`);
        if (!Array.isArray(terms)) {
          bad.push(`${c.id}: ${lang} terms not a list`);
          continue;
        }
        for (const term of terms) {
          if (typeof term !== 'string' || term.length === 0 || term !== term.trim() || term !== term.toLowerCase()) {
            bad.push(`${c.id}: ${lang} ${JSON.stringify(term)}`);
          }
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('gives no term to two concepts within one language', () => {
    const clashes: string[] = [];
    for (const lang of LANGS) {
      const owner = new Map<string, string>();
      for (const c of concepts) {
        for (const term of new Set(c.terms[lang] ?? [])) {
          const other = owner.get(term);
          if (other !== undefined && other !== c.id) clashes.push(`${lang}:${term} in ${other} and ${c.id}`);
          else owner.set(term, c.id);
        }
      }
    }
    expect(clashes).toEqual([]);
  });

  it('refers only to existing ids in broader and usedAs', () => {
    const missing: string[] = [];
    for (const c of concepts) {
      for (const ref of [...(c.broader ?? []), ...(c.usedAs ?? [])]) {
        if (!ids.has(ref)) missing.push(`${c.id} -> ${ref}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('has no cycles in broader', () => {
    const broader = new Map(concepts.map((c) => [c.id, c.broader ?? []]));
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (id: string, path: string[]): void => {
      const s = state.get(id);
      if (s === 'done') return;
      if (s === 'visiting') {
        cycles.push([...path, id].join(' > '));
        return;
      }
      state.set(id, 'visiting');
      for (const parent of broader.get(id) ?? []) visit(parent, [...path, id]);
      state.set(id, 'done');
    };
    for (const id of broader.keys()) visit(id, []);
    expect(cycles).toEqual([]);
  });

  it('uses only allowed categories', () => {
    const bad = concepts.filter((c) => !CATEGORIES.has(c.category)).map((c) => `${c.id}: ${c.category}`);
    expect(bad).toEqual([]);
  });

  it('encodes at least 40 circular-economy flows (concepts with usedAs)', () => {
    expect(concepts.filter((c) => (c.usedAs ?? []).length > 0).length).toBeGreaterThanOrEqual(40);
  });
});

describe('lexicon-no.txt', () => {
  it('has at least 2000 entries', () => {
    expect(lexicon.length).toBeGreaterThanOrEqual(2000);
  });

  it('has lower-case words of at least 3 letters a-z, æ, ø, å (no hyphens)', () => {
    const bad = lexicon.filter((w) => w !== w.toLowerCase() || w.length < 3 || !/^[a-zæøå]+$/.test(w));
    expect(bad).toEqual([]);
  });

  it('is unique and sorted', () => {
    expect(new Set(lexicon).size).toBe(lexicon.length);
    const unsorted: string[] = [];
    for (let i = 1; i < lexicon.length; i += 1) {
      if (lexicon[i - 1]!.localeCompare(lexicon[i]!, 'nb') >= 0) unsorted.push(`${lexicon[i - 1]} >= ${lexicon[i]}`);
    }
    expect(unsorted).toEqual([]);
  });
});
