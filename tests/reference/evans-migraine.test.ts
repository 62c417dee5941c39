/**
 * Published decision-tree example: Evans KW, Boan JA, Evans JL, Shuaib A. Economic evaluation of
 * oral sumatriptan compared with oral caffeine/ergotamine for migraine. PharmacoEconomics
 * 1997;12(5):565-77 (base case), also worked in Briggs, Claxton & Sculpher (2006) ch. 2.
 * Published expected values per attack (two decimals, as reproduced in the rdecision package's
 * Evans 1997 vignette and tests): sumatriptan CAD 22.06 and utility 0.42; caffeine/ergotamine
 * CAD 4.71 and utility 0.20. The exact values are also computed by hand below (path by path).
 */
import { describe, expect, it } from 'vitest';
import { runBaseCase } from '../../models/analyses/base-case';
import { loadModelFile } from '../helpers/load';

const result = runBaseCase(loadModelFile('tests/reference/evans-migraine.model.json'));
const byId = Object.fromEntries(result.strategies.map((s) => [s.id, s]));

/** Hand rollback of one arm, written out path by path from the published tree. */
function handRollback(drug: number, pRelief: number, pNoRecurrence: number) {
  const ed = 63.16;
  const admission = 1093;
  const paths = [
    { p: pRelief * pNoRecurrence, cost: drug, u: 1.0 },
    { p: pRelief * (1 - pNoRecurrence), cost: 2 * drug, u: 0.9 },
    { p: (1 - pRelief) * 0.92, cost: drug, u: -0.3 },
    { p: (1 - pRelief) * 0.08 * 0.998, cost: drug + ed, u: 0.1 },
    { p: (1 - pRelief) * 0.08 * 0.002, cost: drug + ed + admission, u: -0.3 },
  ];
  return {
    cost: paths.reduce((s, x) => s + x.p * x.cost, 0),
    utility: paths.reduce((s, x) => s + x.p * x.u, 0),
  };
}

describe('Evans et al. 1997 migraine decision tree', () => {
  it('reproduces the published expected cost and utility per attack (to the published 2 decimals)', () => {
    expect(byId.sumatriptan.cost.toFixed(2)).toBe('22.06');
    expect(byId.caffeine.cost.toFixed(2)).toBe('4.71');
    expect(byId.sumatriptan.effect.toFixed(2)).toBe('0.42');
    expect(byId.caffeine.effect.toFixed(2)).toBe('0.20');
  });

  it('equals the hand-computed path-by-path rollback exactly', () => {
    const s = handRollback(16.1, 0.558, 0.594);
    const c = handRollback(1.32, 0.379, 0.703);
    expect(byId.sumatriptan.cost).toBeCloseTo(s.cost, 12);
    expect(byId.sumatriptan.effect).toBeCloseTo(s.utility, 12);
    expect(byId.caffeine.cost).toBeCloseTo(c.cost, 12);
    expect(byId.caffeine.effect).toBeCloseTo(c.utility, 12);
  });

  it('reports node-level expected values and path probabilities (rollback)', () => {
    const nodes = byId.sumatriptan.tree!;
    const root = nodes.find((n) => n.id === 'treatment')!;
    expect(root.expected.cost).toBeCloseTo(byId.sumatriptan.cost, 12);
    const hospitalised = nodes.find((n) => n.id === 's_E')!;
    expect(hospitalised.pathProbability).toBeCloseTo(0.442 * 0.08 * 0.002, 15);
    expect(hospitalised.expected.cost).toBeCloseTo(16.1 + 63.16 + 1093, 12);
    const pathSum = nodes.filter((n) => n.kind === 'terminal').reduce((s, n) => s + n.pathProbability, 0);
    expect(pathSum).toBeCloseTo(1, 14);
  });

  it('ICER of sumatriptan vs caffeine/ergotamine follows from the two arms', () => {
    const row = result.incremental.find((r) => r.id === 'sumatriptan')!;
    expect(row.comparator).toBe('caffeine');
    expect(row.icer).toBeCloseTo((byId.sumatriptan.cost - byId.caffeine.cost) / (byId.sumatriptan.effect - byId.caffeine.effect), 9);
  });
});
