// A log of which listings' stored vectors changed, and in which transaction, so a scoring worker
// can keep its in-memory capability index current with small refreshes ("what changed since my
// last look") instead of reloading every vector.
// Transaction ids, not timestamps or a sequence: a reader that remembers the oldest transaction
// still running at its last look (pg_snapshot_xmin) and asks for changes from there on misses
// nothing, even a change from a long transaction that commits after a newer one. Written by
// statement triggers on listing_vectors, so every writer (per-listing jobs, batches, bulk loads)
// is logged alike; old rows are pruned with the outbox's.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table index_changes (
      listing_id uuid not null,
      xid xid8 not null default pg_current_xact_id(),
      changed_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index index_changes_xid on index_changes (xid)`.execute(db);
  await sql`create index index_changes_changed_at on index_changes (changed_at)`.execute(db);
  await sql`
    create function log_index_changes() returns trigger language plpgsql as $$
    begin
      insert into index_changes (listing_id) select distinct listing_id from changed_vectors;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger listing_vectors_log_inserts after insert on listing_vectors
    referencing new table as changed_vectors for each statement execute function log_index_changes()`.execute(db);
  await sql`
    create trigger listing_vectors_log_deletes after delete on listing_vectors
    referencing old table as changed_vectors for each statement execute function log_index_changes()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger listing_vectors_log_deletes on listing_vectors`.execute(db);
  await sql`drop trigger listing_vectors_log_inserts on listing_vectors`.execute(db);
  await sql`drop function log_index_changes()`.execute(db);
  await sql`drop table index_changes`.execute(db);
}
