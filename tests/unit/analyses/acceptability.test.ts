import { describe, expect, it } from 'vitest';
import { computeCeac, computeCeaf } from '../../../models/analyses/acceptability';
import type { OutcomeTable } from '../../../models/analyses/outcome-table';

const f = (xs: number[]) => Float64Array.from(xs);

// Two strategies, four draws. At wtp 100:
//   A: NMB = 1*100 - 0 = 100 in every draw
//   B: NMB = [0.5, 1.5, 2, 1]*100 - 50 = [0, 100, 150, 50]
// Hand count: draw 0 A, draw 1 tie (half each), draw 2 B, draw 3 A -> P(A) = 2.5/4, P(B) = 1.5/4.
const tiny: OutcomeTable = {
  strategyIds: ['A', 'B'],
  costs: [f([0, 0, 0, 0]), f([50, 50, 50, 50])],
  effects: [f([1, 1, 1, 1]), f([0.5, 1.5, 2, 1])],
};

describe('computeCeac', () => {
  it('matches hand counts, splitting exact ties equally', () => {
    const [p] = computeCeac(tiny, [100]);
    expect(p.wtp).toBe(100);
    expect(p.probabilities).toEqual({ A: 0.625, B: 0.375 });
  });

  it('at wtp 0 the cheaper strategy always wins', () => {
    expect(computeCeac(tiny, [0])[0].probabilities).toEqual({ A: 1, B: 0 });
  });

  it('probabilities sum to 1 at every WTP, including three-way ties', () => {
    const t: OutcomeTable = {
      strategyIds: ['x', 'y', 'z'],
      costs: [f([0, 10, 20, 0, 5]), f([0, 20, 10, 5, 5]), f([0, 30, 0, 10, 5])],
      effects: [f([0, 1, 1, 0, 1]), f([0, 1, 1, 0.1, 1]), f([0, 1, 1, 0.2, 1])],
    };
    const wtps = [0, 50, 100, 1000];
    for (const p of computeCeac(t, wtps)) {
      const sum = Object.values(p.probabilities).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1, 14);
    }
    // Draws 0 and 4 are three-way ties at every WTP (1/3 each).
    // wtp 0: draw1 x, draw2 z, draw3 x -> x 2 + 2/3, y 2/3, z 1 + 2/3, over 5.
    const p0 = computeCeac(t, [0])[0].probabilities;
    expect(p0.x).toBeCloseTo((2 + 2 / 3) / 5, 14);
    expect(p0.y).toBeCloseTo(2 / 3 / 5, 14);
    expect(p0.z).toBeCloseTo((1 + 2 / 3) / 5, 14);
  });

  it('rejects a malformed table', () => {
    expect(() => computeCeac({ strategyIds: ['a'], costs: [f([1])], effects: [f([1, 2])] }, [1])).toThrow(/draws/);
    expect(() => computeCeac({ strategyIds: [], costs: [], effects: [] }, [1])).toThrow(/no strategies/);
    expect(() => computeCeac({ strategyIds: ['a'], costs: [f([NaN])], effects: [f([1])] }, [1])).toThrow(/non-finite/);
  });
});

describe('computeCeaf (Fenwick et al. 2001)', () => {
  it('picks the strategy with the highest expected NMB, not the most probable', () => {
    // At wtp 1: A NMB 100 always; B NMB [110, 110, 110, -100] (mean 57.5).
    // B is more often optimal (P = 0.75), but A has the higher expected NMB -> CEAF: A, P(A) = 0.25.
    const t: OutcomeTable = {
      strategyIds: ['A', 'B'],
      costs: [f([0, 0, 0, 0]), f([0, 0, 0, 0])],
      effects: [f([100, 100, 100, 100]), f([110, 110, 110, -100])],
    };
    expect(computeCeac(t, [1])[0].probabilities).toEqual({ A: 0.25, B: 0.75 });
    expect(computeCeaf(t, [1])).toEqual([{ wtp: 1, optimal: 'A', probability: 0.25 }]);
  });

  it('follows the expected-NMB optimum across WTPs (tiny table: A 100 vs B 75 at wtp 100)', () => {
    const out = computeCeaf(tiny, [0, 100, 300]);
    // wtp 300: E[NMB_A] = 300, E[NMB_B] = 1.25*300 - 50 = 325 -> B; B wins draws 1, 2 (and ties none):
    // NMB_B = [100, 400, 550, 250] vs 300 -> P(B) = 2/4.
    expect(out).toEqual([
      { wtp: 0, optimal: 'A', probability: 1 },
      { wtp: 100, optimal: 'A', probability: 0.625 },
      { wtp: 300, optimal: 'B', probability: 0.5 },
    ]);
  });

  it('gives exact ties in expected NMB to the first strategy in table order', () => {
    // At wtp 200: E[NMB_A] = 200, E[NMB_B] = 1.25*200 - 50 = 200.
    expect(computeCeaf(tiny, [200])[0].optimal).toBe('A');
  });
});
