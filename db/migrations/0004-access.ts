// Clusters, their member companies, and API tokens with roles. A token's secret is stored only as
// a SHA-256 hash; company tokens belong to one company, cluster-leader tokens to some clusters.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('clusters')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique().check(sql`char_length(name) between 1 and 200`))
    .addColumn('region', 'text')
    .addColumn('description', 'text', (c) => c.check(sql`char_length(description) <= 5000`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Memberships go with either side: deleting a cluster or a company removes them.
  await db.schema
    .createTable('cluster_members')
    .addColumn('cluster_id', 'uuid', (c) => c.notNull().references('clusters.id').onDelete('cascade'))
    .addColumn('company_id', 'uuid', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('added_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('cluster_members_pk', ['cluster_id', 'company_id'])
    .execute();
  await db.schema.createIndex('cluster_members_company').on('cluster_members').column('company_id').execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.check(sql`char_length(name) <= 200`))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin','cluster-leader','company')`))
    // A company's tokens die with it.
    .addColumn('company_id', 'uuid', (c) => c.references('companies.id').onDelete('cascade'))
    .addColumn('cluster_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addCheckConstraint('api_tokens_scope', sql`(role <> 'company' or company_id is not null) and (role <> 'cluster-leader' or cardinality(cluster_ids) > 0)`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['api_tokens', 'cluster_members', 'clusters']) await db.schema.dropTable(table).execute();
}
