/**
 * Block evaluator for PSA: evaluates one strategy for a block of parameter draws ("lanes") at
 * once, so that every expression closure call, validation pass and Markov inner loop is shared by
 * up to LANES draws. It mirrors `evaluateStrategy` (evaluate.ts) step by step: per lane, the same
 * floating-point operations happen in the same order, so the totals are bit-identical to the
 * scalar evaluator's.
 *
 * Validation is the scalar evaluator's (non-finite parameters and expressions, probabilities in
 * [0, 1] within tolerance, row sums, complements, initial distribution, non-finite totals), but a
 * lane that fails any check is simply marked; it is then evaluated again by the scalar evaluator,
 * which reports the error with exactly its own message (or, should the checks ever disagree, gives
 * the scalar result). If the block path throws (a lookup table that rejects a key), the whole chunk
 * of lanes is redone by the scalar evaluator, in lane order.
 */
import type { ExpressionAst } from '../expression';
import { parseExpression } from '../expression';
import { type LaneExpression, compileLaneExpression } from '../expression/compile-lanes';
import type { CompiledModel, CompiledStrategy } from './compile-model';
import { type RewardSiteList, evaluateStrategy, rewardSiteList, withinCycleWeights } from './evaluate';
import type { CompiledMarkov } from './markov';
import { type ParameterInputs, type ProgramStep, SLOT, type Site } from './parameters';
import type { CompiledTreeNode } from './tree';

/** Lanes evaluated together. */
export const LANES = 128;
const TOL = 1e-9;

/** Parameter inputs of a block: lane l's value of parameter i is values[l * nParameters + i]. */
export type BlockInputs = { values: Float64Array; replaced: Uint8Array | null };

type LaneStep = {
  slot: number;
  inputIndex: number;
  constant: number | undefined;
  fn: LaneExpression | null;
  replaceable: boolean;
};
type LaneSite = { constant: number | undefined; fn: LaneExpression | null };
type RewardList = RewardSiteList;

type MarkovLanes = {
  probs: Float64Array[]; // per expanded state: [j * B + l]
  rewards: Float64Array; // [(e * O + o) * B + l]
  transitionRewards: Float64Array[][] | null; // [e][j]: [o * B + l]
  n: Float64Array; // [e * B + l]
  next: Float64Array;
  g: Float64Array; // [o * B + l]
  h: Float64Array;
  weights: Float64Array;
  allRows: Int32Array;
  dynamicRows: Int32Array;
  allRewards: RewardList;
  dynamicRewards: RewardList;
};

type Plan = {
  values: Float64Array;
  staticSteps: LaneStep[];
  cycleSteps: LaneStep[];
  stateTimeSteps: LaneStep[];
  sites: Map<Site, LaneSite>;
  markovs: Map<CompiledMarkov, MarkovLanes>;
  strategy: CompiledStrategy;
};

const plans = new WeakMap<CompiledStrategy, Plan | null>();

function valueAt(root: unknown, path: ReadonlyArray<string | number>): unknown {
  let v: unknown = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

function planFor(compiled: CompiledModel, strategy: CompiledStrategy): Plan | null {
  let plan = plans.get(strategy);
  if (plan !== undefined) return plan;
  try {
    const ctx = strategy.program.context;
    const asts = new Map<string, ExpressionAst>();
    const lane = (text: string): LaneExpression => {
      let ast = asts.get(text);
      if (!ast) {
        ast = parseExpression(text);
        asts.set(text, ast);
      }
      return compileLaneExpression(ast, ctx, LANES);
    };
    const step = (s: ProgramStep): LaneStep => {
      let fn: LaneExpression | null = null;
      if (s.fn !== null) {
        const text = valueAt(compiled.model, s.path);
        if (typeof text !== 'string') throw new Error(`no expression text at ${s.path.join('.')}`);
        fn = lane(text);
      }
      return { slot: s.slot, inputIndex: s.inputIndex, constant: s.constant, fn, replaceable: s.replaceable };
    };
    const program = strategy.program;
    const sites = new Map<Site, LaneSite>();
    const addSite = (site: Site | null) => {
      if (site === null || sites.has(site)) return;
      sites.set(site, { constant: site.constant, fn: site.constant !== undefined ? null : lane(site.text) });
    };
    const markovs = strategy.entry.kind === 'markov' ? [strategy.entry.markov] : strategy.entry.markovs;
    for (const m of markovs) {
      m.rows.forEach((row) => {
        row.probabilities.forEach(addSite);
        row.rewards?.forEach((list) => list.forEach(addSite));
      });
      m.stateRewards.forEach((list) => list.forEach(addSite));
      m.initial?.forEach(addSite);
    }
    if (strategy.entry.kind === 'tree') {
      const visit = (node: CompiledTreeNode): void => {
        if (node.kind === 'terminal') node.rewards.forEach(addSite);
        else if (node.kind === 'decision') visit(node.chosen);
        else
          node.branches.forEach((b) => {
            addSite(b.probability);
            b.rewards?.forEach(addSite);
            visit(b.node);
          });
      };
      visit(strategy.entry.root);
    }
    const nOutcomes = compiled.outcomeIds.length;
    plan = {
      values: new Float64Array(program.slotCount * LANES),
      staticSteps: program.staticSteps.map(step),
      cycleSteps: program.cycleSteps.map(step),
      stateTimeSteps: program.stateTimeSteps.map(step),
      sites,
      markovs: new Map(markovs.map((m) => [m, markovLanes(m, nOutcomes, compiled)])),
      strategy,
    };
  } catch {
    plan = null; // anything unexpected: the scalar evaluator handles this strategy
  }
  plans.set(strategy, plan);
  return plan;
}

function markovLanes(markov: CompiledMarkov, nOutcomes: number, compiled: CompiledModel): MarkovLanes {
  const B = LANES;
  const nE = markov.expandedState.length;
  const rows = markov.rows;
  return {
    probs: rows.map((r) => new Float64Array(r.targets.length * B)),
    rewards: new Float64Array(nE * nOutcomes * B),
    transitionRewards: rows.some((r) => r.rewards !== null) ? rows.map((r) => Array.from(r.targets, () => new Float64Array(nOutcomes * B))) : null,
    n: new Float64Array(nE * B),
    next: new Float64Array(nE * B),
    g: new Float64Array(nOutcomes * B),
    h: new Float64Array(nOutcomes * B),
    weights: withinCycleWeights(compiled.settings.correction, compiled.settings.nCycles),
    allRows: Int32Array.from(rows.keys()),
    dynamicRows: Int32Array.from([...rows.keys()].filter((e) => rows[e].dynamic)),
    allRewards: rewardSiteList(markov, false),
    dynamicRewards: rewardSiteList(markov, true),
  };
}

/** out[o + l] += a[ao + l] * b[bo + l]: the inner loop of the cohort update and of the reward sums. */
function multiplyAdd(out: Float64Array, o: number, a: Float64Array, ao: number, b: Float64Array, bo: number, lanes: number): void {
  for (let l = 0; l < lanes; l++) out[o + l] += a[ao + l] * b[bo + l];
}

/** One evaluation of a chunk of at most LANES lanes. */
class BlockRun {
  readonly values: Float64Array;
  readonly bad = new Uint8Array(LANES);
  private stateTime = 1;
  private readonly nOutcomes: number;

  constructor(
    readonly compiled: CompiledModel,
    readonly plan: Plan,
    readonly inputs: Float64Array,
    readonly inputOffset: number,
    readonly nParameters: number,
    readonly replaced: Uint8Array | null,
    readonly lanes: number,
  ) {
    this.values = plan.values;
    this.nOutcomes = compiled.outcomeIds.length;
  }

  fill(a: Float64Array, offset: number, value: number): void {
    for (let l = 0; l < this.lanes; l++) a[offset + l] = value;
  }

  setCycle(k: number): void {
    const v = this.values;
    const cy = this.compiled.settings.cycleYears;
    this.fill(v, SLOT.cycle * LANES, k);
    this.fill(v, SLOT.time * LANES, k * cy);
    this.fill(v, SLOT.cycle_years * LANES, cy);
    this.fill(v, SLOT.state_time * LANES, 1);
    this.stateTime = 1;
  }

  runSteps(steps: LaneStep[]): void {
    const { values, lanes, bad, replaced, inputs, nParameters: N } = this;
    for (let s = 0; s < steps.length; s++) {
      const step = steps[s];
      const base = step.slot * LANES;
      if (step.fn === null && step.constant !== undefined) this.fill(values, base, step.constant);
      else if (step.fn === null || (replaced !== null && step.replaceable && replaced[step.inputIndex] === 1)) {
        let at = this.inputOffset + step.inputIndex;
        for (let l = 0; l < lanes; l++, at += N) values[base + l] = inputs[at];
      } else step.fn(values, values, base, lanes);
      for (let l = 0; l < lanes; l++) {
        const v = values[base + l];
        if (v - v !== 0) bad[l] = 1;
      }
    }
  }

  runCycleSteps(): void {
    this.runSteps(this.plan.cycleSteps);
    this.runSteps(this.plan.stateTimeSteps);
  }

  setStateTime(t: number): void {
    if (this.stateTime === t) return;
    this.stateTime = t;
    this.fill(this.values, SLOT.state_time * LANES, t);
    this.runSteps(this.plan.stateTimeSteps);
  }

  /** Value of a site for each lane into out[offset + l]; non-finite values mark the lane and count as 0. */
  site(site: Site, out: Float64Array, offset: number): void {
    const ls = this.plan.sites.get(site)!;
    const lanes = this.lanes;
    if (ls.fn === null) {
      this.fill(out, offset, ls.constant!);
      if (ls.constant! - ls.constant! === 0) return;
    } else ls.fn(this.values, out, offset, lanes);
    const bad = this.bad;
    for (let l = 0; l < lanes; l++) {
      const v = out[offset + l];
      if (v - v !== 0) {
        bad[l] = 1;
        out[offset + l] = 0;
      }
    }
  }

  initialDistribution(markov: CompiledMarkov, n: Float64Array): void {
    const lanes = this.lanes;
    const bad = this.bad;
    n.fill(0);
    const sum = new Float64Array(lanes);
    markov.initial!.forEach((site, e) => {
      if (site === null) return;
      const o = e * LANES;
      this.site(site, n, o);
      for (let l = 0; l < lanes; l++) {
        const v = n[o + l];
        if (v < 0) bad[l] = 1;
        sum[l] += v;
      }
    });
    for (let l = 0; l < lanes; l++) if (Math.abs(sum[l] - 1) > TOL) bad[l] = 1;
  }

  evaluateRows(markov: CompiledMarkov, ws: MarkovLanes, rowIndices: Int32Array, sum: Float64Array): void {
    const rows = markov.rows;
    const lanes = this.lanes;
    const bad = this.bad;
    for (let r = 0; r < rowIndices.length; r++) {
      const e = rowIndices[r];
      const row = rows[e];
      this.setStateTime(markov.expandedStateTime[e]);
      const p = ws.probs[e];
      for (let l = 0; l < lanes; l++) sum[l] = 0;
      const sites = row.probabilities;
      for (let j = 0; j < sites.length; j++) {
        const site = sites[j];
        if (site === null) continue;
        const o = j * LANES;
        this.site(site, p, o);
        for (let l = 0; l < lanes; l++) {
          const v = p[o + l];
          if (!(v >= -TOL && v <= 1 + TOL)) bad[l] = 1;
          sum[l] += v;
        }
      }
      if (row.complement >= 0) {
        const o = row.complement * LANES;
        for (let l = 0; l < lanes; l++) {
          const c = 1 - sum[l];
          if (c < -TOL) bad[l] = 1;
          p[o + l] = c < 0 ? 0 : c;
        }
      } else {
        for (let l = 0; l < lanes; l++) if (Math.abs(sum[l] - 1) > TOL) bad[l] = 1;
      }
    }
    this.setStateTime(1);
  }

  stateRewards(markov: CompiledMarkov, ws: MarkovLanes, list: RewardList): void {
    const { states, outcomes, sites } = list;
    const O = this.nOutcomes;
    for (let i = 0; i < sites.length; i++) {
      const e = states[i];
      this.setStateTime(markov.expandedStateTime[e]);
      this.site(sites[i], ws.rewards, (e * O + outcomes[i]) * LANES);
    }
    this.setStateTime(1);
  }

  transitionRewards(markov: CompiledMarkov, out: Float64Array[][]): void {
    for (let e = 0; e < markov.rows.length; e++) {
      const row = markov.rows[e];
      if (!row.rewards) continue;
      this.setStateTime(markov.expandedStateTime[e]);
      for (let j = 0; j < row.rewards.length; j++) {
        const sites = row.rewards[j];
        const tr = out[e][j];
        for (let o = 0; o < sites.length; o++) {
          const site = sites[o];
          if (site === null) this.fill(tr, o * LANES, 0);
          else this.site(site, tr, o * LANES);
        }
      }
    }
    this.setStateTime(1);
  }

  /*
   * The scalar loops skip terms whose occupancy (or one-off reward) is 0. Here the terms are added
   * anyway, which gives the same bits: in a lane that passed every check all factors are finite, so
   * a skipped term is ±0, and adding ±0 leaves a sum unchanged (sums start at +0 and, being sums of
   * finite terms rounded to nearest, are never -0). Lanes that failed are recomputed by the scalar
   * evaluator.
   */
  occupancy(n: Float64Array, rewards: Float64Array, out: Float64Array, list: RewardList): void {
    const O = this.nOutcomes;
    const lanes = this.lanes;
    out.fill(0);
    // Only the (state, outcome) pairs that have a reward: the others are 0 in every lane, so their
    // terms are ±0 (see above). The list is in the scalar loop's order (state, then outcome).
    const { states, outcomes } = list;
    for (let i = 0; i < states.length; i++) {
      const e = states[i];
      const o = outcomes[i];
      multiplyAdd(out, o * LANES, n, e * LANES, rewards, (e * O + o) * LANES, lanes);
    }
  }

  runMarkov(markov: CompiledMarkov, initial: Float64Array, totals: Float64Array): void {
    const { nCycles, correction, discount } = this.compiled.settings;
    const O = this.nOutcomes;
    const lanes = this.lanes;
    const nE = markov.expandedState.length;
    const rows = markov.rows;
    const ws = this.plan.markovs.get(markov)!;
    const { rewards, transitionRewards, weights, g, h } = ws;
    let n = ws.n;
    let next = ws.next;
    n.set(initial);
    const halfCycle = correction === 'half-cycle';
    const sum = new Float64Array(LANES);
    for (let k = 0; k <= nCycles; k++) {
      if (k > 0) {
        this.setCycle(k);
        this.runCycleSteps();
      }
      if (k === 0) this.stateRewards(markov, ws, ws.allRewards);
      else if (markov.rewardsDynamic) this.stateRewards(markov, ws, ws.dynamicRewards);
      if (k > 0) {
        if (k === 1) this.evaluateRows(markov, ws, ws.allRows, sum);
        else if (markov.matrixDynamic) this.evaluateRows(markov, ws, ws.dynamicRows, sum);
        if (transitionRewards && (k === 1 || markov.matrixDynamic)) this.transitionRewards(markov, transitionRewards);
        if (halfCycle) this.occupancy(n, rewards, h, ws.allRewards);
        for (let i = 0; i < nE * LANES; i++) next[i] = 0;
        for (let e = 0; e < nE; e++) {
          const row = rows[e];
          const p = ws.probs[e];
          const targets = row.targets;
          const ne0 = e * LANES;
          for (let j = 0; j < targets.length; j++) {
            const t0 = targets[j] * LANES;
            const p0 = j * LANES;
            multiplyAdd(next, t0, n, ne0, p, p0, lanes);
          }
          if (transitionRewards && row.rewards) {
            const tr = transitionRewards[e];
            for (let j = 0; j < targets.length; j++) {
              const r = tr[j];
              const p0 = j * LANES;
              for (let o = 0; o < O; o++) {
                const d = discount[o][k];
                const r0 = o * LANES;
                for (let l = 0; l < lanes; l++) totals[r0 + l] += n[ne0 + l] * p[p0 + l] * r[r0 + l] * d;
              }
            }
          }
        }
        const swap = n;
        n = next;
        next = swap;
      }
      this.occupancy(n, rewards, g, ws.allRewards);
      for (let o = 0; o < O; o++) {
        const d = discount[o][k];
        const o0 = o * LANES;
        if (halfCycle) {
          if (k === 0) continue;
          for (let l = 0; l < lanes; l++) totals[o0 + l] += 0.5 * (g[o0 + l] + h[o0 + l]) * d;
        } else {
          const w = weights[k];
          if (w === 0) continue;
          for (let l = 0; l < lanes; l++) totals[o0 + l] += w * g[o0 + l] * d;
        }
      }
    }
    // Keep the swapped buffers in place for the next run (which starts from ws.n).
    ws.n = n;
    ws.next = next;
    this.setCycle(0);
    this.runCycleSteps();
  }

  branchProbabilities(node: Extract<CompiledTreeNode, { kind: 'chance' }>): Float64Array[] {
    const lanes = this.lanes;
    const bad = this.bad;
    const probabilities = node.branches.map((b) => {
      const p = new Float64Array(LANES);
      if (b.probability !== null) this.site(b.probability, p, 0);
      return p;
    });
    const sum = new Float64Array(LANES);
    node.branches.forEach((b, i) => {
      if (b.probability === null) return;
      const p = probabilities[i];
      for (let l = 0; l < lanes; l++) {
        const v = p[l];
        if (!(v >= -TOL && v <= 1 + TOL)) bad[l] = 1;
        sum[l] += v;
      }
    });
    if (node.complement >= 0) {
      const p = probabilities[node.complement];
      for (let l = 0; l < lanes; l++) {
        const c = 1 - sum[l];
        if (c < -TOL) bad[l] = 1;
        p[l] = c < 0 ? 0 : c;
      }
    } else {
      for (let l = 0; l < lanes; l++) if (Math.abs(sum[l] - 1) > TOL) bad[l] = 1;
    }
    return probabilities;
  }

  addRewards(sites: (Site | null)[], weight: Float64Array, totals: Float64Array, tmp: Float64Array): void {
    const lanes = this.lanes;
    for (let o = 0; o < sites.length; o++) {
      const site = sites[o];
      if (site === null) continue;
      this.site(site, tmp, 0);
      const o0 = o * LANES;
      for (let l = 0; l < lanes; l++) totals[o0 + l] += weight[l] * tmp[l];
    }
  }

  rollForward(node: CompiledTreeNode, probability: Float64Array, totals: Float64Array, initials: Map<number, Float64Array>, tmp: Float64Array): void {
    const lanes = this.lanes;
    if (node.kind === 'terminal') {
      this.addRewards(node.rewards, probability, totals, tmp);
      if (node.markov) {
        const entry = this.plan.strategy.entry;
        const markov = entry.kind === 'tree' ? entry.markovs.find((m) => m.index === node.markov!.model)! : entry.markov;
        const init = initials.get(node.markov.model)!;
        const o = markov.entryIndex[node.markov.state] * LANES;
        for (let l = 0; l < lanes; l++) init[o + l] += probability[l];
      }
      return;
    }
    if (node.kind === 'decision') {
      this.rollForward(node.chosen, probability, totals, initials, tmp);
      return;
    }
    const probabilities = this.branchProbabilities(node);
    node.branches.forEach((b, i) => {
      const p = probabilities[i];
      for (let l = 0; l < lanes; l++) p[l] = probability[l] * p[l];
      if (b.rewards) this.addRewards(b.rewards, p, totals, tmp);
      this.rollForward(b.node, p, totals, initials, tmp);
    });
  }

  /** Totals per outcome per lane ([o * LANES + l]); lanes that failed a check are marked in `bad`. */
  evaluate(): Float64Array {
    const O = this.nOutcomes;
    const lanes = this.lanes;
    const totals = new Float64Array(O * LANES);
    this.setCycle(0);
    this.runSteps(this.plan.staticSteps);
    this.runCycleSteps();
    const entry = this.plan.strategy.entry;
    if (entry.kind === 'markov') {
      const initial = new Float64Array(entry.markov.expandedState.length * LANES);
      this.initialDistribution(entry.markov, initial);
      this.runMarkov(entry.markov, initial, totals);
    } else {
      const initials = new Map(entry.markovs.map((m) => [m.index, new Float64Array(m.expandedState.length * LANES)]));
      const one = new Float64Array(LANES).fill(1);
      this.rollForward(entry.root, one, totals, initials, new Float64Array(LANES));
      for (const m of entry.markovs) this.runMarkov(m, initials.get(m.index)!, totals);
    }
    const bad = this.bad;
    for (let o = 0; o < O; o++) {
      for (let l = 0; l < lanes; l++) {
        const v = totals[o * LANES + l];
        if (v - v !== 0) bad[l] = 1;
      }
    }
    return totals;
  }
}

/**
 * Evaluates `strategy` for `lanes` parameter draws (inputs.values holds them lane by lane, one
 * model-parameter vector each) and writes the totals to out[lane * nOutcomes + o], bit-identical
 * to `evaluateStrategy(...).totals` for each lane. Lanes the block path cannot vouch for are
 * evaluated by `scalar(lane)` (default: evaluateStrategy on that lane's inputs), in lane order, so
 * the first error thrown is the scalar evaluator's error for the first failing lane.
 */
export function evaluateStrategyBlock(
  compiled: CompiledModel,
  strategy: CompiledStrategy,
  inputs: BlockInputs,
  lanes: number,
  out: Float64Array,
  scalar?: (lane: number) => Float64Array,
): void {
  const O = compiled.outcomeIds.length;
  const N = compiled.model.parameters.length;
  const fallback =
    scalar ??
    ((lane: number) => {
      const laneInputs: ParameterInputs = { values: inputs.values.slice(lane * N, (lane + 1) * N), replaced: inputs.replaced };
      return evaluateStrategy(compiled, strategy, laneInputs, false).totals;
    });
  const plan = planFor(compiled, strategy);
  for (let from = 0; from < lanes; from += LANES) {
    const count = Math.min(LANES, lanes - from);
    let totals: Float64Array | null = null;
    let bad: Uint8Array | null = null;
    if (plan !== null) {
      const run = new BlockRun(compiled, plan, inputs.values, from * N, N, inputs.replaced, count);
      try {
        totals = run.evaluate();
        bad = run.bad;
      } catch {
        totals = null; // e.g. a lookup key a table rejects: the scalar evaluator says where
      }
    }
    for (let l = 0; l < count; l++) {
      const lane = from + l;
      if (totals !== null && bad![l] === 0) {
        for (let o = 0; o < O; o++) out[lane * O + o] = totals[o * LANES + l];
      } else {
        const t = fallback(lane);
        for (let o = 0; o < O; o++) out[lane * O + o] = t[o];
      }
    }
  }
}
