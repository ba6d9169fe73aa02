// Capabilities' explanation facts held in memory, packed: a scoring worker keeps them beside its
// capability index, so explaining a pair looks facts up instead of reading them from the database.
// Reading and parsing them per batch was about a third of a re-score's worker time: a batch's
// 12,500 pairs name ~10,000 capabilities, each a ~1 KB JSON document, and every capability is
// named again by dozens of batches. Parsed as JSON they held ~2.8 KB of heap each (arrays of
// arrays of strings); packed, each is one Int32Array of indexes into a table of the few thousand
// distinct strings (concept ids, feature keys, evidence words) the glossary gives rise to.
import type { ExplainedFeatures, ExplanationFacts, HitLookup } from './explanation-facts.js';
import type { ConceptHit, ConceptVia } from './features.js';
import type { Lang } from './types.js';

/** [lang, then per hit: family (0 concept, 1 use), feature key, concept id, via, evidence, from (-1: none)] */
export type PackedFacts = Int32Array;

const CONCEPT = 0;
const USE = 1;
const FIELDS = 6;

/** Interns the strings of packed facts; one table per loaded index (a reload starts a new one). */
export class PackedFactsTable {
  private readonly indexes = new Map<string, number>();
  private readonly strings: string[] = [];

  get size(): number {
    return this.strings.length;
  }

  pack(facts: ExplanationFacts): PackedFacts {
    const packed = new Int32Array(1 + FIELDS * (facts.concepts.length + facts.uses.length));
    packed[0] = this.intern(facts.lang);
    let at = 1;
    for (const [family, hits] of [
      [CONCEPT, facts.concepts],
      [USE, facts.uses],
    ] as const) {
      for (const [key, id, via, evidence, from] of hits) {
        packed[at] = family;
        packed[at + 1] = this.intern(key);
        packed[at + 2] = this.intern(id);
        packed[at + 3] = this.intern(via);
        packed[at + 4] = this.intern(evidence);
        packed[at + 5] = from === undefined ? -1 : this.intern(from);
        at += FIELDS;
      }
    }
    return packed;
  }

  /** The facts as an explanation reads them; hits are unpacked on lookup (a pair looks up a few). */
  features(packed: PackedFacts): ExplainedFeatures {
    return { lang: this.strings[packed[0]!] as Lang, concepts: new PackedHits(this, packed, CONCEPT), uses: new PackedHits(this, packed, USE) };
  }

  /** The hit of one family (concepts or uses) for a feature key, unpacked. */
  hit(packed: PackedFacts, family: number, feature: string): ConceptHit | undefined {
    // A feature never interned is in no capability's facts.
    const key = this.indexes.get(feature);
    if (key === undefined) return undefined;
    for (let at = 1; at < packed.length; at += FIELDS) {
      if (packed[at] !== family || packed[at + 1] !== key) continue;
      const hit: ConceptHit = { id: this.strings[packed[at + 2]!]!, via: this.strings[packed[at + 3]!] as ConceptVia, evidence: this.strings[packed[at + 4]!]! };
      if (packed[at + 5]! >= 0) hit.from = this.strings[packed[at + 5]!];
      return hit;
    }
    return undefined;
  }

  private intern(text: string): number {
    let index = this.indexes.get(text);
    if (index === undefined) {
      index = this.strings.length;
      this.strings.push(text);
      this.indexes.set(text, index);
    }
    return index;
  }
}

/** One family of a capability's packed hits, looked up as a Map would be (objects, not closures: made per explained capability). */
class PackedHits implements HitLookup {
  constructor(
    private readonly table: PackedFactsTable,
    private readonly packed: PackedFacts,
    private readonly family: number,
  ) {}

  get(feature: string): ConceptHit | undefined {
    return this.table.hit(this.packed, this.family, feature);
  }
}
