import { describe as group, expect, it } from 'vitest';
import type { Distribution } from '../../../models/schema/model-file';
import {
  cdf,
  describe,
  isDistributionError,
  mean,
  normalCdf,
  normalQuantile,
  quantile,
  resolveDistribution,
  sample,
  sampleDirichlet,
  variance,
  type ResolvedDistribution,
} from '../../../models/psa/distributions';
import { drawStream } from '../../../models/psa/random';

function resolve(dist: Distribution, base = 0, id?: string): ResolvedDistribution {
  const r = resolveDistribution(dist, base, id);
  if (isDistributionError(r)) throw new Error(r.error);
  return r;
}

function errorOf(dist: Distribution, base = 0, id?: string): string {
  const r = resolveDistribution(dist, base, id);
  if (!isDistributionError(r)) throw new Error(`expected an error, got ${JSON.stringify(r)}`);
  return r.error;
}

const N = 200_000;

/** Sample mean, variance and fourth central moment. */
function momentsOf(xs: Float64Array) {
  const n = xs.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += xs[i];
  const m = s / n;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const e = (xs[i] - m) ** 2;
    m2 += e;
    m4 += e * e;
  }
  return { xs, mean: m, variance: m2 / n, m4: m4 / n };
}

/**
 * Monte Carlo check at 4 standard errors of each estimator:
 *   SE(sample mean) = sqrt(σ²/n) with the analytic σ²;
 *   SE(sample variance) ≈ sqrt((μ4 − σ⁴)/n), with μ4 and σ⁴ estimated from the sample.
 * With n = 200,000 a 4-SE band fails by chance with probability ≈ 6e-5 per check; the seeds are
 * fixed, so the outcome is deterministic.
 */
function expectSampleMoments(xs: Float64Array, analyticMean: number, analyticVariance: number) {
  const m = momentsOf(xs);
  const n = xs.length;
  const seMean = Math.sqrt(analyticVariance / n);
  const seVar = Math.sqrt((m.m4 - m.variance * m.variance) / n);
  expect(Math.abs(m.mean - analyticMean)).toBeLessThan(4 * seMean);
  expect(Math.abs(m.variance - analyticVariance)).toBeLessThan(4 * seVar);
  return m;
}

/** Analytic moment functions agree with the test's formulas; N seeded draws (one stream each) match them. */
function expectMoments(d: ResolvedDistribution, analyticMean: number, analyticVariance: number, seed = 11) {
  expect(mean(d)).toBeCloseTo(analyticMean, 10);
  expect(variance(d) / analyticVariance).toBeCloseTo(1, 10);
  const xs = new Float64Array(N);
  for (let i = 0; i < N; i++) xs[i] = sample(d, drawStream(seed, i));
  return expectSampleMoments(xs, analyticMean, analyticVariance);
}

group('normal CDF and quantile', () => {
  it('match SciPy reference values to ~1e-14 relative, including far tails', () => {
    // scipy.stats.norm (SciPy 1.17).
    expect(normalCdf(-1) / 0.15865525393145707).toBeCloseTo(1, 14);
    expect(normalCdf(-7.5) / 3.1908916729108844e-14).toBeCloseTo(1, 13);
    expect(normalCdf(-30) / 4.906713927147908e-198).toBeCloseTo(1, 13);
    expect(normalCdf(1.3)).toBeCloseTo(0.9031995154143897, 15);
    expect(normalQuantile(1e-12) / -7.034483825301131).toBeCloseTo(1, 14);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.3)).toBeCloseTo(-0.5244005127080409, 14);
    expect(normalQuantile(0.5)).toBe(0);
  });

  it('are inverse to each other', () => {
    for (const z of [-8, -5, -3, -1.2, -0.3, 0, 0.4, 1.7, 3, 6]) {
      expect(normalQuantile(normalCdf(z))).toBeCloseTo(z, z > 5 ? 6 : 10);
    }
  });
});

group('method of moments (Briggs et al. 2006, ch. 4)', () => {
  it('beta: mean/se in → resolved mean and se out', () => {
    const d = resolve({ type: 'beta', mean: 0.6, se: 0.05 });
    expect(d.type).toBe('beta');
    expect(mean(d)).toBeCloseTo(0.6, 12);
    expect(Math.sqrt(variance(d))).toBeCloseTo(0.05, 12);
    // α = m(m(1−m)/s² − 1) = 0.6·(0.24/0.0025 − 1) = 57, β = 0.4·95 = 38
    if (d.type !== 'beta') throw new Error('type');
    expect(d.alpha).toBeCloseTo(57, 10);
    expect(d.beta).toBeCloseTo(38, 10);
  });

  it('gamma: k = (m/s)², θ = s²/m', () => {
    const d = resolve({ type: 'gamma', mean: 3600, se: 900 });
    expect(d).toMatchObject({ type: 'gamma', shape: 16, scale: 225 });
    expect(mean(d)).toBeCloseTo(3600, 9);
    expect(Math.sqrt(variance(d))).toBeCloseTo(900, 9);
  });

  it('lognormal: σ² = ln(1 + s²/m²), μ = ln m − σ²/2 (natural-scale moments)', () => {
    const d = resolve({ type: 'lognormal', mean: 0.8, se: 0.2 });
    if (d.type !== 'lognormal') throw new Error('type');
    expect(d.sdlog ** 2).toBeCloseTo(Math.log(1 + 0.0625), 14);
    expect(mean(d)).toBeCloseTo(0.8, 12);
    expect(Math.sqrt(variance(d))).toBeCloseTo(0.2, 12);
  });

  it('normal takes sd or se', () => {
    expect(mean(resolve({ type: 'normal', mean: 4, se: 0.5 }))).toBe(4);
    expect(variance(resolve({ type: 'normal', mean: 4, sd: 0.5 }))).toBe(0.25);
  });

  it('mean defaults to the base value when only se is given', () => {
    const d = resolve({ type: 'beta', se: 0.05 }, 0.6);
    expect(mean(d)).toBeCloseTo(0.6, 12);
    expect(mean(resolve({ type: 'gamma', se: 10 }, 100))).toBeCloseTo(100, 10);
    expect(mean(resolve({ type: 'lognormal', se: 0.1 }, 0.9))).toBeCloseTo(0.9, 12);
  });

  it('fixed returns the base value', () => {
    const d = resolve({ type: 'fixed' }, 12.5);
    expect(sample(d, drawStream(1, 0))).toBe(12.5);
    expect(mean(d)).toBe(12.5);
    expect(variance(d)).toBe(0);
    expect(quantile(d, 0.3)).toBe(12.5);
  });
});

group('validation messages', () => {
  it('explain what is wrong', () => {
    expect(errorOf({ type: 'beta', mean: 1.2, se: 0.1 })).toBe('beta mean 1.2 must lie in (0,1)');
    expect(errorOf({ type: 'beta', mean: 0.5, se: 0.6 })).toBe(
      'beta standard error 0.6 is too large for mean 0.5: needs se² < m(1−m) = 0.25',
    );
    expect(errorOf({ type: 'beta', mean: 0.5, se: 0.5 })).toMatch(/too large/); // s² = m(1−m) exactly
    expect(errorOf({ type: 'beta', alpha: 2 })).toBe('beta needs both alpha and beta');
    expect(errorOf({ type: 'beta', alpha: 2, beta: 3, mean: 0.4, se: 0.1 })).toMatch(/either alpha and beta, or mean and se/);
    expect(errorOf({ type: 'beta' })).toBe('beta needs alpha and beta, or mean and se');
    expect(errorOf({ type: 'gamma', mean: -3, se: 1 })).toBe('gamma mean -3 must be positive');
    expect(errorOf({ type: 'gamma', shape: 2 })).toBe('gamma needs both shape and scale');
    expect(errorOf({ type: 'lognormal', se: 0.1 }, -2)).toBe('lognormal mean -2 must be positive');
    expect(errorOf({ type: 'normal', mean: 1 })).toBe('normal needs sd (or se)');
    expect(errorOf({ type: 'normal', mean: 1, sd: 1, se: 2 })).toMatch(/sd or se, not both/);
    expect(errorOf({ type: 'normal', mean: 1, sd: 1, lower: 2, upper: 1 })).toBe(
      'normal truncation needs lower < upper (got lower 2, upper 1)',
    );
    expect(errorOf({ type: 'normal', mean: 0, sd: 1, lower: 50 })).toMatch(/zero probability/);
    expect(errorOf({ type: 'uniform', min: 3, max: 3 })).toBe('uniform needs min < max (got min 3, max 3)');
    expect(errorOf({ type: 'triangular', min: 0, mode: 5, max: 4 })).toBe('triangular needs min ≤ mode ≤ max (got 0, 5, 4)');
    expect(errorOf({ type: 'pert', min: 0, mode: -1, max: 4 })).toBe('PERT needs min ≤ mode ≤ max (got 0, -1, 4)');
    expect(errorOf({ type: 'dirichlet', group: 'g', alphas: { a: 1, b: 2 } })).toMatch(/needs its parameter id/);
    expect(errorOf({ type: 'dirichlet', group: 'g', alphas: { a: 1, b: 2 } }, 0, 'c')).toMatch(/c .* not listed in its alphas/);
    expect(errorOf({ type: 'dirichlet', group: 'g', alphas: { a: 1 } }, 0, 'a')).toMatch(/at least two members/);
    expect(errorOf({ type: 'fixed' }, Number.NaN)).toMatch(/finite base value/);
  });
});

group('describe', () => {
  it('formats for reports', () => {
    expect(describe(resolve({ type: 'beta', alpha: 50, beta: 34 }))).toBe('Beta(50, 34)');
    expect(describe(resolve({ type: 'gamma', mean: 3600, se: 900 }))).toBe('Gamma(k=16, θ=225)');
    expect(describe(resolve({ type: 'lognormal', meanlog: 0, sdlog: 0.15 }))).toBe('LogNormal(μ=0, σ=0.15)');
    expect(describe(resolve({ type: 'normal', mean: 1, sd: 2, lower: 0 }))).toBe('Normal(μ=1, σ=2) truncated to [0, ∞)');
    expect(describe(resolve({ type: 'pert', min: 1, mode: 2, max: 5 }))).toBe('PERT(1, 2, 5)');
    expect(describe(resolve({ type: 'triangular', min: 1, mode: 2, max: 5 }))).toBe('Triangular(1, 2, 5)');
    expect(describe(resolve({ type: 'dirichlet', group: 'row', alphas: { a: 10, b: 30 } }, 0, 'b'))).toBe(
      'Dirichlet[row](a=10, b=30): b',
    );
  });
});

group('sample moments match analytic moments (N = 200,000, 4 standard errors)', () => {
  it('beta (both shapes ≥ 1, and both < 1)', () => {
    expectMoments(resolve({ type: 'beta', alpha: 50, beta: 34 }), 50 / 84, (50 * 34) / (84 * 84 * 85));
    expectMoments(resolve({ type: 'beta', alpha: 0.3, beta: 0.7 }), 0.3, (0.3 * 0.7) / (1 * 1 * 2));
  });

  it('gamma (shape ≥ 1, and shape < 1 via the boost)', () => {
    expectMoments(resolve({ type: 'gamma', shape: 16, scale: 225 }), 3600, 16 * 225 * 225);
    expectMoments(resolve({ type: 'gamma', shape: 0.25, scale: 2 }), 0.5, 0.25 * 4);
    expectMoments(resolve({ type: 'gamma', shape: 1, scale: 3 }), 3, 9);
  });

  it('lognormal', () => {
    const mu = 0.2;
    const s = 0.5;
    expectMoments(resolve({ type: 'lognormal', meanlog: mu, sdlog: s }), Math.exp(mu + s * s / 2), (Math.exp(s * s) - 1) * Math.exp(2 * mu + s * s));
  });

  it('normal', () => {
    expectMoments(resolve({ type: 'normal', mean: 5, sd: 2 }), 5, 4);
  });

  it('uniform', () => {
    expectMoments(resolve({ type: 'uniform', min: 2, max: 7 }), 4.5, 25 / 12);
  });

  it('triangular: mean (a+m+b)/3', () => {
    const [a, c, b] = [1, 2, 6];
    expectMoments(resolve({ type: 'triangular', min: a, mode: c, max: b }), (a + c + b) / 3, (a * a + b * b + c * c - a * b - a * c - b * c) / 18);
    expectMoments(resolve({ type: 'triangular', min: 0, mode: 0, max: 1 }), 1 / 3, 1 / 18); // mode at the minimum
  });

  it('PERT: mean (a+4m+b)/6; general λ: (a+λm+b)/(λ+2)', () => {
    const [a, m, b] = [1, 3, 10];
    // Beta shapes α = 1 + 4(m−a)/(b−a), β = 1 + 4(b−m)/(b−a); Var = (b−a)²αβ/((α+β)²(α+β+1)).
    const al = 1 + (4 * (m - a)) / (b - a);
    const be = 1 + (4 * (b - m)) / (b - a);
    const v = ((b - a) ** 2 * al * be) / ((al + be) ** 2 * (al + be + 1));
    expectMoments(resolve({ type: 'pert', min: a, mode: m, max: b }), (a + 4 * m + b) / 6, v);
    const d2 = resolve({ type: 'pert', min: a, mode: m, max: b, lambda: 2 });
    const al2 = 1 + (2 * (m - a)) / (b - a);
    const be2 = 1 + (2 * (b - m)) / (b - a);
    expectMoments(d2, (a + 2 * m + b) / 4, ((b - a) ** 2 * al2 * be2) / ((al2 + be2) ** 2 * (al2 + be2 + 1)));
  });

  it('dirichlet member sampled alone has its Beta(α_i, α₀−α_i) marginal', () => {
    const d = resolve({ type: 'dirichlet', group: 'g', alphas: { a: 10, b: 30, c: 60 } }, 0, 'b');
    expectMoments(d, 0.3, (30 * 70) / (100 * 100 * 101));
  });

  it('method-of-moments fits reproduce their mean and se in sampling', () => {
    expectMoments(resolve({ type: 'beta', mean: 0.1, se: 0.02 }), 0.1, 0.0004);
    expectMoments(resolve({ type: 'gamma', mean: 250, se: 400 }), 250, 160000); // shape < 1
    expectMoments(resolve({ type: 'lognormal', mean: 1000, se: 600 }), 1000, 360000);
  });
});

group('truncated normal', () => {
  // Reference moments: scipy.stats.truncnorm (SciPy 1.17).
  const cases: [Distribution, number, number][] = [
    [{ type: 'normal', mean: 0, sd: 1, lower: -1, upper: 2 }, 0.22963717909132902, 0.5197625392115339],
    [{ type: 'normal', mean: 0, sd: 1, lower: 3 }, 3.28309865493044, 0.07055918678525586], // upper tail (flipped)
    [{ type: 'normal', mean: 10, sd: 3, upper: 8 }, 6.204465977973868, 2.1849895316943977],
    [{ type: 'normal', mean: 0, sd: 1, lower: 5, upper: 6 }, 5.183147090477182, 0.029452430768436844], // far tail
  ];

  it('analytic mean μ + σ(φ(α)−φ(β))/Z and variance match SciPy', () => {
    for (const [dist, m, v] of cases) {
      const d = resolve(dist);
      expect(mean(d)).toBeCloseTo(m, 11);
      expect(variance(d) / v).toBeCloseTo(1, 9);
    }
  });

  it('draws stay within the bounds and match the truncated moments', () => {
    cases.forEach(([dist, m, v], k) => {
      const d = resolve(dist);
      if (d.type !== 'normal') throw new Error('type');
      const r = expectMoments(d, m, v, 100 + k);
      let min = Infinity;
      let max = -Infinity;
      for (const x of r.xs) {
        if (x < min) min = x;
        if (x > max) max = x;
      }
      expect(min).toBeGreaterThanOrEqual(d.lower);
      expect(max).toBeLessThanOrEqual(d.upper);
    });
  });
});

group('quantile and cdf', () => {
  it('quantile inverts cdf for every type', () => {
    const dists: [Distribution, string?][] = [
      [{ type: 'beta', alpha: 50, beta: 34 }],
      [{ type: 'beta', alpha: 0.4, beta: 2 }],
      [{ type: 'gamma', shape: 16, scale: 225 }],
      [{ type: 'gamma', shape: 0.3, scale: 2 }],
      [{ type: 'lognormal', meanlog: 0, sdlog: 0.15 }],
      [{ type: 'normal', mean: 2, sd: 3 }],
      [{ type: 'normal', mean: 2, sd: 3, lower: 0, upper: 4 }],
      [{ type: 'normal', mean: 0, sd: 1, lower: 4 }],
      [{ type: 'uniform', min: -1, max: 3 }],
      [{ type: 'triangular', min: 0, mode: 1, max: 4 }],
      [{ type: 'pert', min: 0, mode: 1, max: 4 }],
      [{ type: 'dirichlet', group: 'g', alphas: { a: 3, b: 7 } }, 'a'],
    ];
    for (const [dist, id] of dists) {
      const d = resolve(dist, 0, id);
      for (const p of [0.001, 0.025, 0.3, 0.5, 0.8, 0.975, 0.999]) {
        // jStat's iterative beta/gamma inverses are accurate to ~1e-7 relative; closed forms to ~1e-12.
        expect(cdf(d, quantile(d, p))).toBeCloseTo(p, 6);
      }
    }
  });

  it('matches reference quantiles (SciPy) used for default DSA ranges', () => {
    expect(quantile(resolve({ type: 'beta', alpha: 50, beta: 34 }), 0.025)).toBeCloseTo(0.4890258442364402, 7);
    expect(quantile(resolve({ type: 'gamma', shape: 16, scale: 225 }), 0.975) / 5566.549246084315).toBeCloseTo(1, 7);
    expect(quantile(resolve({ type: 'normal', mean: 0, sd: 1 }), 0.975)).toBeCloseTo(1.959963984540054, 13);
  });
});

group('Dirichlet joint draws', () => {
  it('sum to 1 with means α_i/Σα and variances α_i(α₀−α_i)/(α₀²(α₀+1))', () => {
    for (const alphas of [[10, 30, 60], [0.5, 0.2, 1.3, 2]]) {
      const k = alphas.length;
      const a0 = alphas.reduce((s, a) => s + a, 0);
      const n = N / 2;
      const draws = Array.from({ length: k }, () => new Float64Array(n));
      const out = new Float64Array(k);
      let worst = 0;
      let negative = 0;
      for (let i = 0; i < n; i++) {
        sampleDirichlet(alphas, drawStream(5, i), out);
        let total = 0;
        for (let j = 0; j < k; j++) {
          total += out[j];
          draws[j][i] = out[j];
          if (!(out[j] >= 0)) negative++;
        }
        worst = Math.max(worst, Math.abs(total - 1));
      }
      expect(negative).toBe(0);
      expect(worst).toBeLessThan(1e-12);
      for (let j = 0; j < k; j++) {
        expectSampleMoments(draws[j], alphas[j] / a0, (alphas[j] * (a0 - alphas[j])) / (a0 * a0 * (a0 + 1)));
      }
    }
  });
});
