// Builds the matching resources (glossary, compound lexicon) once per process. They are static
// data shipped with the code, so every worker holds the same and no result depends on which
// process scored it.
import type { Lexicon } from './compounds.js';
import { DEFAULT_OPTIONS, type MatchingOptions, type MatchingResources } from './features.js';
import { loadGlossary, loadLexiconWords, type Glossary } from './glossary.js';
import { stem } from './text.js';

export function buildLexicon(words: Iterable<string>): Lexicon {
  const known = new Set<string>();
  for (const word of words) {
    known.add(word);
    known.add(stem(word, 'nb'));
  }
  // An inflected part ("deler", "platene") counts when its stem is a known word's stem.
  return { has: (word) => known.has(word) || known.has(stem(word, 'nb')) };
}

let shared: { glossary: Glossary; lexicon: Lexicon } | undefined;

export function matchingResources(options: Partial<MatchingOptions> = {}): MatchingResources {
  if (!shared) {
    const glossary = loadGlossary();
    shared = { glossary, lexicon: buildLexicon([...loadLexiconWords(), ...glossary.words]) };
  }
  return { ...shared, options: { ...DEFAULT_OPTIONS, ...options } };
}
