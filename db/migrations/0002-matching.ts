// Matching state: the scoring outbox, the inverted index of listing terms, corpus statistics and
// the stored matches.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Transactional outbox: a row is written in the same transaction as the listing change it
  // stands for. No foreign key: the row must outlive a deleted listing so its clean-up is scored.
  await db.schema
    .createTable('scoring_outbox')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('listing_id', 'uuid', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('published_at', 'timestamptz')
    .addColumn('processed_at', 'timestamptz')
    .execute();
  await sql`create index scoring_outbox_unpublished on scoring_outbox (id) where published_at is null`.execute(db);
  await sql`create index scoring_outbox_unprocessed on scoring_outbox (listing_id, id) where processed_at is null`.execute(db);

  // Inverted index: each listing's weighted features, unit-normalised at indexing time.
  // No foreign key either: a deleted listing's terms are removed by its scoring job, which also
  // corrects the document frequencies.
  await db.schema
    .createTable('listing_terms')
    .addColumn('listing_id', 'uuid', (c) => c.notNull())
    .addColumn('side', 'text', (c) => c.notNull())
    // Denormalised so candidate generation can skip the listing's own company without a join.
    .addColumn('company_id', 'uuid', (c) => c.notNull())
    .addColumn('term', 'text', (c) => c.notNull())
    .addColumn('weight', 'real', (c) => c.notNull())
    .addPrimaryKeyConstraint('listing_terms_pk', ['listing_id', 'term'])
    .execute();
  await sql`create index listing_terms_side_term on listing_terms (side, term) include (listing_id, company_id, weight)`.execute(db);

  await db.schema
    .createTable('term_stats')
    .addColumn('term', 'text', (c) => c.primaryKey())
    .addColumn('df', 'integer', (c) => c.notNull().check(sql`df >= 0`))
    .execute();
  await db.schema
    .createTable('corpus_stats')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into corpus_stats (key, value) values ('indexed_listings', 0)`.execute(db);

  await db.schema
    .createTable('matches')
    .addColumn('need_id', 'uuid', (c) => c.notNull().references('listings.id').onDelete('cascade'))
    .addColumn('capability_id', 'uuid', (c) => c.notNull().references('listings.id').onDelete('cascade'))
    .addColumn('need_company_id', 'uuid', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('capability_company_id', 'uuid', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('score', 'real', (c) => c.notNull().check(sql`score >= 0 and score <= 1`))
    .addColumn('components', 'jsonb', (c) => c.notNull())
    .addColumn('explanation', 'jsonb', (c) => c.notNull())
    .addColumn('scored_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('matches_pk', ['need_id', 'capability_id'])
    .addCheckConstraint('matches_other_company', sql`need_company_id <> capability_company_id`)
    .execute();
  await db.schema.createIndex('matches_need_score').on('matches').columns(['need_id', 'score desc']).execute();
  await db.schema.createIndex('matches_capability_score').on('matches').columns(['capability_id', 'score desc']).execute();
  await db.schema.createIndex('matches_need_company').on('matches').columns(['need_company_id', 'score desc']).execute();
  await db.schema.createIndex('matches_capability_company').on('matches').columns(['capability_company_id', 'score desc']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['matches', 'corpus_stats', 'term_stats', 'listing_terms', 'scoring_outbox']) {
    await db.schema.dropTable(table).execute();
  }
}
