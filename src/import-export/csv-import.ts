// CSV import of companies and their listings, as cluster leaders keep them in spreadsheets.
// Norwegian Excel writes `;`-separated UTF-8 (often with a BOM); `,` works too. One row per
// listing; rows with the same orgNumber (or, without one, the same name) belong to one company,
// whose fields come from its first row. Every row is checked against the same schemas as the API;
// nothing is written unless every row is valid (all or nothing, one transaction), and `dryRun`
// only checks.
import { parse } from 'csv-parse/sync';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { CompanyCreate } from '../companies/company.schema.js';
import type { Database, Visibility } from '../db/database.js';
import { badRequest, HttpProblem, type FieldError } from '../errors.js';
import { ListingCreate } from '../listings/listing.schema.js';
import { detectLanguage } from '../matching/language.js';
import { customFormats } from '../schemas/formats.js';
import { recordScoringWork } from '../scoring/outbox.repository.js';

export const COMPANY_COLUMNS = ['orgNumber', 'name', 'naceCode', 'region', 'valueChainRole', 'employees', 'description', 'website'] as const;
export const LISTING_COLUMNS = ['side', 'kind', 'title', 'listingDescription', 'lang', 'tags', 'visibility'] as const;
const KNOWN = new Set<string>([...COMPANY_COLUMNS, ...LISTING_COLUMNS]);
export const MAX_ROWS = 5_000;

const ajv = customFormats(addFormats.default(new Ajv({ allErrors: true, coerceTypes: true, strict: false })));
const validCompany = ajv.compile(CompanyCreate);
const validListing = ajv.compile(ListingCreate);

type Row = Record<string, string>;

const present = (row: Row, keys: readonly string[]) =>
  Object.fromEntries(keys.filter((k) => row[k] !== undefined && row[k]!.trim() !== '').map((k) => [k, row[k]!.trim()]));

export interface ImportResult {
  dryRun: boolean;
  companies: number;
  listings: number;
}

export async function importCompaniesCsv(db: Kysely<Database>, csv: string, options: { dryRun: boolean; requestId: string; clusterId?: string | undefined }, onScoringWork: () => void): Promise<ImportResult> {
  let rows: Row[];
  try {
    rows = parse(csv, { bom: true, columns: (header: string[]) => header.map((h) => h.trim()), delimiter: [';', ','], skip_empty_lines: true, trim: true, relax_column_count: false });
  } catch (error) {
    throw badRequest(`The CSV cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (rows.length === 0) throw badRequest('The CSV has no data rows');
  if (rows.length > MAX_ROWS) throw badRequest(`At most ${MAX_ROWS} rows per import`);
  const unknown = Object.keys(rows[0]!).filter((column) => !KNOWN.has(column));
  if (unknown.length) throw badRequest('Unknown columns', unknown.map((column) => ({ field: `/columns/${column}`, message: `is not one of: ${[...KNOWN].join(', ')}` })));

  const errors: FieldError[] = [];
  const companies = new Map<string, { fields: Record<string, unknown>; listings: { side: 'need' | 'capability'; fields: Record<string, unknown> }[] }>();
  rows.forEach((row, index) => {
    const line = index + 2; // the header is line 1
    const company = present(row, COMPANY_COLUMNS);
    const key = company.orgNumber ?? `name:${company.name ?? ''}`;
    if (!companies.has(key)) {
      if (!validCompany(company)) {
        for (const e of validCompany.errors ?? []) errors.push({ field: `/rows/${line}${e.instancePath || `/${String(e.params.missingProperty ?? '')}`}`, message: e.message ?? 'is invalid' });
        return;
      }
      companies.set(key, { fields: company, listings: [] });
    }
    const listingFields = present(row, LISTING_COLUMNS);
    if (!listingFields.title && !listingFields.kind && !listingFields.side) return; // a company-only row
    const side = listingFields.side;
    if (side !== 'need' && side !== 'capability') {
      errors.push({ field: `/rows/${line}/side`, message: 'must be need or capability' });
      return;
    }
    const listing: Record<string, unknown> = { ...listingFields, description: listingFields.listingDescription ?? '' };
    delete listing.side;
    delete listing.listingDescription;
    if (typeof listing.tags === 'string') listing.tags = (listing.tags as string).split('|').map((t) => t.trim()).filter(Boolean);
    if (!validListing(listing)) {
      for (const e of validListing.errors ?? []) errors.push({ field: `/rows/${line}${e.instancePath || `/${String(e.params.missingProperty ?? '')}`}`, message: e.message ?? 'is invalid' });
      return;
    }
    companies.get(key)!.listings.push({ side, fields: listing });
  });

  const orgNumbers = [...companies.values()].map((c) => c.fields.orgNumber as string | undefined).filter((o): o is string => !!o);
  if (orgNumbers.length) {
    const taken = await db.selectFrom('companies').select('org_number').where('org_number', 'in', orgNumbers).execute();
    for (const { org_number } of taken) errors.push({ field: `/rows/orgNumber=${org_number}`, message: 'is already registered' });
  }
  if (errors.length) throw new HttpProblem(422, 'import-invalid', 'The import has invalid rows; nothing was imported', `${errors.length} problem(s)`, errors.slice(0, 200));

  const listingCount = [...companies.values()].reduce((n, c) => n + c.listings.length, 0);
  if (options.dryRun) return { dryRun: true, companies: companies.size, listings: listingCount };
  await db.transaction().execute(async (trx) => {
    const listingIds: string[] = [];
    for (const { fields, listings } of companies.values()) {
      const companyId = uuidv7();
      await trx
        .insertInto('companies')
        .values({
          id: companyId,
          name: fields.name as string,
          org_number: (fields.orgNumber as string | undefined) ?? null,
          nace_code: fields.naceCode as string,
          region: (fields.region as string | undefined) ?? null,
          value_chain_role: (fields.valueChainRole as Database['companies']['value_chain_role']) ?? null,
          employees: (fields.employees as number | undefined) ?? null,
          description: (fields.description as string | undefined) ?? null,
          website: (fields.website as string | undefined) ?? null,
          updated_at: new Date(),
        })
        .execute();
      if (options.clusterId) await trx.insertInto('cluster_members').values({ cluster_id: options.clusterId, company_id: companyId }).execute();
      for (const { side, fields: l } of listings) {
        const id = uuidv7();
        listingIds.push(id);
        await trx
          .insertInto('listings')
          .values({
            id,
            company_id: companyId,
            side,
            kind: l.kind as Database['listings']['kind'],
            title: l.title as string,
            description: l.description as string,
            lang: (l.lang as Database['listings']['lang'] | undefined) ?? detectLanguage(`${String(l.title)}. ${String(l.description)}`),
            lang_detected: l.lang === undefined,
            tags: (l.tags as string[] | undefined) ?? [],
            visibility: (l.visibility as Visibility | undefined) ?? 'public',
            updated_at: new Date(),
          })
          .execute();
      }
    }
    await recordScoringWork(trx, listingIds, 'created', options.requestId);
  });
  onScoringWork();
  return { dryRun: false, companies: companies.size, listings: listingCount };
}
