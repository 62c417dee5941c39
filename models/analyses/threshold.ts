/**
 * Threshold analysis: the value of one parameter at which two strategies have equal net monetary
 * benefit at a willingness to pay, i.e. INMB(x) = ΔE(x)·wtp − ΔC(x) = 0. Where ΔE > 0 this is
 * exactly where the ICER crosses the WTP.
 *
 * Method: the range is scanned on an even grid (`gridIntervals`, default 32) to bracket sign
 * changes of INMB; each bracket is refined with Brent's method (Brent 1973, "Algorithms for
 * minimization without derivatives", ch. 4; the zeroin of Forsythe, Malcolm & Moler 1977), which
 * keeps the bracket and falls back to bisection, so it always converges. Tolerance on the
 * parameter: 1e-10 relative (|x|·1e-10, or 1e-10·range width near 0), plus 4·machine epsilon.
 * A root between grid points that does not change sign (a tangency) or two roots within one grid
 * interval can be missed; a finer grid finds them. No sign change → status 'none' ("no threshold
 * in range").
 */
import type { ModelFile } from '../schema/model-file';
import { ModelError, issue } from '../schema/model-issue';
import { type Variant, compileModel } from '../engine/compile-model';
import { baseInputs } from '../engine/parameters';
import { dsaRanges, evaluateWithChanges, metricValue, parameterBaseValues, resolveMetric } from './dsa';

export type ThresholdOptions = {
  parameter: string;
  strategy?: string;
  comparator?: string;
  wtp?: number;
  /** Search range; default the parameter's DSA range (see dsa.ts). */
  range?: [number, number];
  variant?: Variant;
  gridIntervals?: number;
  relativeTolerance?: number;
};

export type ThresholdPoint = {
  value: number;
  /** INMB at the value found (≈ 0). */
  inmb: number;
  /** The strategy with the higher NMB just below and just above the threshold. */
  preferredBelow: string;
  preferredAbove: string;
  iterations: number;
};

export type ThresholdResult = {
  kind: 'threshold';
  modelName: string;
  parameter: string;
  strategy: string;
  comparator: string;
  wtp: number;
  range: [number, number];
  baseValue: number;
  status: 'found' | 'none';
  thresholds: ThresholdPoint[];
  message: string;
  method: string;
};

export const THRESHOLD_METHOD = 'grid bracketing (32 intervals by default) then Brent\'s method; tolerance 1e-10 relative on the parameter';

export function findThreshold(model: ModelFile, options: ThresholdOptions): ThresholdResult {
  const compiled = compileModel(model, options.variant ?? {});
  const metric = resolveMetric(compiled, { outcome: 'nmb', strategy: options.strategy, comparator: options.comparator ?? undefined, wtp: options.wtp });
  if (metric.kind !== 'nmb' || metric.comparator === null) {
    throw new ModelError([issue(['strategies'], 'threshold analysis needs two strategies (a strategy and a comparator)')]);
  }
  const index = model.parameters.findIndex((p) => p.id === options.parameter);
  if (index < 0) throw new ModelError([issue(['parameters'], `unknown parameter '${options.parameter}'`, options.parameter)]);
  const baseValues = parameterBaseValues(compiled);
  let range = options.range;
  if (!range) {
    const r = dsaRanges(compiled, baseValues).ranges.find((x) => x.index === index);
    if (!r) throw new ModelError([issue(['parameters', index], `parameter '${options.parameter}' has no range to search (give low/high, a distribution, or an explicit range)`, options.parameter)]);
    range = [Math.min(r.low, r.high), Math.max(r.low, r.high)];
  }
  const [lo, hi] = range;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
    throw new ModelError([issue(['parameters', index], `threshold search range must be two finite numbers, low < high (got ${lo}, ${hi})`, options.parameter)]);
  }
  const intervals = options.gridIntervals ?? 32;
  const rel = options.relativeTolerance ?? 1e-10;
  const inputs = baseInputs(model);
  let evaluations = 0;
  const f = (x: number) => {
    evaluations++;
    return metricValue(compiled, metric, evaluateWithChanges(compiled, inputs, [[index, x]], 'threshold search', ['parameters', index]));
  };
  const ids = { s: metric.strategy, c: metric.comparator };
  const preferred = (v: number) => (v > 0 ? ids.s : ids.c);

  const xs = Array.from({ length: intervals + 1 }, (_, k) => (k === intervals ? hi : lo + ((hi - lo) * k) / intervals));
  const fs = xs.map(f);
  const thresholds: ThresholdPoint[] = [];
  for (let k = 0; k < intervals; k++) {
    const a = xs[k];
    const b = xs[k + 1];
    const fa = fs[k];
    const fb = fs[k + 1];
    if (fa === 0) {
      // Exact zero at a grid point: a threshold if the sign differs on either side (or at the ends).
      const before = k > 0 ? fs[k - 1] : fb;
      thresholds.push({ value: a, inmb: 0, preferredBelow: preferred(k > 0 ? before : -fb), preferredAbove: preferred(fb), iterations: 0 });
      continue;
    }
    if (k === intervals - 1 && fb === 0) {
      thresholds.push({ value: b, inmb: 0, preferredBelow: preferred(fa), preferredAbove: preferred(-fa), iterations: 0 });
      continue;
    }
    if (!(Number.isFinite(fa) && Number.isFinite(fb)) || Math.sign(fa) === Math.sign(fb) || fb === 0) continue;
    const root = brent(f, a, b, fa, fb, (x) => Math.max(rel * Math.abs(x), rel * (hi - lo)));
    thresholds.push({ value: root.x, inmb: root.fx, preferredBelow: preferred(fa), preferredAbove: preferred(fb), iterations: root.iterations });
  }
  const found = thresholds.length > 0;
  return {
    kind: 'threshold',
    modelName: model.metadata.name,
    parameter: options.parameter,
    strategy: ids.s,
    comparator: ids.c,
    wtp: metric.wtp,
    range: [lo, hi],
    baseValue: baseValues[index],
    status: found ? 'found' : 'none',
    thresholds,
    message: found
      ? thresholds.map((t) => `${options.parameter} = ${t.value}: ${t.preferredBelow} preferred below, ${t.preferredAbove} above`).join('; ')
      : `no threshold in range [${lo}, ${hi}]: ${preferred(fs[0])} has the higher net monetary benefit at WTP ${metric.wtp} throughout`,
    method: THRESHOLD_METHOD.replace('32', String(intervals)).replace('1e-10', String(rel)) + ` (${evaluations} model evaluations)`,
  };
}

/**
 * Brent's root finder on a bracket [a, b] with f(a)·f(b) < 0 (zeroin). `tol(x)` is the
 * absolute tolerance at x. Returns the best estimate and f there.
 */
export function brent(
  f: (x: number) => number,
  a: number,
  b: number,
  fa: number,
  fb: number,
  tol: (x: number) => number,
  maxIterations = 200,
): { x: number; fx: number; iterations: number } {
  const EPS = Number.EPSILON;
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let iter = 1; iter <= maxIterations; iter++) {
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol1 = 2 * EPS * Math.abs(b) + 0.5 * tol(b);
    const xm = 0.5 * (c - b);
    if (Math.abs(xm) <= tol1 || fb === 0) return { x: b, fx: fb, iterations: iter };
    if (Math.abs(e) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      // Inverse quadratic interpolation (secant when only two points are distinct).
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * xm * s;
        q = 1 - s;
      } else {
        const qq = fa / fc;
        const r = fb / fc;
        p = s * (2 * xm * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      p = Math.abs(p);
      if (2 * p < Math.min(3 * xm * q - Math.abs(tol1 * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = xm;
        e = d;
      }
    } else {
      d = xm;
      e = d;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol1 ? d : xm > 0 ? tol1 : -tol1;
    fb = f(b);
  }
  return { x: b, fx: fb, iterations: maxIterations };
}
