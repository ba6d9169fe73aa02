// Streamed CSV exports for a cluster: its member companies, and the matches of its members'
// needs. Rows are read in keyset pages and written as they come, so memory stays flat.
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { explanationReasons } from '../matching/score.js';
import { componentsOf, explanationOf } from '../db/stored-match.js';

const PAGE = 1_000;

async function* companies(db: Kysely<Database>, clusterId: string) {
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('companies as c')
      .innerJoin('cluster_members as m', 'm.company_id', 'c.id')
      .select(['c.id', 'c.org_number', 'c.name', 'c.nace_code', 'c.region', 'c.value_chain_role', 'c.employees', 'c.website'])
      .where('m.cluster_id', '=', clusterId)
      .where('c.id', '>', after || '00000000-0000-0000-0000-000000000000')
      .orderBy('c.id')
      .limit(PAGE)
      .execute();
    for (const r of rows) yield [r.id, r.org_number, r.name, r.nace_code, r.region, r.value_chain_role, r.employees, r.website];
    if (rows.length < PAGE) return;
    after = rows.at(-1)!.id;
  }
}

async function* matches(db: Kysely<Database>, clusterId: string) {
  let after = { need: '', capability: '' };
  for (;;) {
    const rows = await db
      .selectFrom('matches as m')
      .innerJoin('listings as n', 'n.id', 'm.need_id')
      .innerJoin('listings as c', 'c.id', 'm.capability_id')
      .innerJoin('companies as nc', 'nc.id', 'm.need_company_id')
      .innerJoin('companies as cc', 'cc.id', 'm.capability_company_id')
      .select([
        'm.need_id',
        'm.capability_id',
        'm.score',
        'm.components',
        'm.explanation',
        'n.kind as need_kind',
        'n.title as need_title',
        'nc.name as need_company',
        'nc.nace_code as need_nace_code',
        'nc.value_chain_role as need_value_chain_role',
        'c.kind as capability_kind',
        'c.title as capability_title',
        'cc.name as capability_company',
        'cc.nace_code as capability_nace_code',
        'cc.value_chain_role as capability_value_chain_role',
      ])
      // Through the members' needs: matches are keyed by need (primary key), not by company.
      .where('n.company_id', 'in', (eb) => eb.selectFrom('cluster_members').select('company_id').where('cluster_id', '=', clusterId))
      .where((eb) => eb.or([eb('m.need_id', '>', after.need || '00000000-0000-0000-0000-000000000000'), eb.and([eb('m.need_id', '=', after.need || '00000000-0000-0000-0000-000000000000'), eb('m.capability_id', '>', after.capability || '00000000-0000-0000-0000-000000000000')])]))
      .orderBy('m.need_id')
      .orderBy('m.capability_id')
      .limit(PAGE)
      .execute();
    for (const r of rows) {
      const reasons = explanationReasons(
        explanationOf(r.explanation),
        componentsOf(r.components),
        { kind: r.need_kind, naceCode: r.need_nace_code, valueChainRole: r.need_value_chain_role },
        { kind: r.capability_kind, naceCode: r.capability_nace_code, valueChainRole: r.capability_value_chain_role },
      );
      yield [r.need_company, r.need_title, r.capability_company, r.capability_title, r.score, reasons.join(' | '), r.need_id, r.capability_id];
    }
    if (rows.length < PAGE) return;
    const last = rows.at(-1)!;
    after = { need: last.need_id, capability: last.capability_id };
  }
}

const HEADERS = {
  companies: ['id', 'orgNumber', 'name', 'naceCode', 'region', 'valueChainRole', 'employees', 'website'],
  matches: ['needCompany', 'need', 'capabilityCompany', 'capability', 'score', 'reasons', 'needId', 'capabilityId'],
};

/** `;`-separated with a BOM, so Norwegian Excel opens it with æøå intact. */
export function exportCsv(db: Kysely<Database>, what: 'companies' | 'matches', clusterId: string): NodeJS.ReadableStream {
  const rows = what === 'companies' ? companies(db, clusterId) : matches(db, clusterId);
  return Readable.from(rows).pipe(stringify({ delimiter: ';', bom: true, header: true, columns: HEADERS[what] }));
}
