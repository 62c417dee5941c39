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
 * Memory: without `keepDraws` (and without EVPPI) the accumulator keeps only sums, CEAC counts,
 * EVPI sums, a thinned set of draws for the CE plane and P² quantile estimators, so memory is flat
 * in the number of draws. The 95% intervals are then P² streaming estimates (Jain & Chlamtac
 * 1985, CACM 28(10):1076-1085), not exact percentiles; with `keepDraws` they are exact
 * (Hyndman & Fan type 7, as `summarisePsa`). The JSON says which (`intervalMethod`).
 */
import type { ModelFile } from '../schema/model-file';
import { ModelError, issue } from '../schema/model-issue';
import { type CompiledModel, type Variant, compileModel } from '../engine/compile-model';
import { evaluateStrategy } from '../engine/evaluate';
import { evaluateStrategyBlock } from '../engine/evaluate-block';
import type { ParameterInputs } from '../engine/parameters';
import { type PreparedPsa, drawParameters, preparePsa } from '../psa/draw-parameters';
import type { TreeNode } from '../schema/model-file';
import { freeIdentifiers, parseExpression } from '../expression';
import { parameterBaseValues } from './dsa';
import { type IncrementalRow, computeIncremental } from './incremental';
import { type OutcomeTable, validateOutcomeTable, validateWtps } from './outcome-table';
import { quantileSorted } from './psa-summary';
import { type EvppiResult, computeEvppi } from './voi';

export const PSA_FORMAT_VERSION = 1;
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
      const x = block.subarray(r * N, (r + 1) * N);
      drawParameters(this.prepared, seed, from + r, x);
      for (let j = 0; j < P; j++) pv[r * P + j] = x[this.parameterIndices[j]];
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
    try {
      return freeIdentifiers(parseExpression(value));
    } catch {
      return null;
    }
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
// Streaming quantiles (P², Jain & Chlamtac 1985).
// ---------------------------------------------------------------------------------------------

/** P² estimate of one quantile from a stream, O(1) memory. Exact (type 7) for fewer than 5 values. */
export class P2Quantile {
  private readonly q = new Float64Array(5);
  private readonly pos = new Float64Array(5);
  private readonly desired = new Float64Array(5);
  private readonly inc: Float64Array;
  private count = 0;
  constructor(readonly p: number) {
    this.inc = Float64Array.from([0, p / 2, p, (1 + p) / 2, 1]);
  }
  add(x: number): void {
    const q = this.q;
    const n = this.pos;
    if (this.count < 5) {
      q[this.count++] = x;
      if (this.count === 5) {
        q.sort();
        for (let i = 0; i < 5; i++) n[i] = i + 1;
        const p = this.p;
        this.desired.set([1, 1 + 2 * p, 1 + 4 * p, 3 + 2 * p, 5]);
      }
      return;
    }
    this.count++;
    let k: number;
    if (x < q[0]) {
      q[0] = x;
      k = 0;
    } else if (x >= q[4]) {
      q[4] = x;
      k = 3;
    } else {
      k = 0;
      while (x >= q[k + 1]) k++;
    }
    for (let i = k + 1; i < 5; i++) n[i]++;
    for (let i = 0; i < 5; i++) this.desired[i] += this.inc[i];
    for (let i = 1; i <= 3; i++) {
      const d = this.desired[i] - n[i];
      if ((d >= 1 && n[i + 1] - n[i] > 1) || (d <= -1 && n[i - 1] - n[i] < -1)) {
        const ds = d > 0 ? 1 : -1;
        const qp = q[i] + (ds / (n[i + 1] - n[i - 1])) * ((n[i] - n[i - 1] + ds) * (q[i + 1] - q[i]) / (n[i + 1] - n[i]) + (n[i + 1] - n[i] - ds) * (q[i] - q[i - 1]) / (n[i] - n[i - 1]));
        q[i] = q[i - 1] < qp && qp < q[i + 1] ? qp : q[i] + (ds * (q[i + ds] - q[i])) / (n[i + ds] - n[i]);
        n[i] += ds;
      }
    }
  }
  value(): number {
    if (this.count >= 5) return this.q[2];
    return quantileSorted(Float64Array.from(this.q.subarray(0, this.count)).sort(), this.p);
  }
}

// ---------------------------------------------------------------------------------------------
// The accumulator and the result.
// ---------------------------------------------------------------------------------------------

export type PsaHeader = {
  modelName: string;
  modelHash: string;
  scenario: string | null;
  subgroup: string | null;
  seed: number;
  n: number;
  drawRange: [number, number];
  strategyIds: string[];
  strategyNames: string[];
  outcomeIds: string[];
  costOutcome: string;
  effectOutcome: string;
  cohortSize: number;
  currency: string;
  wtpThresholds: number[];
  wtps: number[];
  keepDraws: boolean;
  evppi: string[][];
  cePlaneMax: number;
};

export type PsaStrategySummary = {
  id: string;
  name: string;
  meanCost: number;
  meanEffect: number;
  costInterval: [number, number];
  effectInterval: [number, number];
  /** Mean of every outcome over draws. */
  outcomeMeans: Record<string, number>;
};

export type PsaDraws = {
  strategies: { id: string; cost: number[]; effect: number[]; outcomes: Record<string, number[]> }[];
  parameters: Record<string, number[]>;
};

export type PsaResult = {
  kind: 'psa';
  formatVersion: number;
  modelName: string;
  modelHash: string;
  scenario: string | null;
  subgroup: string | null;
  seed: number;
  n: number;
  /** Draws summarised here (inclusive); [0, n-1] for a complete run. */
  drawRange: [number, number];
  nDraws: number;
  complete: boolean;
  /** Options that change the output; shards must agree on them to be merged. */
  options: { keepDraws: boolean; evppiGroups: string[][]; cePlanePoints: number };
  settings: { costOutcome: string; effectOutcome: string; cohortSize: number; currency: string; wtpThresholds: number[] };
  strategies: PsaStrategySummary[];
  intervalMethod: string;
  memory: string;
  /** Incremental analysis (dominance, ICERs) on the mean costs and effects. */
  incremental: IncrementalRow[];
  wtps: number[];
  wtpGrid: string;
  ceac: { wtp: number; probabilities: Record<string, number> }[];
  ceaf: { wtp: number; optimal: string; probability: number }[];
  evpi: { wtp: number; value: number }[];
  evpiMethod: string;
  cePlane: { comparator: string; maxPoints: number; series: { id: string; points: { draw: number; incrementalCost: number; incrementalEffect: number }[] }[] };
  evppi: (EvppiResult[] | null)[] | null;
  evppiNote: string | null;
  /** Per-draw values: present with keepDraws and in every shard (incomplete range), so shards can be merged. */
  draws?: PsaDraws;
};

const EXACT_INTERVALS = '2.5th and 97.5th percentiles of the draws (exact, Hyndman & Fan type 7)';
const P2_INTERVALS = 'P-square streaming estimates of the 2.5th and 97.5th percentiles (Jain & Chlamtac 1985); draws were not kept, so these are estimates, not exact percentiles';

/**
 * Folds draws in draw order into every summary. `add` takes the next `count` draws (values laid
 * out as PsaEvaluator.evaluateBlock writes them).
 */
export class PsaAccumulator {
  private readonly S: number;
  private readonly O: number;
  private readonly P: number;
  private readonly W: number;
  private readonly costIndex: number;
  private readonly effectIndex: number;
  private readonly sums: Float64Array; // S*O
  private readonly wins: Float64Array; // W*S
  private readonly maxNmbSum: Float64Array; // W
  private readonly nmb: Float64Array; // scratch S
  private readonly cost: Float64Array; // scratch S: this draw's costs
  private readonly effect: Float64Array; // scratch S
  private readonly p2: P2Quantile[] | null; // per strategy: cost lo, cost hi, effect lo, effect hi
  private readonly store: boolean;
  private readonly stored: Float64Array[] = []; // per (s*O + o), grown by chunks
  private storedParams: Float64Array[] = [];
  private storedLength = 0;
  private readonly planeDraws: number[] = [];
  private readonly planeValues: number[] = []; // per kept draw: S costs then S effects
  private planeJ: number;
  private readonly planeM: number;
  private next: number;

  constructor(readonly header: PsaHeader) {
    const h = header;
    this.S = h.strategyIds.length;
    this.O = h.outcomeIds.length;
    this.P = [...new Set(h.evppi.flat())].length;
    this.W = h.wtps.length;
    this.costIndex = h.outcomeIds.indexOf(h.costOutcome);
    this.effectIndex = h.outcomeIds.indexOf(h.effectOutcome);
    this.sums = new Float64Array(this.S * this.O);
    this.wins = new Float64Array(this.W * this.S);
    this.maxNmbSum = new Float64Array(this.W);
    this.nmb = new Float64Array(this.S);
    this.cost = new Float64Array(this.S);
    this.effect = new Float64Array(this.S);
    const complete = h.drawRange[0] === 0 && h.drawRange[1] === h.n - 1;
    this.store = h.keepDraws || !complete || h.evppi.length > 0;
    this.p2 = this.store ? null : Array.from({ length: this.S * 4 }, (_, k) => new P2Quantile(k % 2 === 0 ? 0.025 : 0.975));
    for (let k = 0; k < this.S * this.O; k++) this.stored.push(new Float64Array(this.store ? Math.max(16, h.drawRange[1] - h.drawRange[0] + 1) : 0));
    this.storedParams = Array.from({ length: this.P }, () => new Float64Array(this.store ? Math.max(16, h.drawRange[1] - h.drawRange[0] + 1) : 0));
    this.planeM = Math.min(h.cePlaneMax, h.n);
    // First kept CE-plane draw index j with floor(j*n/m) >= from.
    this.planeJ = 0;
    while (this.planeJ < this.planeM && this.planeDraw(this.planeJ) < h.drawRange[0]) this.planeJ++;
    this.next = h.drawRange[0];
  }

  private planeDraw(j: number): number {
    return this.planeM === this.header.n ? j : Math.floor((j * this.header.n) / this.planeM);
  }

  /** Number of draws folded so far. */
  get count(): number {
    return this.next - this.header.drawRange[0];
  }

  add(values: Float64Array, params: Float64Array, count: number): void {
    const { S, O, P, W, costIndex: ci, effectIndex: ei } = this;
    const wtps = this.header.wtps;
    if (this.next + count - 1 > this.header.drawRange[1]) throw new RangeError('PsaAccumulator: more draws than the range holds');
    // Locals instead of property loads in the hot loops (measured: the WTP loop dominated `add`).
    const sums = this.sums;
    const wins = this.wins;
    const maxNmbSum = this.maxNmbSum;
    const nmb = this.nmb;
    const cost = this.cost;
    const effect = this.effect;
    const p2 = this.p2;
    const SO = S * O;
    for (let r = 0; r < count; r++) {
      const draw = this.next++;
      const base = r * SO;
      for (let k = 0; k < SO; k++) sums[k] += values[base + k];
      for (let s = 0; s < S; s++) {
        cost[s] = values[base + s * O + ci];
        effect[s] = values[base + s * O + ei];
      }
      if (this.store) {
        const at = this.storedLength++;
        for (let k = 0; k < SO; k++) this.stored[k][at] = values[base + k];
        for (let j = 0; j < P; j++) this.storedParams[j][at] = params[r * P + j];
      }
      if (p2) {
        for (let s = 0; s < S; s++) {
          p2[s * 4].add(cost[s]);
          p2[s * 4 + 1].add(cost[s]);
          p2[s * 4 + 2].add(effect[s]);
          p2[s * 4 + 3].add(effect[s]);
        }
      }
      for (let w = 0; w < W; w++) {
        const wtp = wtps[w];
        let best = -Infinity;
        let bestIndex = 0;
        let nTied = 0;
        for (let s = 0; s < S; s++) {
          const v = effect[s] * wtp - cost[s];
          nmb[s] = v;
          if (v > best) {
            best = v;
            bestIndex = s;
            nTied = 1;
          } else if (v === best) nTied++;
        }
        maxNmbSum[w] += best;
        // Exact ties share the draw equally (as computeCeac), so probabilities sum to 1.
        if (nTied === 1) wins[w * S + bestIndex] += 1;
        else for (let s = 0; s < S; s++) if (nmb[s] === best) wins[w * S + s] += 1 / nTied;
      }
      if (this.planeJ < this.planeM && this.planeDraw(this.planeJ) === draw) {
        this.planeDraws.push(draw);
        for (let s = 0; s < S; s++) this.planeValues.push(cost[s]);
        for (let s = 0; s < S; s++) this.planeValues.push(effect[s]);
        this.planeJ++;
      }
    }
  }

  result(): PsaResult {
    const h = this.header;
    const { S, O, W } = this;
    const nDraws = this.count;
    const expected = h.drawRange[1] - h.drawRange[0] + 1;
    if (nDraws !== expected) throw new RangeError(`PsaAccumulator: ${nDraws} draws folded, the range holds ${expected}`);
    const complete = h.drawRange[0] === 0 && h.drawRange[1] === h.n - 1;
    const ci = this.costIndex;
    const ei = this.effectIndex;
    const mean = (s: number, o: number) => this.sums[s * O + o] / nDraws;
    const exact = this.p2 === null;
    const interval = (s: number, o: number, k: number): [number, number] => {
      if (exact) {
        const sorted = Float64Array.from(this.stored[s * O + o].subarray(0, nDraws)).sort();
        return [quantileSorted(sorted, 0.025), quantileSorted(sorted, 0.975)];
      }
      return [this.p2![s * 4 + k].value(), this.p2![s * 4 + k + 1].value()];
    };
    const strategies: PsaStrategySummary[] = h.strategyIds.map((id, s) => {
      const outcomeMeans: Record<string, number> = {};
      h.outcomeIds.forEach((oid, o) => (outcomeMeans[oid] = mean(s, o)));
      return {
        id,
        name: h.strategyNames[s],
        meanCost: mean(s, ci),
        meanEffect: mean(s, ei),
        costInterval: interval(s, ci, 0),
        effectInterval: interval(s, ei, 2),
        outcomeMeans,
      };
    });
    const incremental = computeIncremental(strategies.map((s) => ({ id: s.id, cost: s.meanCost, effect: s.meanEffect })));
    const ceac = h.wtps.map((wtp, w) => {
      const probabilities: Record<string, number> = {};
      h.strategyIds.forEach((id, s) => (probabilities[id] = this.wins[w * S + s] / nDraws));
      return { wtp, probabilities };
    });
    const ceaf: PsaResult['ceaf'] = [];
    const evpi: PsaResult['evpi'] = [];
    for (let w = 0; w < W; w++) {
      const wtp = h.wtps[w];
      let best = 0;
      let bestValue = -Infinity;
      for (let s = 0; s < S; s++) {
        const v = wtp * strategies[s].meanEffect - strategies[s].meanCost;
        if (v > bestValue) {
          bestValue = v;
          best = s;
        }
      }
      ceaf.push({ wtp, optimal: h.strategyIds[best], probability: this.wins[w * S + best] / nDraws });
      // EVPI = E[max_s NMB] − max_s E[NMB]; ≥ 0 in exact arithmetic, clamped at 0 against rounding.
      evpi.push({ wtp, value: Math.max(0, this.maxNmbSum[w] / nDraws - bestValue) });
    }
    const comparator = h.strategyIds[0];
    const kept = this.planeDraws.length;
    const series = h.strategyIds.slice(1).map((id, k) => {
      const s = k + 1;
      return {
        id,
        points: this.planeDraws.map((draw, j) => {
          const b = j * 2 * S;
          return { draw, incrementalCost: this.planeValues[b + s] - this.planeValues[b], incrementalEffect: this.planeValues[b + S + s] - this.planeValues[b + S] };
        }),
      };
    });
    let evppi: PsaResult['evppi'] = null;
    let evppiNote: string | null = null;
    if (h.evppi.length > 0) {
      if (!complete) {
        evppiNote = 'EVPPI is computed when all draws are available (after merging shards)';
      } else {
        const table = this.table();
        const unique = [...new Set(h.evppi.flat())];
        const notes: string[] = [];
        evppi = h.evppi.map((group) => {
          const inputs = group.map((id) => this.storedParams[unique.indexOf(id)].subarray(0, nDraws));
          const varies = inputs.some((x) => x.some((v) => v !== x[0]));
          if (!varies) {
            notes.push(`${group.join(',')}: null, the parameters do not vary across draws (no distribution)`);
            return null;
          }
          try {
            return computeEvppi(table, inputs, group, h.wtps);
          } catch (error) {
            // e.g. too few draws for the regression: reported, not fatal for the rest of the PSA.
            if (!(error instanceof RangeError)) throw error;
            notes.push(`${group.join(',')}: null, ${error.message}`);
            return null;
          }
        });
        evppiNote = notes.length > 0 ? notes.join('; ') : null;
      }
    }
    const result: PsaResult = {
      kind: 'psa',
      formatVersion: PSA_FORMAT_VERSION,
      modelName: h.modelName,
      modelHash: h.modelHash,
      scenario: h.scenario,
      subgroup: h.subgroup,
      seed: h.seed,
      n: h.n,
      drawRange: [h.drawRange[0], h.drawRange[1]],
      nDraws,
      complete,
      options: { keepDraws: h.keepDraws, evppiGroups: h.evppi.map((g) => g.slice()), cePlanePoints: h.cePlaneMax },
      settings: { costOutcome: h.costOutcome, effectOutcome: h.effectOutcome, cohortSize: h.cohortSize, currency: h.currency, wtpThresholds: h.wtpThresholds },
      strategies,
      intervalMethod: exact ? EXACT_INTERVALS : P2_INTERVALS,
      memory: this.store
        ? 'per-draw values kept in memory' + (h.keepDraws ? ' (keepDraws)' : complete ? ' (needed for EVPPI)' : ' (shard: needed for merging)')
        : 'summary-only: streaming accumulators, memory flat in the number of draws',
      incremental,
      wtps: h.wtps,
      wtpGrid: 'the given WTP values, or by default 0 to 3x the largest settings threshold in 50 equal steps plus every settings threshold',
      ceac,
      ceaf,
      evpi,
      evpiMethod: 'mean over draws of the maximum NMB minus the maximum mean NMB (per reported cohort; clamped at 0 against rounding)',
      cePlane: { comparator, maxPoints: h.cePlaneMax, series: kept > 0 ? series : [] },
      evppi,
      evppiNote,
    };
    if (h.keepDraws || !complete) result.draws = this.drawsData(nDraws);
    return result;
  }

  /** The kept draws as an OutcomeTable of primary cost and effect (only when draws are stored). */
  table(): OutcomeTable {
    if (!this.store) throw new RangeError('PsaAccumulator: draws were not kept');
    const n = this.count;
    return {
      strategyIds: this.header.strategyIds.slice(),
      costs: this.header.strategyIds.map((_, s) => this.stored[s * this.O + this.costIndex].subarray(0, n)),
      effects: this.header.strategyIds.map((_, s) => this.stored[s * this.O + this.effectIndex].subarray(0, n)),
    };
  }

  private drawsData(n: number): PsaDraws {
    const h = this.header;
    const unique = [...new Set(h.evppi.flat())];
    const parameters: Record<string, number[]> = {};
    unique.forEach((id, j) => (parameters[id] = Array.from(this.storedParams[j].subarray(0, n))));
    return {
      strategies: h.strategyIds.map((id, s) => {
        const outcomes: Record<string, number[]> = {};
        h.outcomeIds.forEach((oid, o) => {
          if (o !== this.costIndex && o !== this.effectIndex) outcomes[oid] = Array.from(this.stored[s * this.O + o].subarray(0, n));
        });
        return {
          id,
          cost: Array.from(this.stored[s * this.O + this.costIndex].subarray(0, n)),
          effect: Array.from(this.stored[s * this.O + this.effectIndex].subarray(0, n)),
          outcomes,
        };
      }),
      parameters,
    };
  }
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

/** Unique EVPPI parameter ids in first-appearance order (the order PsaEvaluator reports them). */
export function evppiParameters(groups: string[][] | undefined): string[] {
  return [...new Set((groups ?? []).flat())];
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

// ---------------------------------------------------------------------------------------------
// Merging shards.
// ---------------------------------------------------------------------------------------------

export class PsaMergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PsaMergeError';
  }
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Merge shard results (`draws` present) into one result over the union of their ranges. Checks
 * they come from the same model (hash), seed, n, variant and options, and that the ranges are
 * contiguous and do not overlap. Covering 0..n-1 gives exactly the single-run result.
 */
export function mergePsaShards(shards: { name: string; result: unknown }[]): PsaResult {
  if (shards.length === 0) throw new PsaMergeError('nothing to merge');
  const docs = shards.map(({ name, result }) => {
    const r = result as Partial<PsaResult> | null;
    if (!r || typeof r !== 'object' || r.kind !== 'psa') throw new PsaMergeError(`${name}: not a PSA result (kind must be "psa")`);
    if (r.formatVersion !== PSA_FORMAT_VERSION) throw new PsaMergeError(`${name}: PSA format version ${r.formatVersion}, expected ${PSA_FORMAT_VERSION}`);
    if (!r.draws || !Array.isArray(r.draws.strategies)) {
      throw new PsaMergeError(`${name}: has no per-draw values; run the shard with --draws A-B and --json (or --shard-out), or with --keep-draws`);
    }
    if (!Array.isArray(r.drawRange) || r.drawRange.length !== 2) throw new PsaMergeError(`${name}: no draw range`);
    if (!r.options || !r.settings || !Array.isArray(r.strategies) || !r.cePlane) throw new PsaMergeError(`${name}: incomplete PSA result (missing options, settings or strategies)`);
    return { name, r: r as PsaResult };
  });
  const first = docs[0];
  const keys: [keyof PsaResult, string][] = [
    ['modelHash', 'model (hash)'],
    ['seed', 'seed'],
    ['n', 'number of draws n'],
    ['scenario', 'scenario'],
    ['subgroup', 'subgroup'],
    ['wtps', 'WTP grid'],
    ['settings', 'settings'],
  ];
  for (const d of docs.slice(1)) {
    for (const [k, what] of keys) {
      if (!sameJson(d.r[k], first.r[k])) throw new PsaMergeError(`${d.name}: different ${what} from ${first.name} (${JSON.stringify(d.r[k])} vs ${JSON.stringify(first.r[k])})`);
    }
    if (!sameJson(d.r.options, first.r.options)) throw new PsaMergeError(`${d.name}: different options (--keep-draws, --evppi or CE-plane points) from ${first.name}`);
  }
  docs.sort((a, b) => a.r.drawRange[0] - b.r.drawRange[0]);
  for (let k = 1; k < docs.length; k++) {
    const prev = docs[k - 1];
    const cur = docs[k];
    if (cur.r.drawRange[0] <= prev.r.drawRange[1]) {
      throw new PsaMergeError(`${cur.name} (draws ${cur.r.drawRange.join('-')}) overlaps ${prev.name} (draws ${prev.r.drawRange.join('-')})`);
    }
    if (cur.r.drawRange[0] !== prev.r.drawRange[1] + 1) {
      throw new PsaMergeError(`draws ${prev.r.drawRange[1] + 1}-${cur.r.drawRange[0] - 1} are missing between ${prev.name} and ${cur.name}`);
    }
  }
  const range: [number, number] = [docs[0].r.drawRange[0], docs[docs.length - 1].r.drawRange[1]];
  const f = first.r;
  const outcomeIds = Object.keys(f.strategies[0]?.outcomeMeans ?? {});
  const header: PsaHeader = {
    modelName: f.modelName,
    modelHash: f.modelHash,
    scenario: f.scenario,
    subgroup: f.subgroup,
    seed: f.seed,
    n: f.n,
    drawRange: range,
    strategyIds: f.strategies.map((s) => s.id),
    strategyNames: f.strategies.map((s) => s.name),
    outcomeIds,
    costOutcome: f.settings.costOutcome,
    effectOutcome: f.settings.effectOutcome,
    cohortSize: f.settings.cohortSize,
    currency: f.settings.currency,
    wtpThresholds: f.settings.wtpThresholds,
    wtps: f.wtps,
    keepDraws: f.options.keepDraws,
    evppi: f.options.evppiGroups,
    cePlaneMax: f.options.cePlanePoints,
  };
  const acc = new PsaAccumulator(header);
  const S = header.strategyIds.length;
  const O = outcomeIds.length;
  const params = evppiParameters(header.evppi);
  const ci = outcomeIds.indexOf(header.costOutcome);
  const ei = outcomeIds.indexOf(header.effectOutcome);
  for (const { name, r } of docs) {
    const count = r.drawRange[1] - r.drawRange[0] + 1;
    const values = new Float64Array(count * S * O);
    const pv = new Float64Array(count * params.length);
    header.strategyIds.forEach((id, s) => {
      const ds = r.draws!.strategies[s];
      if (!ds || ds.id !== id) throw new PsaMergeError(`${name}: per-draw values for strategy '${id}' are missing`);
      outcomeIds.forEach((oid, o) => {
        const arr = o === ci ? ds.cost : o === ei ? ds.effect : ds.outcomes?.[oid];
        if (!Array.isArray(arr) || arr.length !== count) throw new PsaMergeError(`${name}: per-draw '${oid}' of strategy '${id}' should have ${count} values`);
        for (let i = 0; i < count; i++) {
          const v = arr[i];
          if (typeof v !== 'number' || !Number.isFinite(v)) throw new PsaMergeError(`${name}: draw ${r.drawRange[0] + i}, '${oid}' of strategy '${id}' is not a finite number`);
          values[(i * S + s) * O + o] = v;
        }
      });
    });
    params.forEach((id, j) => {
      const arr = r.draws!.parameters?.[id];
      if (!Array.isArray(arr) || arr.length !== count) throw new PsaMergeError(`${name}: per-draw values of EVPPI parameter '${id}' are missing`);
      for (let i = 0; i < count; i++) pv[i * params.length + j] = arr[i];
    });
    acc.add(values, pv, count);
  }
  return acc.result();
}

// ---------------------------------------------------------------------------------------------
// JSON.
// ---------------------------------------------------------------------------------------------

/**
 * Deterministic JSON for PSA results: 2-space indentation, arrays of numbers on one line (per-draw
 * arrays stay compact). Numbers use JavaScript's shortest round-trip form, so a shard's per-draw
 * values are read back bit-identically.
 */
export function stringifyJson(value: unknown, indent = ''): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => typeof v === 'number' || v === null)) return '[' + value.map((v) => JSON.stringify(v)).join(', ') + ']';
    return '[\n' + value.map((v) => inner + stringifyJson(v, inner)).join(',\n') + '\n' + indent + ']';
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return '{\n' + entries.map(([k, v]) => inner + JSON.stringify(k) + ': ' + stringifyJson(v, inner)).join(',\n') + '\n' + indent + '}';
}

/** The PSA result as JSON (what `psa --json` and `merge` print). */
export function stringifyPsaResult(result: PsaResult): string {
  return stringifyJson(result);
}

/** OutcomeTable of the kept draws of a result (keepDraws or shard). */
export function psaResultTable(result: PsaResult): OutcomeTable {
  if (!result.draws) throw new RangeError('the PSA result has no per-draw values (run with keepDraws)');
  const table = {
    strategyIds: result.draws.strategies.map((s) => s.id),
    costs: result.draws.strategies.map((s) => Float64Array.from(s.cost)),
    effects: result.draws.strategies.map((s) => Float64Array.from(s.effect)),
  };
  validateOutcomeTable(table, 'psaResultTable');
  return table;
}
