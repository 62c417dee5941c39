/**
 * Additive P-spline regression (a GAM without link function) with GCV-selected smoothing, used as
 * the nonparametric smoother of regression-based EVPPI (Strong, Oakley & Brennan 2014).
 *
 * Each input gets a cubic B-spline basis on equally spaced knots spanning its observed range, with a
 * second-order difference penalty on the coefficients (P-splines: Eilers & Marx 1996, Stat Sci
 * 11(2):89-121). Knots are on the parameter's own scale: sparsely populated knot intervals (long
 * tails of gamma or lognormal inputs) are bridged by the penalty, and the null space of the
 * penalty is the linear functions, so near-linear relationships (common in HTA models) are fitted
 * with few effective degrees of freedom. (A rank/empirical-CDF scale was tried and rejected: it
 * turns linear relationships with long-tailed inputs into steep curves at the ends.)
 *
 * Several inputs: y ~ f_1(x_1) + ... + f_p(x_p), one penalty and smoothing parameter per term,
 * fitted jointly by penalised least squares (not backfitting). B-splines sum to one, so the
 * constant is carried by term 1's basis and one basis column is dropped from every other term;
 * because the difference penalty ignores constant shifts of the coefficients this is only a
 * reparametrisation of the usual sum-to-zero identifiability constraint.
 *
 * Smoothing parameters minimise GCV(lambda) = n RSS / (n - edf)^2 (Craven & Wahba 1979; as
 * mgcv's default with gamma = 1) over a log10 grid of lambda from 1e-4 to 1e7 (relative to the data
 * weight; the top end is effectively the linear fit); with several terms a coordinate-wise search
 * over that grid starts from the best common lambda. The fit also returns the Cholesky factor of
 * X'X + sum lambda_q P_q, whose inverse times sigma^2 is the Bayesian posterior covariance of the
 * coefficients used for standard errors (Wahba 1983; Wood 2006, Generalized Additive Models, 4.8).
 */
import { cholInverse, choleskyInPlace, cholSolve } from './dense';

/** Maximum number of inputs in one additive model. */
export const MAX_TERMS = 4;

export type AdditivePSplineDesign = {
  /** Number of observations (PSA draws). */
  n: number;
  /** Number of smooth terms (inputs with at least two distinct values). */
  terms: number;
  /** Which of the supplied inputs are in the model (the others are constant and carry no information). */
  termInputs: number[];
  segments: number;
  /** B-spline basis functions per term: segments + 3 (cubic). */
  basisSize: number;
  /** Number of coefficients: basisSize + (terms - 1)(basisSize - 1); 0 when terms = 0. */
  dim: number;
  /** Non-zero slots per row: 4 per term (cubic B-splines have local support). */
  slots: number;
  /** Column index per row and slot (-1 = the dropped column) and the basis value. */
  cols: Int32Array;
  vals: Float64Array;
  /** X'X, dim x dim. */
  xtx: Float64Array;
  /** Column means of X. */
  columnMeans: Float64Array;
  /** Per term: its difference penalty embedded in dim x dim, scaled so lambda = 1 weighs it like the data. */
  penalties: Float64Array[];
};

export type SmoothFit = {
  /** True when the response has no variation (fit = its constant value, no uncertainty). */
  constant: boolean;
  /** Mean of the response (the fit is mean + X coef). */
  mean: number;
  coef: Float64Array;
  fitted: Float64Array;
  residuals: Float64Array;
  rss: number;
  /** Effective degrees of freedom, trace of the hat matrix. */
  edf: number;
  /** Residual standard deviation, sqrt(RSS / (n - edf)). */
  sigma: number;
  /** Selected log10 smoothing multipliers, one per term. */
  log10Lambda: number[];
  gcv: number;
  /** Cholesky factor of X'X + sum lambda P (dim x dim), or null for a constant response. */
  chol: Float64Array | null;
};

/**
 * Build the design for inputs x_1..x_p (each an array of n values). `segments` is the number of
 * knot intervals per term; it is reduced when n is small so that dim <= n / 4.
 */
export function buildDesign(inputs: readonly Float64Array[], segments: number): AdditivePSplineDesign {
  const n = inputs.length > 0 ? inputs[0].length : 0;
  const termInputs: number[] = [];
  inputs.forEach((x, j) => {
    if (x.length !== n) throw new RangeError('buildDesign: inputs differ in length');
    let distinct = false;
    for (let i = 1; i < n && !distinct; i++) if (x[i] !== x[0]) distinct = true;
    if (distinct) termInputs.push(j);
  });
  const terms = termInputs.length;
  if (terms > MAX_TERMS) throw new RangeError(`buildDesign: at most ${MAX_TERMS} inputs`);
  let nseg = Math.max(1, Math.floor(segments));
  const dimFor = (s: number) => (terms === 0 ? 0 : s + 3 + (terms - 1) * (s + 2));
  while (nseg > 3 && dimFor(nseg) > n / 4) nseg--;
  const k = nseg + 3;
  const dim = dimFor(nseg);
  if (terms > 0 && dim > n / 2) {
    throw new RangeError(`buildDesign: too few draws (${n}) for a ${terms}-input smoother`);
  }
  const slots = 4 * terms;
  const cols = new Int32Array(n * slots);
  const vals = new Float64Array(n * slots);
  const offset = (q: number) => (q === 0 ? 0 : k + (q - 1) * (k - 1));
  termInputs.forEach((j, q) => {
    const u = unitScale(inputs[j]);
    const off = offset(q);
    for (let i = 0; i < n; i++) {
      // Uniform cubic B-splines on [0, 1] with nseg intervals: the four non-zero functions at x.
      const z = u[i] * nseg;
      const seg = Math.min(Math.floor(z), nseg - 1);
      const t = z - seg;
      const t2 = t * t;
      const t3 = t2 * t;
      const mt = 1 - t;
      const b = [(mt * mt * mt) / 6, (3 * t3 - 6 * t2 + 4) / 6, (-3 * t3 + 3 * t2 + 3 * t + 1) / 6, t3 / 6];
      for (let r = 0; r < 4; r++) {
        const basisIndex = seg + r;
        const slot = i * slots + 4 * q + r;
        cols[slot] = q === 0 ? basisIndex : basisIndex === 0 ? -1 : off + basisIndex - 1;
        vals[slot] = b[r];
      }
    }
  });
  // X'X and column means from the sparse rows.
  const xtx = new Float64Array(dim * dim);
  const columnMeans = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    const base = i * slots;
    for (let a = 0; a < slots; a++) {
      const ca = cols[base + a];
      if (ca < 0) continue;
      const va = vals[base + a];
      columnMeans[ca] += va / n;
      for (let b = 0; b < slots; b++) {
        const cb = cols[base + b];
        if (cb < 0) continue;
        xtx[ca * dim + cb] += va * vals[base + b];
      }
    }
  }
  // Second-order difference penalty D'D per term, mapped to its columns and scaled.
  const penalties = termInputs.map((_, q) => {
    const off = offset(q);
    const colOf = (basisIndex: number) => (q === 0 ? basisIndex : basisIndex === 0 ? -1 : off + basisIndex - 1);
    const p = new Float64Array(dim * dim);
    for (let r = 0; r + 2 < k; r++) {
      const idx = [r, r + 1, r + 2];
      const coefs = [1, -2, 1];
      for (let a = 0; a < 3; a++) {
        const ca = colOf(idx[a]);
        if (ca < 0) continue;
        for (let b = 0; b < 3; b++) {
          const cb = colOf(idx[b]);
          if (cb < 0) continue;
          p[ca * dim + cb] += coefs[a] * coefs[b];
        }
      }
    }
    let trX = 0;
    let trP = 0;
    for (let basisIndex = 0; basisIndex < k; basisIndex++) {
      const c = colOf(basisIndex);
      if (c < 0) continue;
      trX += xtx[c * dim + c];
      trP += p[c * dim + c];
    }
    const scale = trX / trP;
    for (let a = 0; a < p.length; a++) p[a] *= scale;
    return p;
  });
  return { n, terms, termInputs, segments: nseg, basisSize: k, dim, slots, cols, vals, xtx, columnMeans, penalties };
}

/** out = X coef (overwrites `out`). */
export function designMultiply(design: AdditivePSplineDesign, coef: Float64Array, out: Float64Array): void {
  const { n, slots, cols, vals } = design;
  if (slots === 4) {
    // One term: no dropped column; unrolled because this is the hot loop of the EVPPI SE.
    for (let i = 0, base = 0; i < n; i++, base += 4) {
      out[i] =
        vals[base] * coef[cols[base]] +
        vals[base + 1] * coef[cols[base + 1]] +
        vals[base + 2] * coef[cols[base + 2]] +
        vals[base + 3] * coef[cols[base + 3]];
    }
    return;
  }
  for (let i = 0, base = 0; i < n; i++, base += slots) {
    let v = 0;
    for (let a = 0; a < slots; a++) {
      const c = cols[base + a];
      if (c >= 0) v += vals[base + a] * coef[c];
    }
    out[i] = v;
  }
}

type Evaluation = { edf: number; gcv: Float64Array };

/**
 * Fit every response on the same design, each with its own GCV-selected smoothing parameters.
 * Responses with no variation are returned as `constant`.
 */
export function fitAdditivePSpline(design: AdditivePSplineDesign, responses: readonly Float64Array[]): SmoothFit[] {
  const { n, dim, terms } = design;
  const nr = responses.length;
  const means = responses.map(meanOfArray);
  const isConstant = responses.map((y) => {
    for (let i = 1; i < y.length; i++) if (y[i] !== y[0]) return false;
    return true;
  });
  // Centred responses' X'y and y'y (centring improves the accuracy of RSS as a quadratic form).
  const xty: Float64Array[] = [];
  const yty: number[] = [];
  for (let r = 0; r < nr; r++) {
    const y = responses[r];
    const m = means[r];
    const b = new Float64Array(dim);
    let yy = 0;
    for (let i = 0; i < n; i++) {
      const yc = y[i] - m;
      yy += yc * yc;
      const base = i * design.slots;
      for (let a = 0; a < design.slots; a++) {
        const c = design.cols[base + a];
        if (c >= 0) b[c] += design.vals[base + a] * yc;
      }
    }
    xty.push(b);
    yty.push(yy);
  }

  if (terms === 0) {
    // No informative input: the best predictor is the mean.
    return responses.map((y, r) => constantFit(y, means[r], isConstant[r], 0));
  }

  const grid: number[] = [];
  const step = terms === 1 ? 0.25 : 0.5;
  for (let l = -4; l <= 7 + 1e-9; l += step) grid.push(Math.round(l * 100) / 100);

  const cache = new Map<string, Evaluation>();
  const beta = new Float64Array(dim);
  const evaluate = (levels: number[]): Evaluation => {
    const key = levels.join(',');
    const hit = cache.get(key);
    if (hit) return hit;
    const l = penalisedFactor(design, levels.map((g) => grid[g]));
    const inv = cholInverse(l, dim);
    let edf = 0;
    for (let a = 0; a < dim * dim; a++) edf += inv[a] * design.xtx[a];
    const gcv = new Float64Array(nr);
    for (let r = 0; r < nr; r++) {
      if (isConstant[r]) continue;
      // beta = inv X'y; RSS = y'y - 2 beta'X'y + beta'X'X beta.
      const b = xty[r];
      for (let a = 0; a < dim; a++) {
        let v = 0;
        for (let c = 0; c < dim; c++) v += inv[a * dim + c] * b[c];
        beta[a] = v;
      }
      let bb = 0;
      let bab = 0;
      for (let a = 0; a < dim; a++) {
        let v = 0;
        for (let c = 0; c < dim; c++) v += design.xtx[a * dim + c] * beta[c];
        bb += beta[a] * b[a];
        bab += beta[a] * v;
      }
      const rss = Math.max(0, yty[r] - 2 * bb + bab);
      const denom = n - edf;
      gcv[r] = denom > 0 ? (n * rss) / (denom * denom) : Infinity;
    }
    const ev = { edf, gcv };
    cache.set(key, ev);
    return ev;
  };

  // Best common level (all terms equal), shared by every response as a starting point.
  const commonBest = new Int32Array(nr).fill(0);
  const commonGcv = new Float64Array(nr).fill(Infinity);
  for (let g = 0; g < grid.length; g++) {
    const ev = evaluate(new Array<number>(terms).fill(g));
    for (let r = 0; r < nr; r++) {
      if (ev.gcv[r] < commonGcv[r]) {
        commonGcv[r] = ev.gcv[r];
        commonBest[r] = g;
      }
    }
  }

  return responses.map((y, r) => {
    if (isConstant[r]) return constantFit(y, means[r], true, terms);
    const levels = new Array<number>(terms).fill(commonBest[r]);
    let best = commonGcv[r];
    if (terms > 1) {
      // Coordinate-wise search over the grid, at most 3 sweeps.
      for (let sweep = 0; sweep < 3; sweep++) {
        let changed = false;
        for (let q = 0; q < terms; q++) {
          for (let g = 0; g < grid.length; g++) {
            if (g === levels[q]) continue;
            const trial = levels.slice();
            trial[q] = g;
            const v = evaluate(trial).gcv[r];
            if (v < best) {
              best = v;
              levels[q] = g;
              changed = true;
            }
          }
        }
        if (!changed) break;
      }
    }
    const log10Lambda = levels.map((g) => grid[g]);
    const chol = penalisedFactor(design, log10Lambda);
    const coef = Float64Array.from(xty[r]);
    cholSolve(chol, dim, coef);
    const fitted = new Float64Array(n);
    designMultiply(design, coef, fitted);
    const residuals = new Float64Array(n);
    let rss = 0;
    for (let i = 0; i < n; i++) {
      fitted[i] += means[r];
      const e = y[i] - fitted[i];
      residuals[i] = e;
      rss += e * e;
    }
    const edf = evaluate(levels).edf;
    const sigma = Math.sqrt(rss / Math.max(n - edf, 1));
    return { constant: false, mean: means[r], coef, fitted, residuals, rss, edf, sigma, log10Lambda, gcv: best, chol };
  });
}

/**
 * Cholesky factor of X'X + sum_q 10^l_q P_q. If that is not numerically positive definite (e.g. an
 * input with only two distinct values and a tiny lambda) a small ridge, growing from 1e-12 of the
 * mean diagonal, is added until it is.
 */
function penalisedFactor(design: AdditivePSplineDesign, log10Lambda: number[]): Float64Array {
  const { dim, xtx, penalties } = design;
  const base = Float64Array.from(xtx);
  log10Lambda.forEach((l, q) => {
    const lambda = Math.pow(10, l);
    const p = penalties[q];
    for (let a = 0; a < base.length; a++) base[a] += lambda * p[a];
  });
  let meanDiag = 0;
  for (let a = 0; a < dim; a++) meanDiag += base[a * dim + a];
  meanDiag /= dim;
  for (let ridge = 0; ; ridge = ridge === 0 ? 1e-12 * meanDiag : ridge * 100) {
    const m = Float64Array.from(base);
    for (let a = 0; a < dim; a++) m[a * dim + a] += ridge;
    if (choleskyInPlace(m, dim)) return m;
    if (ridge > meanDiag) throw new Error('penalised regression: matrix not positive definite');
  }
}

function constantFit(y: Float64Array, mean: number, constant: boolean, terms: number): SmoothFit {
  const n = y.length;
  const fitted = new Float64Array(n).fill(mean);
  const residuals = new Float64Array(n);
  let rss = 0;
  for (let i = 0; i < n; i++) {
    residuals[i] = y[i] - mean;
    rss += residuals[i] * residuals[i];
  }
  return {
    constant,
    mean,
    coef: new Float64Array(0),
    fitted,
    residuals,
    rss,
    edf: 1,
    sigma: constant ? 0 : Math.sqrt(rss / Math.max(n - 1, 1)),
    log10Lambda: new Array<number>(terms).fill(Infinity),
    gcv: n > 1 ? (n * rss) / ((n - 1) * (n - 1)) : 0,
    chol: null,
  };
}

function meanOfArray(y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i];
  return s / y.length;
}

/** Map x linearly onto [0, 1] (min -> 0, max -> 1); x has at least two distinct values. */
function unitScale(x: Float64Array): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    if (x[i] < lo) lo = x[i];
    if (x[i] > hi) hi = x[i];
  }
  const range = hi - lo;
  return x.map((v) => Math.min(1, Math.max(0, (v - lo) / range)));
}
