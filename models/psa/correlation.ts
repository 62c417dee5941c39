/**
 * Correlated PSA draws by a Gaussian copula (Briggs, Claxton & Sculpher 2006, §4.4.2, on Cholesky
 * decomposition for correlated parameters).
 *
 * 1. Build the correlation matrix R of the correlated parameters from the listed pairs
 *    (unlisted pairs are 0, the diagonal is 1).
 * 2. Cholesky-factorise R = L·Lᵀ. Failure means the rho values are mutually inconsistent (R is not
 *    positive semi-definite), reported naming the parameters involved. |rho| = 1 is allowed
 *    (semi-definite R) as long as the matrix stays consistent.
 * 3. Per draw: independent standard normals z (one uniform each, by inverse CDF), x = L·z, so
 *    Cor(x) = R; u_j = Φ(x_j); parameter j = F_j⁻¹(u_j) through its marginal's quantile function.
 *    Marginals therefore keep exactly their own distributions.
 *
 * What rho means: rho is the Pearson correlation of the *normal scores* Φ⁻¹(F_j(X_j)), not of the
 * parameters themselves. The rank (Spearman) correlation of the parameters is
 * ρ_S = (6/π)·arcsin(ρ/2) for every pair of continuous marginals — close to ρ but not equal
 * (largest gap ≈ 0.018, near |ρ| = 0.59). The Pearson correlation of the parameters depends on the
 * marginals and can be noticeably smaller for skewed ones. To target a Spearman correlation ρ_S,
 * use ρ = 2·sin(π·ρ_S/6) ({@link pearsonForSpearman}).
 */
import { normalQuantile } from './distributions';
import type { UniformSource } from './random';

export type CorrelationSpec = { readonly parameters: readonly [string, string]; readonly rho: number };

/** A Gaussian copula over `ids`: lower-triangular Cholesky factor, row-major n×n. */
export type GaussianCopula = {
  readonly ids: readonly string[];
  readonly cholesky: Float64Array;
};

/** Spearman rank correlation implied by a Gaussian copula with normal-score correlation rho. */
export function spearmanOfGaussianCopula(rho: number): number {
  return (6 / Math.PI) * Math.asin(rho / 2);
}

/** The normal-score correlation rho that gives Spearman correlation `spearman` under a Gaussian copula. */
export function pearsonForSpearman(spearman: number): number {
  return 2 * Math.sin((Math.PI * spearman) / 6);
}

const PSD_TOLERANCE = 1e-10;

/**
 * Build the copula. `ids` fixes the order of the normals (and so the uniform consumption);
 * every correlation must name two distinct ids from `ids`.
 */
export function buildGaussianCopula(
  ids: readonly string[],
  correlations: readonly CorrelationSpec[],
): GaussianCopula | { error: string; parameter?: string } {
  const n = ids.length;
  const index = new Map<string, number>();
  ids.forEach((id, i) => index.set(id, i));
  const r = new Float64Array(n * n);
  const listed = new Uint8Array(n * n);
  for (let i = 0; i < n; i++) r[i * n + i] = 1;
  for (const c of correlations) {
    const [a, b] = c.parameters;
    const i = index.get(a);
    const j = index.get(b);
    if (i === undefined || j === undefined) {
      const missing = i === undefined ? a : b;
      return { error: `correlation between ${a} and ${b}: ${missing} is not among the correlated parameters`, parameter: missing };
    }
    if (i === j) return { error: `correlation of ${a} with itself is not allowed`, parameter: a };
    if (!Number.isFinite(c.rho) || c.rho < -1 || c.rho > 1) {
      return { error: `correlation between ${a} and ${b}: rho ${c.rho} must lie in [−1, 1]`, parameter: a };
    }
    if (listed[i * n + j]) return { error: `correlation between ${a} and ${b} is listed more than once`, parameter: a };
    listed[i * n + j] = listed[j * n + i] = 1;
    r[i * n + j] = r[j * n + i] = c.rho;
  }
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = r[j * n + j];
    for (let k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k];
    if (d < -PSD_TOLERANCE) return inconsistent(ids, listed, j);
    const degenerate = d <= PSD_TOLERANCE;
    const ljj = degenerate ? 0 : Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = r[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (degenerate) {
        // Semi-definite column: a consistent matrix has nothing left to explain here.
        if (Math.abs(s) > 1e-8) return inconsistent(ids, listed, i);
        l[i * n + j] = 0;
      } else {
        l[i * n + j] = s / ljj;
      }
    }
  }
  return { ids: [...ids], cholesky: l };
}

/** Error naming the parameters linked (by listed correlations) to the one where Cholesky failed. */
function inconsistent(ids: readonly string[], listed: Uint8Array, failAt: number): { error: string; parameter: string } {
  const n = ids.length;
  const seen = new Uint8Array(n);
  const stack = [failAt];
  seen[failAt] = 1;
  while (stack.length > 0) {
    const i = stack.pop()!;
    for (let j = 0; j < n; j++) {
      if (!seen[j] && listed[i * n + j]) {
        seen[j] = 1;
        stack.push(j);
      }
    }
  }
  const names = ids.filter((_, i) => seen[i]);
  return {
    error:
      `the correlations among ${names.join(', ')} are mutually inconsistent: their correlation matrix is not ` +
      `positive semi-definite (Cholesky decomposition fails at ${ids[failAt]}); adjust the rho values`,
    parameter: ids[failAt],
  };
}

/**
 * Correlated standard normals x = L·z into out[0..n), where z_j = Φ⁻¹(u()) are drawn first, in
 * `ids` order (exactly n uniforms). `scratch` must have length ≥ n.
 */
export function drawCorrelatedNormals(copula: GaussianCopula, u: UniformSource, out: Float64Array, scratch: Float64Array): void {
  const n = copula.ids.length;
  const l = copula.cholesky;
  for (let j = 0; j < n; j++) scratch[j] = normalQuantile(u());
  for (let i = 0; i < n; i++) {
    let s = 0;
    const row = i * n;
    for (let k = 0; k <= i; k++) s += l[row + k] * scratch[k];
    out[i] = s;
  }
}
