// Language of a listing text (bokmål, nynorsk or English) from function words that tell the three
// apart. Short texts carry few such words, so the vote is weighted and ties fall back sensibly.
import type { Lang } from './types.js';

const MARKERS: Record<Lang, string[]> = {
  en: ['the', 'and', 'we', 'of', 'for', 'with', 'to', 'is', 'are', 'our', 'in', 'on', 'a', 'an', 'can', 'need', 'looking', 'from', 'that', 'this', 'offer', 'which', 'be', 'want', 'will', 'have', 'has'],
  nb: ['ikke', 'fra', 'en', 'et', 'jeg', 'trenger', 'hva', 'hvordan', 'hvor', 'bare', 'nå', 'mye', 'være', 'ønsker', 'noen', 'eller', 'som', 'har', 'vil', 'skal', 'kan', 'også', 'av', 'til', 'med', 'og', 'på', 'vi', 'er', 'for', 'det', 'den', 'de', 'hjelp', 'etter', 'søker', 'mellom'],
  nn: ['ikkje', 'frå', 'ein', 'eit', 'eg', 'treng', 'kva', 'korleis', 'kvar', 'berre', 'no', 'mykje', 'vere', 'ynskjer', 'nokon', 'eller', 'som', 'har', 'vil', 'skal', 'kan', 'òg', 'av', 'til', 'med', 'og', 'på', 'vi', 'er', 'for', 'det', 'den', 'dei', 'hjelp', 'etter', 'søkjer', 'mellom', 'årleg', 'nyttast', 'blir', 'vert', 'gjennom', 'saman', 'andre', 'anna', 'ho', 'han', 'sjølv', 'høve', 'ser'],
};

// Words shared by nb and nn only count as "Norwegian"; the distinctive ones decide between them.
const SHARED_NO = new Set(MARKERS.nb.filter((w) => MARKERS.nn.includes(w)));
const MARKER_SETS = Object.fromEntries(Object.entries(MARKERS).map(([lang, words]) => [lang, new Set(words)])) as Record<Lang, Set<string>>;

export function detectLanguage(text: string): Lang {
  const words = text.toLowerCase().normalize('NFC').match(/\p{L}+/gu) ?? [];
  let en = 0;
  let norwegian = 0;
  let nb = 0;
  let nn = 0;
  for (const word of words) {
    if (MARKER_SETS.en.has(word)) en += 1;
    if (SHARED_NO.has(word)) norwegian += 1;
    else {
      if (MARKER_SETS.nb.has(word)) nb += 2;
      if (MARKER_SETS.nn.has(word)) nn += 2;
    }
  }
  const letters = /[æøå]/i.test(text) ? 2 : 0;
  const no = norwegian + nb + nn + letters;
  if (en > no) return 'en';
  if (no === 0 && en === 0) return letters ? 'nb' : 'en';
  return nn > nb ? 'nn' : 'nb';
}
