// Matches are the bulk of every re-score (≈ 50 rows per need, 1.25M rows at 50k listings), so each
// row should cost as little to write as it can. Measured on 250k rows (kb_bench, 2 cores):
// - json instead of jsonb for components and explanation: converting each document to jsonb was
//   two thirds of the parse time of a batch's rows (318 → 107 ms per 5,000 rows); nothing queries
//   inside them but one analytics count, which `->>` serves on json as well.
// - Two indexes instead of five: a need's list is read through the primary key (≤ 50 rows, sorted
//   in memory), and a company's pairs through its listings (listings_company_side_id), so the
//   (need_id, score), (need_company_id, score) and (capability_company_id, score) indexes only cost
//   writes: 5.7 → 3.8 s.
// - No foreign keys to listings: each inserted row ran two referential checks that lock the parent
//   listing (FOR KEY SHARE; concurrent batches sharing capabilities turn that into multixacts):
//   3.6 → 1.8 s. A listing's matches still go with it: a statement-level trigger deletes the matches
//   of deleted listings (also when a company's deletion cascades to its listings), and the removal
//   job of a deleted listing deletes them again, for a pair written by a job that raced the delete.
//   Reads join both listings, so such a pair is never shown meanwhile.
// - An explanation stores what matched (shared terms, concepts, circular links), not the sentences
//   rendered from it: 450 → about 200 bytes a row.
import { sql, type Kysely } from 'kysely';

const CIRCULAR_PREFIX = 'Circular value chain: ';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table matches drop constraint matches_need_id_fkey, drop constraint matches_capability_id_fkey`.execute(db);
  await sql`drop index matches_need_score, matches_need_company, matches_capability_company`.execute(db);
  await sql`alter table matches alter column components type json using components::json, alter column explanation type json using explanation::json`.execute(db);
  // The reasons were sentences built from facts stored elsewhere (concepts, components, the
  // companies' NACE codes and roles, the listings' kinds): the API renders them at read time now.
  // Only the circular links exist nowhere else; they move to their own list.
  await sql`
    update matches set explanation = json_build_object(
      'sharedTerms', explanation->'sharedTerms',
      'concepts', explanation->'concepts',
      'circular', coalesce((
        select json_agg(substr(reason, ${CIRCULAR_PREFIX.length + 1}))
        from json_array_elements_text(explanation->'reasons') as reason
        where starts_with(reason, ${CIRCULAR_PREFIX})), '[]'::json))`.execute(db);
  await sql`
    create function delete_matches_of_deleted_listings() returns trigger language plpgsql as $$
    begin
      delete from matches m using deleted_listings d where m.need_id = d.id;
      delete from matches m using deleted_listings d where m.capability_id = d.id;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger listings_delete_matches after delete on listings
    referencing old table as deleted_listings
    for each statement execute function delete_matches_of_deleted_listings()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // Circular links become reasons again; the other reasons return with the next re-score.
  await sql`
    update matches set explanation = json_build_object(
      'sharedTerms', explanation->'sharedTerms',
      'concepts', explanation->'concepts',
      'reasons', coalesce((select json_agg(${CIRCULAR_PREFIX} || link) from json_array_elements_text(explanation->'circular') as link), '[]'::json))`.execute(db);
  await sql`drop trigger listings_delete_matches on listings`.execute(db);
  await sql`drop function delete_matches_of_deleted_listings()`.execute(db);
  await sql`alter table matches alter column components type jsonb using components::jsonb, alter column explanation type jsonb using explanation::jsonb`.execute(db);
  await sql`create index matches_need_score on matches (need_id, score desc)`.execute(db);
  await sql`create index matches_need_company on matches (need_company_id, score desc)`.execute(db);
  await sql`create index matches_capability_company on matches (capability_company_id, score desc)`.execute(db);
  await sql`delete from matches m where not exists (select 1 from listings l where l.id = m.need_id) or not exists (select 1 from listings l where l.id = m.capability_id)`.execute(db);
  await sql`alter table matches
    add constraint matches_need_id_fkey foreign key (need_id) references listings (id) on delete cascade,
    add constraint matches_capability_id_fkey foreign key (capability_id) references listings (id) on delete cascade`.execute(db);
}
