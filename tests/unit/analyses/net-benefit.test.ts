import { describe, expect, it } from 'vitest';
import { computeNetBenefits, netHealthBenefit, netMonetaryBenefit } from '../../../models/analyses/net-benefit';

describe('net benefit definitions (Stinnett & Mullahy 1998)', () => {
  it('NMB = effect*wtp - cost', () => {
    expect(netMonetaryBenefit(1000, 0.5, 20000)).toBe(9000);
    expect(netMonetaryBenefit(1000, 0.5, 0)).toBe(-1000);
  });

  it('NHB = effect - cost/wtp', () => {
    expect(netHealthBenefit(1000, 0.5, 20000)).toBeCloseTo(0.45, 15);
    expect(netHealthBenefit(-1000, 0.5, 20000)).toBeCloseTo(0.55, 15);
  });

  it('NHB at wtp 0 uses the limit: -Infinity for cost > 0, +Infinity for cost < 0, effect for cost 0', () => {
    expect(netHealthBenefit(1, 0.5, 0)).toBe(-Infinity);
    expect(netHealthBenefit(-1, 0.5, 0)).toBe(Infinity);
    expect(netHealthBenefit(0, 0.5, 0)).toBe(0.5);
  });
});

describe('computeNetBenefits', () => {
  const pts = [
    { id: 'new', cost: 3000, effect: 1.1 },
    { id: 'soc', cost: 1000, effect: 1.0 },
    { id: 'dom', cost: 4000, effect: 0.9 },
  ];

  it('gives NMB/NHB per strategy and increments vs the computeIncremental reference (cheapest non-dominated)', () => {
    const [row] = computeNetBenefits(pts, [30000]);
    expect(row.wtp).toBe(30000);
    expect(row.strategies.map((s) => s.id)).toEqual(['new', 'soc', 'dom']); // input order
    const byId = Object.fromEntries(row.strategies.map((s) => [s.id, s]));
    // new: 1.1*30000 - 3000 = 30000; soc: 30000 - 1000 = 29000; dom: 27000 - 4000 = 23000.
    expect(byId.new.nmb).toBeCloseTo(30000, 9);
    expect(byId.soc.nmb).toBeCloseTo(29000, 9);
    expect(byId.dom.nmb).toBeCloseTo(23000, 9);
    expect(byId.new.nhb).toBeCloseTo(1.1 - 0.1, 12);
    // Reference is soc: incremental NMB of new = 0.1*30000 - 2000 = 1000; NHB = 0.1 - 2000/30000.
    expect(byId.soc.incrementalNmb).toBe(0);
    expect(byId.soc.incrementalNhb).toBe(0);
    expect(byId.new.incrementalNmb).toBeCloseTo(1000, 9);
    expect(byId.new.incrementalNhb).toBeCloseTo(0.1 - 2000 / 30000, 12);
    expect(byId.dom.incrementalNmb).toBeCloseTo(-6000, 9);
    expect(row.optimal).toBe('new');
  });

  it('switches the optimal strategy at the ICER (2000 / 0.1 = 20000)', () => {
    const rows = computeNetBenefits(pts, [0, 19999, 20001]);
    expect(rows.map((r) => r.optimal)).toEqual(['soc', 'soc', 'new']);
    // At wtp 0 incremental NHB follows the NHB limit on the cost/effect differences.
    const zero = Object.fromEntries(rows[0].strategies.map((s) => [s.id, s]));
    expect(zero.new.incrementalNhb).toBe(-Infinity);
    expect(zero.soc.incrementalNhb).toBe(0);
    expect(zero.soc.nhb).toBe(-Infinity);
  });

  it('breaks exact NMB ties in favour of the first strategy in input order', () => {
    // Effects 1.5 and 1.25 are exact in binary, so both NMBs are exactly 4000 at wtp 4000.
    const tie2 = [
      { id: 'b', cost: 2000, effect: 1.5 },
      { id: 'a', cost: 1000, effect: 1.25 },
    ];
    const [r2] = computeNetBenefits(tie2, [4000]); // 6000 - 2000 = 4000 = 5000 - 1000
    expect(r2.strategies.map((s) => s.nmb)).toEqual([4000, 4000]);
    expect(r2.optimal).toBe('b');
    const [r3] = computeNetBenefits([tie2[1], tie2[0]], [4000]);
    expect(r3.optimal).toBe('a');
  });

  it('validates input', () => {
    expect(() => computeNetBenefits([], [1])).toThrow(/no strategies/);
    expect(() => computeNetBenefits(pts, [-1])).toThrow(/WTP/);
    expect(() => computeNetBenefits(pts, [NaN])).toThrow(/WTP/);
  });
});
