// Lets "when was anything last scored" read one index entry instead of scanning the outbox.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index scoring_outbox_processed_at on scoring_outbox (processed_at) where processed_at is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('scoring_outbox_processed_at').execute();
}
