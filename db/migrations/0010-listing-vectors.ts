// Each listing's stored vector as one row (terms and weights as arrays), next to the postings.
// Exact scoring reads the vectors of 200 candidates per job: as postings that was ~7,400 rows and
// 6–7 ms of a 30 ms job, mostly spent parsing rows; as arrays it is 200 rows.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('listing_vectors')
    .addColumn('listing_id', 'uuid', (c) => c.primaryKey())
    .addColumn('terms', sql`text[]`, (c) => c.notNull())
    .addColumn('weights', sql`real[]`, (c) => c.notNull())
    .execute();
  await sql`
    insert into listing_vectors (listing_id, terms, weights)
    select listing_id, array_agg(term order by term), array_agg(weight order by term) from listing_terms group by listing_id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('listing_vectors').execute();
}
