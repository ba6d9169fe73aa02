// Text pipeline: normalisation, tokenising, stop words and stemming, with natural's Norwegian
// (Snowball) and English (Porter) stemmers. Pure functions; no I/O.
import stemmerNo from 'natural/lib/natural/stemmers/porter_stemmer_no.js';
import stemmerEn from 'natural/lib/natural/stemmers/porter_stemmer.js';
import { words as stopwordsNo } from 'natural/lib/natural/util/stopwords_no.js';
import { words as stopwordsEn } from 'natural/lib/natural/util/stopwords.js';
import type { Lang } from './types.js';

/** Lower case, NFC, and typographic variants folded so the same word always looks the same. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/[‐‑‒–—]/g, '-')
    .replace(/[’‘`´]/g, "'");
}

// Nynorsk function words missing from natural's bokmål list, and listing boilerplate ("we need",
// "vi tilbyr") that says what kind of text it is, not what it is about.
const EXTRA_STOPWORDS = [
  'ein', 'eit', 'ikkje', 'frå', 'kva', 'korleis', 'kvar', 'berre', 'mykje', 'vere', 'vore', 'dei', 'deira', 'òg', 'eg', 'meir', 'mange',
  'sjølv', 'saman', 'gjennom', 'anna', 'andre', 'elles', 'difor', 'derfor', 'slik', 'sånn', 'gjerne', 'også', 'rundt', 'ca', 'om', 'lag',
  'trenger', 'treng', 'trengs', 'ønsker', 'ønskjer', 'ynskjer', 'søker', 'søkjer', 'tilbyr', 'tilbyd', 'leverer', 'har', 'kan', 'vil', 'skal',
  'bedrift', 'bedrifter', 'bedrifta', 'firma', 'selskap', 'partner', 'partnar', 'partnere', 'partnarar', 'leverandør', 'leverandører',
  'need', 'needs', 'needed', 'seek', 'seeking', 'looking', 'offer', 'offers', 'provide', 'provides', 'want', 'wants', 'company',
  'companies', 'partner', 'partners', 'supplier', 'suppliers', 'also', 'around', 'per', 'year', 'år', 'året', 'års',
];

const STOPWORDS = new Set([...stopwordsNo, ...stopwordsEn, ...EXTRA_STOPWORDS]);

export function isStopword(token: string): boolean {
  return STOPWORDS.has(token);
}

/** Words of letters and digits; keeps æøå and other letters whole (unlike natural's TfIdf tokenizer). */
export function tokenize(text: string): string[] {
  return normalizeText(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Content tokens: no stop words, no bare numbers, no one-letter tokens. */
export function contentTokens(text: string): string[] {
  return tokenize(text).filter((t) => t.length > 1 && !/^\d+$/.test(t) && !STOPWORDS.has(t));
}

const cache = { nb: new Map<string, string>(), en: new Map<string, string>() };

/** Stems with the listing language's stemmer (nb and nn share the Norwegian Snowball stemmer). */
export function stem(token: string, lang: Lang): string {
  const family = lang === 'en' ? 'en' : 'nb';
  const memo = cache[family];
  let stemmed = memo.get(token);
  if (stemmed === undefined) {
    stemmed = family === 'en' ? stemmerEn.stem(token) : stemmerNo.stem(token);
    if (memo.size > 200_000) memo.clear();
    memo.set(token, stemmed);
  }
  return stemmed;
}
