// Builders for request bodies: each call gives a fresh, valid object; tests override what they test.
let sequence = 0;

const WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2];

/** A valid organisation number (MOD11) that is unique within the test run. */
export function orgNumber(): string {
  for (;;) {
    sequence += 1;
    const base = String(91000000 + ((process.pid * 7919 + sequence * 104729) % 8999999)).padStart(8, '0');
    const sum = [...base].reduce((acc, d, i) => acc + Number(d) * WEIGHTS[i]!, 0);
    const check = (11 - (sum % 11)) % 11;
    if (check !== 10) return `${base}${check}`;
  }
}

export function companyBody(overrides: Record<string, unknown> = {}) {
  sequence += 1;
  return {
    name: `Testbedrift ${sequence} AS`,
    orgNumber: orgNumber(),
    naceCode: '24.530',
    region: 'Innlandet',
    valueChainRole: 'manufacturer',
    employees: 40,
    ...overrides,
  };
}

export function listingBody(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'competence',
    title: 'Kompetanse på sveising av aluminium',
    description: 'Vi trenger hjelp til å kvalifisere sveiseprosedyrer for aluminium i produksjonen.',
    ...overrides,
  };
}
