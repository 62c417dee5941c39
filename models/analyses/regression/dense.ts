/**
 * Small dense linear-algebra kernels (row-major square matrices in Float64Array) for the penalised
 * regression behind EVPPI. Sizes are at most a few dozen, so plain O(d^3) loops are adequate.
 */

/**
 * In-place Cholesky factorisation M = L L^T; the lower triangle of `m` becomes L and the strict
 * upper triangle is zeroed. Returns false (leaving `m` partly overwritten) if M is not numerically
 * positive definite.
 */
export function choleskyInPlace(m: Float64Array, d: number): boolean {
  for (let j = 0; j < d; j++) {
    let diag = m[j * d + j];
    for (let k = 0; k < j; k++) diag -= m[j * d + k] * m[j * d + k];
    if (!(diag > 0) || !Number.isFinite(diag)) return false;
    const ljj = Math.sqrt(diag);
    m[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let v = m[i * d + j];
      for (let k = 0; k < j; k++) v -= m[i * d + k] * m[j * d + k];
      m[i * d + j] = v / ljj;
    }
    for (let i = 0; i < j; i++) m[i * d + j] = 0;
  }
  return true;
}

/** Solve L y = b (forward substitution), in place on `b`. */
export function forwardSolve(l: Float64Array, d: number, b: Float64Array): void {
  for (let i = 0; i < d; i++) {
    let v = b[i];
    for (let k = 0; k < i; k++) v -= l[i * d + k] * b[k];
    b[i] = v / l[i * d + i];
  }
}

/** Solve L^T x = y (back substitution), in place on `y`. */
export function backSolveTransposed(l: Float64Array, d: number, y: Float64Array): void {
  for (let i = d - 1; i >= 0; i--) {
    let v = y[i];
    for (let k = i + 1; k < d; k++) v -= l[k * d + i] * y[k];
    y[i] = v / l[i * d + i];
  }
}

/** Solve (L L^T) x = b in place on `b`. */
export function cholSolve(l: Float64Array, d: number, b: Float64Array): void {
  forwardSolve(l, d, b);
  backSolveTransposed(l, d, b);
}

/** Inverse of L L^T given the Cholesky factor: (L^{-1})^T L^{-1}. Returns a new d x d matrix. */
export function cholInverse(l: Float64Array, d: number): Float64Array {
  // W = L^{-1}, lower triangular, column by column.
  const w = new Float64Array(d * d);
  const col = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    col.fill(0);
    col[j] = 1;
    for (let i = j; i < d; i++) {
      let v = col[i];
      for (let k = j; k < i; k++) v -= l[i * d + k] * col[k];
      col[i] = v / l[i * d + i];
    }
    for (let i = j; i < d; i++) w[i * d + j] = col[i];
  }
  // Minv = W^T W, symmetric; (W^T W)_{ab} = sum_{k >= max(a,b)} W_{ka} W_{kb}.
  const inv = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      let v = 0;
      for (let k = b; k < d; k++) v += w[k * d + a] * w[k * d + b];
      inv[a * d + b] = v;
      inv[b * d + a] = v;
    }
  }
  return inv;
}

/**
 * Cholesky factor of a symmetric positive SEMI-definite matrix (e.g. a correlation matrix that may
 * be singular): columns whose remaining pivot is <= tol are set to zero instead of failing, so
 * L L^T reproduces the matrix on its range. Returns a new lower-triangular matrix.
 */
export function choleskySemiDefinite(m: Float64Array, d: number, tol = 1e-10): Float64Array {
  const l = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let diag = m[j * d + j];
    for (let k = 0; k < j; k++) diag -= l[j * d + k] * l[j * d + k];
    if (!(diag > tol)) continue; // dependent (or zero-variance) column: leave zeros
    const ljj = Math.sqrt(diag);
    l[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let v = m[i * d + j];
      for (let k = 0; k < j; k++) v -= l[i * d + k] * l[j * d + k];
      l[i * d + j] = v / ljj;
    }
  }
  return l;
}
