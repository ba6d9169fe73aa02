// Ranking metrics of the labelled sets (see shared eval README): computed per need that has at
// least one relevant capability, then averaged. Pure functions.
export type Grades = Map<string, number>;

export interface RankingMetrics {
  ndcg10: number;
  p5: number;
  r10: number;
  mrr: number;
}

const gain = (grade: number) => 2 ** grade - 1;

export function ndcgAt(ranked: string[], grades: Grades, k: number): number {
  const dcg = ranked.slice(0, k).reduce((sum, id, i) => sum + gain(grades.get(id) ?? 0) / Math.log2(i + 2), 0);
  const ideal = [...grades.values()]
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((sum, grade, i) => sum + gain(grade) / Math.log2(i + 2), 0);
  return ideal === 0 ? 0 : dcg / ideal;
}

export function precisionAt(ranked: string[], grades: Grades, k: number): number {
  const hits = ranked.slice(0, k).filter((id) => (grades.get(id) ?? 0) > 0).length;
  return hits / Math.min(k, grades.size);
}

export function recallAt(ranked: string[], grades: Grades, k: number): number {
  const hits = ranked.slice(0, k).filter((id) => (grades.get(id) ?? 0) > 0).length;
  return hits / grades.size;
}

export function reciprocalRank(ranked: string[], grades: Grades): number {
  const index = ranked.findIndex((id) => (grades.get(id) ?? 0) > 0);
  return index < 0 ? 0 : 1 / (index + 1);
}

export function metricsFor(ranked: string[], grades: Grades): RankingMetrics {
  return { ndcg10: ndcgAt(ranked, grades, 10), p5: precisionAt(ranked, grades, 5), r10: recallAt(ranked, grades, 10), mrr: reciprocalRank(ranked, grades) };
}

export function average(rows: RankingMetrics[]): RankingMetrics & { n: number } {
  const n = rows.length;
  const mean = (key: keyof RankingMetrics) => (n === 0 ? 0 : rows.reduce((sum, r) => sum + r[key], 0) / n);
  return { ndcg10: mean('ndcg10'), p5: mean('p5'), r10: mean('r10'), mrr: mean('mrr'), n };
}
