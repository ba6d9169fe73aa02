// Feedback on suggested matches, kept apart from `matches` so re-scoring never erases it. One row
// per pair and company: either side of a pair may find it useful or dismiss it.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('match_feedback')
    .addColumn('need_id', 'uuid', (c) => c.notNull().references('listings.id').onDelete('cascade'))
    .addColumn('capability_id', 'uuid', (c) => c.notNull().references('listings.id').onDelete('cascade'))
    .addColumn('company_id', 'uuid', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('verdict', 'text', (c) => c.notNull().check(sql`verdict in ('useful','dismissed')`))
    .addColumn('note', 'text', (c) => c.check(sql`char_length(note) <= 1000`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('match_feedback_pk', ['need_id', 'capability_id', 'company_id'])
    .execute();
  await db.schema.createIndex('match_feedback_company').on('match_feedback').columns(['company_id', 'verdict']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('match_feedback').execute();
}
