import { describe, expect, it } from 'vitest';
import { validateOutcomeTable, wtpGrid } from '../../../models/analyses/outcome-table';

describe('wtpGrid', () => {
  it('is inclusive of both ends', () => {
    expect(wtpGrid(0, 50000, 10000)).toEqual([0, 10000, 20000, 30000, 40000, 50000]);
    expect(wtpGrid(5, 5, 1)).toEqual([5]);
  });

  it('computes points by multiplication and snaps the end, so fractional steps do not drift', () => {
    const g = wtpGrid(0, 1, 0.1);
    expect(g).toHaveLength(11);
    expect(g[3]).toBe(3 * 0.1);
    expect(g[10]).toBe(1);
  });

  it('appends max when it is not on the grid', () => {
    expect(wtpGrid(0, 25, 10)).toEqual([0, 10, 20, 25]);
  });

  it('validates its arguments', () => {
    expect(() => wtpGrid(-1, 10, 1)).toThrow(/min/);
    expect(() => wtpGrid(10, 0, 1)).toThrow(/max/);
    expect(() => wtpGrid(0, 10, 0)).toThrow(/step/);
    expect(() => wtpGrid(0, 10, -1)).toThrow(/step/);
    expect(() => wtpGrid(0, Infinity, 1)).toThrow(/finite/);
    expect(() => wtpGrid(0, NaN, 1)).toThrow(/finite/);
    expect(() => wtpGrid(0, 1e9, 1)).toThrow(/more than/);
  });
});

describe('validateOutcomeTable', () => {
  it('returns the dimensions and rejects inconsistent tables', () => {
    const f = (xs: number[]) => Float64Array.from(xs);
    expect(validateOutcomeTable({ strategyIds: ['a', 'b'], costs: [f([1, 2]), f([3, 4])], effects: [f([0, 0]), f([1, 1])] }, 't')).toEqual({
      nStrategies: 2,
      nDraws: 2,
    });
    expect(() => validateOutcomeTable({ strategyIds: ['a', 'a'], costs: [f([1]), f([1])], effects: [f([1]), f([1])] }, 't')).toThrow(/duplicate/);
    expect(() => validateOutcomeTable({ strategyIds: ['a'], costs: [f([])], effects: [f([])] }, 't')).toThrow(/no draws/);
    expect(() => validateOutcomeTable({ strategyIds: ['a', 'b'], costs: [f([1])], effects: [f([1])] }, 't')).toThrow(/one cost/);
  });
});
