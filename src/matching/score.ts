// Scores one need ↔ capability pair from their weighted vectors: the text similarity, the other
// components with their stated weights and one calibrated score in [0, 1]. Explaining a pair
// (which words and concepts matched, in words a person understands) is a separate step, done
// only for the pairs that are kept.
import type { ExplainedFeatures } from './explanation-facts.js';
import type { ListingFeatures, MatchingResources } from './features.js';
import { conceptLabel } from './glossary.js';
import { crossIndustry, crossValueChain, kindFit } from './signals.js';
import type { CompanyProfile, Kind, Lang, SparseVector } from './types.js';
import { contributions, cosine } from './vectors.js';

export interface ScoredListing {
  id: string;
  companyId: string;
  kind: Kind;
  vector: SparseVector;
  company: CompanyProfile;
}

export interface ScoreComponents {
  text: number;
  crossIndustry: number;
  valueChain: number;
  kindFit: number;
  circular: number;
}

/**
 * What matched in a pair, as stored with it: shared words, shared concepts in each side's own
 * words, circular links. The sentences shown to people (`reasons`) are rendered from it with the
 * other components and the two listings' profiles by `explanationReasons`, so the stored row
 * carries each fact once.
 */
export interface Explanation {
  sharedTerms: string[];
  concepts: string[];
  circular: string[];
}

/** The two sides of a pair as reasons name them. */
export interface ReasonParty {
  kind: Kind;
  naceCode: string;
  valueChainRole: string | null;
}

/**
 * Stated weights. Text relevance is the gate: the other components only re-weight a pair between
 * 55 % and 100 % of its relevance, so a strong cross-industry fit with no shared meaning still
 * scores near 0, while among relevant partners the better-fitting kinds and the pairs across
 * industries and value chains rank first.
 */
export const WEIGHTS = { base: 0.55, kindFit: 0.25, crossIndustry: 0.1, valueChain: 0.05, circular: 0.05 } as const;

/**
 * Maps cosine similarity to relevance: 1 − e^(−5·cos). Cosines of short, weighted texts are small:
 * a clear fit sits around 0.2–0.4 (relevance 0.63–0.86), a pair that shares only background words
 * below 0.07 (relevance < 0.3).
 */
export const relevance = (text: number) => 1 - Math.exp(-5 * text);

const hasCircularLink = (need: SparseVector, capability: SparseVector) => {
  for (const feature of need.keys()) if (feature.startsWith('u:') && capability.has(feature)) return true;
  return false;
};

export function scorePair(need: ScoredListing, capability: ScoredListing, resources: MatchingResources): { score: number; components: ScoreComponents } {
  return scoreFromOverlap(need, capability, { cosine: cosine(need.vector, capability.vector), sharesUse: hasCircularLink(need.vector, capability.vector) }, resources);
}

/** A listing without its vector: what scoring needs besides the vectors' overlap. */
export type ListingProfile = Omit<ScoredListing, 'vector'>;

/** What two vectors have in common, as scoring reads it. */
export interface VectorOverlap {
  cosine: number;
  /** Whether they share a use feature (u:…), a circular link. */
  sharesUse: boolean;
}

/**
 * The score of a pair whose vector overlap is already known: computed by an index over typed
 * arrays in bulk scoring, or from two Maps by `scorePair`. Both give the same score.
 */
export function scoreFromOverlap(need: ListingProfile, capability: ListingProfile, overlap: VectorOverlap, resources: MatchingResources): { score: number; components: ScoreComponents } {
  const components = componentsOfSignals(
    overlap.cosine,
    crossIndustry(need.company.naceCode, capability.company.naceCode),
    crossValueChain(need.company.valueChainRole, capability.company.valueChainRole),
    resources.options.kindFit ? kindFit(need.kind, capability.kind) : 1,
    overlap.sharesUse ? 1 : 0,
  );
  return { score: scoreOfSignals(overlap.cosine, components.crossIndustry, components.valueChain, components.kindFit, components.circular), components };
}

/**
 * `scoreFromOverlap(…).score` from the components' values, without building them: for ranking
 * hundreds of candidates, whose non-text components come from codes (SignalCodes).
 */
export function scoreOfSignals(cosine: number, crossIndustryValue: number, valueChain: number, kindFitValue: number, circular: number): number {
  return combined(Math.min(1, Math.max(0, cosine)), crossIndustryValue, valueChain, kindFitValue, circular);
}

/** `scoreFromOverlap(…).components` from the components' values (see scoreOfSignals). */
export function componentsOfSignals(cosine: number, crossIndustryValue: number, valueChain: number, kindFitValue: number, circular: number): ScoreComponents {
  return { text: round(Math.min(1, Math.max(0, cosine))), crossIndustry: crossIndustryValue, valueChain, kindFit: kindFitValue, circular };
}

/** The one formula: relevance of the text, re-weighted by the other components (see WEIGHTS). */
function combined(text: number, crossIndustryValue: number, valueChain: number, kindFitValue: number, circular: number): number {
  const factor = WEIGHTS.base + WEIGHTS.kindFit * kindFitValue + WEIGHTS.crossIndustry * crossIndustryValue + WEIGHTS.valueChain * valueChain + WEIGHTS.circular * circular;
  return round(Math.min(1, relevance(text) * factor));
}

const label = (resources: MatchingResources, id: string, lang: Lang) => conceptLabel(resources.glossary, id, lang);
const [W, C, U] = ['w', 'c', 'u'].map((letter) => letter.charCodeAt(0));

/** Names what matched: shared words, shared concepts in each side's own words and circular links. */
export function explainPair(
  need: ScoredListing & { features: ListingFeatures },
  capability: ScoredListing & { features: ExplainedFeatures },
  resources: MatchingResources,
): Explanation {
  return explainShared(need.features, capability.features, contributions(need.vector, capability.vector).map(([feature]) => feature), resources);
}

/**
 * `explainPair` for a pair whose shared features (largest contribution first) are already known:
 * it reads only the two listings' features, so a re-score passes them without an object per pair.
 */
export function explainShared(needFeatures: ListingFeatures, capabilityFeatures: ExplainedFeatures, shared: readonly string[], resources: MatchingResources): Explanation {
  // One pass over the shared features, largest contribution first; prefixes read by char code
  // (w: words, c: concepts, u: uses), as this runs for every kept pair of a re-score.
  const sharedTerms: string[] = [];
  const concepts: string[] = [];
  const circular: string[] = [];
  // One line per pair of wordings: broader concepts reached from the same words add nothing.
  const wordedNeed: string[] = [];
  const wordedCapability: string[] = [];
  for (const feature of shared) {
    const family = feature.charCodeAt(0);
    if (family === W) {
      if (sharedTerms.length < 8) sharedTerms.push(needFeatures.surface.get(feature) ?? feature.slice(2));
    } else if (family === U) {
      if (circular.length >= 3) continue;
      const offer = capabilityFeatures.uses.get(feature);
      if (offer?.from) circular.push(`${offer.evidence} (${label(resources, offer.from, needFeatures.lang)}) → ${label(resources, offer.id, needFeatures.lang)}`);
    } else if (family === C && concepts.length < 6) {
      const needHit = needFeatures.concepts.get(feature);
      if (!needHit) continue;
      const capHit = capabilityFeatures.concepts.get(feature);
      if (!capHit) continue;
      if (alreadyWorded(wordedNeed, wordedCapability, needHit.evidence, capHit.evidence)) continue;
      wordedNeed.push(needHit.evidence);
      wordedCapability.push(capHit.evidence);
      if (needHit.via === 'text' && capHit.via === 'text') {
        concepts.push(needHit.evidence === capHit.evidence ? needHit.evidence : `${needHit.evidence} ≈ ${capHit.evidence}`);
      } else if (needHit.evidence !== capHit.evidence) {
        concepts.push(`${needHit.evidence} ~ ${capHit.evidence} (both ${label(resources, needHit.id, needFeatures.lang)})`);
      }
    }
  }
  return { sharedTerms, concepts, circular };
}

function alreadyWorded(needWords: string[], capabilityWords: string[], needEvidence: string, capabilityEvidence: string): boolean {
  for (let i = 0; i < needWords.length; i += 1) if (needWords[i] === needEvidence && capabilityWords[i] === capabilityEvidence) return true;
  return false;
}

/** The sentences that explain a pair to a person, best reason first. */
export function explanationReasons(explanation: Explanation, components: ScoreComponents, need: ReasonParty, capability: ReasonParty): string[] {
  const { sharedTerms, concepts, circular } = explanation;
  const reasons: string[] = [];
  if (concepts.length > 0) reasons.push(`Same meaning: ${concepts.join('; ')}`);
  else if (sharedTerms.length > 0) reasons.push(`Shared terms: ${sharedTerms.slice(0, 5).join(', ')}`);
  for (const link of circular) reasons.push(`Circular value chain: ${link}`);
  if (components.crossIndustry === 1) reasons.push(`Across industries: NACE ${need.naceCode} ↔ ${capability.naceCode}`);
  if (components.valueChain === 1) reasons.push(`Across the value chain: ${need.valueChainRole} ↔ ${capability.valueChainRole}`);
  if (components.kindFit >= 0.9) reasons.push(`A ${capability.kind} offer fits a ${need.kind} need`);
  else if (components.kindFit <= 0.3) reasons.push(`A ${capability.kind} offer rarely meets a ${need.kind} need`);
  return reasons;
}

const round = (value: number) => Math.round(value * 1e4) / 1e4;
