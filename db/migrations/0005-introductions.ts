// Introductions brokered between two companies, their state history, and an audit trail of
// broker and admin actions.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('introductions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    // The cluster it was brokered in, and the match behind it, may go away; the introduction stays.
    .addColumn('cluster_id', 'uuid', (c) => c.references('clusters.id').onDelete('set null'))
    .addColumn('need_id', 'uuid', (c) => c.references('listings.id').onDelete('set null'))
    .addColumn('capability_id', 'uuid', (c) => c.references('listings.id').onDelete('set null'))
    .addColumn('company_a_id', 'uuid', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('company_b_id', 'uuid', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('message', 'text', (c) => c.notNull().check(sql`char_length(message) <= 5000`))
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('proposed','accepted','declined','meeting-held','collaboration','closed-no-fit')`),
    )
    .addColumn('a_response', 'text', (c) => c.notNull().defaultTo('pending').check(sql`a_response in ('pending','accepted','declined')`))
    .addColumn('b_response', 'text', (c) => c.notNull().defaultTo('pending').check(sql`b_response in ('pending','accepted','declined')`))
    .addColumn('proposed_by', 'text', (c) => c.notNull())
    .addColumn('proposed_by_role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('introductions_two_companies', sql`company_a_id <> company_b_id`)
    .execute();
  await db.schema.createIndex('introductions_company_a').on('introductions').columns(['company_a_id', 'state']).execute();
  await db.schema.createIndex('introductions_company_b').on('introductions').columns(['company_b_id', 'state']).execute();
  await db.schema.createIndex('introductions_cluster').on('introductions').columns(['cluster_id', 'state']).execute();

  await db.schema
    .createTable('introduction_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('introduction_id', 'uuid', (c) => c.notNull().references('introductions.id').onDelete('cascade'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('actor_token_id', 'text', (c) => c.notNull())
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('actor_company_id', 'uuid')
    .addColumn('note', 'text', (c) => c.check(sql`char_length(note) <= 5000`))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('introduction_events_introduction').on('introduction_events').columns(['introduction_id', 'id']).execute();

  // Who did what, for admins and the cluster's leaders. No foreign keys: the trail outlives what it describes.
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor_token_id', 'text', (c) => c.notNull())
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('cluster_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('request_id', 'text')
    .execute();
  await sql`create index audit_log_clusters on audit_log using gin (cluster_ids)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['audit_log', 'introduction_events', 'introductions']) await db.schema.dropTable(table).execute();
}
