import { describe, expect, it } from 'vitest';
import { buildDesign, designMultiply, fitAdditivePSpline } from '../../../models/analyses/regression/pspline';

/** mulberry32 + Box-Muller, seeded, for reproducible test data. */
function normals(seed: number): () => number {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

describe('P-spline design', () => {
  it('has cubic B-spline rows that sum to one (partition of unity) for the first term', () => {
    const rnd = normals(1);
    const x = Float64Array.from({ length: 300 }, () => rnd());
    const d = buildDesign([x], 20);
    expect(d.basisSize).toBe(23);
    expect(d.dim).toBe(23);
    const ones = new Float64Array(d.dim).fill(1);
    const out = new Float64Array(d.n);
    designMultiply(d, ones, out);
    for (const v of out) expect(v).toBeCloseTo(1, 12);
  });

  it('drops one column per additional term and ignores constant inputs', () => {
    const rnd = normals(2);
    const x1 = Float64Array.from({ length: 400 }, () => rnd());
    const x2 = Float64Array.from({ length: 400 }, () => rnd());
    const k = new Float64Array(400).fill(7);
    const d = buildDesign([x1, k, x2], 10);
    expect(d.termInputs).toEqual([0, 2]);
    expect(d.dim).toBe(13 + 12);
  });

  it('reduces the number of knot intervals when there are few draws', () => {
    const x = Float64Array.from({ length: 40 }, (_, i) => i);
    expect(buildDesign([x], 20).dim).toBeLessThanOrEqual(10);
  });
});

describe('fitAdditivePSpline (GCV-selected smoothing)', () => {
  it('reproduces a linear relationship exactly (linear functions are unpenalised)', () => {
    const rnd = normals(3);
    const x = Float64Array.from({ length: 500 }, () => rnd());
    const y = x.map((v) => 3 - 2 * v);
    const [fit] = fitAdditivePSpline(buildDesign([x], 20), [y]);
    for (let i = 0; i < y.length; i++) expect(fit.fitted[i]).toBeCloseTo(y[i], 6);
  });

  it('smooths noise: a pure-noise response gets ~2 effective degrees of freedom', () => {
    const rnd = normals(4);
    const x = Float64Array.from({ length: 2000 }, () => rnd());
    const y = Float64Array.from({ length: 2000 }, () => rnd());
    const [fit] = fitAdditivePSpline(buildDesign([x], 20), [y]);
    expect(fit.edf).toBeLessThan(4);
    expect(fit.sigma).toBeGreaterThan(0.9);
    expect(fit.sigma).toBeLessThan(1.1);
  });

  it('recovers a nonlinear smooth function from noisy data', () => {
    const rnd = normals(5);
    const n = 4000;
    const x = Float64Array.from({ length: n }, () => rnd());
    const truth = x.map((v) => Math.sin(2 * v));
    const y = truth.map((t) => t + 0.5 * rnd());
    const [fit] = fitAdditivePSpline(buildDesign([x], 20), [y]);
    let mse = 0;
    for (let i = 0; i < n; i++) mse += (fit.fitted[i] - truth[i]) ** 2 / n;
    expect(Math.sqrt(mse)).toBeLessThan(0.05); // noise SD 0.5; signal SD ~0.6
    expect(fit.edf).toBeGreaterThan(4);
  });

  it('fits an additive two-input model', () => {
    const rnd = normals(6);
    const n = 4000;
    const x1 = Float64Array.from({ length: n }, () => rnd());
    const x2 = Float64Array.from({ length: n }, () => rnd());
    const truth = x1.map((v, i) => Math.tanh(v) + 0.5 * x2[i] * x2[i]);
    const y = truth.map((t) => t + 0.3 * rnd());
    const [fit] = fitAdditivePSpline(buildDesign([x1, x2], 12), [y]);
    let mse = 0;
    for (let i = 0; i < n; i++) mse += (fit.fitted[i] - truth[i]) ** 2 / n;
    expect(Math.sqrt(mse)).toBeLessThan(0.05);
    expect(fit.log10Lambda).toHaveLength(2);
  });

  it('returns constant responses unchanged with no uncertainty', () => {
    const x = Float64Array.from({ length: 100 }, (_, i) => i);
    const [fit] = fitAdditivePSpline(buildDesign([x], 20), [new Float64Array(100).fill(2.5)]);
    expect(fit.constant).toBe(true);
    expect(Array.from(fit.fitted).every((v) => v === 2.5)).toBe(true);
    expect(fit.sigma).toBe(0);
    expect(fit.chol).toBeNull();
  });
});
