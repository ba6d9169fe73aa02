// Whole-object examples for the OpenAPI document, attached to the response schemas. One demo
// story throughout: a light-metal foundry needs aluminium welding, a welding firm offers it, and
// the 7sterke cluster leader introduces them. A test validates each example against its schema.
const FOUNDRY = '0192f1c4-6b7a-7cc3-9f5e-2b1a4d3c5e6f';
const WELDER = '0192f1c4-7d21-7a10-8b3e-6c2f0a9d4e1b';
const NEED = '0192f1c5-0a3b-7e55-a1c2-3d4e5f60718a';
const CAPABILITY = '0192f1c5-1f42-7b09-9e8d-7c6b5a493827';
const CLUSTER = '0192f1c3-9e8f-7d6c-b5a4-938271605f4e';
const AT = '2026-11-02T09:30:00.000Z';

export const COMPANY_EXAMPLE = {
  id: FOUNDRY,
  name: 'Glomma Støperi AS',
  orgNumber: '923609016',
  naceCode: '24.530',
  region: 'Innlandet',
  valueChainRole: 'manufacturer',
  employees: 42,
  description: 'Lettmetallstøperi: sandstøping og kokillestøping i aluminium.',
  website: 'https://glomma-stoperi.example.no',
  createdAt: AT,
  updatedAt: AT,
};

export const LISTING_EXAMPLE = {
  id: NEED,
  companyId: FOUNDRY,
  side: 'need',
  kind: 'competence',
  title: 'Kompetanse på sveising av aluminium',
  description: 'Vi trenger hjelp til å kvalifisere sveiseprosedyrer for tynne aluminiumsprofiler.',
  lang: 'nb',
  langDetected: false,
  tags: ['sveising', 'aluminium'],
  visibility: 'public',
  createdAt: AT,
  updatedAt: AT,
};

export const MATCH_EXAMPLE = {
  needId: NEED,
  capabilityId: CAPABILITY,
  needCompanyId: FOUNDRY,
  capabilityCompanyId: WELDER,
  score: 0.72,
  components: { text: 0.58, crossIndustry: 1, valueChain: 1, kindFit: 1, circular: 0 },
  explanation: {
    sharedTerms: ['sveising', 'aluminium', 'sveiseprosedyre'],
    concepts: ['sveising ≈ welding'],
    reasons: ['Same meaning: sveising ≈ welding', 'Across industries: 24 ↔ 33', 'Across the value chain: manufacturer ↔ service'],
  },
  status: 'suggested',
  scoredAt: AT,
  need: { id: NEED, companyId: FOUNDRY, companyName: 'Glomma Støperi AS', kind: 'competence', title: 'Kompetanse på sveising av aluminium' },
  capability: { id: CAPABILITY, companyId: WELDER, companyName: 'Sveiseservice Innlandet AS', kind: 'service', title: 'Aluminiumssveising og sveiseprosedyrer' },
};

export const PARTNER_SUGGESTION_EXAMPLE = {
  companyId: WELDER,
  companyName: 'Sveiseservice Innlandet AS',
  naceCode: '33.110',
  valueChainRole: 'service',
  score: 0.72,
  pairCount: 1,
  pairs: [{ direction: 'they-offer', match: MATCH_EXAMPLE }],
};

export const CLUSTER_EXAMPLE = {
  id: CLUSTER,
  name: '7sterke',
  region: 'Innlandet',
  description: 'Industriklynge for vareproduserende bedrifter i Innlandet.',
  memberCount: 38,
  createdAt: AT,
  updatedAt: AT,
};

export const TOKEN_INFO_EXAMPLE = {
  id: '0192f1c6-2b3c-7d4e-8f50-617283940a1b',
  role: 'cluster-leader',
  companyId: null,
  clusterIds: [CLUSTER],
  name: 'Klyngeleder 7sterke',
  createdAt: AT,
  expiresAt: null,
  revokedAt: null,
};

export const INTRODUCTION_EXAMPLE = {
  id: '0192f1c7-3c4d-7e5f-9061-728394a5b6c7',
  clusterId: CLUSTER,
  needId: NEED,
  capabilityId: CAPABILITY,
  companyAId: FOUNDRY,
  companyBId: WELDER,
  message: 'Dere bør snakke sammen om sveiseprosedyrer for aluminium.',
  state: 'proposed',
  responses: { a: 'pending', b: 'pending' },
  proposedByRole: 'cluster-leader',
  createdAt: AT,
  updatedAt: AT,
  history: [{ action: 'propose', fromState: null, toState: 'proposed', actorRole: 'cluster-leader', actorCompanyId: null, note: null, at: AT }],
};

export const PROBLEM_EXAMPLE = {
  type: 'https://koblingsboks.no/problems/validation',
  title: 'Invalid request',
  status: 400,
  detail: 'The body is invalid',
  instance: '/v1/companies',
  requestId: '5d1f6a0e-3c2b-4e7f-9a8d-1b2c3d4e5f60',
  errors: [{ field: '/orgNumber', message: 'must match format "no-org-number"' }],
};
