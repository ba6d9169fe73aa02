// Scores one need ↔ capability pair: the text similarity, the other components with their stated
// weights, one calibrated score in [0, 1], and an explanation a person can read.
import type { MatchingResources, ListingFeatures } from './features.js';
import { conceptLabel } from './glossary.js';
import { crossIndustry, crossValueChain, kindFit } from './signals.js';
import type { CompanyProfile, Kind, SparseVector } from './types.js';
import { contributions, cosine } from './vectors.js';

export interface PreparedListing {
  id: string;
  companyId: string;
  kind: Kind;
  features: ListingFeatures;
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

export interface PairScore {
  score: number;
  components: ScoreComponents;
  explanation: { sharedTerms: string[]; concepts: string[]; reasons: string[] };
}

/**
 * Stated weights. Text relevance is the gate: the other components only re-weight a pair between
 * 55 % and 100 % of its relevance, so a strong cross-industry fit with no shared meaning still
 * scores near 0, while among relevant partners the better-fitting kinds and the pairs across
 * industries and value chains rank first.
 */
export const WEIGHTS = { base: 0.55, kindFit: 0.25, crossIndustry: 0.1, valueChain: 0.05, circular: 0.05 } as const;

/**
 * Maps cosine similarity to relevance: 1 − e^(−3·cos). Observed cosines of clearly fitting pairs
 * sit around 0.25–0.5 (relevance 0.53–0.78); unrelated pairs below 0.08 (relevance < 0.21).
 */
export const relevance = (text: number) => 1 - Math.exp(-3 * text);

export function scorePair(need: PreparedListing, capability: PreparedListing, resources: MatchingResources): PairScore {
  const text = cosine(need.vector, capability.vector);
  const circularLinks = circularEvidence(need.features, capability.features);
  const components: ScoreComponents = {
    text: round(text),
    crossIndustry: crossIndustry(need.company.naceCode, capability.company.naceCode),
    valueChain: crossValueChain(need.company.valueChainRole, capability.company.valueChainRole),
    kindFit: resources.options.kindFit ? kindFit(need.kind, capability.kind) : 1,
    circular: circularLinks.length > 0 ? 1 : 0,
  };
  const factor =
    WEIGHTS.base +
    WEIGHTS.kindFit * components.kindFit +
    WEIGHTS.crossIndustry * components.crossIndustry +
    WEIGHTS.valueChain * components.valueChain +
    WEIGHTS.circular * components.circular;
  const score = round(Math.min(1, relevance(text) * factor));
  return { score, components, explanation: explain(need, capability, components, circularLinks, resources) };
}

/** Concepts the need asks for that the capability reaches only through a circular use (by-product → raw material). */
function circularEvidence(need: ListingFeatures, capability: ListingFeatures): { from: string; to: string; evidence: string }[] {
  const links: { from: string; to: string; evidence: string }[] = [];
  for (const [id, hit] of capability.concepts) {
    if (hit.via === 'usedAs' && need.concepts.has(id) && hit.from) links.push({ from: hit.from, to: id, evidence: hit.evidence });
  }
  return links;
}

function explain(
  need: PreparedListing,
  capability: PreparedListing,
  components: ScoreComponents,
  circular: { from: string; to: string; evidence: string }[],
  resources: MatchingResources,
): PairScore['explanation'] {
  const shared = contributions(need.vector, capability.vector);
  const sharedTerms = shared
    .filter(([feature]) => feature.startsWith('w:'))
    .slice(0, 8)
    .map(([feature]) => need.features.surface.get(feature.slice(2)) ?? feature.slice(2));
  const concepts: string[] = [];
  for (const [feature] of shared) {
    if (!feature.startsWith('c:') || concepts.length >= 6) continue;
    const id = feature.slice(2);
    const needHit = need.features.concepts.get(id);
    const capHit = capability.features.concepts.get(id);
    if (!needHit || !capHit || capHit.via === 'usedAs') continue;
    const label = conceptLabel(resources.glossary, id, need.features.lang);
    if (needHit.via === 'text' && capHit.via === 'text') {
      concepts.push(needHit.evidence === capHit.evidence ? needHit.evidence : `${needHit.evidence} ≈ ${capHit.evidence}`);
    } else {
      concepts.push(`${needHit.evidence} ~ ${capHit.evidence} (both ${label})`);
    }
  }
  const reasons: string[] = [];
  if (concepts.length > 0) reasons.push(`Same meaning in other words: ${concepts.join('; ')}`);
  else if (sharedTerms.length > 0) reasons.push(`Shared terms: ${sharedTerms.slice(0, 5).join(', ')}`);
  for (const link of circular.slice(0, 3)) {
    const from = conceptLabel(resources.glossary, link.from, need.features.lang);
    const to = conceptLabel(resources.glossary, link.to, need.features.lang);
    reasons.push(`Circular value chain: ${link.evidence} (${from}) → ${to}`);
  }
  if (components.crossIndustry === 1) reasons.push(`Across industries: NACE ${need.company.naceCode} ↔ ${capability.company.naceCode}`);
  if (components.valueChain === 1)
    reasons.push(`Across the value chain: ${need.company.valueChainRole} ↔ ${capability.company.valueChainRole}`);
  if (components.kindFit >= 0.9) reasons.push(`A ${capability.kind} offer fits a ${need.kind} need`);
  else if (components.kindFit <= 0.3) reasons.push(`A ${capability.kind} offer rarely meets a ${need.kind} need`);
  return { sharedTerms, concepts, reasons };
}

const round = (value: number) => Math.round(value * 1e4) / 1e4;
