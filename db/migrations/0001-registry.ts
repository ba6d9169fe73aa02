// Companies and their listings (needs and capabilities share one table: same fields, one side flag).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('companies')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().check(sql`char_length(name) between 1 and 200`))
    .addColumn('org_number', 'text', (c) => c.unique().check(sql`org_number ~ '^[0-9]{9}$'`))
    .addColumn('nace_code', 'text', (c) => c.notNull().check(sql`nace_code ~ '^[0-9]{2}\\.[0-9]{1,3}$'`))
    .addColumn('region', 'text')
    .addColumn('value_chain_role', 'text', (c) =>
      c.check(
        sql`value_chain_role in ('raw-material','component-supplier','manufacturer','service','logistics','recycler','research-education','end-customer')`,
      ),
    )
    .addColumn('employees', 'integer', (c) => c.check(sql`employees >= 0`))
    .addColumn('description', 'text')
    .addColumn('website', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('listings')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    // A company's listings go with it: deleting the company deletes them (and, through them, matches).
    .addColumn('company_id', 'uuid', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('side', 'text', (c) => c.notNull().check(sql`side in ('need','capability')`))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('competence','capacity','equipment','product','byproduct','rnd','logistics','service')`),
    )
    .addColumn('title', 'text', (c) => c.notNull().check(sql`char_length(title) between 1 and 200`))
    .addColumn('description', 'text', (c) => c.notNull().check(sql`char_length(description) <= 5000`))
    .addColumn('lang', 'text', (c) => c.notNull().check(sql`lang in ('nb','nn','en')`))
    .addColumn('lang_detected', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('tags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`).check(sql`cardinality(tags) <= 20`))
    .addColumn('visibility', 'text', (c) => c.notNull().defaultTo('public').check(sql`visibility in ('public','cluster','private')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('listings_company_side_id').on('listings').columns(['company_id', 'side', 'id']).execute();
  await db.schema.createIndex('listings_side_id').on('listings').columns(['side', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('listings').execute();
  await db.schema.dropTable('companies').execute();
}
