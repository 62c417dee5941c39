/**
 * One PSA draw of all parameters.
 *
 * `preparePsa` validates and resolves every distribution, Dirichlet group and correlation once;
 * `drawParameters(prepared, seed, i, out)` then fills `out` for draw i using only
 * `drawStream(seed, i)`. Draw i therefore depends only on (model, seed, i): shards computed by
 * different workers merge into exactly the single-run result.
 *
 * Order of uniform consumption within a draw (fixed; changing it changes every PSA result):
 * 1. Correlated parameters (Gaussian copula, correlation.ts): one uniform per correlated
 *    parameter, in spec order → independent standard normals z → x = L·z → u = Φ(x) → marginal
 *    quantile. Normal and lognormal marginals use x directly (μ + σx, exp(μ + σx)), which is the
 *    same value without the Φ round trip.
 * 2. Every other stochastic parameter in spec order, each consuming what its sampler needs
 *    (see the table in distributions.ts). A Dirichlet group is drawn whole at the position of its
 *    first member in spec order: one gamma per member, members in spec order, normalised.
 * 3. `fixed` distributions and parameters without a distribution take their base value and
 *    consume nothing.
 * Because gamma-based samplers use a variable number of uniforms, adding or reordering parameters
 * changes the draws of later parameters; for a given model the results are exactly reproducible.
 */
import type { Distribution } from '../schema/model-file';
import { buildGaussianCopula, drawCorrelatedNormals, type GaussianCopula } from './correlation';
import {
  isDistributionError,
  normalCdf,
  quantile,
  resolveDistribution,
  sample,
  sampleDirichlet,
  type ResolvedDistribution,
} from './distributions';
import { drawStream } from './random';

export type PsaParameterSpec = { id: string; baseValue: number; distribution: Distribution | undefined };

export type PsaError = { parameter: string; message: string };

type Step =
  | { readonly kind: 'single'; readonly index: number; readonly dist: ResolvedDistribution }
  | {
      readonly kind: 'dirichlet';
      readonly group: string;
      /** Spec indices of the members, in spec order. */
      readonly indices: Int32Array;
      readonly alphas: Float64Array;
      readonly scratch: Float64Array;
    };

type PreparedCopula = {
  readonly copula: GaussianCopula;
  /** Spec indices of the correlated parameters, in spec order (= copula order). */
  readonly indices: Int32Array;
  readonly marginals: readonly ResolvedDistribution[];
  readonly z: Float64Array;
  readonly x: Float64Array;
};

export type PreparedPsa = {
  readonly ids: readonly string[];
  readonly baseValues: Float64Array;
  /** Resolved distribution per spec (undefined when the spec has none). */
  readonly resolved: readonly (ResolvedDistribution | undefined)[];
  /** Ids of the parameters drawn through the copula, in consumption order. */
  readonly correlated: readonly string[];
  /** @internal */ readonly copula: PreparedCopula | undefined;
  /** @internal */ readonly steps: readonly Step[];
};

// Clamp copula uniforms to the range drawStream itself produces, so quantiles stay finite.
const U_MIN = 2 ** -53;
const U_MAX = 1 - 2 ** -53;

function sameAlphas(a: Record<string, number>, b: Record<string, number>): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k]);
}

/**
 * Validate and resolve everything once. Returns every problem found (not just the first), each
 * attached to a parameter id.
 */
export function preparePsa(
  specs: readonly PsaParameterSpec[],
  correlations: readonly { parameters: readonly [string, string]; rho: number }[],
): PreparedPsa | { errors: PsaError[] } {
  const errors: PsaError[] = [];
  const n = specs.length;
  const ids = specs.map((s) => s.id);
  const indexOf = new Map<string, number>();
  specs.forEach((s, k) => {
    if (indexOf.has(s.id)) errors.push({ parameter: s.id, message: `parameter ${s.id} is listed more than once` });
    else indexOf.set(s.id, k);
  });

  const baseValues = new Float64Array(n);
  const resolved: (ResolvedDistribution | undefined)[] = new Array(n).fill(undefined);
  specs.forEach((s, k) => {
    baseValues[k] = s.baseValue;
    if (s.distribution === undefined) return;
    const r = resolveDistribution(s.distribution, s.baseValue, s.id);
    if (isDistributionError(r)) errors.push({ parameter: s.id, message: r.error });
    else resolved[k] = r;
  });

  // Dirichlet groups: members in spec order; every member must carry the same alphas, and every
  // id in alphas must be a member of that group.
  const groups = new Map<string, number[]>();
  specs.forEach((s, k) => {
    const d = s.distribution;
    if (d?.type !== 'dirichlet' || resolved[k] === undefined) return;
    const members = groups.get(d.group);
    if (members === undefined) groups.set(d.group, [k]);
    else members.push(k);
  });
  const groupOk = new Map<string, boolean>();
  for (const [group, members] of groups) {
    const first = specs[members[0]];
    const alphas = (first.distribution as Extract<Distribution, { type: 'dirichlet' }>).alphas;
    let ok = true;
    for (const k of members.slice(1)) {
      const own = (specs[k].distribution as Extract<Distribution, { type: 'dirichlet' }>).alphas;
      if (!sameAlphas(alphas, own)) {
        errors.push({ parameter: specs[k].id, message: `dirichlet group ${group}: alphas differ from those given on ${first.id}` });
        ok = false;
      }
    }
    for (const id of Object.keys(alphas)) {
      const k = indexOf.get(id);
      const d = k === undefined ? undefined : specs[k].distribution;
      if (k === undefined) {
        errors.push({ parameter: first.id, message: `dirichlet group ${group} lists ${id}, which is not a parameter` });
        ok = false;
      } else if (d?.type !== 'dirichlet' || d.group !== group) {
        errors.push({ parameter: id, message: `dirichlet group ${group} lists ${id}, but ${id} does not have a dirichlet distribution for group ${group}` });
        ok = false;
      }
    }
    groupOk.set(group, ok);
  }

  // Correlations: validate the pairs, then build the copula over the correlated parameters.
  const correlatedSet = new Set<number>();
  let correlationsOk = true;
  for (const c of correlations) {
    const [a, b] = c.parameters;
    for (const id of [a, b]) {
      const k = indexOf.get(id);
      if (k === undefined) {
        errors.push({ parameter: id, message: `correlation between ${a} and ${b}: ${id} is not a parameter` });
        correlationsOk = false;
        continue;
      }
      const d = specs[k].distribution;
      if (d === undefined || d.type === 'fixed') {
        errors.push({ parameter: id, message: `correlation between ${a} and ${b}: ${id} has no PSA distribution, so it cannot be correlated` });
        correlationsOk = false;
      } else if (d.type === 'dirichlet') {
        errors.push({ parameter: id, message: `correlation between ${a} and ${b}: ${id} belongs to dirichlet group ${d.group}; correlating Dirichlet members is not supported` });
        correlationsOk = false;
      } else if (resolved[k] === undefined) {
        correlationsOk = false; // its own error is already reported
      } else {
        correlatedSet.add(k);
      }
    }
  }
  let copula: PreparedCopula | undefined;
  if (correlationsOk && correlatedSet.size > 0) {
    const indices = Int32Array.from([...correlatedSet].sort((p, q) => p - q));
    const built = buildGaussianCopula(
      Array.from(indices, (k) => ids[k]),
      correlations,
    );
    if ('error' in built) {
      errors.push({ parameter: built.parameter ?? ids[indices[0]], message: built.error });
    } else {
      copula = {
        copula: built,
        indices,
        marginals: Array.from(indices, (k) => resolved[k]!),
        z: new Float64Array(indices.length),
        x: new Float64Array(indices.length),
      };
    }
  }

  if (errors.length > 0) return { errors };

  const steps: Step[] = [];
  const drawnGroups = new Set<string>();
  for (let k = 0; k < n; k++) {
    const r = resolved[k];
    if (r === undefined || r.type === 'fixed' || correlatedSet.has(k)) continue;
    if (r.type === 'dirichlet') {
      if (drawnGroups.has(r.group) || !groupOk.get(r.group)) continue;
      drawnGroups.add(r.group);
      const members = groups.get(r.group)!;
      const alphas = (specs[k].distribution as Extract<Distribution, { type: 'dirichlet' }>).alphas;
      steps.push({
        kind: 'dirichlet',
        group: r.group,
        indices: Int32Array.from(members),
        alphas: Float64Array.from(members, (m) => alphas[ids[m]]),
        scratch: new Float64Array(members.length),
      });
      continue;
    }
    steps.push({ kind: 'single', index: k, dist: r });
  }

  return {
    ids,
    baseValues,
    resolved,
    correlated: copula ? copula.copula.ids : [],
    copula,
    steps,
  };
}

/** Marginal value for a correlated standard normal score x. */
function fromNormalScore(d: ResolvedDistribution, x: number): number {
  if (d.type === 'normal' && d.truncation === undefined) return d.mean + d.sd * x;
  if (d.type === 'lognormal') return Math.exp(d.meanlog + d.sdlog * x);
  const p = normalCdf(x);
  return quantile(d, p < U_MIN ? U_MIN : p > U_MAX ? U_MAX : p);
}

/**
 * Fill out[offset + k] with draw `drawIndex` of spec k (base value for fixed / no distribution).
 * `out` must have at least offset + (number of specs) elements.
 */
export function drawParameters(prepared: PreparedPsa, seed: number, drawIndex: number, out: Float64Array, offset = 0): void {
  const n = prepared.ids.length;
  if (out.length < offset + n) throw new RangeError(`drawParameters: out has length ${out.length}, needs ${offset + n}`);
  const u = drawStream(seed, drawIndex);
  out.set(prepared.baseValues, offset);

  const c = prepared.copula;
  if (c !== undefined) {
    drawCorrelatedNormals(c.copula, u, c.x, c.z);
    for (let j = 0; j < c.indices.length; j++) out[offset + c.indices[j]] = fromNormalScore(c.marginals[j], c.x[j]);
  }

  const steps = prepared.steps;
  for (let k = 0; k < steps.length; k++) {
    const step = steps[k];
    if (step.kind === 'single') {
      out[offset + step.index] = sample(step.dist, u);
    } else {
      sampleDirichlet(step.alphas, u, step.scratch);
      for (let m = 0; m < step.indices.length; m++) out[offset + step.indices[m]] = step.scratch[m];
    }
  }
}

/**
 * Draws firstDraw … firstDraw+count−1 into a row-major count × nParameters matrix (row r is draw
 * firstDraw + r). Identical to calling {@link drawParameters} per draw, so shards can be
 * concatenated.
 */
export function drawParameterBlock(
  prepared: PreparedPsa,
  seed: number,
  firstDraw: number,
  count: number,
  out: Float64Array = new Float64Array(count * prepared.ids.length),
): Float64Array {
  const n = prepared.ids.length;
  if (out.length < count * n) throw new RangeError(`drawParameterBlock: out has length ${out.length}, needs ${count * n}`);
  for (let r = 0; r < count; r++) drawParameters(prepared, seed, firstDraw + r, out, r * n);
  return out;
}
