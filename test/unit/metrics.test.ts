import { describe, expect, it } from 'vitest';
import { average, metricsFor, ndcgAt } from '../../src/eval/metrics.js';

describe('ranking metrics', () => {
  const grades = new Map([
    ['a', 2],
    ['b', 1],
  ]);

  it('gives 1 for the ideal order and less for a worse one', () => {
    expect(ndcgAt(['a', 'b', 'x'], grades, 10)).toBeCloseTo(1);
    expect(ndcgAt(['b', 'a', 'x'], grades, 10)).toBeLessThan(1);
    expect(ndcgAt(['x', 'y'], grades, 10)).toBe(0);
  });

  it('computes P@5 over min(5, relevant), R@10 and MRR', () => {
    const m = metricsFor(['x', 'b', 'y', 'z', 'w', 'a'], grades);
    expect(m.p5).toBeCloseTo(0.5);
    expect(m.r10).toBeCloseTo(1);
    expect(m.mrr).toBeCloseTo(0.5);
  });

  it('averages per need', () => {
    const avg = average([metricsFor(['a', 'b'], grades), metricsFor(['x'], grades)]);
    expect(avg.n).toBe(2);
    expect(avg.mrr).toBeCloseTo(0.5);
  });
});
