/**
 * PSA: convergence to analytic means, reproducibility (same seed, any split into shards or
 * blocks gives byte-identical JSON), agreement with the colleague's table-based analyses on the
 * same draws, streaming-mode behaviour, and errors.
 */
import { describe, expect, it } from 'vitest';
import type { ModelFile } from '../../../models/schema/model-file';
import { ModelError } from '../../../models/schema/model-issue';
import {
  P2Quantile,
  PsaMergeError,
  PsaEvaluator,
  drawDependentStrategies,
  mergePsaShards,
  psaResultTable,
  runPsa,
  stringifyPsaResult,
  defaultWtpGrid,
} from '../../../models/analyses/psa';
import { computeCeac, computeCeaf } from '../../../models/analyses/acceptability';
import { computeEvpi } from '../../../models/analyses/voi';
import { cePlanePoints, quantileSorted, summarisePsa } from '../../../models/analyses/psa-summary';
import { loadModelFile } from '../../helpers/load';
import { drawStream } from '../../../models/psa/random';
import { sampleStandardNormal } from '../../../models/psa/distributions';
import { buildModel } from '../../helpers/model-builder';

/** B vs A on a one-node tree: E[cost_B] = 5000 and E[QALY_B] = 1 + E[p] = 1.4 exactly (linear in the draws). */
function linearModel(pDistribution: Record<string, unknown> = { type: 'beta', mean: 0.4, se: 0.05 }): ModelFile {
  return buildModel({
    settings: { timeHorizon: { value: 1, unit: 'years' }, wtpThresholds: [10000, 20000] },
    parameters: [
      { id: 'cost_a', value: 1000 },
      { id: 'cost_b', value: 5000, distribution: { type: 'gamma', mean: 5000, se: 500 } },
      { id: 'p_response', value: 0.4, distribution: pDistribution },
      { id: 'cost_arm', value: 'cost_a' },
    ],
    trees: [
      {
        id: 't',
        root: {
          kind: 'chance',
          id: 'response',
          branches: [
            { probability: 'p_response', node: { kind: 'terminal', id: 'yes', rewards: { cost: 'cost_arm', qaly: 2 } } },
            { probability: 'C', node: { kind: 'terminal', id: 'no', rewards: { cost: 'cost_arm', qaly: 1 } } },
          ],
        },
      },
    ],
    strategies: [
      { id: 'A', name: 'A', entry: { kind: 'tree', tree: 't' }, overrides: { p_response: 0 } },
      { id: 'B', name: 'B', entry: { kind: 'tree', tree: 't' }, overrides: { cost_arm: 'cost_b' } },
    ],
  });
}

describe('runPsa on a linear model', () => {
  it('means converge to the deterministic values within 4 Monte Carlo standard errors', () => {
    const n = 20000;
    const r = runPsa(linearModel(), { n, seed: 42 });
    const b = r.strategies.find((s) => s.id === 'B')!;
    // SE of the mean cost = 500/sqrt(n) ≈ 3.54; of the mean QALY = 0.05/sqrt(n) ≈ 3.5e-4.
    expect(Math.abs(b.meanCost - 5000)).toBeLessThan((4 * 500) / Math.sqrt(n));
    expect(Math.abs(b.meanEffect - 1.4)).toBeLessThan((4 * 0.05) / Math.sqrt(n));
    // A does not depend on any draw: constant cost 1000 and QALY 1 in every draw.
    const a = r.strategies.find((s) => s.id === 'A')!;
    expect([a.meanCost, a.meanEffect, a.costInterval[0], a.costInterval[1]]).toEqual([1000, 1, 1000, 1000]);
    expect(r.n).toBe(n);
    expect(r.complete).toBe(true);
    expect(r.memory).toMatch(/summary-only/);
    expect(r.draws).toBeUndefined();
  });

  it('with kept draws, every summary equals the table-based analyses on the same draws', () => {
    const r = runPsa(linearModel(), { n: 3000, seed: 7, keepDraws: true });
    const table = psaResultTable(r);
    const summary = summarisePsa(table);
    r.strategies.forEach((s, i) => {
      expect(s.costInterval).toEqual(summary[i].costInterval);
      expect(s.effectInterval).toEqual(summary[i].effectInterval);
      expect(s.meanCost).toBe(summary[i].meanCost);
      expect(s.meanEffect).toBe(summary[i].meanEffect);
    });
    expect(r.ceac).toEqual(computeCeac(table, r.wtps));
    expect(r.ceaf).toEqual(computeCeaf(table, r.wtps));
    // EVPI: streaming formula E[max] − max E vs the regret form of computeEvpi: equal up to rounding.
    const evpi = computeEvpi(table, r.wtps);
    r.evpi.forEach((e, i) => expect(Math.abs(e.value - evpi[i].value)).toBeLessThan(1e-9 * 5000));
    expect(r.cePlane.series).toEqual(cePlanePoints(table, 'A', 1000).map((s) => ({ id: s.id, points: s.points })));
    expect(r.intervalMethod).toMatch(/exact/);
  });

  it('the default WTP grid is 0..3x the largest threshold in 50 steps plus the thresholds', () => {
    const grid = defaultWtpGrid([10000, 20000]);
    expect(grid[0]).toBe(0);
    expect(grid[grid.length - 1]).toBe(60000);
    expect(grid).toContain(10000);
    expect(grid).toContain(20000);
    expect(grid.length).toBe(51 + 2); // step 1200: neither 10000 nor 20000 is a grid point, so both are added
  });
});

describe('reproducibility', () => {
  const chancellor = loadModelFile('tests/reference/chancellor-hiv.model.json');

  it('the same seed gives byte-identical JSON; shards merged in any order give the single-run JSON', () => {
    const full = stringifyPsaResult(runPsa(chancellor, { n: 1000, seed: 11 }));
    expect(stringifyPsaResult(runPsa(chancellor, { n: 1000, seed: 11 }))).toBe(full);
    const s1 = JSON.parse(stringifyPsaResult(runPsa(chancellor, { n: 1000, seed: 11, drawRange: [0, 499] })));
    const s2 = JSON.parse(stringifyPsaResult(runPsa(chancellor, { n: 1000, seed: 11, drawRange: [500, 999] })));
    expect(s1.draws.strategies[1].cost).toHaveLength(500);
    expect(stringifyPsaResult(mergePsaShards([{ name: 'b', result: s2 }, { name: 'a', result: s1 }]))).toBe(full);
    // Three uneven shards, merged in two steps.
    const parts = [[0, 122], [123, 876], [877, 999]].map(([a, b]) => JSON.parse(stringifyPsaResult(runPsa(chancellor, { n: 1000, seed: 11, drawRange: [a, b] }))));
    const firstTwo = JSON.parse(stringifyPsaResult(mergePsaShards([{ name: 'p0', result: parts[0] }, { name: 'p1', result: parts[1] }])));
    expect(firstTwo.complete).toBe(false);
    expect(stringifyPsaResult(mergePsaShards([{ name: 'p01', result: firstTwo }, { name: 'p2', result: parts[2] }]))).toBe(full);
    // A different seed differs.
    expect(stringifyPsaResult(runPsa(chancellor, { n: 1000, seed: 12 }))).not.toBe(full);
  });

  it('kept draws and EVPPI survive sharding too', () => {
    const opts = { n: 600, seed: 3, keepDraws: true, evppi: [['rr_comb']] };
    const full = stringifyPsaResult(runPsa(chancellor, opts));
    const a = JSON.parse(stringifyPsaResult(runPsa(chancellor, { ...opts, drawRange: [0, 299] })));
    const b = JSON.parse(stringifyPsaResult(runPsa(chancellor, { ...opts, drawRange: [300, 599] })));
    expect(a.evppi).toBeNull();
    expect(stringifyPsaResult(mergePsaShards([{ name: 'a', result: a }, { name: 'b', result: b }]))).toBe(full);
    const r = JSON.parse(full);
    // rr_comb is the only uncertain parameter, so its EVPPI is (close to) the EVPI.
    const at = r.wtps.indexOf(7200);
    if (at >= 0) expect(Math.abs(r.evppi[0][at].value - r.evpi[at].value)).toBeLessThan(0.15 * r.evpi[at].value + 1);
  });

  it('merge refuses overlaps, gaps and shards from another run', () => {
    const shard = (a: number, b: number, seed = 11) => JSON.parse(stringifyPsaResult(runPsa(chancellor, { n: 100, seed, drawRange: [a, b] })));
    expect(() => mergePsaShards([{ name: 'x', result: shard(0, 59) }, { name: 'y', result: shard(50, 99) }])).toThrow(/overlaps/);
    expect(() => mergePsaShards([{ name: 'x', result: shard(0, 40) }, { name: 'y', result: shard(50, 99) }])).toThrow(/draws 41-49 are missing/);
    expect(() => mergePsaShards([{ name: 'x', result: shard(0, 49) }, { name: 'y', result: shard(50, 99, 12) }])).toThrow(/different seed/);
    const full = JSON.parse(stringifyPsaResult(runPsa(chancellor, { n: 100, seed: 11 })));
    expect(() => mergePsaShards([{ name: 'full', result: full }])).toThrow(PsaMergeError);
    expect(() => mergePsaShards([{ name: 'junk', result: { kind: 'run' } }])).toThrow(/not a PSA result/);
  });

  it('only strategies reached by a drawn parameter are re-evaluated (Chancellor: mono is fixed)', () => {
    const ev = new PsaEvaluator(chancellor);
    expect(drawDependentStrategies(chancellor, ev.compiled, new Set(ev.stochastic))).toEqual([false, true]);
  });
});

describe('errors and progress', () => {
  it('a draw giving an invalid probability is a ModelError naming the draw and the drawn value', () => {
    // Normal(0.9, 0.2) on a probability: values above 1 occur in about 31% of draws.
    const m = linearModel({ type: 'normal', mean: 0.9, sd: 0.2 });
    let error: unknown;
    try {
      runPsa(m, { n: 200, seed: 1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).issues[0].message).toMatch(/^PSA draw \d+ \(seed 1\) gives values the model cannot use; drawn values: cost_b = [\d.]+, p_response = 1\.\d+/);
  });

  it('reports progress (throttled) and the end; cancels on request', () => {
    const calls: number[][] = [];
    runPsa(linearModel(), { n: 1000, seed: 1, onProgress: (d, t) => calls.push([d, t]) });
    expect(calls[calls.length - 1]).toEqual([1000, 1000]);
    expect(() => runPsa(linearModel(), { n: 1000, seed: 1, shouldCancel: () => true })).toThrow(/cancelled/);
  });

  it('validates n, seed and the draw range', () => {
    expect(() => runPsa(linearModel(), { n: 0, seed: 1 })).toThrow(/number of draws/);
    expect(() => runPsa(linearModel(), { n: 10, seed: -1 })).toThrow(/seed/);
    expect(() => runPsa(linearModel(), { n: 10, seed: 1, drawRange: [5, 10] })).toThrow(/draw range/);
  });
});

describe('P2Quantile (streaming 95% interval estimate)', () => {
  it('is within 2% of the exact 2.5th/97.5th percentiles of 20,000 standard normal draws', () => {
    const lo = new P2Quantile(0.025);
    const hi = new P2Quantile(0.975);
    const xs = new Float64Array(20000);
    for (let i = 0; i < xs.length; i++) {
      const x = sampleStandardNormal(drawStream(99, i));
      xs[i] = x;
      lo.add(x);
      hi.add(x);
    }
    const sorted = Float64Array.from(xs).sort();
    // Exact sample percentiles ≈ ∓1.96; P² is an estimate (Jain & Chlamtac 1985).
    expect(Math.abs(lo.value() - quantileSorted(sorted, 0.025))).toBeLessThan(0.04);
    expect(Math.abs(hi.value() - quantileSorted(sorted, 0.975))).toBeLessThan(0.04);
  });
});
