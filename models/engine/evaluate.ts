/**
 * THE evaluator: compiled strategy + parameter inputs → discounted and undiscounted totals per
 * outcome (and, on request, the Markov trace, per-cycle values and tree rollback). Base case, DSA,
 * scenarios, threshold search and PSA all call this and differ only in the inputs they pass.
 */
import { type ModelIssue, ModelError, issue } from '../schema/model-issue';
import type { CompiledModel, CompiledSettings, CompiledStrategy } from './compile-model';
import type { CompiledMarkov } from './markov';
import { type JsonPath, type ParameterInputs, type ProgramStep, SLOT, type Site, runSteps } from './parameters';
import type { CompiledTreeNode } from './tree';

/** Probabilities may stray from [0, 1] and rows from 1 by rounding only. */
const PROBABILITY_TOLERANCE = 1e-9;
const MAX_ISSUES = 50;

export type MarkovDetail = {
  model: string;
  stateIds: string[];
  /** State membership at cycle boundaries 0..N (tunnel positions summed), per state. */
  trace: number[][];
  /** Discounted contribution of each cycle boundary 0..N to each outcome (state plus transition rewards). */
  perCycle: Record<string, number[]>;
  perCycleUndiscounted: Record<string, number[]>;
};

export type TreeNodeDetail = {
  id: string;
  label: string;
  kind: 'decision' | 'chance' | 'terminal';
  depth: number;
  parent: string | null;
  /** Probability of the branch leading here, given the parent is reached (1 at the root). */
  branchProbability: number;
  /** Probability of reaching this node from the root. */
  pathProbability: number;
  /** Expected value per outcome for someone reaching this node, including any Markov model entered below it. */
  expected: Record<string, number>;
  markovEntry: { model: string; state: string } | null;
};

export type StrategyEvaluation = {
  totals: Float64Array;
  undiscounted: Float64Array;
  markov: MarkovDetail[] | null;
  tree: TreeNodeDetail[] | null;
};

/** Mutable state for one evaluation. */
type RunState = {
  values: Float64Array;
  inputs: ParameterInputs;
  strategy: CompiledStrategy;
  settings: CompiledSettings;
  outcomeIds: string[];
  issues: ModelIssue[];
  cycle: number;
  stateTime: number;
};

/** Parameter values of each strategy, reused across evaluations: every slot is written before it is read. */
const strategyValues = new WeakMap<CompiledStrategy, Float64Array>();

export function evaluateStrategy(
  compiled: CompiledModel,
  strategy: CompiledStrategy,
  inputs: ParameterInputs,
  detail = false,
): StrategyEvaluation {
  const settings = compiled.settings;
  const nOutcomes = compiled.outcomeIds.length;
  let values = strategyValues.get(strategy);
  if (!values) {
    values = new Float64Array(strategy.program.slotCount);
    strategyValues.set(strategy, values);
  }
  const run: RunState = {
    values,
    inputs,
    strategy,
    settings,
    outcomeIds: compiled.outcomeIds,
    issues: [],
    cycle: 0,
    stateTime: 1,
  };
  setCycle(run, 0);
  const bad = runSteps(strategy.program.staticSteps, run.values, inputs);
  if (bad >= 0) throw new ModelError([nonFinite(run, strategy.program.staticSteps[bad])]);
  runCycleSteps(run);

  const totals = new Float64Array(nOutcomes);
  const undiscounted = new Float64Array(nOutcomes);
  let markovDetails: MarkovDetail[] | null = null;
  let treeDetails: TreeNodeDetail[] | null = null;
  const entry = strategy.entry;
  if (entry.kind === 'markov') {
    const initial = initialDistribution(run, entry.markov);
    const detailOut = detail ? ([] as MarkovDetail[]) : null;
    runMarkov(run, entry.markov, initial, totals, undiscounted, detailOut);
    markovDetails = detailOut;
  } else {
    const initials = entry.markovs.map((m) => new Float64Array(m.expandedState.length));
    const markovSlot = new Map(entry.markovs.map((m, i) => [m.index, i]));
    rollForward(run, entry.root, 1, totals, initials, markovSlot);
    for (let o = 0; o < nOutcomes; o++) undiscounted[o] = totals[o];
    if (run.issues.length > 0) throw new ModelError(run.issues);
    const detailOut = detail ? ([] as MarkovDetail[]) : null;
    entry.markovs.forEach((m, i) => runMarkov(run, m, initials[i], totals, undiscounted, detailOut));
    markovDetails = detailOut;
    if (detail) treeDetails = rollback(run, entry.root, entry.markovs, markovSlot);
  }
  if (run.issues.length > 0) throw new ModelError(run.issues);
  for (let o = 0; o < nOutcomes; o++) {
    if (!Number.isFinite(totals[o])) {
      throw new ModelError([issue(['outcomes', o], `the total for outcome '${compiled.outcomeIds[o]}' of strategy '${strategy.id}' is not finite (${totals[o]})`)]);
    }
  }
  return { totals, undiscounted, markov: markovDetails, tree: treeDetails };
}

function setCycle(run: RunState, k: number): void {
  run.cycle = k;
  run.values[SLOT.cycle] = k;
  run.values[SLOT.time] = k * run.settings.cycleYears;
  run.values[SLOT.cycle_years] = run.settings.cycleYears;
  run.values[SLOT.state_time] = 1;
  run.stateTime = 1;
}

function runCycleSteps(run: RunState): void {
  const program = run.strategy.program;
  let bad = runSteps(program.cycleSteps, run.values, run.inputs);
  if (bad >= 0) throw new ModelError([nonFinite(run, program.cycleSteps[bad])]);
  bad = runSteps(program.stateTimeSteps, run.values, run.inputs);
  if (bad >= 0) throw new ModelError([nonFinite(run, program.stateTimeSteps[bad])]);
}

function setStateTime(run: RunState, t: number): void {
  if (run.stateTime === t) return;
  run.stateTime = t;
  run.values[SLOT.state_time] = t;
  const steps = run.strategy.program.stateTimeSteps;
  const bad = runSteps(steps, run.values, run.inputs);
  if (bad >= 0) throw new ModelError([nonFinite(run, steps[bad])]);
}

function nonFinite(run: RunState, step: ProgramStep): ModelIssue {
  return issue(
    step.path as (string | number)[],
    `parameter '${step.parameter}' is not a finite number at cycle ${run.cycle} for strategy '${run.strategy.id}' (check for division by zero, the log of 0 or of a negative number, or overflow)`,
    step.parameter,
  );
}

function evaluateSite(run: RunState, site: Site): number {
  const v = site.constant !== undefined ? site.constant : site.fn(run.values);
  if (v - v !== 0) {
    if (run.issues.length < MAX_ISSUES) {
      run.issues.push(issue(site.path as (string | number)[], `"${site.text}" evaluates to ${v} at cycle ${run.cycle} for strategy '${run.strategy.id}'`));
    }
    return 0;
  }
  return v;
}

function report(run: RunState, path: JsonPath, message: string): void {
  if (run.issues.length < MAX_ISSUES) run.issues.push(issue(path as (string | number)[], message));
}

function initialDistribution(run: RunState, markov: CompiledMarkov): Float64Array {
  const n = new Float64Array(markov.expandedState.length);
  let sum = 0;
  markov.initial!.forEach((site, e) => {
    if (site === null) return;
    const v = evaluateSite(run, site);
    if (v < 0) report(run, site.path, `initial share ${v} is negative`);
    n[e] = v;
    sum += v;
  });
  if (Math.abs(sum - 1) > PROBABILITY_TOLERANCE) {
    report(run, markov.initialPath, `the initial distribution of '${markov.id}' sums to ${sum}; it must sum to 1`);
  }
  return n;
}

/** Probability of each transition for the current cycle, validated; rows[e][j]. */
function evaluateRows(run: RunState, markov: CompiledMarkov, probs: Float64Array[], rowIndices: Int32Array): void {
  const rows = markov.rows;
  for (let r = 0; r < rowIndices.length; r++) {
    const e = rowIndices[r];
    const row = rows[e];
    setStateTime(run, markov.expandedStateTime[e]);
    const p = probs[e];
    let sum = 0;
    for (let j = 0; j < row.probabilities.length; j++) {
      const site = row.probabilities[j];
      if (site === null) continue;
      const v = evaluateSite(run, site);
      if (!(v >= -PROBABILITY_TOLERANCE && v <= 1 + PROBABILITY_TOLERANCE)) {
        report(run, row.paths[j], `transition probability from '${row.fromState}' is ${v} at cycle ${run.cycle} for strategy '${run.strategy.id}'; it must be between 0 and 1`);
      }
      p[j] = v;
      sum += v;
    }
    if (row.complement >= 0) {
      const c = 1 - sum;
      if (c < -PROBABILITY_TOLERANCE) {
        report(run, row.paths[row.complement], `transitions from '${row.fromState}' sum to ${sum} before the complement at cycle ${run.cycle} for strategy '${run.strategy.id}', so the complement "C" would be negative`);
      }
      p[row.complement] = c < 0 ? 0 : c;
    } else if (Math.abs(sum - 1) > PROBABILITY_TOLERANCE) {
      report(run, row.paths[0].slice(0, -2), `transitions from '${row.fromState}' sum to ${sum} at cycle ${run.cycle} for strategy '${run.strategy.id}'; they must sum to 1 (use "C" for the complement)`);
    }
  }
  setStateTime(run, 1);
}

/** Reward sites flattened to (expanded state, outcome, site) triples, so a cycle visits only what it must. */
export type RewardSiteList = { states: Int32Array; outcomes: Int32Array; sites: Site[] };

export function rewardSiteList(markov: CompiledMarkov, onlyDynamic: boolean): RewardSiteList {
  const states: number[] = [];
  const outcomes: number[] = [];
  const sites: Site[] = [];
  markov.stateRewards.forEach((list, e) =>
    list.forEach((site, o) => {
      if (site === null || (onlyDynamic && !(site.timeDependent || site.stateTimeDependent))) return;
      states.push(e);
      outcomes.push(o);
      sites.push(site);
    }),
  );
  return { states: Int32Array.from(states), outcomes: Int32Array.from(outcomes), sites };
}

function evaluateStateRewards(run: RunState, markov: CompiledMarkov, out: Float64Array[], list: RewardSiteList): void {
  const { states, outcomes, sites } = list;
  for (let i = 0; i < sites.length; i++) {
    const e = states[i];
    setStateTime(run, markov.expandedStateTime[e]);
    out[e][outcomes[i]] = evaluateSite(run, sites[i]);
  }
  setStateTime(run, 1);
}

/**
 * Weights of the discounted reward curve f(0..N) for the corrections that are weighted sums
 * (half-cycle is not: it averages occupancy, not f). Exported for the audit workbook.
 */
export function withinCycleWeights(correction: CompiledSettings['correction'], n: number): Float64Array {
  const w = new Float64Array(n + 1);
  switch (correction) {
    case 'none':
      for (let k = 1; k <= n; k++) w[k] = 1;
      break;
    case 'beginning':
      for (let k = 0; k < n; k++) w[k] = 1;
      break;
    case 'trapezoidal':
    case 'half-cycle':
      for (let k = 0; k <= n; k++) w[k] = k === 0 || k === n ? 0.5 : 1;
      break;
    case 'simpson': {
      // Composite Simpson's 1/3 rule; with an odd number of intervals the last three use the 3/8 rule.
      if (n === 1) {
        w[0] = 0.5;
        w[1] = 0.5;
        break;
      }
      const m = n % 2 === 0 ? n : n - 3;
      if (m > 0) for (let k = 0; k <= m; k++) w[k] += k === 0 || k === m ? 1 / 3 : k % 2 === 1 ? 4 / 3 : 2 / 3;
      if (m !== n) {
        w[m] += 3 / 8;
        w[m + 1] += 9 / 8;
        w[m + 2] += 9 / 8;
        w[m + 3] += 3 / 8;
      }
      break;
    }
  }
  return w;
}

/** Buffers reused by every run of one compiled Markov model (evaluation is synchronous, so one set suffices). */
type MarkovWorkspace = {
  probs: Float64Array[];
  rewards: Float64Array[];
  transitionRewards: Float64Array[][] | null;
  n: Float64Array;
  next: Float64Array;
  g: Float64Array;
  h: Float64Array;
  weights: Float64Array;
  allRows: Int32Array;
  dynamicRows: Int32Array;
  allRewards: RewardSiteList;
  dynamicRewards: RewardSiteList;
};
const workspaces = new WeakMap<CompiledMarkov, MarkovWorkspace>();

function workspaceFor(markov: CompiledMarkov, nOutcomes: number, settings: CompiledSettings): MarkovWorkspace {
  let ws = workspaces.get(markov);
  if (!ws) {
    const nE = markov.expandedState.length;
    const rows = markov.rows;
    ws = {
      probs: rows.map((r) => new Float64Array(r.targets.length)),
      rewards: Array.from({ length: nE }, () => new Float64Array(nOutcomes)),
      transitionRewards: rows.some((r) => r.rewards !== null) ? rows.map((r) => Array.from(r.targets, () => new Float64Array(nOutcomes))) : null,
      n: new Float64Array(nE),
      next: new Float64Array(nE),
      g: new Float64Array(nOutcomes),
      h: new Float64Array(nOutcomes),
      weights: withinCycleWeights(settings.correction, settings.nCycles),
      allRows: Int32Array.from(rows.keys()),
      dynamicRows: Int32Array.from([...rows.keys()].filter((e) => rows[e].dynamic)),
      allRewards: rewardSiteList(markov, false),
      dynamicRewards: rewardSiteList(markov, true),
    };
    workspaces.set(markov, ws);
  }
  return ws;
}

function runMarkov(
  run: RunState,
  markov: CompiledMarkov,
  initial: Float64Array,
  totals: Float64Array,
  undiscounted: Float64Array,
  details: MarkovDetail[] | null,
): void {
  const { nCycles, correction, discount } = run.settings;
  const nOutcomes = run.outcomeIds.length;
  const nE = markov.expandedState.length;
  const rows = markov.rows;
  const ws = workspaceFor(markov, nOutcomes, run.settings);
  const { probs, rewards, transitionRewards, weights, g, h } = ws;
  let n = ws.n;
  let next = ws.next;
  n.set(initial);
  // rewards[e][o] needs no reset: sites that exist are written at k = 0, the others stay 0.
  const halfCycle = correction === 'half-cycle';
  const trace = details ? [aggregate(markov, n)] : null;
  const perCycle = details ? run.outcomeIds.map(() => new Float64Array(nCycles + 1)) : null;
  const perCycleU = details ? run.outcomeIds.map(() => new Float64Array(nCycles + 1)) : null;

  for (let k = 0; k <= nCycles; k++) {
    if (k > 0) {
      setCycle(run, k);
      runCycleSteps(run);
    }
    if (k === 0) evaluateStateRewards(run, markov, rewards, ws.allRewards);
    else if (markov.rewardsDynamic) evaluateStateRewards(run, markov, rewards, ws.dynamicRewards);
    if (k > 0) {
      if (k === 1) evaluateRows(run, markov, probs, ws.allRows);
      else if (markov.matrixDynamic) evaluateRows(run, markov, probs, ws.dynamicRows);
      if (transitionRewards && (k === 1 || markov.matrixDynamic)) evaluateTransitionRewards(run, markov, transitionRewards);
      if (halfCycle) occupancyRewards(n, rewards, h);
      for (let e = 0; e < nE; e++) next[e] = 0; // a plain loop beats fill() on short arrays
      for (let e = 0; e < nE; e++) {
        const ne = n[e];
        if (ne === 0) continue;
        const row = rows[e];
        const p = probs[e];
        const targets = row.targets;
        for (let j = 0; j < targets.length; j++) next[targets[j]] += ne * p[j];
        if (transitionRewards && row.rewards) {
          const tr = transitionRewards[e];
          for (let j = 0; j < targets.length; j++) {
            const flow = ne * p[j];
            const r = tr[j];
            for (let o = 0; o < nOutcomes; o++) {
              if (r[o] === 0) continue;
              const v = flow * r[o];
              totals[o] += v * discount[o][k];
              undiscounted[o] += v;
              if (perCycle) {
                perCycle[o][k] += v * discount[o][k];
                perCycleU![o][k] += v;
              }
            }
          }
        }
      }
      const swap = n;
      n = next;
      next = swap;
      if (trace) trace.push(aggregate(markov, n));
    }
    occupancyRewards(n, rewards, g);
    for (let o = 0; o < nOutcomes; o++) {
      let value: number;
      let valueU: number;
      if (halfCycle) {
        if (k === 0) continue;
        valueU = 0.5 * (g[o] + h[o]);
        value = valueU * discount[o][k];
      } else {
        const w = weights[k];
        if (w === 0) continue;
        valueU = w * g[o];
        value = valueU * discount[o][k];
      }
      totals[o] += value;
      undiscounted[o] += valueU;
      if (perCycle) {
        perCycle[o][k] += value;
        perCycleU![o][k] += valueU;
      }
    }
  }
  if (details) {
    const per: Record<string, number[]> = {};
    const perU: Record<string, number[]> = {};
    run.outcomeIds.forEach((id, o) => {
      per[id] = Array.from(perCycle![o]);
      perU[id] = Array.from(perCycleU![o]);
    });
    details.push({ model: markov.id, stateIds: markov.stateIds, trace: trace!, perCycle: per, perCycleUndiscounted: perU });
  }
  setCycle(run, 0);
  runCycleSteps(run);
}

function evaluateTransitionRewards(run: RunState, markov: CompiledMarkov, out: Float64Array[][]): void {
  for (let e = 0; e < markov.rows.length; e++) {
    const row = markov.rows[e];
    if (!row.rewards) continue;
    setStateTime(run, markov.expandedStateTime[e]);
    for (let j = 0; j < row.rewards.length; j++) {
      const sites = row.rewards[j];
      for (let o = 0; o < sites.length; o++) {
        const site = sites[o];
        out[e][j][o] = site === null ? 0 : evaluateSite(run, site);
      }
    }
  }
  setStateTime(run, 1);
}

function occupancyRewards(n: Float64Array, rewards: Float64Array[], out: Float64Array): void {
  out.fill(0);
  for (let e = 0; e < n.length; e++) {
    const ne = n[e];
    if (ne === 0) continue;
    const r = rewards[e];
    for (let o = 0; o < out.length; o++) out[o] += ne * r[o];
  }
}

function aggregate(markov: CompiledMarkov, n: Float64Array): number[] {
  const out = new Array<number>(markov.stateIds.length).fill(0);
  for (let e = 0; e < n.length; e++) out[markov.expandedState[e]] += n[e];
  return out;
}

/** Branch probabilities of a chance node for the current evaluation, validated. */
function branchProbabilities(run: RunState, node: Extract<CompiledTreeNode, { kind: 'chance' }>): number[] {
  const probabilities = node.branches.map((b) => (b.probability === null ? 0 : evaluateSite(run, b.probability)));
  let sum = 0;
  node.branches.forEach((b, i) => {
    if (b.probability === null) return;
    const v = probabilities[i];
    if (!(v >= -PROBABILITY_TOLERANCE && v <= 1 + PROBABILITY_TOLERANCE)) {
      report(run, b.probability.path, `branch probability at chance node '${node.id}' is ${v} for strategy '${run.strategy.id}'; it must be between 0 and 1`);
    }
    sum += v;
  });
  if (node.complement >= 0) {
    const c = 1 - sum;
    if (c < -PROBABILITY_TOLERANCE) report(run, [...node.path, 'branches', node.complement, 'probability'], `branches of chance node '${node.id}' sum to ${sum} before the complement for strategy '${run.strategy.id}', so "C" would be negative`);
    probabilities[node.complement] = c < 0 ? 0 : c;
  } else if (Math.abs(sum - 1) > PROBABILITY_TOLERANCE) {
    report(run, [...node.path, 'branches'], `branch probabilities of chance node '${node.id}' sum to ${sum} for strategy '${run.strategy.id}'; they must sum to 1 (use "C" for the complement)`);
  }
  return probabilities;
}

/** Tree values accrue at time 0 (undiscounted); Markov entries are collected into initial vectors. */
function rollForward(
  run: RunState,
  node: CompiledTreeNode,
  probability: number,
  totals: Float64Array,
  initials: Float64Array[],
  markovSlot: Map<number, number>,
): void {
  if (node.kind === 'terminal') {
    addRewards(run, node.rewards, probability, totals);
    if (node.markov) {
      const m = markovSlot.get(node.markov.model)!;
      initials[m][entryOf(run, node.markov.model, node.markov.state)] += probability;
    }
    return;
  }
  if (node.kind === 'decision') {
    rollForward(run, node.chosen, probability, totals, initials, markovSlot);
    return;
  }
  const probabilities = branchProbabilities(run, node);
  node.branches.forEach((b, i) => {
    const p = probability * probabilities[i];
    if (b.rewards) addRewards(run, b.rewards, p, totals);
    rollForward(run, b.node, p, totals, initials, markovSlot);
  });
}

function entryOf(run: RunState, markovIndex: number, state: number): number {
  const entry = run.strategy.entry;
  const markov = entry.kind === 'tree' ? entry.markovs.find((m) => m.index === markovIndex)! : entry.markov;
  return markov.entryIndex[state];
}

function addRewards(run: RunState, sites: (Site | null)[], weight: number, totals: Float64Array): void {
  for (let o = 0; o < sites.length; o++) {
    const site = sites[o];
    if (site !== null) totals[o] += weight * evaluateSite(run, site);
  }
}

/** Expected values at every node (base-case detail). Markov values per entry state come from unit cohorts. */
function rollback(run: RunState, root: CompiledTreeNode, markovs: CompiledMarkov[], markovSlot: Map<number, number>): TreeNodeDetail[] {
  const nOutcomes = run.outcomeIds.length;
  const unitValues = new Map<string, Float64Array>();
  const markovValue = (model: number, state: number): Float64Array => {
    const key = `${model}:${state}`;
    let v = unitValues.get(key);
    if (!v) {
      const markov = markovs[markovSlot.get(model)!];
      const initial = new Float64Array(markov.expandedState.length);
      initial[markov.entryIndex[state]] = 1;
      v = new Float64Array(nOutcomes);
      runMarkov(run, markov, initial, v, new Float64Array(nOutcomes), null);
      unitValues.set(key, v);
    }
    return v;
  };
  const out: TreeNodeDetail[] = [];
  const visit = (node: CompiledTreeNode, depth: number, parent: string | null, branchProbability: number, pathProbability: number): Float64Array => {
    const detail: TreeNodeDetail = {
      id: node.id,
      label: node.label,
      kind: node.kind,
      depth,
      parent,
      branchProbability,
      pathProbability,
      expected: {},
      markovEntry: null,
    };
    out.push(detail);
    const ev = new Float64Array(nOutcomes);
    if (node.kind === 'terminal') {
      addRewards(run, node.rewards, 1, ev);
      if (node.markov) {
        const v = markovValue(node.markov.model, node.markov.state);
        for (let o = 0; o < nOutcomes; o++) ev[o] += v[o];
        const markov = markovs[markovSlot.get(node.markov.model)!];
        detail.markovEntry = { model: markov.id, state: markov.stateIds[node.markov.state] };
      }
    } else if (node.kind === 'decision') {
      ev.set(visit(node.chosen, depth + 1, node.id, 1, pathProbability));
    } else {
      const probabilities = branchProbabilities(run, node);
      node.branches.forEach((b, i) => {
        const p = probabilities[i];
        const child = visit(b.node, depth + 1, node.id, p, pathProbability * p);
        const branchRewards = new Float64Array(nOutcomes);
        if (b.rewards) addRewards(run, b.rewards, 1, branchRewards);
        for (let o = 0; o < nOutcomes; o++) ev[o] += p * (branchRewards[o] + child[o]);
      });
    }
    run.outcomeIds.forEach((id, o) => (detail.expected[id] = ev[o]));
    return ev;
  };
  visit(root, 0, null, 1, 1);
  return out;
}
