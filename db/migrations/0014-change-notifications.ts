// Change notifications for the API's read cache (src/cache): every committed change that can alter
// a served match list, partner list, token or membership is announced on one channel, so each API
// instance drops exactly what went stale. Statement triggers, so no writer can forget them.
// - matches: the ids a statement touched (needs, capabilities, both companies), comma-separated;
//   a statement touching more than 200 rows (a re-score batch) says '*' (drop everything), as a
//   notification carries at most 8,000 bytes.
// - listings and companies (edits, deletions), cluster memberships, feedback and tokens: '*'.
//   They are rare next to reads, and each can change many cached answers (titles and company
//   names shown in match lists, visibility, who may read what).
// Inserting a listing, company or token changes no cached answer, so inserts there are silent.
import { sql, type Kysely } from 'kysely';

export const CHANNEL = 'koblingsboks_changes';

export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(`
    create function notify_match_changes() returns trigger language plpgsql as $$
    declare ids text;
    begin
      if (select count(*) from changed_matches) > 200 then
        perform pg_notify('${CHANNEL}', '*');
        return null;
      end if;
      select string_agg(id::text, ',') into ids from (
        select need_id as id from changed_matches union select capability_id from changed_matches
        union select need_company_id from changed_matches union select capability_company_id from changed_matches) touched;
      if ids is not null then perform pg_notify('${CHANNEL}', case when length(ids) > 7900 then '*' else ids end); end if;
      return null;
    end $$`).execute(db);
  for (const [event, transition] of [['insert', 'new'], ['update', 'new'], ['delete', 'old']] as const) {
    await sql.raw(`
      create trigger matches_notify_${event} after ${event} on matches
      referencing ${transition} table as changed_matches for each statement execute function notify_match_changes()`).execute(db);
  }
  await sql.raw(`
    create function notify_any_change() returns trigger language plpgsql as $$
    begin
      perform pg_notify('${CHANNEL}', '*');
      return null;
    end $$`).execute(db);
  for (const [table, events] of [
    ['listings', 'update or delete'],
    ['companies', 'update or delete'],
    ['cluster_members', 'insert or update or delete'],
    ['match_feedback', 'insert or update or delete'],
    ['api_tokens', 'update or delete'],
  ] as const) {
    await sql.raw(`create trigger ${table}_notify after ${events} on ${table} for each statement execute function notify_any_change()`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['listings', 'companies', 'cluster_members', 'match_feedback', 'api_tokens']) {
    await sql.raw(`drop trigger ${table}_notify on ${table}`).execute(db);
  }
  for (const event of ['insert', 'update', 'delete']) await sql.raw(`drop trigger matches_notify_${event} on matches`).execute(db);
  await sql`drop function notify_any_change()`.execute(db);
  await sql`drop function notify_match_changes()`.execute(db);
}
