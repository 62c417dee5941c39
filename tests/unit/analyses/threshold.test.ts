/**
 * Threshold analysis. Expected thresholds are solved by hand on models where INMB is linear in
 * the parameter, and checked on Chancellor against a direct evaluation at the value found.
 */
import { describe, expect, it } from 'vitest';
import type { ModelFile } from '../../../models/schema/model-file';
import { runBaseCase } from '../../../models/analyses/base-case';
import { brent, findThreshold } from '../../../models/analyses/threshold';
import { loadModelFile } from '../../helpers/load';
import { buildModel } from '../../helpers/model-builder';

function model(): ModelFile {
  return buildModel({
    settings: { timeHorizon: { value: 1, unit: 'years' } },
    parameters: [
      { id: 'cost_a', value: 1000 },
      { id: 'cost_b', value: 5000, low: 0, high: 50000 },
      { id: 'p_response', value: 0.4, low: 0.05, high: 0.95 },
      { id: 'cost_arm', value: 'cost_a' },
      { id: 'qaly_arm', value: 1 },
    ],
    trees: [
      {
        id: 't',
        root: {
          kind: 'chance',
          id: 'response',
          branches: [
            { probability: 'p_response', node: { kind: 'terminal', id: 'yes', rewards: { cost: 'cost_arm', qaly: 'qaly_arm + 1' } } },
            { probability: 'C', node: { kind: 'terminal', id: 'no', rewards: { cost: 'cost_arm', qaly: 'qaly_arm' } } },
          ],
        },
      },
    ],
    strategies: [
      // A: no response possible (p overridden to 0); B: responds with probability p_response.
      { id: 'A', name: 'A', entry: { kind: 'tree', tree: 't' }, overrides: { p_response: 0 } },
      { id: 'B', name: 'B', entry: { kind: 'tree', tree: 't' }, overrides: { cost_arm: 'cost_b' } },
    ],
  });
}

describe('findThreshold', () => {
  // INMB(B vs A) = ΔE·wtp − ΔC = p·wtp − (cost_b − cost_a).
  it('price threshold: cost_b* = cost_a + p·wtp = 1000 + 0.4·20000 = 9000', () => {
    const r = findThreshold(model(), { parameter: 'cost_b', strategy: 'B', comparator: 'A' });
    expect(r.status).toBe('found');
    expect(r.thresholds).toHaveLength(1);
    expect(Math.abs(r.thresholds[0].value - 9000) / 9000).toBeLessThan(1e-10);
    expect(r.thresholds[0].preferredBelow).toBe('B');
    expect(r.thresholds[0].preferredAbove).toBe('A');
    expect(r.range).toEqual([0, 50000]);
  });

  it('effect threshold: p* = (cost_b − cost_a)/wtp = 4000/20000 = 0.2, and 4000/30000 at WTP 30000', () => {
    const r = findThreshold(model(), { parameter: 'p_response', strategy: 'B', comparator: 'A' });
    expect(Math.abs(r.thresholds[0].value - 0.2) / 0.2).toBeLessThan(1e-10);
    expect(r.thresholds[0].preferredBelow).toBe('A');
    const r30 = findThreshold(model(), { parameter: 'p_response', strategy: 'B', comparator: 'A', wtp: 30000 });
    expect(Math.abs(r30.thresholds[0].value - 4000 / 30000) / (4000 / 30000)).toBeLessThan(1e-10);
  });

  it('reports "no threshold in range" explicitly', () => {
    const r = findThreshold(model(), { parameter: 'p_response', strategy: 'B', comparator: 'A', range: [0.5, 0.9] });
    expect(r.status).toBe('none');
    expect(r.thresholds).toEqual([]);
    expect(r.message).toMatch(/^no threshold in range \[0\.5, 0\.9\]: B has the higher net monetary benefit/);
  });

  it('Chancellor: the rr_comb at which the ICER equals £20,000/LY', () => {
    const chancellor = loadModelFile('tests/reference/chancellor-hiv.model.json');
    const r = findThreshold(chancellor, { parameter: 'rr_comb', wtp: 20000, range: [0.3, 1] });
    expect(r.status).toBe('found');
    const value = r.thresholds[0].value;
    const copy = structuredClone(chancellor);
    copy.parameters.find((p) => p.id === 'rr_comb')!.value = value;
    const icer = runBaseCase(copy, {}, { detail: false }).incremental.find((x) => x.id === 'comb')!.icer!;
    expect(Math.abs(icer - 20000) / 20000).toBeLessThan(1e-7);
    // Base rr_comb 0.509 gives ICER ≈ 6,276 < 20,000, so combination is preferred below the threshold.
    expect(r.thresholds[0].preferredBelow).toBe('comb');
  });

  it('unknown parameter and missing range are ModelErrors', () => {
    expect(() => findThreshold(model(), { parameter: 'nope' })).toThrow(/unknown parameter 'nope'/);
    expect(() => findThreshold(model(), { parameter: 'cost_a' })).toThrow(/no range/);
  });
});

describe('brent', () => {
  it('finds the root of cos(x) − x (the Dottie number 0.7390851332151607) to 1e-15', () => {
    const f = (x: number) => Math.cos(x) - x;
    const r = brent(f, 0, 1, f(0), f(1), () => 1e-15);
    expect(Math.abs(r.x - 0.7390851332151607)).toBeLessThan(1e-14);
  });
});
