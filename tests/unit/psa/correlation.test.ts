import { describe, expect, it } from 'vitest';
import {
  buildGaussianCopula,
  drawCorrelatedNormals,
  pearsonForSpearman,
  spearmanOfGaussianCopula,
} from '../../../models/psa/correlation';
import { cdf, mean, normalQuantile, variance } from '../../../models/psa/distributions';
import { drawParameters, preparePsa, type PreparedPsa, type PsaParameterSpec } from '../../../models/psa/draw-parameters';
import { drawStream } from '../../../models/psa/random';

function pearson(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  let sx = 0, sy = 0;
  for (let i = 0; i < n; i++) { sx += x[i]; sy += y[i]; }
  const mx = sx / n, my = sy / n;
  let sxx = 0, syy = 0, sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx, dy = y[i] - my;
    sxx += dx * dx; syy += dy * dy; sxy += dx * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

function ranks(x: Float64Array): Float64Array {
  const order = Array.from(x.keys()).sort((a, b) => x[a] - x[b]);
  const r = new Float64Array(x.length);
  order.forEach((k, i) => (r[k] = i));
  return r; // continuous marginals: no ties
}

function prepare(specs: PsaParameterSpec[], correlations: { parameters: [string, string]; rho: number }[]): PreparedPsa {
  const p = preparePsa(specs, correlations);
  if ('errors' in p) throw new Error(JSON.stringify(p.errors));
  return p;
}

function draws(prepared: PreparedPsa, n: number, seed: number): Float64Array[] {
  const k = prepared.ids.length;
  const cols = Array.from({ length: k }, () => new Float64Array(n));
  const out = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    drawParameters(prepared, seed, i, out);
    for (let j = 0; j < k; j++) cols[j][i] = out[j];
  }
  return cols;
}

describe('Gaussian copula', () => {
  it('draws n uniforms, makes standard normals z = Φ⁻¹(u) and returns L·z', () => {
    const c = buildGaussianCopula(['a', 'b'], [{ parameters: ['a', 'b'], rho: 0.6 }]);
    if ('error' in c) throw new Error(c.error);
    expect(Array.from(c.cholesky)).toEqual([1, 0, 0.6, 0.8]);
    const out = new Float64Array(2);
    drawCorrelatedNormals(c, drawStream(3, 9), out, new Float64Array(2));
    const u = drawStream(3, 9);
    const z0 = normalQuantile(u());
    const z1 = normalQuantile(u());
    expect(out[0]).toBe(z0);
    expect(out[1]).toBe(0.6 * z0 + 0.8 * z1);
  });

  it('normal marginals: the correlation of the draws hits rho and marginal moments are kept', () => {
    // Normal marginals are linear in their normal scores, so the Pearson correlation of the draws is
    // the normal-score correlation. SE of a sample correlation ≈ (1 − ρ²)/√n for bivariate normals.
    const n = 100_000;
    const rho = 0.7;
    const p = prepare(
      [
        { id: 'a', baseValue: 0, distribution: { type: 'normal', mean: 10, sd: 2 } },
        { id: 'b', baseValue: 0, distribution: { type: 'lognormal', meanlog: 0, sdlog: 0.3 } },
      ],
      [{ parameters: ['a', 'b'], rho }],
    );
    const [a, b] = draws(p, n, 21);
    const logB = b.map(Math.log);
    expect(Math.abs(pearson(a, logB) - rho)).toBeLessThan((4 * (1 - rho * rho)) / Math.sqrt(n));
    const meanA = a.reduce((s, x) => s + x, 0) / n;
    const meanB = b.reduce((s, x) => s + x, 0) / n;
    expect(Math.abs(meanA - 10)).toBeLessThan(4 * Math.sqrt(4 / n));
    const lb = p.resolved[1]!;
    expect(Math.abs(meanB - mean(lb))).toBeLessThan(4 * Math.sqrt(variance(lb) / n));
  });

  it('skewed marginals (gamma, beta): normal scores hit rho, Spearman ≈ (6/π)·asin(ρ/2), means are kept', () => {
    const n = 20_000; // quantiles of gamma/beta are iterative, so fewer draws here
    const rho = -0.5;
    const p = prepare(
      [
        { id: 'cost', baseValue: 0, distribution: { type: 'gamma', mean: 3600, se: 900 } },
        { id: 'other', baseValue: 1, distribution: undefined },
        { id: 'util', baseValue: 0, distribution: { type: 'beta', alpha: 50, beta: 34 } },
      ],
      [{ parameters: ['util', 'cost'], rho }],
    );
    const [cost, other, util] = draws(p, n, 33);
    expect(other.every((x) => x === 1)).toBe(true);
    const g = p.resolved[0]!;
    const bt = p.resolved[2]!;
    const scoreCost = cost.map((x) => normalQuantile(cdf(g, x)));
    const scoreUtil = util.map((x) => normalQuantile(cdf(bt, x)));
    expect(Math.abs(pearson(scoreCost, scoreUtil) - rho)).toBeLessThan((4 * (1 - rho * rho)) / Math.sqrt(n));
    // Spearman: Fisher-z SE ≈ sqrt(1.06/(n − 3)) (Fieller, Hartley & Pearson 1957).
    const rs = pearson(ranks(cost), ranks(util));
    const target = spearmanOfGaussianCopula(rho);
    expect(Math.abs(Math.atanh(rs) - Math.atanh(target))).toBeLessThan(4 * Math.sqrt(1.06 / (n - 3)));
    expect(target).not.toBeCloseTo(rho, 2); // Spearman ≠ rho for a copula (−0.483 vs −0.5)
    for (const [xs, d] of [[cost, g], [util, bt]] as const) {
      const m = xs.reduce((s, x) => s + x, 0) / n;
      expect(Math.abs(m - mean(d))).toBeLessThan(4 * Math.sqrt(variance(d) / n));
    }
  });

  it('converts between Spearman and normal-score correlation', () => {
    for (const r of [-0.9, -0.3, 0, 0.4, 1]) expect(spearmanOfGaussianCopula(pearsonForSpearman(r))).toBeCloseTo(r, 12);
    expect(spearmanOfGaussianCopula(1)).toBeCloseTo(1, 12);
  });

  it('rho = 1 is allowed (semi-definite) and gives identical normal scores', () => {
    const p = prepare(
      [
        { id: 'a', baseValue: 0, distribution: { type: 'normal', mean: 0, sd: 1 } },
        { id: 'b', baseValue: 0, distribution: { type: 'normal', mean: 5, sd: 2 } },
        { id: 'c', baseValue: 0, distribution: { type: 'normal', mean: 0, sd: 1 } },
      ],
      [
        { parameters: ['a', 'b'], rho: 1 },
        { parameters: ['a', 'c'], rho: 0.3 },
        { parameters: ['b', 'c'], rho: 0.3 },
      ],
    );
    const out = new Float64Array(3);
    for (let i = 0; i < 100; i++) {
      drawParameters(p, 1, i, out);
      expect(out[1]).toBeCloseTo(5 + 2 * out[0], 12);
    }
  });

  it('inconsistent correlations give a clear error naming the parameters', () => {
    const c = buildGaussianCopula(['a', 'b', 'c'], [
      { parameters: ['a', 'b'], rho: 0.9 },
      { parameters: ['a', 'c'], rho: 0.9 },
      { parameters: ['b', 'c'], rho: -0.9 },
    ]);
    expect('error' in c && c.error).toBe(
      'the correlations among a, b, c are mutually inconsistent: their correlation matrix is not positive semi-definite ' +
        '(Cholesky decomposition fails at c); adjust the rho values',
    );
    const semi = buildGaussianCopula(['a', 'b', 'c'], [
      { parameters: ['a', 'b'], rho: 1 },
      { parameters: ['a', 'c'], rho: 1 },
      { parameters: ['b', 'c'], rho: 0 },
    ]);
    expect('error' in semi && semi.error).toMatch(/among a, b, c are mutually inconsistent/);
    const dup = buildGaussianCopula(['a', 'b'], [
      { parameters: ['a', 'b'], rho: 0.1 },
      { parameters: ['b', 'a'], rho: 0.2 },
    ]);
    expect('error' in dup && dup.error).toBe('correlation between b and a is listed more than once');
    const self = buildGaussianCopula(['a'], [{ parameters: ['a', 'a'], rho: 0.1 }]);
    expect('error' in self && self.error).toBe('correlation of a with itself is not allowed');
  });
});
