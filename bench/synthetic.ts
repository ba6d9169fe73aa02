// Deterministic synthetic listings for benchmarks: seeded, built from the matching pipeline's own
// vocabulary (glossary terms and the compound lexicon), in bokmål, nynorsk and English.
import { loadGlossary, loadLexiconWords } from '../src/matching/glossary.js';
import type { Kind, Lang } from '../src/matching/types.js';

export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS: Kind[] = ['competence', 'capacity', 'equipment', 'product', 'byproduct', 'rnd', 'logistics', 'service'];
const LANGS: Lang[] = ['nb', 'nb', 'nn', 'en'];
const FRAME: Record<Lang, [string, string]> = {
  nb: ['Vi tilbyr', 'og har erfaring med'],
  nn: ['Vi tilbyd', 'og har røynsle med'],
  en: ['We offer', 'and have experience with'],
};

export interface SyntheticListing {
  id: string;
  companyId: string;
  kind: Kind;
  lang: Lang;
  title: string;
  description: string;
  tags: string[];
  naceCode: string;
  valueChainRole: string;
}

export function syntheticListings(count: number, seed = 42): SyntheticListing[] {
  const random = rng(seed);
  const glossary = loadGlossary();
  const termsByLang: Record<Lang, string[]> = { nb: [], nn: [], en: [] };
  for (const concept of glossary.concepts.values()) {
    for (const lang of ['nb', 'nn', 'en'] as const) termsByLang[lang].push(...(concept.terms[lang] ?? []));
  }
  const lexicon = loadLexiconWords();
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  const roles = ['raw-material', 'component-supplier', 'manufacturer', 'service', 'logistics', 'recycler', 'research-education'];
  return Array.from({ length: count }, (_, i) => {
    const lang = pick(LANGS);
    const words = termsByLang[lang].length ? termsByLang[lang] : termsByLang.nb;
    const topic = Array.from({ length: 2 }, () => pick(words));
    const filler = Array.from({ length: 8 + Math.floor(random() * 12) }, () => (lang === 'en' ? pick(words) : pick(lexicon)));
    const companyNumber = Math.floor(i / 3);
    return {
      id: `l${i}`,
      companyId: `c${companyNumber}`,
      kind: pick(KINDS),
      lang,
      title: `${topic[0]} ${topic[1]}`,
      description: `${FRAME[lang][0]} ${topic.join(', ')} ${FRAME[lang][1]} ${filler.join(' ')}.`,
      tags: [],
      naceCode: `${String(10 + (companyNumber % 80)).padStart(2, '0')}.${100 + (companyNumber % 7) * 10}`,
      valueChainRole: roles[companyNumber % roles.length]!,
    };
  });
}
