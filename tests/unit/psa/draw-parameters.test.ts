import { describe, expect, it } from 'vitest';
import { buildGaussianCopula } from '../../../models/psa/correlation';
import { normalCdf, normalQuantile, quantile, resolveDistribution, sample, type ResolvedDistribution } from '../../../models/psa/distributions';
import {
  drawParameterBlock,
  drawParameters,
  preparePsa,
  type PreparedPsa,
  type PsaParameterSpec,
} from '../../../models/psa/draw-parameters';
import { drawStream } from '../../../models/psa/random';

const specs: PsaParameterSpec[] = [
  { id: 'p_event', baseValue: 0.2, distribution: { type: 'beta', mean: 0.2, se: 0.03 } },
  { id: 'c_drug', baseValue: 1200, distribution: undefined },
  { id: 'p_ab', baseValue: 0.1, distribution: { type: 'dirichlet', group: 'row_a', alphas: { p_aa: 70, p_ab: 10, p_ad: 20 } } },
  { id: 'c_event', baseValue: 3600, distribution: { type: 'gamma', mean: 3600, se: 900 } },
  { id: 'u_well', baseValue: 0.8, distribution: { type: 'normal', mean: 0.8, sd: 0.1, upper: 1 } },
  { id: 'p_aa', baseValue: 0.7, distribution: { type: 'dirichlet', group: 'row_a', alphas: { p_aa: 70, p_ab: 10, p_ad: 20 } } },
  { id: 'hr', baseValue: 0.75, distribution: { type: 'lognormal', meanlog: Math.log(0.75), sdlog: 0.1 } },
  { id: 'disc', baseValue: 0.035, distribution: { type: 'fixed' } },
  { id: 'p_ad', baseValue: 0.2, distribution: { type: 'dirichlet', group: 'row_a', alphas: { p_aa: 70, p_ab: 10, p_ad: 20 } } },
  { id: 'u_sick', baseValue: 0.5, distribution: { type: 'pert', min: 0.3, mode: 0.5, max: 0.6 } },
];
const correlations: { parameters: [string, string]; rho: number }[] = [
  { parameters: ['u_well', 'u_sick'], rho: 0.6 },
  { parameters: ['c_event', 'hr'], rho: -0.2 },
];

function prepare(s = specs, c = correlations): PreparedPsa {
  const p = preparePsa(s, c);
  if ('errors' in p) throw new Error(JSON.stringify(p.errors));
  return p;
}

function errorsOf(s: PsaParameterSpec[], c: { parameters: [string, string]; rho: number }[] = []) {
  const p = preparePsa(s, c);
  if (!('errors' in p)) throw new Error('expected errors');
  return p.errors;
}

function resolved(dist: PsaParameterSpec['distribution'] & object, id?: string): ResolvedDistribution {
  const r = resolveDistribution(dist, 0, id);
  if ('error' in r) throw new Error(r.error);
  return r;
}

describe('drawParameters: reproducibility', () => {
  it('same seed and index give bit-identical draws; another index or seed differs', () => {
    const p = prepare();
    const a = new Float64Array(specs.length);
    const b = new Float64Array(specs.length);
    drawParameters(p, 2024, 17, a);
    drawParameters(p, 2024, 3, b); // other draws in between must not matter
    drawParameters(p, 2024, 17, b);
    expect(b).toEqual(a);
    drawParameters(p, 2024, 18, b);
    expect(b).not.toEqual(a);
    drawParameters(p, 2025, 17, b);
    expect(b).not.toEqual(a);
  });

  it('draws 0..N computed in two shards (separately prepared, any order) equal one pass', () => {
    const n = 1000;
    const single = drawParameterBlock(prepare(), 77, 0, n);
    const k = specs.length;
    // Two "workers", each preparing the model itself; the second shard is computed first.
    const shard2 = drawParameterBlock(prepare(), 77, 400, n - 400);
    const shard1 = new Float64Array(400 * k);
    const p1 = prepare();
    for (let i = 399; i >= 0; i--) drawParameters(p1, 77, i, shard1.subarray(i * k, (i + 1) * k));
    const merged = new Float64Array(n * k);
    merged.set(shard1, 0);
    merged.set(shard2, 400 * k);
    expect(merged).toEqual(single);
  });

  it('consumes uniforms in the documented order: copula first, then spec order, Dirichlet at its first member', () => {
    const p = prepare();
    const out = new Float64Array(specs.length);
    drawParameters(p, 5, 42, out);

    const u = drawStream(5, 42);
    // 1. Copula over the correlated parameters in spec order: c_event, u_well, hr, u_sick.
    const copula = buildGaussianCopula(['c_event', 'u_well', 'hr', 'u_sick'], correlations);
    if ('error' in copula) throw new Error(copula.error);
    const z = [0, 1, 2, 3].map(() => normalQuantile(u()));
    const L = copula.cholesky;
    const x = [0, 1, 2, 3].map((i) => z.reduce((s, zk, k) => s + L[i * 4 + k] * zk, 0));
    // 2. Independent parameters in spec order: p_event, then the Dirichlet group at p_ab's position.
    const pEvent = sample(resolved(specs[0].distribution!), u);
    const group = new Float64Array(3);
    // Members in spec order: p_ab, p_aa, p_ad → one gamma each, normalised.
    const g = [10, 70, 20].map((a) => sample(resolved({ type: 'gamma', shape: a, scale: 1 }), u));
    const total = g[0] + g[1] + g[2];
    g.forEach((v, i) => (group[i] = v / total));

    expect(out[0]).toBe(pEvent);
    expect(out[1]).toBe(1200);
    expect(out[2]).toBe(group[0]);
    expect(out[5]).toBe(group[1]);
    expect(out[8]).toBe(group[2]);
    expect(out[7]).toBe(0.035);
    expect(out[6]).toBe(Math.exp(Math.log(0.75) + 0.1 * x[2])); // lognormal: exp(μ + σx)
    // Other marginals: quantile(Φ(x)).
    expect(out[3]).toBe(quantile(p.resolved[3]!, normalCdf(x[0])));
    expect(out[4]).toBe(quantile(p.resolved[4]!, normalCdf(x[1])));
    expect(out[9]).toBe(quantile(p.resolved[9]!, normalCdf(x[3])));
    expect(p.correlated).toEqual(['c_event', 'u_well', 'hr', 'u_sick']);
  });

  it('fixed and distribution-less parameters keep their base values', () => {
    const p = prepare();
    const out = new Float64Array(specs.length);
    for (let i = 0; i < 20; i++) {
      drawParameters(p, 1, i, out);
      expect(out[1]).toBe(1200);
      expect(out[7]).toBe(0.035);
    }
    expect(() => drawParameters(p, 1, 0, new Float64Array(3))).toThrow(/needs 10/);
  });
});

describe('drawParameters: distributions in a whole draw', () => {
  it('Dirichlet members sum to 1 in every draw and have means α_i/Σα; truncated normal stays ≤ 1', () => {
    const p = prepare();
    const n = 20_000;
    const out = new Float64Array(specs.length);
    const sums = [0, 0, 0];
    let maxU = -Infinity;
    let worst = 0;
    for (let i = 0; i < n; i++) {
      drawParameters(p, 9, i, out);
      worst = Math.max(worst, Math.abs(out[2] + out[5] + out[8] - 1));
      sums[0] += out[2];
      sums[1] += out[5];
      sums[2] += out[8];
      maxU = Math.max(maxU, out[4]);
    }
    expect(worst).toBeLessThan(1e-12);
    expect(maxU).toBeLessThanOrEqual(1);
    // 4 standard errors of the mean, SE = sqrt(α_i(α₀−α_i)/(α₀²(α₀+1)) / n).
    [[10, 0], [70, 1], [20, 2]].forEach(([a, k]) => {
      const m = a / 100;
      const v = (a * (100 - a)) / (100 * 100 * 101);
      expect(Math.abs(sums[k] / n - m)).toBeLessThan(4 * Math.sqrt(v / n));
    });
  });
});

describe('preparePsa: validation', () => {
  it('reports distribution errors per parameter, all at once', () => {
    const errors = errorsOf([
      { id: 'a', baseValue: 0, distribution: { type: 'beta', mean: 1.2, se: 0.1 } },
      { id: 'b', baseValue: 0, distribution: { type: 'triangular', min: 0, mode: 5, max: 4 } },
      { id: 'a', baseValue: 0, distribution: undefined },
    ]);
    expect(errors).toEqual([
      { parameter: 'a', message: 'parameter a is listed more than once' },
      { parameter: 'a', message: 'beta mean 1.2 must lie in (0,1)' },
      { parameter: 'b', message: 'triangular needs min ≤ mode ≤ max (got 0, 5, 4)' },
    ]);
  });

  it('checks Dirichlet groups are consistent', () => {
    const errors = errorsOf([
      { id: 'x', baseValue: 0, distribution: { type: 'dirichlet', group: 'g', alphas: { x: 1, y: 2, w: 3 } } },
      { id: 'y', baseValue: 0, distribution: { type: 'dirichlet', group: 'g', alphas: { x: 1, y: 5, w: 3 } } },
      { id: 'w', baseValue: 0, distribution: { type: 'beta', alpha: 1, beta: 1 } },
      { id: 'q', baseValue: 0, distribution: { type: 'dirichlet', group: 'h', alphas: { q: 1, missing: 2 } } },
    ]);
    expect(errors).toEqual([
      { parameter: 'y', message: 'dirichlet group g: alphas differ from those given on x' },
      { parameter: 'w', message: 'dirichlet group g lists w, but w does not have a dirichlet distribution for group g' },
      { parameter: 'q', message: 'dirichlet group h lists missing, which is not a parameter' },
    ]);
  });

  it('checks correlations name parameters that can be correlated', () => {
    const s: PsaParameterSpec[] = [
      { id: 'a', baseValue: 0, distribution: { type: 'normal', mean: 0, sd: 1 } },
      { id: 'f', baseValue: 0, distribution: { type: 'fixed' } },
      { id: 'd1', baseValue: 0, distribution: { type: 'dirichlet', group: 'g', alphas: { d1: 1, d2: 1 } } },
      { id: 'd2', baseValue: 0, distribution: { type: 'dirichlet', group: 'g', alphas: { d1: 1, d2: 1 } } },
    ];
    expect(errorsOf(s, [{ parameters: ['a', 'nope'], rho: 0.5 }])).toEqual([
      { parameter: 'nope', message: 'correlation between a and nope: nope is not a parameter' },
    ]);
    expect(errorsOf(s, [{ parameters: ['a', 'f'], rho: 0.5 }])[0].message).toBe(
      'correlation between a and f: f has no PSA distribution, so it cannot be correlated',
    );
    expect(errorsOf(s, [{ parameters: ['d1', 'a'], rho: 0.5 }])[0].message).toMatch(/d1 belongs to dirichlet group g/);
    expect(errorsOf(s, [{ parameters: ['a', 'a'], rho: 0.5 }])[0].message).toBe('correlation of a with itself is not allowed');
  });
});
