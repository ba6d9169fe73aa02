// Impact-ordered posting lists: each term's listings by weight, highest first, so candidate
// generation reads only the strongest postings of a term instead of all of them (measured at 100k
// listings: a query over 39 terms went from 151 ms to 21 ms, same top 10). It replaces the plain
// (side, term) index, which it also serves.
// Those reads are index-only scans, fast only while the table's visibility map is current (measured:
// 35 ms before VACUUM, 8 ms after), and every scoring job rewrites a listing's rows; so autovacuum
// visits this table after 2 % of its rows changed instead of the default 20 %.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index listing_terms_side_term_weight on listing_terms (side, term, weight desc) include (listing_id, company_id)`.execute(db);
  await db.schema.dropIndex('listing_terms_side_term').execute();
  await sql`alter table listing_terms set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table listing_terms reset (autovacuum_vacuum_scale_factor, autovacuum_vacuum_insert_scale_factor, autovacuum_analyze_scale_factor)`.execute(db);
  await sql`create index listing_terms_side_term on listing_terms (side, term) include (listing_id, company_id, weight)`.execute(db);
  await db.schema.dropIndex('listing_terms_side_term_weight').execute();
}
