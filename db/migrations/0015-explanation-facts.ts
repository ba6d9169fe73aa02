// A capability's explanation facts (its concepts and circular uses, with the words that evoked
// them: src/matching/explanation-facts.ts) stored beside its vector when it is indexed, so
// explaining a pair reads them instead of analysing the capability's text again. Rows indexed
// before have none until they are indexed again (a re-score does it); readers analyse the text
// for those meanwhile.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table listing_vectors add column explain json`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table listing_vectors drop column explain`.execute(db);
}
