// Cluster analytics for leaders: members, open needs, suggested matches, introductions by state,
// the share that crossed industries, and monthly series. Aggregates in SQL, one query each.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { COMPONENT_POSITION } from '../db/stored-match.js';

export async function clusterAnalytics(db: Kysely<Database>, clusterId: string, months: number) {
  const members = sql`select company_id from cluster_members where cluster_id = ${clusterId}`;
  const [counts, introductions, series] = await Promise.all([
    sql<{ members: number; open_needs: number; matches: number; cross_industry_matches: number }>`
      select
        (select count(*)::int from cluster_members where cluster_id = ${clusterId}) as members,
        (select count(*)::int from listings where side = 'need' and company_id in (${members})) as open_needs,
        (select count(*)::int from listings n join matches m on m.need_id = n.id where n.side = 'need' and n.company_id in (${members})) as matches,
        (select count(*)::int from listings n join matches m on m.need_id = n.id
          where n.side = 'need' and n.company_id in (${members}) and (m.components->>${COMPONENT_POSITION.crossIndustry}::int)::float = 1) as cross_industry_matches`.execute(db),
    sql<{ state: string; n: number; cross_industry: number }>`
      select i.state, count(*)::int as n,
             count(*) filter (where left(a.nace_code, 2) <> left(b.nace_code, 2))::int as cross_industry
      from introductions i join companies a on a.id = i.company_a_id join companies b on b.id = i.company_b_id
      where i.cluster_id = ${clusterId}
      group by i.state`.execute(db),
    sql<{ month: string; introductions: number; needs: number }>`
      select to_char(m.month, 'YYYY-MM') as month,
        (select count(*)::int from introductions i where i.cluster_id = ${clusterId} and date_trunc('month', i.created_at) = m.month) as introductions,
        (select count(*)::int from listings l where l.side = 'need' and l.company_id in (${members}) and date_trunc('month', l.created_at) = m.month) as needs
      from generate_series(date_trunc('month', now()) - make_interval(months => ${months - 1}), date_trunc('month', now()), interval '1 month') as m(month)
      order by m.month`.execute(db),
  ]);
  const c = counts.rows[0]!;
  const byState = Object.fromEntries(introductions.rows.map((r) => [r.state, r.n]));
  const totalIntroductions = introductions.rows.reduce((sum, r) => sum + r.n, 0);
  const crossIntroductions = introductions.rows.reduce((sum, r) => sum + r.cross_industry, 0);
  return {
    members: c.members,
    openNeeds: c.open_needs,
    suggestedMatches: c.matches,
    introductionsByState: byState,
    crossIndustryShare: {
      matches: c.matches ? c.cross_industry_matches / c.matches : 0,
      introductions: totalIntroductions ? crossIntroductions / totalIntroductions : 0,
    },
    monthly: series.rows,
  };
}
