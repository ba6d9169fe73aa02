// Matches store their components and explanation as JSON arrays in a fixed order instead of
// objects (src/db/stored-match.ts says why and reads them). Each value's text is kept as written,
// so a pair that a re-score finds unchanged compares equal and is not rewritten (see
// replaceNeedsMatches); json_build_array would have spaced it differently.
import { sql, type Kysely } from 'kysely';

const member = (column: string, key: string, otherwise: string) => sql.raw(`coalesce(${column}->'${key}', '${otherwise}'::json)::text`);

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    update matches set
      components = ('[' || ${member('components', 'text', '0')} || ',' || ${member('components', 'crossIndustry', '0')} || ','
        || ${member('components', 'valueChain', '0')} || ',' || ${member('components', 'kindFit', '0')} || ','
        || ${member('components', 'circular', '0')} || ']')::json,
      explanation = ('[' || ${member('explanation', 'sharedTerms', '[]')} || ',' || ${member('explanation', 'concepts', '[]')} || ','
        || ${member('explanation', 'circular', '[]')} || ']')::json`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    update matches set
      components = json_build_object('text', components->0, 'crossIndustry', components->1, 'valueChain', components->2,
        'kindFit', components->3, 'circular', components->4),
      explanation = json_build_object('sharedTerms', explanation->0, 'concepts', explanation->1, 'circular', explanation->2)`.execute(db);
}
