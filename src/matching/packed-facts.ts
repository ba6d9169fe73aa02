// Capabilities' explanation facts held in memory, packed: a scoring worker keeps them beside its
// capability index, so explaining a pair looks facts up instead of reading them from the database.
// Reading and parsing them per batch was about a third of a re-score's worker CPU: a batch's
// 12,500 pairs name ~10,000 capabilities, each a ~1 KB JSON document, and every capability is
// named again by dozens of batches.
//
// Packed, a capability's facts are one short string: its language, then one UTF-16 unit per hit,
// each the index of a hit in a table the whole index shares. Capabilities share most of their
// hits (a concept evoked by the same words, a broader concept reached from it), so the table
// holds a few thousand and a capability costs ~70 bytes: an Int32Array of string indexes per
// capability cost ~730 (with its ArrayBuffer) and took a worker re-scoring 100k listings from
// 430 to 595 MB of RSS. Strings are also what the garbage collector passes over fastest.
import type { ExplainedFeatures, ExplanationFacts, HitLookup } from './explanation-facts.js';
import type { ConceptHit } from './features.js';
import type { Lang } from './types.js';

/** A capability's packed facts (see above). */
export type PackedFacts = string;

const CONCEPT = 0;
const USE = 1;
/** One UTF-16 unit indexes a hit; a table this full packs no more (those capabilities are read from the database). */
const MAX_HITS = 0xffff;
const LANGS: readonly Lang[] = ['nb', 'nn', 'en'];

interface TableHit {
  family: number;
  /** Index of the feature key in the table's feature list. */
  feature: number;
  /** Shared by every capability with this hit: read-only. */
  hit: Readonly<ConceptHit>;
}

/** The shared hits of packed facts; one table per loaded index (a reload starts a new one). */
export class PackedFactsTable {
  private readonly hitIndexes = new Map<string, number>();
  private readonly hits: TableHit[] = [];
  private readonly featureIndexes = new Map<string, number>();

  /** `maxHits` is for tests: one UTF-16 unit indexes at most MAX_HITS. */
  constructor(private readonly maxHits = MAX_HITS) {}

  get size(): number {
    return this.hits.length;
  }

  /** The facts packed; null once the table is full (or for a language it does not know): the caller reads them from the database. */
  pack(facts: ExplanationFacts): PackedFacts | null {
    const lang = LANGS.indexOf(facts.lang);
    if (lang < 0) return null;
    const units = [lang];
    for (const [family, hits] of [
      [CONCEPT, facts.concepts],
      [USE, facts.uses],
    ] as const) {
      for (const [key, id, via, evidence, from] of hits) {
        // Control characters never occur in the parts (words, ids, keys), so the name is unambiguous.
        const name = `${family}\u0001${key}\u0001${id}\u0001${via}\u0001${evidence}\u0001${from ?? '\u0002'}`;
        let index = this.hitIndexes.get(name);
        if (index === undefined) {
          if (this.hits.length >= this.maxHits) return null;
          index = this.hits.length;
          this.hits.push({ family, feature: this.featureIndex(key), hit: Object.freeze(from === undefined ? { id, via, evidence } : { id, via, evidence, from }) });
          this.hitIndexes.set(name, index);
        }
        units.push(index);
      }
    }
    return String.fromCharCode(...units);
  }

  /** The facts as an explanation reads them. */
  features(packed: PackedFacts): ExplainedFeatures {
    return { lang: LANGS[packed.charCodeAt(0)]!, concepts: new PackedHits(this, packed, CONCEPT), uses: new PackedHits(this, packed, USE) };
  }

  /** The hit of one family (concepts or uses) for a feature key. */
  hit(packed: PackedFacts, family: number, feature: string): ConceptHit | undefined {
    // A feature never packed is in no capability's facts.
    const key = this.featureIndexes.get(feature);
    if (key === undefined) return undefined;
    for (let at = 1; at < packed.length; at += 1) {
      const entry = this.hits[packed.charCodeAt(at)]!;
      if (entry.feature === key && entry.family === family) return entry.hit;
    }
    return undefined;
  }

  private featureIndex(feature: string): number {
    let index = this.featureIndexes.get(feature);
    if (index === undefined) this.featureIndexes.set(feature, (index = this.featureIndexes.size));
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
