// A match's company ids are copied from its two listings, whose own foreign keys already cascade
// a company's deletion to its listings and from them to the match. Checking the companies again
// on every inserted match was a third of the cost of writing a need's matches (measured: 4
// foreign-key triggers took 270 ms of 690 ms for 12,500 rows), for no integrity gained.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table matches drop constraint matches_need_company_id_fkey, drop constraint matches_capability_company_id_fkey`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table matches
    add constraint matches_need_company_id_fkey foreign key (need_company_id) references companies (id) on delete cascade,
    add constraint matches_capability_company_id_fkey foreign key (capability_company_id) references companies (id) on delete cascade`.execute(db);
}
