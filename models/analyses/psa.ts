/**
 * Probabilistic sensitivity analysis (Briggs, Claxton & Sculpher 2006, ch. 4; Doubilet et al.
 * 1985): the model is compiled once; each draw i samples every base parameter with a distribution
 * (`drawParameters`, which depends only on seed and i) and evaluates every strategy on that same
 * draw (common random numbers) with the one evaluator. A numeric parameter's draw replaces
 * `values[i]`; an expression parameter's draw replaces its expression (`replaced[i] = 1`).
 * Parameters that a strategy, scenario or subgroup overrides keep the override in that strategy.
 *
 * Reproducibility and sharding: results are folded draw by draw, in draw order, by one
 * accumulator (`PsaAccumulator`). Any split of the draws (worker blocks, `--draws A-B` shards
 * merged later) feeds the accumulator the same numbers in the same order, so the JSON output is
 * byte-identical for every split. Shards carry their per-draw values so merging can refold them.
 *
 * Memory: without `keepDraws` (and without EVPPI) the accumulator keeps sums, CEAC counts, EVPI
 * sums, a thinned set of draws for the CE plane and, up to EXACT_INTERVAL_DRAWS (200,000) draws,
 * the primary cost and effect of each draw (16 bytes per strategy per draw), so the 95% intervals
 * are exact percentiles (Hyndman & Fan type 7, as `summarisePsa`). Beyond that cap those values
 * are replayed into P² quantile estimators (Jain & Chlamtac 1985, CACM 28(10):1076-1085) and
 * dropped: memory is bounded and flat in the number of draws from there on, and the intervals are
 * P² streaming estimates. With `keepDraws` they are always exact. The JSON says which
 * (`intervalMethod`). The accumulator is in psa-accumulator.ts, merging and JSON in psa-merge.ts.
 */
import type { ModelFile } from '../schema/model-file';
import { ModelError, issue } from '../schema/model-issue';
import { type CompiledModel, type Variant, compileModel } from '../engine/compile-model';
import { evaluateStrategy } from '../engine/evaluate';
import { evaluateStrategyBlock } from '../engine/evaluate-block';
import type { ParameterInputs } from '../engine/parameters';
import { type PreparedPsa, drawParameters, preparePsa } from '../psa/draw-parameters';
import type { TreeNode } from '../schema/model-file';
import { freeIdentifiers } from '../expression';
import { parameterBaseValues } from './dsa';
import { validateWtps } from './outcome-table';
import { PsaAccumulator, type PsaHeader, type PsaResult, evppiParameters } from './psa-accumulator';

// The accumulator, result types, shard merging and JSON live in their own modules; re-exported
// here so that importers of './psa' need not know the split.
export { EXACT_INTERVAL_DRAWS, P2Quantile, PSA_FORMAT_VERSION, PsaAccumulator, evppiParameters } from './psa-accumulator';
export type { PsaDraws, PsaHeader, PsaResult, PsaStrategySummary } from './psa-accumulator';
export { PsaMergeError, mergePsaShards, psaResultTable, stringifyJson, stringifyPsaResult } from './psa-merge';

export const MAX_PSA_DRAWS = 10_000_000;
/** Default number of draws kept for the CE-plane scatter (evenly spaced, as `cePlanePoints`). */
export const DEFAULT_CE_PLANE_POINTS = 1000;
/** Default WTP grid: 0 to 3x the largest settings threshold in 50 equal steps, plus every settings threshold. */
export const DEFAULT_WTP_STEPS = 50;

export function defaultWtpGrid(thresholds: readonly number[]): number[] {
  const max = Math.max(0, ...thresholds);
  const grid = new Set<number>(thresholds);
  if (max > 0) for (let k = 0; k <= DEFAULT_WTP_STEPS; k++) grid.add(k === DEFAULT_WTP_STEPS ? 3 * max : (3 * max * k) / DEFAULT_WTP_STEPS);
  else grid.add(0);
  return [...grid].sort((a, b) => a - b);
}

/** 64-bit FNV-1a-style hash (two 32-bit lanes) of the parsed model, to check shards belong together. Not cryptographic. */
export function modelHash(model: ModelFile): string {
  const text = JSON.stringify(model);
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

// ---------------------------------------------------------------------------------------------
// Per-draw evaluation.
// ---------------------------------------------------------------------------------------------

/**
 * Compiled model + prepared distributions, reusable for any block of draws (one per process or
 * worker). `evaluateBlock` writes outcome totals (x cohort size) for draws from..from+count-1:
 * out[(r*S + s)*O + o]; and, for EVPPI, the drawn values of the requested parameters: params[r*P + j].
 */
export class PsaEvaluator {
  readonly compiled: CompiledModel;
  readonly prepared: PreparedPsa;
  readonly strategyIds: string[];
  readonly strategyNames: string[];
  readonly outcomeIds: string[];
  readonly parameterIds: string[];
  readonly parameterIndices: number[];
  /** Ids of the parameters that are drawn (have a non-fixed distribution). */
  readonly stochastic: string[];
  private readonly inputs: ParameterInputs;
  private block = new Float64Array(0);
  private blockTotals = new Float64Array(0);
  /** Totals of strategies that no drawn parameter can affect (evaluated once), else null. */
  private readonly constantTotals: (Float64Array | null)[];

  constructor(model: ModelFile, variant: Variant = {}, parameterIds: string[] = []) {
    this.compiled = compileModel(model, variant);
    const base = parameterBaseValues(this.compiled);
    const specs = model.parameters.map((p, i) => ({ id: p.id, baseValue: base[i], distribution: p.distribution }));
    const prepared = preparePsa(specs, model.correlations);
    if ('errors' in prepared) {
      throw new ModelError(
        prepared.errors.map((e) => {
          const i = model.parameters.findIndex((p) => p.id === e.parameter);
          return issue(i >= 0 ? ['parameters', i, 'distribution'] : ['correlations'], e.message, e.parameter);
        }),
      );
    }
    this.prepared = prepared;
    const replaced = new Uint8Array(model.parameters.length);
    let anyReplaced = false;
    model.parameters.forEach((p, i) => {
      if (typeof p.value !== 'number' && p.distribution && p.distribution.type !== 'fixed') {
        replaced[i] = 1;
        anyReplaced = true;
      }
    });
    this.stochastic = model.parameters.filter((p) => p.distribution && p.distribution.type !== 'fixed').map((p) => p.id);
    this.inputs = { values: new Float64Array(model.parameters.length), replaced: anyReplaced ? replaced : null };
    this.strategyIds = this.compiled.strategies.map((s) => s.id);
    this.strategyNames = this.compiled.strategies.map((s) => s.name);
    this.outcomeIds = this.compiled.outcomeIds;
    this.parameterIds = parameterIds.slice();
    this.parameterIndices = parameterIds.map((id) => {
      const i = model.parameters.findIndex((p) => p.id === id);
      if (i < 0) throw new ModelError([issue(['parameters'], `EVPPI: unknown parameter '${id}'`, id)]);
      return i;
    });
    const dependent = drawDependentStrategies(model, this.compiled, new Set(this.stochastic));
    this.constantTotals = this.compiled.strategies.map((strategy, s) => {
      if (dependent[s]) return null;
      this.inputs.values.set(prepared.baseValues);
      return evaluateStrategy(this.compiled, strategy, this.inputs, false).totals;
    });
  }

  evaluateBlock(seed: number, from: number, count: number, out?: Float64Array, params?: Float64Array): { values: Float64Array; params: Float64Array } {
    const S = this.compiled.strategies.length;
    const O = this.outcomeIds.length;
    const P = this.parameterIndices.length;
    const N = this.inputs.values.length;
    const values = out ?? new Float64Array(count * S * O);
    const pv = params ?? new Float64Array(count * P);
    const cohort = this.compiled.settings.cohortSize;
    if (this.block.length < count * N) this.block = new Float64Array(count * N);
    const block = this.block;
    for (let r = 0; r < count; r++) {
      drawParameters(this.prepared, seed, from + r, block, r * N);
      for (let j = 0; j < P; j++) pv[r * P + j] = block[r * N + this.parameterIndices[j]];
    }
    // Strategy-major order: each strategy is evaluated for every draw of the block before the
    // next. Alternating strategies draw by draw was measured 3-5x slower on Chancellor (V8 keeps
    // re-optimising the evaluator for the other strategy's closures); the numbers are the same.
    // Each strategy is evaluated for the whole block at once by the block (lane) evaluator, which
    // gives the scalar evaluator's totals bit for bit and hands any draw that fails a check back to
    // `scalar` (the per-draw path), so errors are reported exactly as before.
    const x = this.inputs.values;
    if (this.blockTotals.length < count * O) this.blockTotals = new Float64Array(count * O);
    const blockTotals = this.blockTotals;
    for (let s = 0; s < S; s++) {
      const strategy = this.compiled.strategies[s];
      const constant = this.constantTotals[s];
      const scalar = (r: number): Float64Array => {
        x.set(block.subarray(r * N, (r + 1) * N));
        try {
          return evaluateStrategy(this.compiled, strategy, this.inputs, false).totals;
        } catch (error) {
          if (error instanceof ModelError) throw this.drawError(error, seed, from + r);
          throw error;
        }
      };
      if (!constant) evaluateStrategyBlock(this.compiled, strategy, { values: block, replaced: this.inputs.replaced }, count, blockTotals, scalar);
      for (let r = 0; r < count; r++) {
        const base = (r * S + s) * O;
        if (constant) for (let o = 0; o < O; o++) values[base + o] = constant[o] * cohort;
        else for (let o = 0; o < O; o++) values[base + o] = blockTotals[r * O + o] * cohort;
      }
    }
    return { values, params: pv };
  }

  private drawError(error: ModelError, seed: number, draw: number): ModelError {
    const params = this.compiled.model.parameters;
    const named = new Set(error.issues.map((i) => i.parameter).filter((p): p is string => p !== undefined));
    const involved = this.stochastic.filter((id) => named.has(id));
    const shown = (involved.length > 0 ? involved : this.stochastic).slice(0, 12);
    const values = shown.map((id) => `${id} = ${this.inputs.values[params.findIndex((p) => p.id === id)]}`).join(', ');
    const more = involved.length === 0 && this.stochastic.length > shown.length ? `, ... (${this.stochastic.length - shown.length} more)` : '';
    return new ModelError([
      issue([], `PSA draw ${draw} (seed ${seed}) gives values the model cannot use; drawn values${involved.length > 0 ? ' involved' : ''}: ${values || '(none)'}${more}`, involved[0]),
      ...error.issues,
    ]);
  }
}

/**
 * Which strategies can be affected by a drawn parameter: a strategy is draw-independent when no
 * expression it can reach (its Markov models' and tree's numbers and expressions, through its
 * effective parameter definitions after strategy/subgroup/scenario overrides) refers, directly or
 * through other parameters, to a drawn parameter that keeps its base definition in that strategy.
 * Conservative: anything that cannot be analysed counts as dependent. A draw-independent strategy
 * gives bit-identical totals in every draw, so it is evaluated once.
 */
export function drawDependentStrategies(model: ModelFile, compiled: CompiledModel, stochastic: Set<string>): boolean[] {
  if (stochastic.size === 0) return compiled.strategies.map(() => false);
  const scenario = model.scenarios.find((x) => x.id === compiled.scenarioId);
  const subgroup = model.subgroups.find((x) => x.id === compiled.subgroupId);
  const parseIds = (value: number | string): Set<string> | null => {
    if (typeof value === 'number' || value.trim() === 'C') return new Set();
    const ast = compiled.expressions.parse(value); // parsed once when the model was compiled
    return ast instanceof Error ? null : freeIdentifiers(ast);
  };
  return compiled.strategies.map((cs) => {
    const strategy = model.strategies[cs.index];
    const definitions = new Map<string, number | string>(model.parameters.map((p) => [p.id, p.value]));
    const overridden = new Set<string>();
    for (const layer of [strategy.overrides, subgroup?.overrides, subgroup?.strategyOverrides?.[strategy.id], scenario?.overrides, scenario?.strategyOverrides?.[strategy.id]]) {
      for (const [id, v] of Object.entries(layer ?? {})) {
        definitions.set(id, v);
        overridden.add(id);
      }
    }
    const values: (number | string)[] = [];
    const addMarkov = (id: string) => {
      const m = model.markovModels.find((x) => x.id === id);
      if (!m) return false;
      values.push(...Object.values(m.initial ?? {}));
      for (const st of m.states) values.push(...Object.values(st.rewards ?? {}));
      for (const t of m.transitions) values.push(t.probability, ...Object.values(t.rewards ?? {}));
      return true;
    };
    if (strategy.entry.kind === 'markov') {
      if (!addMarkov(strategy.entry.model)) return true;
    } else {
      const treeId = strategy.entry.tree;
      const tree = model.trees.find((t) => t.id === treeId);
      if (!tree) return true;
      let ok = true;
      const visit = (node: TreeNode) => {
        if (node.kind === 'terminal') {
          values.push(...Object.values(node.rewards ?? {}));
          if (node.markov && !addMarkov(node.markov.model)) ok = false;
          return;
        }
        if (node.kind === 'decision') node.branches.forEach((b) => visit(b.node));
        else node.branches.forEach((b) => {
          values.push(b.probability, ...Object.values(b.rewards ?? {}));
          visit(b.node);
        });
      };
      visit(tree.root);
      if (!ok) return true;
    }
    const seen = new Set<string>();
    const queue: string[] = [];
    for (const v of values) {
      const ids = parseIds(v);
      if (ids === null) return true;
      for (const id of ids) queue.push(id);
    }
    while (queue.length > 0) {
      const id = queue.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      if (stochastic.has(id) && !overridden.has(id)) return true;
      const def = definitions.get(id);
      if (def === undefined) continue; // built-in variable or constant
      const ids = parseIds(def);
      if (ids === null) return true;
      for (const d of ids) queue.push(d);
    }
    return false;
  });
}

// ---------------------------------------------------------------------------------------------
// runPsa.
// ---------------------------------------------------------------------------------------------

export type PsaOptions = {
  n: number;
  seed: number;
  /** Only these draws (inclusive); default [0, n-1]. */
  drawRange?: [number, number];
  variant?: Variant;
  wtps?: number[];
  keepDraws?: boolean;
  /** Parameter groups for EVPPI (each 1-4 parameter ids). */
  evppi?: string[][];
  cePlanePoints?: number;
  /** Called at most about every 100 ms, and once at the end. */
  onProgress?: (done: number, total: number) => void;
  /** Checked between blocks of draws; returning true stops the run with PsaCancelledError. */
  shouldCancel?: () => boolean;
};

export class PsaCancelledError extends Error {
  constructor(readonly done: number) {
    super(`PSA cancelled after ${done} draws`);
    this.name = 'PsaCancelledError';
  }
}

export function validatePsaOptions(options: Pick<PsaOptions, 'n' | 'seed' | 'drawRange' | 'evppi' | 'cePlanePoints'>): [number, number] {
  const { n, seed } = options;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PSA_DRAWS) throw new RangeError(`the number of draws must be a whole number from 1 to ${MAX_PSA_DRAWS} (got ${n})`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) throw new RangeError(`the seed must be a whole number from 0 to 4294967295 (got ${seed})`);
  const range: [number, number] = options.drawRange ?? [0, n - 1];
  const [a, b] = range;
  if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < a || b > n - 1) {
    throw new RangeError(`the draw range must satisfy 0 <= from <= to <= n-1 = ${n - 1} (got ${a}-${b})`);
  }
  for (const g of options.evppi ?? []) {
    if (g.length < 1 || g.length > 4) throw new RangeError(`an EVPPI group has 1 to 4 parameters (got ${g.length}: ${g.join(',')})`);
    if (new Set(g).size !== g.length) throw new RangeError(`a parameter appears twice in the EVPPI group ${g.join(',')}`);
  }
  if (options.cePlanePoints !== undefined && (!Number.isInteger(options.cePlanePoints) || options.cePlanePoints < 0)) {
    throw new RangeError(`cePlanePoints must be a whole number >= 0 (got ${options.cePlanePoints})`);
  }
  return range;
}

export function psaHeader(model: ModelFile, evaluator: PsaEvaluator, options: PsaOptions, range: [number, number]): PsaHeader {
  const settings = evaluator.compiled.settings.settings;
  const wtps = options.wtps ? validateWtps(options.wtps, 'runPsa').slice() : defaultWtpGrid(settings.wtpThresholds);
  return {
    modelName: model.metadata.name,
    modelHash: modelHash(model),
    scenario: evaluator.compiled.scenarioId,
    subgroup: evaluator.compiled.subgroupId,
    seed: options.seed,
    n: options.n,
    drawRange: range,
    strategyIds: evaluator.strategyIds,
    strategyNames: evaluator.strategyNames,
    outcomeIds: evaluator.outcomeIds,
    costOutcome: settings.costOutcome,
    effectOutcome: settings.effectOutcome,
    cohortSize: settings.cohortSize,
    currency: settings.currency,
    wtpThresholds: settings.wtpThresholds,
    wtps,
    keepDraws: options.keepDraws ?? false,
    evppi: (options.evppi ?? []).map((g) => g.slice()),
    cePlaneMax: options.cePlanePoints ?? DEFAULT_CE_PLANE_POINTS,
  };
}

const BLOCK = 256;

export function runPsa(model: ModelFile, options: PsaOptions): PsaResult {
  const range = validatePsaOptions(options);
  const evaluator = new PsaEvaluator(model, options.variant ?? {}, evppiParameters(options.evppi));
  const acc = new PsaAccumulator(psaHeader(model, evaluator, options, range));
  const total = range[1] - range[0] + 1;
  const S = evaluator.strategyIds.length;
  const O = evaluator.outcomeIds.length;
  const values = new Float64Array(BLOCK * S * O);
  const params = new Float64Array(BLOCK * evaluator.parameterIds.length);
  let lastReport = Date.now();
  for (let from = range[0]; from <= range[1]; from += BLOCK) {
    if (options.shouldCancel?.()) throw new PsaCancelledError(from - range[0]);
    const count = Math.min(BLOCK, range[1] - from + 1);
    evaluator.evaluateBlock(options.seed, from, count, values, params);
    acc.add(values, params, count);
    if (options.onProgress) {
      const now = Date.now();
      if (now - lastReport >= 100) {
        lastReport = now;
        options.onProgress(from + count - range[0], total);
      }
    }
  }
  options.onProgress?.(total, total);
  return acc.result();
}
