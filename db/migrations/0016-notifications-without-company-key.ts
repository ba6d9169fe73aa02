// A full re-score announces hundreds of thousands of strong pairs, two notification rows each, and
// every row ran the foreign key's referential check: a query per row that locks the company row
// (FOR KEY SHARE; two workers announcing to the same companies turn those locks into multixacts).
// Measured on real re-score batches of ~7,400 rows: 76 → 50 ms per insert without the key.
// A company's notifications still go with it: a statement-level trigger deletes them when
// companies are deleted. What the key also did was refuse a notification for a company deleted by
// a transaction that commits while the announcing one runs; such a row is now kept, unreachable
// (notifications are read by company and delivered through the company's webhook, both gone),
// as a match of a deleted listing is (migration 0012).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table notifications drop constraint notifications_company_id_fkey`.execute(db);
  await sql`
    create function delete_notifications_of_deleted_companies() returns trigger language plpgsql as $$
    begin
      delete from notifications n using deleted_companies d where n.company_id = d.id;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger companies_delete_notifications after delete on companies
    referencing old table as deleted_companies
    for each statement execute function delete_notifications_of_deleted_companies()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger companies_delete_notifications on companies`.execute(db);
  await sql`drop function delete_notifications_of_deleted_companies()`.execute(db);
  await sql`delete from notifications n where not exists (select 1 from companies c where c.id = n.company_id)`.execute(db);
  await sql`alter table notifications add constraint notifications_company_id_fkey foreign key (company_id) references companies (id) on delete cascade`.execute(db);
}
