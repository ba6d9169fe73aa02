// Feature extraction: a listing's text → weighted term frequencies over three families:
//   w:<stem>     word stems (with compound parts as extra, lighter stems),
//   c:<concept>  glossary concepts, language-independent, plus their broader concepts,
//   u:<concept>  circular uses: on a capability, what its by-product or surplus can serve as
//                (usedAs); on a need, the concepts it asks for. A shared u: feature is a
//                circular value-chain link, visible in the vectors alone.
// Pure: the glossary and lexicon are passed in.
import { splitCompound, type Lexicon } from './compounds.js';
import type { Glossary } from './glossary.js';
import { contentTokens, isStopword, stem, tokenize } from './text.js';
import type { Lang, ListingText, Side } from './types.js';

export interface MatchingOptions {
  compounds: boolean;
  glossary: boolean;
  broader: boolean;
  circular: boolean;
  kindFit: boolean;
}

export const DEFAULT_OPTIONS: MatchingOptions = { compounds: true, glossary: true, broader: true, circular: true, kindFit: true };

export interface MatchingResources {
  glossary: Glossary;
  lexicon: Lexicon;
  options: MatchingOptions;
}

export type ConceptVia = 'text' | 'broader' | 'usedAs';

export interface ConceptHit {
  id: string;
  via: ConceptVia;
  /** The words in the listing that evoked it (or the concept it was derived from). */
  evidence: string;
  from?: string;
}

/**
 * The maps beside `tf` are keyed by the same feature strings (`c:<concept>`, `w:<stem>`,
 * `u:<concept>`), so an explanation looks them up with the index's own strings, never slicing.
 */
export interface ListingFeatures {
  lang: Lang;
  tf: Map<string, number>;
  /** c:<concept> → how the listing reaches it. */
  concepts: Map<string, ConceptHit>;
  /** w:<stem> → the first surface word seen for it, for explanations. */
  surface: Map<string, string>;
  /** Capabilities: u:<concept> it can serve as → the concept and words that offer it. */
  uses: Map<string, ConceptHit>;
}

const FIELD_WEIGHT = { title: 2, description: 1, tags: 1.5 } as const;
const COMPOUND_PART_WEIGHT = 0.6;
const CONCEPT_WEIGHT = 1.5;
const BROADER_WEIGHT = 0.5;
const USED_AS_WEIGHT = 0.8;
const VIA_RANK: Record<ConceptVia, number> = { text: 3, broader: 2, usedAs: 1 };

export function extractFeatures(listing: ListingText, side: Side, resources: MatchingResources): ListingFeatures {
  const features: ListingFeatures = { lang: listing.lang, tf: new Map(), concepts: new Map(), surface: new Map(), uses: new Map() };
  const fields: [string, number][] = [
    [listing.title, FIELD_WEIGHT.title],
    [listing.description, FIELD_WEIGHT.description],
    [listing.tags.join(' . '), FIELD_WEIGHT.tags],
  ];
  for (const [text, weight] of fields) {
    if (text.trim()) addField(features, text, weight, resources);
  }
  if (resources.options.glossary) deriveConcepts(features, side, resources);
  return features;
}

function add(tf: Map<string, number>, feature: string, weight: number) {
  tf.set(feature, (tf.get(feature) ?? 0) + weight);
}

function addField(features: ListingFeatures, text: string, weight: number, resources: MatchingResources) {
  const { lang } = features;
  for (const token of contentTokens(text)) {
    const word = `w:${stem(token, lang)}`;
    add(features.tf, word, weight);
    if (!features.surface.has(word)) features.surface.set(word, token);
    if (resources.options.compounds && lang !== 'en') {
      for (const part of splitCompound(token, resources.lexicon)) {
        if (isStopword(part)) continue;
        const partWord = `w:${stem(part, lang)}`;
        add(features.tf, partWord, weight * COMPOUND_PART_WEIGHT);
        if (!features.surface.has(partWord)) features.surface.set(partWord, part);
      }
    }
  }
  if (resources.options.glossary) addGlossaryConcepts(features, text, weight, resources);
}

/** Finds glossary terms in the text: longest phrases first, by surface form, then by stem, then in compound parts. */
function addGlossaryConcepts(features: ListingFeatures, text: string, weight: number, resources: MatchingResources) {
  const { glossary, lexicon, options } = resources;
  const tokens = tokenize(text);
  const stems = tokens.map((t) => stem(t, features.lang));
  const hit = (id: string, evidence: string) => {
    const key = `c:${id}`;
    add(features.tf, key, weight * CONCEPT_WEIGHT);
    const existing = features.concepts.get(key);
    if (!existing || VIA_RANK[existing.via] < VIA_RANK.text) features.concepts.set(key, { id, via: 'text', evidence });
  };
  for (let i = 0; i < tokens.length; ) {
    let matched = 0;
    const longest = Math.max(glossary.phraseStarts.get(tokens[i]!) ?? 0, glossary.phraseStarts.get(stems[i]!) ?? 0);
    for (let n = Math.min(longest, tokens.length - i); n >= 1 && matched === 0; n -= 1) {
      const surface = tokens.slice(i, i + n).join(' ');
      const id = glossary.phrases.get(surface) ?? glossary.phrases.get(stems.slice(i, i + n).join(' '));
      if (id && !(n === 1 && isStopword(surface))) {
        hit(id, surface);
        matched = n;
      }
    }
    if (matched === 0) {
      const token = tokens[i]!;
      if (options.compounds && features.lang !== 'en' && !isStopword(token)) {
        for (const part of splitCompound(token, lexicon)) {
          const id = glossary.phrases.get(part) ?? glossary.phrases.get(stem(part, features.lang));
          if (id) hit(id, token);
        }
      }
      matched = 1;
    }
    i += matched;
  }
}

/** Adds broader concepts (two levels) and, for capabilities, circular uses of what they offer. */
function deriveConcepts(features: ListingFeatures, side: Side, resources: MatchingResources) {
  const { glossary, options } = resources;
  const direct = [...features.concepts.values()].filter((c) => c.via === 'text');
  const derive = (id: string, via: ConceptVia, from: string, evidence: string, weight: number) => {
    const key = `c:${id}`;
    add(features.tf, key, weight);
    const existing = features.concepts.get(key);
    if (!existing || VIA_RANK[existing.via] < VIA_RANK[via]) features.concepts.set(key, { id, via, from, evidence });
  };
  for (const hit of direct) {
    const concept = glossary.concepts.get(hit.id);
    if (!concept) continue;
    if (options.broader) {
      for (const parent of concept.broader ?? []) {
        derive(parent, 'broader', hit.id, hit.evidence, BROADER_WEIGHT);
        for (const grandparent of glossary.concepts.get(parent)?.broader ?? []) derive(grandparent, 'broader', hit.id, hit.evidence, BROADER_WEIGHT / 2);
      }
    }
    if (options.circular && side === 'capability') {
      for (const use of usesOf(glossary, hit.id)) {
        const key = `u:${use}`;
        add(features.tf, key, USED_AS_WEIGHT);
        if (!features.uses.has(key)) features.uses.set(key, { id: use, via: 'usedAs', from: hit.id, evidence: hit.evidence });
      }
    }
    if (options.circular && side === 'need') add(features.tf, `u:${hit.id}`, USED_AS_WEIGHT);
  }
}

/** What a concept can serve as: its own usedAs and those inherited from broader concepts. */
function usesOf(glossary: Glossary, id: string): string[] {
  const concept = glossary.concepts.get(id);
  if (!concept) return [];
  const uses = new Set(concept.usedAs ?? []);
  for (const parent of concept.broader ?? []) for (const use of glossary.concepts.get(parent)?.usedAs ?? []) uses.add(use);
  return [...uses];
}
