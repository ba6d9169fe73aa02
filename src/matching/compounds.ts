// Norwegian compound splitting: "aluminiumssveising" → ["aluminium", "sveising"], so parts match
// whole words and the reverse. A split is accepted only when every part is a known word (the
// shipped lexicon plus glossary words), allowing the linking -s- and -e- between parts.
export interface Lexicon {
  has(word: string): boolean;
}

const MIN_PART = 3;
const MIN_COMPOUND = 6;
const LINKERS = ['s', 'e'];

/**
 * Splits a word into known parts, preferring the fewest parts and then the longest last part
 * (Norwegian compounds are right-headed). Returns [] when the word is not a known compound.
 */
export function splitCompound(word: string, lexicon: Lexicon, maxParts = 3): string[] {
  if (word.length < MIN_COMPOUND) return [];
  // Splitting is a pure function of the word and the (fixed) lexicon: remember answers per lexicon.
  let memo = splits.get(lexicon);
  if (!memo) splits.set(lexicon, (memo = new Map()));
  const key = `${maxParts}:${word}`;
  const known = memo.get(key);
  if (known) return known;
  const best = split(word, lexicon, maxParts, new Map());
  const parts = best && best.length > 1 ? best : [];
  if (memo.size > 100_000) memo.clear();
  memo.set(key, parts);
  return parts;
}

const splits = new WeakMap<Lexicon, Map<string, string[]>>();

function split(word: string, lexicon: Lexicon, partsLeft: number, memo: Map<string, string[] | null>): string[] | null {
  const key = `${partsLeft}:${word}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  let best: string[] | null = lexicon.has(word) ? [word] : null;
  if (partsLeft > 1 && (best === null || word.length >= MIN_COMPOUND * 2)) {
    // The head (last part) is tried longest first; the modifier before it may end in a linker.
    for (let cut = MIN_PART; cut <= word.length - MIN_PART; cut += 1) {
      const head = word.slice(cut);
      if (!lexicon.has(head)) continue;
      const modifier = word.slice(0, cut);
      for (const candidate of modifierForms(modifier)) {
        const left = split(candidate, lexicon, partsLeft - 1, memo);
        if (!left) continue;
        const parts = [...left, head];
        if (best === null || best.length === 1 || parts.length < best.length) best = parts;
        break;
      }
      if (best && best.length === 2) break;
    }
  }
  // A whole known word is still worth splitting when it is long (lexicalised compounds such as
  // "sponplate"), but a single known word stays [word] for short words.
  memo.set(key, best);
  return best;
}

function modifierForms(modifier: string): string[] {
  const forms = [modifier];
  for (const linker of LINKERS) {
    if (modifier.length > MIN_PART && modifier.endsWith(linker)) forms.push(modifier.slice(0, -1));
  }
  return forms;
}
