// CSV import as Norwegian Excel writes it, all-or-nothing on bad rows, and streamed exports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgNumber } from '../helpers/builders.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let clusterId: string;
beforeAll(async () => {
  t = await createTestApp();
  clusterId = (await t.app.inject({ method: 'POST', url: '/v1/clusters', headers: t.auth, payload: { name: 'CSV-klyngen' } })).json().id;
});
afterAll(() => t.close());

const header = 'orgNumber;name;naceCode;region;valueChainRole;employees;side;kind;title;listingDescription;lang;tags';
const upload = (csv: string, query = '') =>
  t.app.inject({ method: 'POST', url: `/v1/import/companies?clusterId=${clusterId}${query}`, headers: { ...t.auth, 'content-type': 'text/csv' }, payload: csv });
const companyCount = async () => (await t.app.inject({ method: 'GET', url: `/v1/clusters/${clusterId}`, headers: t.auth })).json().memberCount as number;

describe('CSV import', () => {
  it('imports a semicolon-separated UTF-8 export with a BOM and æøå, grouping rows by org number', async () => {
    const [a, b] = [orgNumber(), orgNumber()];
    const csv =
      '\uFEFF' +
      [
        header,
        `${a};Ålesund Støperi AS;24.530;Gjøvik;manufacturer;40;need;competence;Sveising av aluminium;Vi trenger hjelp til sveising av tynnvegget støpegods.;nb;sveising|aluminium`,
        `${a};Ålesund Støperi AS;24.530;Gjøvik;manufacturer;40;capability;capacity;Ledig støpekapasitet;Vi har ledig kapasitet i trykkstøping.;;`,
        `${b};Østerdal Sveis AS;33.110;Tynset;service;12;capability;service;Aluminiumssveising;Vi sveiser aluminium for industrien.;;`,
      ].join('\r\n');
    const dry = await upload(csv, '&dryRun=true');
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toEqual({ dryRun: true, companies: 2, listings: 3 });
    expect(await companyCount()).toBe(0);

    const imported = await upload(csv);
    expect(imported.json()).toEqual({ dryRun: false, companies: 2, listings: 3 });
    expect(await companyCount()).toBe(2);
    const members = (await t.app.inject({ method: 'GET', url: `/v1/clusters/${clusterId}/members`, headers: t.auth })).json().items;
    expect(members.map((m: { name: string }) => m.name).sort()).toEqual(['Ålesund Støperi AS', 'Østerdal Sveis AS']);
    await t.waitForScoring();
  });

  it('rejects a file with bad rows, naming their lines, and imports nothing', async () => {
    const before = await companyCount();
    const csv = [
      header,
      `${orgNumber()};Godt Firma AS;25.610;Hamar;service;5;need;service;Lakkering;Trenger pulverlakkering.;;`,
      `123456789;Feil Orgnr AS;25.610;Hamar;service;5;;;;;;`,
      `${orgNumber()};Dårlig NACE AS;2561;Hamar;service;5;capability;magic;Noe;Noe.;;`,
    ].join('\n');
    const response = await upload(csv);
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
    const fields = response.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['/rows/3/orgNumber', '/rows/4/naceCode']));
    expect(await companyCount()).toBe(before);
  });

  it('accepts comma separation and rejects unknown columns', async () => {
    const ok = await upload(`name,naceCode\nKomma Industri AS,22.290\n`, '&dryRun=true');
    expect(ok.json()).toMatchObject({ companies: 1, listings: 0 });
    expect((await upload('name;color\nX;blue\n')).statusCode).toBe(400);
  });
});

describe('CSV export', () => {
  it('streams the cluster’s companies and matches as semicolon CSV with a BOM', async () => {
    const companies = await t.app.inject({ method: 'GET', url: `/v1/export/companies.csv?clusterId=${clusterId}`, headers: t.auth });
    expect(companies.statusCode).toBe(200);
    expect(companies.headers['content-type']).toMatch(/text\/csv/);
    expect(companies.body.startsWith('\uFEFFid;orgNumber;name')).toBe(true);
    expect(companies.body).toContain('Ålesund Støperi AS');
    const matches = await t.app.inject({ method: 'GET', url: `/v1/export/matches.csv?clusterId=${clusterId}`, headers: t.auth });
    expect(matches.statusCode).toBe(200);
    expect(matches.body).toContain('Østerdal Sveis AS');
    expect(matches.body).toContain('Sveising av aluminium');
  });
});
