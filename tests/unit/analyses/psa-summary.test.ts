import { describe, expect, it } from 'vitest';
import { cePlanePoints, quantileSorted, summarisePsa } from '../../../models/analyses/psa-summary';
import type { OutcomeTable } from '../../../models/analyses/outcome-table';

const f = (xs: number[]) => Float64Array.from(xs);

describe('summarisePsa', () => {
  it('gives means and 2.5/97.5 percentiles (Hyndman-Fan type 7, as R quantile())', () => {
    // Costs 1..11 shuffled: mean 6; type 7 with n = 11: h = 10p -> 2.5%: 1 + 0.25*(2-1) = 1.25,
    // 97.5%: h = 9.75 -> 10 + 0.75*(11-10) = 10.75. R: quantile(1:11, c(.025,.975)) = 1.25 10.75.
    const costs = f([5, 1, 11, 3, 9, 7, 2, 10, 4, 8, 6]);
    const effects = costs.map((c) => c / 10);
    const t: OutcomeTable = { strategyIds: ['a', 'b'], costs: [costs, f(Array(11).fill(3))], effects: [effects, f(Array(11).fill(0.5))] };
    const [a, b] = summarisePsa(t);
    expect(a.id).toBe('a');
    expect(a.meanCost).toBeCloseTo(6, 14);
    expect(a.meanEffect).toBeCloseTo(0.6, 14);
    expect(a.costInterval[0]).toBeCloseTo(1.25, 12);
    expect(a.costInterval[1]).toBeCloseTo(10.75, 12);
    expect(a.effectInterval[0]).toBeCloseTo(0.125, 12);
    expect(a.effectInterval[1]).toBeCloseTo(1.075, 12);
    expect(b).toEqual({ id: 'b', meanCost: 3, meanEffect: 0.5, costInterval: [3, 3], effectInterval: [0.5, 0.5] });
    // The input is not reordered.
    expect(Array.from(costs.slice(0, 3))).toEqual([5, 1, 11]);
  });

  it('quantileSorted handles ends and a single value', () => {
    expect(quantileSorted(f([1, 2, 3, 4]), 0)).toBe(1);
    expect(quantileSorted(f([1, 2, 3, 4]), 1)).toBe(4);
    expect(quantileSorted(f([1, 2, 3, 4]), 0.5)).toBe(2.5);
    expect(quantileSorted(f([7]), 0.975)).toBe(7);
  });
});

describe('cePlanePoints', () => {
  const t: OutcomeTable = {
    strategyIds: ['soc', 'new', 'alt'],
    costs: [f([10, 20, 30, 40, 50]), f([15, 22, 35, 41, 60]), f([0, 0, 0, 0, 0])],
    effects: [f([1, 1, 1, 1, 1]), f([1.5, 1.25, 2, 1, 0.5]), f([0, 0, 0, 0, 0])],
  };

  it('gives per-draw increments vs the comparator for every other strategy', () => {
    const out = cePlanePoints(t, 'soc');
    expect(out.map((s) => [s.id, s.comparator])).toEqual([
      ['new', 'soc'],
      ['alt', 'soc'],
    ]);
    expect(out[0].points).toEqual([
      { draw: 0, incrementalCost: 5, incrementalEffect: 0.5 },
      { draw: 1, incrementalCost: 2, incrementalEffect: 0.25 },
      { draw: 2, incrementalCost: 5, incrementalEffect: 1 },
      { draw: 3, incrementalCost: 1, incrementalEffect: 0 },
      { draw: 4, incrementalCost: 10, incrementalEffect: -0.5 },
    ]);
  });

  it('thins deterministically to evenly spaced draws, the same for every strategy', () => {
    const out = cePlanePoints(t, 'soc', 2);
    // floor(j * 5 / 2) for j = 0, 1 -> draws 0 and 2.
    expect(out[0].points.map((p) => p.draw)).toEqual([0, 2]);
    expect(out[1].points.map((p) => p.draw)).toEqual([0, 2]);
    expect(cePlanePoints(t, 'soc', 99)[0].points).toHaveLength(5);
  });

  it('validates the comparator and maxPoints', () => {
    expect(() => cePlanePoints(t, 'nope')).toThrow(/unknown comparator/);
    expect(() => cePlanePoints(t, 'soc', 0)).toThrow(/maxPoints/);
    expect(() => cePlanePoints(t, 'soc', 1.5)).toThrow(/maxPoints/);
  });
});
