// The bilingual industrial glossary (src/matching/data/glossary.json): terms in bokmål, nynorsk
// and English mapped to shared concept ids, with is-a links ("broader") and circular-economy
// flows ("usedAs": what a by-product or surplus can serve as). Compiled once into lookup tables.
import { readFileSync } from 'node:fs';
import { stem, tokenize } from './text.js';
import type { Lang } from './types.js';

export interface ConceptEntry {
  id: string;
  label: { nb: string; en: string; nn?: string };
  terms: Partial<Record<Lang, string[]>>;
  broader?: string[];
  usedAs?: string[];
  category: string;
}

export interface GlossaryData {
  version: number;
  concepts: ConceptEntry[];
}

export interface Glossary {
  concepts: Map<string, ConceptEntry>;
  /** Token sequence (surface or stemmed, space-joined) → concept id. */
  phrases: Map<string, string>;
  /** Longest phrase length in tokens. */
  maxPhraseLength: number;
  /** First token (surface or stem) of a phrase → the longest phrase starting with it, so most tokens cost one lookup. */
  phraseStarts: Map<string, number>;
  /** Every single-word glossary term: known words for compound splitting. */
  words: Set<string>;
}

export function compileGlossary(data: GlossaryData): Glossary {
  const concepts = new Map(data.concepts.map((c) => [c.id, c]));
  const phrases = new Map<string, string>();
  const phraseStarts = new Map<string, number>();
  const words = new Set<string>();
  const addStart = (tokens: string[]) => {
    const first = tokens[0]!;
    phraseStarts.set(first, Math.max(phraseStarts.get(first) ?? 0, tokens.length));
  };
  let maxPhraseLength = 1;
  for (const concept of data.concepts) {
    for (const lang of ['nb', 'nn', 'en'] as const) {
      for (const term of concept.terms[lang] ?? []) {
        const tokens = tokenize(term);
        if (tokens.length === 0) continue;
        maxPhraseLength = Math.max(maxPhraseLength, tokens.length);
        if (tokens.length === 1 && lang !== 'en') words.add(tokens[0]!);
        // The first concept to claim a key keeps it: surface forms before stems, so an exact word
        // is never shadowed by another term's stem.
        const surface = tokens.join(' ');
        if (!phrases.has(surface)) phrases.set(surface, concept.id);
        addStart(tokens);
      }
    }
  }
  for (const concept of data.concepts) {
    for (const lang of ['nb', 'nn', 'en'] as const) {
      for (const term of concept.terms[lang] ?? []) {
        const stems = tokenize(term).map((t) => stem(t, lang));
        if (stems.length === 0) continue;
        const stemmed = stems.join(' ');
        if (!phrases.has(stemmed)) phrases.set(stemmed, concept.id);
        addStart(stems);
      }
    }
  }
  return { concepts, phrases, maxPhraseLength, phraseStarts, words };
}

export function loadGlossary(url: URL = new URL('./data/glossary.json', import.meta.url)): Glossary {
  return compileGlossary(JSON.parse(readFileSync(url, 'utf8')) as GlossaryData);
}

/** Words of the shipped Norwegian lexicon (one per line, `#` comments). */
export function loadLexiconWords(url: URL = new URL('./data/lexicon-no.txt', import.meta.url)): string[] {
  return readFileSync(url, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
}

export function conceptLabel(glossary: Glossary, id: string, lang: Lang): string {
  const concept = glossary.concepts.get(id);
  if (!concept) return id;
  return lang === 'en' ? concept.label.en : (concept.label[lang] ?? concept.label.nb);
}
