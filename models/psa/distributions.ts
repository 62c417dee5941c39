/**
 * PSA distributions: resolution of a schema `Distribution` to natural parameters, seeded samplers,
 * quantile (inverse CDF), CDF, moments and a short description for reports.
 *
 * Distribution choice follows Briggs, Claxton & Sculpher (2006), *Decision Modelling for Health
 * Economic Evaluation*, ch. 4: beta for probabilities and utilities, gamma or lognormal for costs and
 * other positive skewed quantities, lognormal for relative risks and hazard ratios, normal for
 * quantities estimated with large samples, Dirichlet for multinomial transition rows. When the
 * evidence is a mean and standard error, parameters are fitted by the method of moments (ibid. §4.3):
 *
 * | Distribution | Natural parameters | From mean m and standard error s (method of moments) | Mean | Variance |
 * |---|---|---|---|---|
 * | beta | α, β > 0 | α = m·(m(1−m)/s² − 1), β = (1−m)·(m(1−m)/s² − 1); needs 0 < m < 1 and s² < m(1−m) | α/(α+β) | αβ/((α+β)²(α+β+1)) |
 * | gamma | shape k, scale θ > 0 | k = (m/s)², θ = s²/m; needs m > 0 | kθ | kθ² |
 * | lognormal | meanlog μ, sdlog σ ≥ 0 | σ² = ln(1 + s²/m²), μ = ln m − σ²/2 (m, s on the natural scale); needs m > 0 | exp(μ+σ²/2) | (exp(σ²)−1)·exp(2μ+σ²) |
 * | normal | mean μ, sd σ ≥ 0 (`sd` or `se`), optional truncation [a, b] | — | μ + σ(φ(α)−φ(β))/Z | σ²[1 + (αφ(α)−βφ(β))/Z − ((φ(α)−φ(β))/Z)²] |
 * | uniform | min a < max b | — | (a+b)/2 | (b−a)²/12 |
 * | triangular | min a ≤ mode c ≤ max b, a < b | — | (a+c+b)/3 | (a²+b²+c²−ab−ac−bc)/18 |
 * | PERT | min a ≤ mode c ≤ max b, λ > 0 (default 4) | a + (b−a)·Beta(1+λ(c−a)/(b−a), 1+λ(b−c)/(b−a)) | (a+λc+b)/(λ+2) | (b−a)²·Var(Beta) |
 * | fixed | — | the parameter's base value | base | 0 |
 * | dirichlet | α_i > 0 per member | — (one joint draw of normalised gammas) | α_i/α₀ | α_i(α₀−α_i)/(α₀²(α₀+1)) |
 *
 * (Truncated normal: α = (a−μ)/σ, β = (b−μ)/σ, Z = Φ(β) − Φ(α).)
 *
 * For beta, gamma and lognormal a missing `mean` (with `se` given) defaults to the parameter's base
 * value. Giving both natural parameters and mean/se is an error (ambiguous).
 *
 * Samplers take a {@link UniformSource} and never touch a global random function, so draws are
 * reproducible (see random.ts). Uniforms consumed per sample, in order:
 *
 * | Distribution | Uniforms |
 * |---|---|
 * | fixed | 0 |
 * | normal (truncated or not), lognormal, uniform, triangular | 1 (inverse CDF) |
 * | gamma | Marsaglia–Tsang: 2 per attempt (normal by inverse CDF, then the acceptance uniform); acceptance ≥ 95 %; shape < 1 adds 1 more after the Gamma(shape+1) draw |
 * | beta, PERT | Gamma(α) draw, then Gamma(β) draw |
 * | dirichlet member (marginal) | as beta with (α_i, α₀−α_i); the joint draw in draw-parameters.ts takes one gamma per member, in member order |
 */
import jStat from 'jstat';
import type { Distribution } from '../schema/model-file';
import type { UniformSource } from './random';

/** A distribution with validated natural parameters, ready for sampling. */
export type ResolvedDistribution =
  | { readonly type: 'fixed'; readonly value: number }
  | { readonly type: 'beta'; readonly alpha: number; readonly beta: number }
  | { readonly type: 'gamma'; readonly shape: number; readonly scale: number }
  | { readonly type: 'lognormal'; readonly meanlog: number; readonly sdlog: number }
  | {
      readonly type: 'normal';
      readonly mean: number;
      readonly sd: number;
      /** −Infinity when not truncated below. */
      readonly lower: number;
      /** +Infinity when not truncated above. */
      readonly upper: number;
      /** Precomputed for inverse-CDF sampling; undefined when untruncated or sd = 0. */
      readonly truncation: NormalTruncation | undefined;
    }
  | { readonly type: 'uniform'; readonly min: number; readonly max: number }
  | { readonly type: 'triangular'; readonly min: number; readonly mode: number; readonly max: number }
  | {
      readonly type: 'pert';
      readonly min: number;
      readonly mode: number;
      readonly max: number;
      readonly lambda: number;
      /** Shape parameters of the underlying Beta on [min, max]. */
      readonly alpha: number;
      readonly beta: number;
    }
  | {
      readonly type: 'dirichlet';
      readonly group: string;
      /** Member parameter ids in the order of `alphas` in the model file. */
      readonly members: readonly string[];
      readonly alphas: readonly number[];
      /** Index of the parameter this resolution is for; its marginal is Beta(α_i, α₀ − α_i). */
      readonly index: number;
    };

/**
 * Truncated normal on standardised bounds [α, β]. When α > 0 the interval lies in the upper tail,
 * where Φ(α) ≈ 1 would lose precision, so we work with −Z on [−β, −α] instead (`flip`).
 */
export type NormalTruncation = {
  readonly alpha: number;
  readonly beta: number;
  readonly flip: boolean;
  /** Φ of the lower end of the working interval. */
  readonly pLow: number;
  /** Probability mass Z of the interval (> 0). */
  readonly pWidth: number;
};

export type DistributionError = { error: string };

export function isDistributionError(r: ResolvedDistribution | DistributionError): r is DistributionError {
  return 'error' in r;
}

// ---------------------------------------------------------------------------------------------
// Standard normal: density, CDF and quantile.
// ---------------------------------------------------------------------------------------------

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_PI = 0.5641895835477563; // 1/√π
const INV_SQRT_2PI = 0.3989422804014327; // 1/√(2π)

/** Standard normal density φ(z). */
export function normalPdf(z: number): number {
  return Number.isFinite(z) ? INV_SQRT_2PI * Math.exp(-0.5 * z * z) : 0;
}

/**
 * erfc(x) for x ≥ 0, to ~1e-15 relative accuracy (checked against SciPy in the tests).
 * x < 2: erfc = 1 − erf with erf(x) = (2/√π)·e^(−x²)·Σ_{n≥0} (2x²)^n·x/(1·3·…·(2n+1)) — a series of
 *   positive terms, so no cancellation inside the sum (Abramowitz & Stegun 7.1.6).
 * x ≥ 2: the continued fraction erfc(x) = (e^(−x²)/√π)·1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))
 *   (A&S 7.1.14), evaluated by the modified Lentz method; it converges quickly for large x.
 */
function erfcNonNegative(x: number): number {
  if (x < 2) {
    const x2 = x * x;
    const twoX2 = 2 * x2;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= twoX2 / (2 * n + 1);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    return 1 - 2 * INV_SQRT_PI * Math.exp(-x2) * sum;
  }
  if (x > 27.3) return 0; // erfc(27.3) < 1e-325 underflows
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    if (d === 0) d = tiny;
    d = 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (INV_SQRT_PI * Math.exp(-x * x)) / f;
}

/** Standard normal CDF Φ(z); accurate in relative terms in the lower tail. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z < 0) return 0.5 * erfcNonNegative(-z * SQRT1_2);
  return 1 - 0.5 * erfcNonNegative(z * SQRT1_2);
}

// Wichura (1988), Algorithm AS 241 (PPND16), Applied Statistics 37(3):477–484: rational
// approximations to Φ⁻¹ with relative accuracy about 1e-16.
const AS241_A = [
  3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125,
  45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727,
];
const AS241_B = [
  1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867,
  39307.89580009271061, 28729.085735721942674, 5226.495278852854561,
];
const AS241_C = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504,
  1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4,
];
const AS241_D = [
  1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459,
  0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9,
];
const AS241_E = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123,
  0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
];
const AS241_F = [
  1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4,
  1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15,
];

function poly7(c: readonly number[], r: number): number {
  return ((((((c[7] * r + c[6]) * r + c[5]) * r + c[4]) * r + c[3]) * r + c[2]) * r + c[1]) * r + c[0];
}

/** Standard normal quantile Φ⁻¹(p) (AS 241). p ≤ 0 → −∞, p ≥ 1 → +∞. */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p)) return NaN;
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * poly7(AS241_A, r)) / poly7(AS241_B, r);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let z: number;
  if (r <= 5) {
    r -= 1.6;
    z = poly7(AS241_C, r) / poly7(AS241_D, r);
  } else {
    r -= 5;
    z = poly7(AS241_E, r) / poly7(AS241_F, r);
  }
  return q < 0 ? -z : z;
}

// ---------------------------------------------------------------------------------------------
// Resolution (validation + method of moments).
// ---------------------------------------------------------------------------------------------

/** Compact number formatting for messages and descriptions (4 significant digits). */
export function formatNumber(x: number): string {
  if (x === Infinity) return '∞';
  if (x === -Infinity) return '−∞';
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  return String(Number(x.toPrecision(4)));
}

const fmt = formatNumber;

function isNum(x: unknown): x is number {
  return typeof x === 'number';
}

function err(message: string): DistributionError {
  return { error: message };
}

function finite(name: string, value: number): string | undefined {
  return Number.isFinite(value) ? undefined : `${name} must be a finite number, got ${value}`;
}

/** Resolve mean: explicit, or the parameter's base value when only `se` is given. */
function meanOrBase(dist: { mean?: number }, baseValue: number, kind: string): number | DistributionError {
  const m = dist.mean ?? baseValue;
  if (!Number.isFinite(m)) {
    return err(`${kind} mean must be a finite number (no mean given and the base value is ${baseValue})`);
  }
  return m;
}

/**
 * Validate a schema distribution and convert it to natural parameters.
 *
 * @param baseValue the parameter's deterministic value: returned by `fixed`, and the default mean
 *   for beta/gamma/lognormal given only `se`.
 * @param parameterId needed for `dirichlet`, to say which member of the group this parameter is.
 */
export function resolveDistribution(
  dist: Distribution,
  baseValue: number,
  parameterId?: string,
): ResolvedDistribution | DistributionError {
  switch (dist.type) {
    case 'fixed': {
      if (!Number.isFinite(baseValue)) return err(`fixed distribution needs a finite base value, got ${baseValue}`);
      return { type: 'fixed', value: baseValue };
    }

    case 'beta': {
      const natural = isNum(dist.alpha) || isNum(dist.beta);
      const moments = isNum(dist.mean) || isNum(dist.se);
      if (natural && moments) return err('beta takes either alpha and beta, or mean and se — not both');
      if (natural) {
        if (!isNum(dist.alpha) || !isNum(dist.beta)) return err('beta needs both alpha and beta');
        const e = finite('beta alpha', dist.alpha) ?? finite('beta beta', dist.beta);
        if (e) return err(e);
        if (dist.alpha <= 0 || dist.beta <= 0) return err(`beta alpha and beta must be positive (got ${dist.alpha}, ${dist.beta})`);
        return { type: 'beta', alpha: dist.alpha, beta: dist.beta };
      }
      if (!isNum(dist.se)) return err('beta needs alpha and beta, or mean and se');
      const m = meanOrBase(dist, baseValue, 'beta');
      if (typeof m !== 'number') return m;
      const s = dist.se;
      if (!(m > 0 && m < 1)) return err(`beta mean ${m} must lie in (0,1)`);
      if (!(s > 0) || !Number.isFinite(s)) return err(`beta standard error ${s} must be a positive finite number`);
      // Method of moments (Briggs et al. 2006, §4.3.1): α + β = m(1−m)/s² − 1.
      const v = m * (1 - m);
      if (s * s >= v) return err(`beta standard error ${s} is too large for mean ${m}: needs se² < m(1−m) = ${fmt(v)}`);
      const k = v / (s * s) - 1;
      return { type: 'beta', alpha: m * k, beta: (1 - m) * k };
    }

    case 'gamma': {
      const natural = isNum(dist.shape) || isNum(dist.scale);
      const moments = isNum(dist.mean) || isNum(dist.se);
      if (natural && moments) return err('gamma takes either shape and scale, or mean and se — not both');
      if (natural) {
        if (!isNum(dist.shape) || !isNum(dist.scale)) return err('gamma needs both shape and scale');
        const e = finite('gamma shape', dist.shape) ?? finite('gamma scale', dist.scale);
        if (e) return err(e);
        if (dist.shape <= 0 || dist.scale <= 0) return err(`gamma shape and scale must be positive (got ${dist.shape}, ${dist.scale})`);
        return { type: 'gamma', shape: dist.shape, scale: dist.scale };
      }
      if (!isNum(dist.se)) return err('gamma needs shape and scale, or mean and se');
      const m = meanOrBase(dist, baseValue, 'gamma');
      if (typeof m !== 'number') return m;
      const s = dist.se;
      if (!(m > 0)) return err(`gamma mean ${m} must be positive`);
      if (!(s > 0) || !Number.isFinite(s)) return err(`gamma standard error ${s} must be a positive finite number`);
      // Method of moments (Briggs et al. 2006, §4.3.2): mean = kθ, variance = kθ².
      return { type: 'gamma', shape: (m / s) * (m / s), scale: (s * s) / m };
    }

    case 'lognormal': {
      const natural = isNum(dist.meanlog) || isNum(dist.sdlog);
      const moments = isNum(dist.mean) || isNum(dist.se);
      if (natural && moments) return err('lognormal takes either meanlog and sdlog, or mean and se — not both');
      if (natural) {
        if (!isNum(dist.meanlog) || !isNum(dist.sdlog)) return err('lognormal needs both meanlog and sdlog');
        const e = finite('lognormal meanlog', dist.meanlog) ?? finite('lognormal sdlog', dist.sdlog);
        if (e) return err(e);
        if (dist.sdlog < 0) return err(`lognormal sdlog ${dist.sdlog} must not be negative`);
        return { type: 'lognormal', meanlog: dist.meanlog, sdlog: dist.sdlog };
      }
      if (!isNum(dist.se)) return err('lognormal needs meanlog and sdlog, or mean and se');
      const m = meanOrBase(dist, baseValue, 'lognormal');
      if (typeof m !== 'number') return m;
      const s = dist.se;
      if (!(m > 0)) return err(`lognormal mean ${m} must be positive`);
      if (!(s > 0) || !Number.isFinite(s)) return err(`lognormal standard error ${s} must be a positive finite number`);
      // Moments on the natural scale (Briggs et al. 2006, §4.3.3): σ² = ln(1 + s²/m²), μ = ln m − σ²/2.
      const sigma2 = Math.log1p((s * s) / (m * m));
      return { type: 'lognormal', meanlog: Math.log(m) - sigma2 / 2, sdlog: Math.sqrt(sigma2) };
    }

    case 'normal': {
      const mu = dist.mean;
      if (!Number.isFinite(mu)) return err(`normal mean must be a finite number, got ${mu}`);
      if (isNum(dist.sd) && isNum(dist.se) && dist.sd !== dist.se) {
        return err(`normal takes sd or se, not both (got sd ${dist.sd}, se ${dist.se})`);
      }
      const sd = dist.sd ?? dist.se;
      if (!isNum(sd)) return err('normal needs sd (or se)');
      if (!(sd >= 0) || !Number.isFinite(sd)) return err(`normal sd ${sd} must be a non-negative finite number`);
      const lower = dist.lower ?? -Infinity;
      const upper = dist.upper ?? Infinity;
      if (Number.isNaN(lower) || Number.isNaN(upper)) return err('normal truncation bounds must be numbers');
      if (!(lower < upper)) return err(`normal truncation needs lower < upper (got lower ${lower}, upper ${upper})`);
      const truncated = lower > -Infinity || upper < Infinity;
      if (sd === 0) {
        if (mu < lower || mu > upper) {
          return err(`normal with sd 0 puts all its mass at the mean ${mu}, outside the truncation [${fmt(lower)}, ${fmt(upper)}]`);
        }
        return { type: 'normal', mean: mu, sd: 0, lower, upper, truncation: undefined };
      }
      if (!truncated) return { type: 'normal', mean: mu, sd, lower, upper, truncation: undefined };
      const alpha = (lower - mu) / sd;
      const beta = (upper - mu) / sd;
      const flip = alpha > 0;
      const pLow = flip ? normalCdf(-beta) : normalCdf(alpha);
      const pHigh = flip ? normalCdf(-alpha) : normalCdf(beta);
      const pWidth = pHigh - pLow;
      if (!(pWidth > 1e-300)) {
        return err(
          `normal truncation [${fmt(lower)}, ${fmt(upper)}] has (numerically) zero probability under Normal(μ=${fmt(mu)}, σ=${fmt(sd)})`,
        );
      }
      return { type: 'normal', mean: mu, sd, lower, upper, truncation: { alpha, beta, flip, pLow, pWidth } };
    }

    case 'uniform': {
      const e = finite('uniform min', dist.min) ?? finite('uniform max', dist.max);
      if (e) return err(e);
      if (!(dist.min < dist.max)) return err(`uniform needs min < max (got min ${dist.min}, max ${dist.max})`);
      return { type: 'uniform', min: dist.min, max: dist.max };
    }

    case 'triangular': {
      const e = finite('triangular min', dist.min) ?? finite('triangular mode', dist.mode) ?? finite('triangular max', dist.max);
      if (e) return err(e);
      if (!(dist.min <= dist.mode && dist.mode <= dist.max)) {
        return err(`triangular needs min ≤ mode ≤ max (got ${dist.min}, ${dist.mode}, ${dist.max})`);
      }
      if (!(dist.min < dist.max)) return err(`triangular needs min < max (got min ${dist.min}, max ${dist.max})`);
      return { type: 'triangular', min: dist.min, mode: dist.mode, max: dist.max };
    }

    case 'pert': {
      const e = finite('PERT min', dist.min) ?? finite('PERT mode', dist.mode) ?? finite('PERT max', dist.max);
      if (e) return err(e);
      if (!(dist.min <= dist.mode && dist.mode <= dist.max)) {
        return err(`PERT needs min ≤ mode ≤ max (got ${dist.min}, ${dist.mode}, ${dist.max})`);
      }
      if (!(dist.min < dist.max)) return err(`PERT needs min < max (got min ${dist.min}, max ${dist.max})`);
      const lambda = dist.lambda ?? 4;
      if (!(lambda > 0) || !Number.isFinite(lambda)) return err(`PERT lambda ${lambda} must be a positive finite number`);
      // Modified PERT (Vose 2008): a + (b−a)·Beta(1 + λ(c−a)/(b−a), 1 + λ(b−c)/(b−a)); λ = 4 is classic PERT.
      const range = dist.max - dist.min;
      return {
        type: 'pert',
        min: dist.min,
        mode: dist.mode,
        max: dist.max,
        lambda,
        alpha: 1 + (lambda * (dist.mode - dist.min)) / range,
        beta: 1 + (lambda * (dist.max - dist.mode)) / range,
      };
    }

    case 'dirichlet': {
      const members = Object.keys(dist.alphas);
      const alphas = members.map((k) => dist.alphas[k]);
      if (members.length < 2) return err(`dirichlet group ${dist.group} needs at least two members in alphas`);
      for (let i = 0; i < members.length; i++) {
        if (!(alphas[i] > 0) || !Number.isFinite(alphas[i])) {
          return err(`dirichlet group ${dist.group}: alpha for ${members[i]} must be a positive finite number, got ${alphas[i]}`);
        }
      }
      if (parameterId === undefined) {
        return err(`dirichlet group ${dist.group}: resolving a member needs its parameter id`);
      }
      const index = members.indexOf(parameterId);
      if (index < 0) {
        return err(`parameter ${parameterId} has a dirichlet distribution for group ${dist.group} but is not listed in its alphas (${members.join(', ')})`);
      }
      return { type: 'dirichlet', group: dist.group, members, alphas, index };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Samplers.
// ---------------------------------------------------------------------------------------------

/** Standard normal by inversion: exactly one uniform. */
export function sampleStandardNormal(u: UniformSource): number {
  return normalQuantile(u());
}

/**
 * Gamma(shape, 1) by Marsaglia & Tsang (2000), "A simple method for generating gamma variables",
 * ACM TOMS 26(3):363–372. For shape < 1 the boost G(a) = G(a+1)·U^(1/a) (ibid. §6).
 */
export function sampleStandardGamma(shape: number, u: UniformSource): number {
  if (shape < 1) {
    const g = marsagliaTsang(shape + 1, u);
    return g * Math.pow(u(), 1 / shape);
  }
  return marsagliaTsang(shape, u);
}

/**
 * log of a Gamma(shape, 1) draw, with the same uniform consumption as {@link sampleStandardGamma}.
 * For tiny shapes U^(1/a) underflows to 0; in logs it stays finite, so beta and Dirichlet draws
 * built from gamma ratios never become 0/0.
 */
export function sampleLogStandardGamma(shape: number, u: UniformSource): number {
  if (shape < 1) {
    const g = marsagliaTsang(shape + 1, u);
    return Math.log(g) + Math.log(u()) / shape;
  }
  return Math.log(marsagliaTsang(shape, u));
}

function marsagliaTsang(shape: number, u: UniformSource): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normalQuantile(u());
    let v = 1 + c * x;
    if (v <= 0) continue;
    v = v * v * v;
    const w = u();
    const x2 = x * x;
    // Squeeze first, then the exact log test.
    if (w < 1 - 0.0331 * x2 * x2) return d * v;
    if (Math.log(w) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(α, β) as G_α/(G_α + G_β): the α gamma is drawn first. */
export function sampleBeta(alpha: number, beta: number, u: UniformSource): number {
  if (alpha < 1 || beta < 1) {
    const la = sampleLogStandardGamma(alpha, u);
    const lb = sampleLogStandardGamma(beta, u);
    return 1 / (1 + Math.exp(lb - la));
  }
  const ga = marsagliaTsang(alpha, u);
  const gb = marsagliaTsang(beta, u);
  return ga / (ga + gb);
}

/**
 * One Dirichlet(alphas) draw into out[0..n): normalised gammas, one per component in order
 * (Briggs et al. 2006, §4.4). Computed in logs when any α < 1.
 */
export function sampleDirichlet(alphas: ArrayLike<number>, u: UniformSource, out: Float64Array): void {
  const n = alphas.length;
  let small = false;
  for (let i = 0; i < n; i++) if (alphas[i] < 1) small = true;
  if (!small) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const g = marsagliaTsang(alphas[i], u);
      out[i] = g;
      sum += g;
    }
    for (let i = 0; i < n; i++) out[i] /= sum;
    return;
  }
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const l = sampleLogStandardGamma(alphas[i], u);
    out[i] = l;
    if (l > max) max = l;
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(out[i] - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < n; i++) out[i] /= sum;
}

function dirichletMarginal(d: Extract<ResolvedDistribution, { type: 'dirichlet' }>): [number, number] {
  let a0 = 0;
  for (const a of d.alphas) a0 += a;
  const ai = d.alphas[d.index];
  return [ai, a0 - ai];
}

/**
 * Draw one value. Dirichlet members drawn one at a time get their Beta(α_i, α₀−α_i) marginal;
 * joint draws that sum to 1 come from {@link sampleDirichlet} (draw-parameters.ts does this).
 */
export function sample(d: ResolvedDistribution, u: UniformSource): number {
  switch (d.type) {
    case 'fixed':
      return d.value;
    case 'beta':
      return sampleBeta(d.alpha, d.beta, u);
    case 'gamma':
      return sampleStandardGamma(d.shape, u) * d.scale;
    case 'lognormal':
      return Math.exp(d.meanlog + d.sdlog * normalQuantile(u()));
    case 'normal':
      if (d.truncation === undefined) return d.mean + d.sd * normalQuantile(u());
      return quantile(d, u());
    case 'uniform':
      return d.min + (d.max - d.min) * u();
    case 'triangular':
      return quantile(d, u());
    case 'pert':
      return d.min + (d.max - d.min) * sampleBeta(d.alpha, d.beta, u);
    case 'dirichlet': {
      const [a, b] = dirichletMarginal(d);
      return sampleBeta(a, b, u);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Quantile, CDF, moments, description.
// ---------------------------------------------------------------------------------------------

/**
 * Inverse CDF F⁻¹(p) for p in [0, 1] (0 and 1 give the support's ends, possibly infinite).
 * Beta, gamma and PERT use jStat's iterative inverses (relative accuracy ~1e-7 or better, ample for
 * PSA); normal, lognormal, uniform and triangular are closed-form.
 */
export function quantile(d: ResolvedDistribution, p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  switch (d.type) {
    case 'fixed':
      return d.value;
    case 'beta':
      return jStat.beta.inv(p, d.alpha, d.beta);
    case 'gamma':
      if (p === 1) return Infinity;
      return jStat.gamma.inv(p, d.shape, d.scale);
    case 'lognormal':
      return Math.exp(d.meanlog + d.sdlog * normalQuantile(p));
    case 'normal': {
      const t = d.truncation;
      if (d.sd === 0) return d.mean;
      if (t === undefined) return d.mean + d.sd * normalQuantile(p);
      if (p === 0) return d.lower;
      if (p === 1) return d.upper;
      // Inverse CDF of the truncated normal: Φ⁻¹(Φ(α) + p·Z) (no rejection, so it cannot stall).
      const z = t.flip ? -normalQuantile(t.pLow + (1 - p) * t.pWidth) : normalQuantile(t.pLow + p * t.pWidth);
      const x = d.mean + d.sd * Math.min(Math.max(z, t.alpha), t.beta);
      return Math.min(Math.max(x, d.lower), d.upper);
    }
    case 'uniform':
      return d.min + (d.max - d.min) * p;
    case 'triangular': {
      const { min: a, mode: c, max: b } = d;
      const fc = (c - a) / (b - a);
      return p < fc ? a + Math.sqrt(p * (b - a) * (c - a)) : b - Math.sqrt((1 - p) * (b - a) * (b - c));
    }
    case 'pert':
      return d.min + (d.max - d.min) * jStat.beta.inv(p, d.alpha, d.beta);
    case 'dirichlet': {
      const [a, b] = dirichletMarginal(d);
      return jStat.beta.inv(p, a, b);
    }
  }
}

/** CDF F(x). */
export function cdf(d: ResolvedDistribution, x: number): number {
  if (Number.isNaN(x)) return NaN;
  switch (d.type) {
    case 'fixed':
      return x < d.value ? 0 : 1;
    case 'beta':
      return x <= 0 ? 0 : x >= 1 ? 1 : jStat.beta.cdf(x, d.alpha, d.beta);
    case 'gamma':
      return x <= 0 ? 0 : x === Infinity ? 1 : jStat.gamma.cdf(x, d.shape, d.scale);
    case 'lognormal':
      if (x <= 0) return 0;
      if (d.sdlog === 0) return x < Math.exp(d.meanlog) ? 0 : 1;
      return normalCdf((Math.log(x) - d.meanlog) / d.sdlog);
    case 'normal': {
      if (x < d.lower) return 0;
      if (x >= d.upper) return 1;
      if (d.sd === 0) return x < d.mean ? 0 : 1;
      const z = (x - d.mean) / d.sd;
      const t = d.truncation;
      if (t === undefined) return normalCdf(z);
      return t.flip ? (t.pLow + t.pWidth - normalCdf(-z)) / t.pWidth : (normalCdf(z) - t.pLow) / t.pWidth;
    }
    case 'uniform':
      return x <= d.min ? 0 : x >= d.max ? 1 : (x - d.min) / (d.max - d.min);
    case 'triangular': {
      const { min: a, mode: c, max: b } = d;
      if (x <= a) return 0;
      if (x >= b) return 1;
      return x <= c ? ((x - a) * (x - a)) / ((b - a) * (c - a)) : 1 - ((b - x) * (b - x)) / ((b - a) * (b - c));
    }
    case 'pert': {
      const y = (x - d.min) / (d.max - d.min);
      return y <= 0 ? 0 : y >= 1 ? 1 : jStat.beta.cdf(y, d.alpha, d.beta);
    }
    case 'dirichlet': {
      const [a, b] = dirichletMarginal(d);
      return x <= 0 ? 0 : x >= 1 ? 1 : jStat.beta.cdf(x, a, b);
    }
  }
}

/** Truncated-normal moments on the standardised scale: [mean shift, variance factor]. */
function truncatedNormalMoments(t: NormalTruncation): [number, number] {
  const { alpha, beta } = t;
  const phiA = normalPdf(alpha);
  const phiB = normalPdf(beta);
  const aPhiA = Number.isFinite(alpha) ? alpha * phiA : 0;
  const bPhiB = Number.isFinite(beta) ? beta * phiB : 0;
  const z = t.pWidth;
  const shift = (phiA - phiB) / z;
  return [shift, 1 + (aPhiA - bPhiB) / z - shift * shift];
}

export function mean(d: ResolvedDistribution): number {
  switch (d.type) {
    case 'fixed':
      return d.value;
    case 'beta':
      return d.alpha / (d.alpha + d.beta);
    case 'gamma':
      return d.shape * d.scale;
    case 'lognormal':
      return Math.exp(d.meanlog + (d.sdlog * d.sdlog) / 2);
    case 'normal':
      return d.truncation === undefined ? d.mean : d.mean + d.sd * truncatedNormalMoments(d.truncation)[0];
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'triangular':
      return (d.min + d.mode + d.max) / 3;
    case 'pert':
      return (d.min + d.lambda * d.mode + d.max) / (d.lambda + 2);
    case 'dirichlet': {
      const [a, b] = dirichletMarginal(d);
      return a / (a + b);
    }
  }
}

export function variance(d: ResolvedDistribution): number {
  switch (d.type) {
    case 'fixed':
      return 0;
    case 'beta':
      return betaVariance(d.alpha, d.beta);
    case 'gamma':
      return d.shape * d.scale * d.scale;
    case 'lognormal': {
      const s2 = d.sdlog * d.sdlog;
      return Math.expm1(s2) * Math.exp(2 * d.meanlog + s2);
    }
    case 'normal':
      return d.truncation === undefined ? d.sd * d.sd : d.sd * d.sd * truncatedNormalMoments(d.truncation)[1];
    case 'uniform':
      return ((d.max - d.min) * (d.max - d.min)) / 12;
    case 'triangular': {
      const { min: a, mode: c, max: b } = d;
      return (a * a + b * b + c * c - a * b - a * c - b * c) / 18;
    }
    case 'pert':
      return (d.max - d.min) * (d.max - d.min) * betaVariance(d.alpha, d.beta);
    case 'dirichlet': {
      const [a, b] = dirichletMarginal(d);
      return betaVariance(a, b);
    }
  }
}

function betaVariance(a: number, b: number): number {
  const s = a + b;
  return (a * b) / (s * s * (s + 1));
}

/** Short human-readable form for reports, e.g. "Beta(50, 34)", "Gamma(k=16, θ=225)". */
export function describe(d: ResolvedDistribution): string {
  switch (d.type) {
    case 'fixed':
      return `Fixed(${fmt(d.value)})`;
    case 'beta':
      return `Beta(${fmt(d.alpha)}, ${fmt(d.beta)})`;
    case 'gamma':
      return `Gamma(k=${fmt(d.shape)}, θ=${fmt(d.scale)})`;
    case 'lognormal':
      return `LogNormal(μ=${fmt(d.meanlog)}, σ=${fmt(d.sdlog)})`;
    case 'normal': {
      const base = `Normal(μ=${fmt(d.mean)}, σ=${fmt(d.sd)})`;
      if (d.lower === -Infinity && d.upper === Infinity) return base;
      const open = d.lower === -Infinity ? '(' : '[';
      const close = d.upper === Infinity ? ')' : ']';
      return `${base} truncated to ${open}${fmt(d.lower)}, ${fmt(d.upper)}${close}`;
    }
    case 'uniform':
      return `Uniform(${fmt(d.min)}, ${fmt(d.max)})`;
    case 'triangular':
      return `Triangular(${fmt(d.min)}, ${fmt(d.mode)}, ${fmt(d.max)})`;
    case 'pert':
      return `PERT(${fmt(d.min)}, ${fmt(d.mode)}, ${fmt(d.max)}${d.lambda === 4 ? '' : `, λ=${fmt(d.lambda)}`})`;
    case 'dirichlet':
      return `Dirichlet[${d.group}](${d.members.map((m, i) => `${m}=${fmt(d.alphas[i])}`).join(', ')}): ${d.members[d.index]}`;
  }
}
