/**
 * Value of information from a PSA outcome table: per-person EVPI and regression-based EVPPI.
 * All values are in NMB units (money) per person; multiply by the affected population (and
 * discounting over the decision horizon) elsewhere.
 */
import { type OutcomeTable, meanOf, validateOutcomeTable, validateWtps } from './outcome-table';
import { NormalRng } from './regression/normal-rng';
import { type AdditivePSplineDesign, MAX_TERMS, type SmoothFit, buildDesign, designMultiply, fitAdditivePSpline } from './regression/pspline';
import { backSolveTransposed, choleskySemiDefinite } from './regression/dense';

export type EvpiPoint = { wtp: number; value: number };

/**
 * EVPI = E[max_s NMB_s] - max_s E[NMB_s] (per person), estimated by the PSA sample means.
 * Computed as the mean over draws of (max_s NMB_s,i - NMB_s*,i), where s* maximises the mean NMB
 * (first in table order on exact ties). This is algebraically identical but every term is >= 0 in
 * floating point, so the result is never negative and is exactly 0 when s* wins in every draw.
 */
export function computeEvpi(table: OutcomeTable, wtps: number[]): EvpiPoint[] {
  const { nStrategies, nDraws } = validateOutcomeTable(table, 'computeEvpi');
  validateWtps(wtps, 'computeEvpi');
  const { costs, effects } = table;
  return wtps.map((wtp) => {
    let sStar = 0;
    let bestMean = -Infinity;
    for (let s = 0; s < nStrategies; s++) {
      let sum = 0;
      for (let i = 0; i < nDraws; i++) sum += effects[s][i] * wtp - costs[s][i];
      if (sum / nDraws > bestMean) {
        bestMean = sum / nDraws;
        sStar = s;
      }
    }
    let regret = 0;
    for (let i = 0; i < nDraws; i++) {
      let best = -Infinity;
      for (let s = 0; s < nStrategies; s++) {
        const v = effects[s][i] * wtp - costs[s][i];
        if (v > best) best = v;
      }
      regret += best - (effects[sStar][i] * wtp - costs[sStar][i]);
    }
    return { wtp, value: regret / nDraws };
  });
}

export type EvppiResult = { wtp: number; parameters: string[]; value: number; standardError: number; method: string };

export type EvppiOptions = {
  /**
   * Posterior draws of the regression coefficients for the standard error (default
   * EVPPI_SE_DRAWS). 0 skips the standard error (reported as NaN). Cost is linear in this number.
   */
  standardErrorDraws?: number;
};

/** Knot intervals per smooth term, indexed by group size (fewer per term as terms are added). */
export const EVPPI_SEGMENTS_BY_TERMS: readonly number[] = [20, 20, 12, 10, 8];
/** Default number of posterior draws for the EVPPI standard error. */
export const EVPPI_SE_DRAWS = 100;
/** Fixed seed of those draws, so the standard error is deterministic. */
const EVPPI_SE_SEED = 20140301;

/**
 * Regression-based EVPPI (Strong, Oakley & Brennan 2014, Med Decis Making 34(3):311-326).
 *
 * For each strategy s other than the baseline b (the first in the table), E[NMB_s - NMB_b | theta]
 * is estimated by a nonparametric regression on the parameter group theta; then
 * EVPPI = mean_i max_s g_s(theta_i) - max_s mean_i g_s(theta_i)   (g_b = 0),
 * computed like EVPI as a mean of non-negative regrets.
 *
 * Smoother: P-splines (regression/pspline.ts) — cubic B-splines with a second-order difference
 * penalty and GCV-selected smoothing; for 2-4 parameters an additive model (one P-spline smooth per
 * parameter, fitted jointly by penalised least squares, one smoothing parameter each).
 * Because NMB is linear in WTP, incremental cost and incremental effect are regressed separately,
 * once, and combined per WTP (g_s = wtp * E[dE_s|theta] - E[dC_s|theta]); each regression selects
 * its own smoothing. The additive model has no interaction terms, so it can underestimate EVPPI
 * when the parameters interact in their effect on net benefit (Strong et al. use tensor-product
 * GAMs or Gaussian processes for that).
 *
 * Standard error (Strong et al. 2014's method): draw the regression coefficients from their
 * approximate Bayesian posterior N(beta_hat, sigma^2 (X'X + sum lambda P)^-1) (Wood 2006),
 * recompute EVPPI over all PSA draws for each, and report the SD across posterior draws. Residual
 * correlation between the regressions (cost vs effect, strategy vs strategy) is carried into the
 * draws through correlated standard normals (exact for the matrix-normal model when the smoothing
 * parameters coincide). A fixed internal seed makes it deterministic. It measures the regression
 * (fitting) uncertainty only, not the Monte Carlo error of the PSA sample itself nor the small
 * upward bias of the estimator. (A delta-method SE was tried and rejected: EVPPI is a tent-shaped
 * function of the fitted means near a decision switch, where it was off by 20%.)
 *
 * inputs[j][i] is parameter parameterIds[j] in draw i (the same draws as the table). Groups of 1 to
 * 4 parameters; a parameter that is constant over draws is ignored (it carries no information).
 * Throws RangeError if there are too few draws for the smoother (fewer than 12 for one parameter;
 * a PSA of thousands of draws is usual). Returns one result per WTP.
 */
export function computeEvppi(
  table: OutcomeTable,
  inputs: Float64Array[],
  parameterIds: string[],
  wtps: number[],
  options: EvppiOptions = {},
): EvppiResult[] {
  const { nStrategies, nDraws: n } = validateOutcomeTable(table, 'computeEvppi');
  validateWtps(wtps, 'computeEvppi');
  if (inputs.length !== parameterIds.length) {
    throw new RangeError('computeEvppi: need one input array per parameter id');
  }
  if (inputs.length < 1 || inputs.length > MAX_TERMS) {
    throw new RangeError(`computeEvppi: a parameter group must have 1 to ${MAX_TERMS} parameters (got ${inputs.length})`);
  }
  if (new Set(parameterIds).size !== parameterIds.length) throw new RangeError('computeEvppi: duplicate parameter id');
  inputs.forEach((x, j) => {
    if (x.length !== n) throw new RangeError(`computeEvppi: parameter "${parameterIds[j]}" has ${x.length} values, expected ${n}`);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(x[i])) throw new RangeError(`computeEvppi: parameter "${parameterIds[j]}" draw ${i} is not finite`);
    }
  });
  const seDraws = options.standardErrorDraws ?? EVPPI_SE_DRAWS;
  if (!Number.isInteger(seDraws) || seDraws < 0 || seDraws === 1) {
    throw new RangeError(`computeEvppi: standardErrorDraws must be 0 or an integer >= 2 (got ${seDraws})`);
  }
  const parameters = parameterIds.slice();
  const p = inputs.length;
  const method =
    `regression (Strong et al. 2014): ${p === 1 ? 'P-spline smoother' : `additive P-spline GAM (${p} smooth terms, no interactions)`} ` +
    '(cubic B-splines, 2nd-order difference penalty, GCV-selected smoothing); ' +
    `incremental cost and effect vs "${table.strategyIds[0]}" regressed separately and combined per WTP; ` +
    (seDraws > 0 ? `SE = SD over ${seDraws} draws from the coefficients' approximate posterior (fixed seed)` : 'no SE');
  if (nStrategies === 1) {
    return wtps.map((wtp) => ({ wtp, parameters, value: 0, standardError: seDraws > 0 ? 0 : NaN, method }));
  }

  // Responses: incremental cost and effect of strategy s (1..S-1) vs the baseline, per draw.
  // (One copy of the table's increments, made once, not per WTP.)
  const nInc = nStrategies - 1;
  const responses: Float64Array[] = [];
  for (let s = 1; s < nStrategies; s++) {
    const dc = new Float64Array(n);
    const de = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      dc[i] = table.costs[s][i] - table.costs[0][i];
      de[i] = table.effects[s][i] - table.effects[0][i];
    }
    responses.push(dc, de); // response 2k = cost, 2k+1 = effect of incremental strategy k
  }
  const design = buildDesign(inputs, EVPPI_SEGMENTS_BY_TERMS[p]);
  const fits = fitAdditivePSpline(design, responses);

  // Interleaved fitted values: fc[i * nInc + k] = E[dC_k | theta_i] (likewise fe for effects).
  const fc = new Float64Array(n * nInc);
  const fe = new Float64Array(n * nInc);
  const meanC = new Float64Array(nInc);
  const meanE = new Float64Array(nInc);
  for (let k = 0; k < nInc; k++) {
    const c = fits[2 * k].fitted;
    const e = fits[2 * k + 1].fitted;
    for (let i = 0; i < n; i++) {
      fc[i * nInc + k] = c[i];
      fe[i * nInc + k] = e[i];
    }
    meanC[k] = meanOf(c);
    meanE[k] = meanOf(e);
  }
  const values = wtps.map((wtp) => evppiFromFits(fc, fe, meanC, meanE, wtp, n, nInc));
  const se = seDraws > 0 ? posteriorStandardErrors(design, fits, fc, fe, meanC, meanE, wtps, nInc, seDraws) : null;
  return wtps.map((wtp, w) => ({ wtp, parameters, value: values[w], standardError: se ? se[w] : NaN, method }));
}

/**
 * SD of EVPPI over `draws` posterior draws of all regressions' coefficients (see computeEvppi).
 * Draw m: beta_r - beta_hat_r = sigma_r L_r^{-T} z_r with L_r L_r^T = X'X + sum lambda P, where for
 * each coefficient index the vector (z_1..z_R) ~ N(0, residual correlation). Work buffers are
 * allocated once and reused for every draw and WTP.
 */
function posteriorStandardErrors(
  design: AdditivePSplineDesign,
  fits: SmoothFit[],
  fc: Float64Array,
  fe: Float64Array,
  meanC: Float64Array,
  meanE: Float64Array,
  wtps: readonly number[],
  nInc: number,
  draws: number,
): Float64Array {
  const { n, dim } = design;
  const nr = fits.length;
  const nw = wtps.length;
  const se = new Float64Array(nw);
  const sampled = fits.map((f) => f.chol !== null && f.sigma > 0);
  if (!sampled.some(Boolean) || dim === 0) return se; // no regression uncertainty
  const corrChol = choleskySemiDefinite(residualCorrelation(fits, sampled), nr);
  const rng = new NormalRng(EVPPI_SE_SEED);
  const z = new Float64Array(dim * nr); // z[a * nr + r]
  const xi = new Float64Array(nr);
  const delta = new Float64Array(dim);
  const dfit = new Float64Array(n);
  const pc = Float64Array.from(fc);
  const pe = Float64Array.from(fe);
  const mc = new Float64Array(nInc);
  const me = new Float64Array(nInc);
  const sum = new Float64Array(nw);
  const sumSq = new Float64Array(nw);
  for (let m = 0; m < draws; m++) {
    for (let a = 0; a < dim; a++) {
      for (let r = 0; r < nr; r++) xi[r] = rng.normal();
      for (let r = 0; r < nr; r++) {
        let v = 0;
        for (let t = 0; t <= r; t++) v += corrChol[r * nr + t] * xi[t];
        z[a * nr + r] = v;
      }
    }
    mc.set(meanC);
    me.set(meanE);
    for (let r = 0; r < nr; r++) {
      if (!sampled[r]) continue; // its fitted values stay as they are in pc/pe
      const f = fits[r];
      for (let a = 0; a < dim; a++) delta[a] = z[a * nr + r];
      backSolveTransposed(f.chol!, dim, delta);
      let meanShift = 0;
      for (let a = 0; a < dim; a++) {
        delta[a] *= f.sigma;
        meanShift += design.columnMeans[a] * delta[a];
      }
      designMultiply(design, delta, dfit);
      const k = r >> 1;
      const target = r % 2 === 0 ? pc : pe;
      const fitted = f.fitted;
      for (let i = 0, idx = k; i < n; i++, idx += nInc) target[idx] = fitted[i] + dfit[i];
      if (r % 2 === 0) mc[k] += meanShift;
      else me[k] += meanShift;
    }
    for (let w = 0; w < nw; w++) {
      const v = evppiFromFits(pc, pe, mc, me, wtps[w], n, nInc);
      sum[w] += v;
      sumSq[w] += v * v;
    }
  }
  for (let w = 0; w < nw; w++) {
    const mean = sum[w] / draws;
    se[w] = Math.sqrt(Math.max(0, (sumSq[w] - draws * mean * mean) / (draws - 1)));
  }
  return se;
}

/**
 * EVPPI from fitted incremental costs and effects vs the baseline (whose incremental NMB is 0),
 * stored interleaved (`fc[i * nInc + k]`); `meanC`/`meanE` are their means over draws.
 * Returns mean_i [max(0, max_k g_k,i) - g_k*,i] with g = wtp * fe - fc and k* maximising the mean
 * of g (the baseline on ties, else the first): a mean of non-negative regrets.
 */
function evppiFromFits(
  fc: Float64Array,
  fe: Float64Array,
  meanC: Float64Array,
  meanE: Float64Array,
  wtp: number,
  n: number,
  nInc: number,
): number {
  let kStar = -1; // -1 = baseline
  let bestMean = 0;
  for (let k = 0; k < nInc; k++) {
    const m = wtp * meanE[k] - meanC[k];
    if (m > bestMean) {
      bestMean = m;
      kStar = k;
    }
  }
  let regret = 0;
  if (nInc === 1) {
    // Two strategies: regret is the positive (baseline optimal) or negative (k optimal) part of g.
    if (kStar < 0) {
      for (let i = 0; i < n; i++) {
        const g = wtp * fe[i] - fc[i];
        if (g > 0) regret += g;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const g = wtp * fe[i] - fc[i];
        if (g < 0) regret -= g;
      }
    }
    return regret / n;
  }
  for (let i = 0, base = 0; i < n; i++, base += nInc) {
    let best = 0;
    for (let k = 0; k < nInc; k++) {
      const g = wtp * fe[base + k] - fc[base + k];
      if (g > best) best = g;
    }
    regret += kStar < 0 ? best : best - (wtp * fe[base + kStar] - fc[base + kStar]);
  }
  return regret / n;
}

/** Correlation matrix of the fits' residuals; identity rows/columns for responses not sampled. */
function residualCorrelation(fits: SmoothFit[], sampled: boolean[]): Float64Array {
  const nr = fits.length;
  const residuals = fits.map((f) => f.residuals);
  const n = residuals[0].length;
  const c = new Float64Array(nr * nr);
  const norms = residuals.map((e) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += e[i] * e[i];
    return Math.sqrt(s);
  });
  for (let a = 0; a < nr; a++) {
    for (let b = a; b < nr; b++) {
      let val: number;
      if (a === b) val = 1;
      else if (!sampled[a] || !sampled[b] || norms[a] === 0 || norms[b] === 0) val = 0;
      else {
        let s = 0;
        for (let i = 0; i < n; i++) s += residuals[a][i] * residuals[b][i];
        val = s / (norms[a] * norms[b]);
      }
      c[a * nr + b] = val;
      c[b * nr + a] = val;
    }
  }
  return c;
}
