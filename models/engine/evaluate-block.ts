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
 *
 * Most of a PSA's numbers do not vary between draws, or not in every cycle (a parameter without a
 * distribution, `cycle`, a treatment effect that stops after two years). The evaluator tracks which
 * slots and buffer regions hold one value in all lanes ("uniform"): an expression that reads only
 * uniform slots is evaluated once and its checks made once, a value already in place is not
 * written again, and the cohort and reward kernels take uniform factors as plain numbers. A lane's
 * arithmetic is the same either way, so this changes no bit of any result.
 */
import { type LaneProgram, compileLaneProgram, same } from '../expression/compile-lanes';
import type { CompiledModel, CompiledStrategy } from './compile-model';
import { type RewardSiteList, evaluateStrategy, rewardSiteList, withinCycleWeights } from './evaluate';
import type { CompiledMarkov } from './markov';
import { FIRST_PARAMETER_SLOT, type ParameterInputs, type ProgramStep, SLOT, type Site } from './parameters';
import type { CompiledTreeNode } from './tree';

/** Lanes evaluated together. */
export const LANES = 256;
const TOL = 1e-9;

/** Parameter inputs of a block: lane l's value of parameter i is values[l * nParameters + i]. */
export type BlockInputs = { values: Float64Array; replaced: Uint8Array | null };

type LaneStep = {
  slot: number;
  inputIndex: number;
  constant: number | undefined;
  program: LaneProgram | null;
  replaceable: boolean;
};
type LaneSite = { constant: number | undefined; program: LaneProgram | null };
type RewardList = RewardSiteList;

/**
 * Sums of products over lanes, as lists of terms: term i multiplies a[aOffset[i] + l] by
 * b[bOffset[i] + l]; the terms of output k are first[k]..first[k + 1] - 1, in the order in which
 * the scalar evaluator adds them.
 */
type Terms = { first: Int32Array; aOffset: Int32Array; bOffset: Int32Array; region: Int32Array };

/**
 * What a buffer region (one probability, one state reward) holds: when `uniform[i]` is 1, all
 * LANES lanes of region i hold `held[i]`, so writing the same value again can be skipped.
 */
type RegionState = { uniform: Uint8Array; held: Float64Array };

type MarkovLanes = {
  /** All transition probabilities: row e, target j, lane l at (rowStart[e] + j) * LANES + l. */
  probAll: Float64Array;
  probs: Float64Array[]; // views of probAll per row: [j * B + l]
  rowStart: Int32Array;
  probRegions: RegionState; // indexed rowStart[e] + j
  rewards: Float64Array; // [(e * O + o) * B + l]
  rewardRegions: RegionState; // indexed e * O + o
  transitionRewards: Float64Array[][] | null; // [e][j]: [o * B + l]
  /** The one-off transition rewards that exist (non-null sites), in the scalar loop's order: source state e, entry j, outcome o. */
  transitionTerms: { e: Int32Array; j: Int32Array; o: Int32Array; sites: Site[] };
  transitionRegions: RegionState; // indexed by term
  n: Float64Array; // [e * B + l]
  next: Float64Array;
  g: Float64Array; // [o * B + l]
  h: Float64Array;
  sum: Float64Array; // [l]
  coef: Float64Array; // uniform factors of one kernel call
  weights: Float64Array;
  allRows: Int32Array;
  dynamicRows: Int32Array;
  allRewards: RewardList;
  dynamicRewards: RewardList;
  /** Cohort update: next[t] = sum over incoming (e, j) of n[e] * p[e][j], per target t in (e, j) order. */
  inflow: Terms;
  /** The states whose occupancy is updated each cycle (see markovLanes: the others are never read). */
  updatedStates: Int32Array;
  /** Occupancy: g[o] = sum over states e with a reward for o of n[e] * reward[e][o], per outcome in state order. */
  occupancy: Terms;
};

type Plan = {
  /** Per built-in slot (SLOT): 1 when a lane program reads it. */
  builtinRead: Uint8Array;
  values: Float64Array;
  /** Per slot: 1 when all LANES lanes of the slot hold the same value (values[slot * LANES]). */
  slotUniform: Uint8Array;
  scratch: Float64Array;
  /** Per chunk (reset by each BlockRun): lanes that failed a check, and the totals. */
  bad: Uint8Array;
  totals: Float64Array;
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
    const lane = (text: string): LaneProgram => {
      const ast = compiled.expressions.parse(text); // parsed once when the model was compiled
      if (ast instanceof Error) throw ast;
      return compileLaneProgram(ast, ctx, LANES);
    };
    const step = (s: ProgramStep): LaneStep => {
      let program: LaneProgram | null = null;
      if (s.fn !== null) {
        const text = valueAt(compiled.model, s.path);
        if (typeof text !== 'string') throw new Error(`no expression text at ${s.path.join('.')}`);
        program = lane(text);
      }
      return { slot: s.slot, inputIndex: s.inputIndex, constant: s.constant, program, replaceable: s.replaceable };
    };
    const program = strategy.program;
    const sites = new Map<Site, LaneSite>();
    const addSite = (site: Site | null) => {
      if (site === null || sites.has(site)) return;
      sites.set(site, site.constant !== undefined ? { constant: site.constant, program: null } : { constant: undefined, program: lane(site.text) });
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
    // Built-in slots (cycle, time, ...) that some lane program reads; the others are not kept up to date.
    const builtinRead = new Uint8Array(FIRST_PARAMETER_SLOT);
    const noteReads = (p: LaneProgram | null): void => {
      if (p === null) return;
      for (const slot of p.reads) if (slot < FIRST_PARAMETER_SLOT) builtinRead[slot] = 1;
    };
    const staticSteps = program.staticSteps.map(step);
    const cycleSteps = program.cycleSteps.map(step);
    const stateTimeSteps = program.stateTimeSteps.map(step);
    [...staticSteps, ...cycleSteps, ...stateTimeSteps].forEach((s) => noteReads(s.program));
    sites.forEach((ls) => noteReads(ls.program));
    plan = {
      builtinRead,
      values: new Float64Array(program.slotCount * LANES),
      slotUniform: new Uint8Array(program.slotCount),
      scratch: new Float64Array(1),
      bad: new Uint8Array(LANES),
      totals: new Float64Array(compiled.outcomeIds.length * LANES),
      staticSteps,
      cycleSteps,
      stateTimeSteps,
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

function regions(n: number): RegionState {
  return { uniform: new Uint8Array(n), held: new Float64Array(n) };
}

function terms(groups: { a: number; b: number; region: number }[][]): Terms {
  const first = new Int32Array(groups.length + 1);
  const aOffset: number[] = [];
  const bOffset: number[] = [];
  const region: number[] = [];
  groups.forEach((group, k) => {
    for (const t of group) {
      aOffset.push(t.a);
      bOffset.push(t.b);
      region.push(t.region);
    }
    first[k + 1] = aOffset.length;
  });
  return { first, aOffset: Int32Array.from(aOffset), bOffset: Int32Array.from(bOffset), region: Int32Array.from(region) };
}

/**
 * When every b factor of the terms first..first+count-1 holds one value for all lanes (its region
 * is uniform), copies those values to `coef` and returns true: the kernels then take them as
 * numbers instead of loading them lane by lane (the same products, so the same bits).
 */
function uniformFactors(t: Terms, state: RegionState, first: number, count: number, coef: Float64Array): boolean {
  for (let i = 0; i < count; i++) {
    const r = t.region[first + i];
    if (state.uniform[r] === 0) return false;
    coef[i] = state.held[r];
  }
  return true;
}

function markovLanes(markov: CompiledMarkov, nOutcomes: number, compiled: CompiledModel): MarkovLanes {
  const B = LANES;
  const nE = markov.expandedState.length;
  const rows = markov.rows;
  const rowStart = new Int32Array(nE + 1);
  for (let e = 0; e < nE; e++) rowStart[e + 1] = rowStart[e] + rows[e].targets.length;
  const probAll = new Float64Array(rowStart[nE] * B);
  // Inflow terms per target in the scalar loop's order: source state e ascending, then entry j.
  const inflow: { a: number; b: number; region: number }[][] = Array.from({ length: nE }, () => []);
  for (let e = 0; e < nE; e++) rows[e].targets.forEach((t, j) => inflow[t].push({ a: e * B, b: (rowStart[e] + j) * B, region: rowStart[e] + j }));
  const allRewards = rewardSiteList(markov, false);
  // Occupancy terms per outcome in the scalar loop's order (state ascending); pairs without a
  // reward site are 0 in every lane and add ±0, which changes no sum (see occupancy below).
  const occupancy: { a: number; b: number; region: number }[][] = Array.from({ length: nOutcomes }, () => []);
  for (let i = 0; i < allRewards.states.length; i++) {
    const e = allRewards.states[i];
    const o = allRewards.outcomes[i];
    occupancy[o].push({ a: e * B, b: (e * nOutcomes + o) * B, region: e * nOutcomes + o });
  }
  const te: number[] = [];
  const tj: number[] = [];
  const to: number[] = [];
  const tsites: Site[] = [];
  rows.forEach((row, e) =>
    row.rewards?.forEach((sites, j) =>
      sites.forEach((site, o) => {
        if (site === null) return;
        te.push(e);
        tj.push(j);
        to.push(o);
        tsites.push(site);
      }),
    ),
  );
  const transitionTerms = { e: Int32Array.from(te), j: Int32Array.from(tj), o: Int32Array.from(to), sites: tsites };
  // States whose occupancy the totals depend on: those with a state reward, or a one-off reward on
  // a transition out of them, and every state that flows into one of these. The others (typically
  // an absorbing death state without rewards) need no cohort update: nothing reads them.
  const needed = new Uint8Array(nE);
  for (const e of allRewards.states) needed[e] = 1;
  for (const e of te) needed[e] = 1;
  for (let changed = true; changed; ) {
    changed = false;
    for (let e = 0; e < nE; e++) {
      if (needed[e] === 0 && rows[e].targets.some((t) => t !== e && needed[t] === 1)) {
        needed[e] = 1;
        changed = true;
      }
    }
  }
  const longest = Math.max(0, ...inflow.map((x) => x.length), ...occupancy.map((x) => x.length));
  return {
    probAll,
    probs: rows.map((_, e) => probAll.subarray(rowStart[e] * B, rowStart[e + 1] * B)),
    rowStart,
    probRegions: regions(rowStart[nE]),
    rewards: new Float64Array(nE * nOutcomes * B),
    rewardRegions: regions(nE * nOutcomes),
    transitionRewards: transitionTerms.sites.length > 0 ? rows.map((r) => Array.from(r.targets, () => new Float64Array(nOutcomes * B))) : null,
    transitionTerms,
    transitionRegions: regions(transitionTerms.sites.length),
    n: new Float64Array(nE * B),
    next: new Float64Array(nE * B),
    g: new Float64Array(nOutcomes * B),
    h: new Float64Array(nOutcomes * B),
    sum: new Float64Array(B),
    coef: new Float64Array(longest),
    weights: withinCycleWeights(compiled.settings.correction, compiled.settings.nCycles),
    allRows: Int32Array.from(rows.keys()),
    dynamicRows: Int32Array.from([...rows.keys()].filter((e) => rows[e].dynamic)),
    allRewards,
    dynamicRewards: rewardSiteList(markov, true),
    inflow: terms(inflow),
    updatedStates: Int32Array.from(needed.keys()).filter((e) => needed[e] === 1),
    occupancy: terms(occupancy),
  };
}

/*
 * The kernels below compute, per lane, sum_i a[aOffset[i] + l] * b[bOffset[i] + l] starting from
 * 0 and adding the terms in list order, exactly as the scalar loops do (`x = 0; x += a * b; ...`),
 * but with the running sum in a register rather than in memory. The common short lists are
 * written out; longer ones take the general loop. `0 + a * b` keeps the scalar's +0 + (-0) = +0.
 */

/** out[o + l] = sum of the terms first..first+count-1 for each lane. */
function sumOfProducts(out: Float64Array, o: number, a: Float64Array, b: Float64Array, t: Terms, first: number, count: number, lanes: number): void {
  const A = t.aOffset;
  const Bo = t.bOffset;
  switch (count) {
    case 0:
      for (let l = 0; l < lanes; l++) out[o + l] = 0;
      return;
    case 1: {
      const a0 = A[first], b0 = Bo[first];
      for (let l = 0; l < lanes; l++) out[o + l] = 0 + a[a0 + l] * b[b0 + l];
      return;
    }
    case 2: {
      const a0 = A[first], b0 = Bo[first], a1 = A[first + 1], b1 = Bo[first + 1];
      for (let l = 0; l < lanes; l++) {
        let x = 0 + a[a0 + l] * b[b0 + l];
        x += a[a1 + l] * b[b1 + l];
        out[o + l] = x;
      }
      return;
    }
    case 3: {
      const a0 = A[first], b0 = Bo[first], a1 = A[first + 1], b1 = Bo[first + 1], a2 = A[first + 2], b2 = Bo[first + 2];
      for (let l = 0; l < lanes; l++) {
        let x = 0 + a[a0 + l] * b[b0 + l];
        x += a[a1 + l] * b[b1 + l];
        x += a[a2 + l] * b[b2 + l];
        out[o + l] = x;
      }
      return;
    }
    case 4: {
      const a0 = A[first], b0 = Bo[first], a1 = A[first + 1], b1 = Bo[first + 1];
      const a2 = A[first + 2], b2 = Bo[first + 2], a3 = A[first + 3], b3 = Bo[first + 3];
      for (let l = 0; l < lanes; l++) {
        let x = 0 + a[a0 + l] * b[b0 + l];
        x += a[a1 + l] * b[b1 + l];
        x += a[a2 + l] * b[b2 + l];
        x += a[a3 + l] * b[b3 + l];
        out[o + l] = x;
      }
      return;
    }
    default: {
      // The first four terms in a register, then one pass per further term (the same additions in
      // the same order; a per-lane loop over the terms was slower).
      sumOfProducts(out, o, a, b, t, first, 4, lanes);
      for (let i = first + 4; i < first + count; i++) {
        const ai = A[i], bi = Bo[i];
        for (let l = 0; l < lanes; l++) out[o + l] += a[ai + l] * b[bi + l];
      }
    }
  }
}

/** totals[o + l] += w * (sum of the terms) * d: one cycle's occupancy rewards of one outcome, weighted and discounted. */
function addWeightedSumOfProducts(totals: Float64Array, o: number, w: number, d: number, a: Float64Array, b: Float64Array, t: Terms, first: number, count: number, lanes: number, scratch: Float64Array): void {
  const A = t.aOffset;
  const Bo = t.bOffset;
  switch (count) {
    case 0:
      // w * 0 * d is +0 for w, d >= 0: adding it changes nothing.
      return;
    case 1: {
      const a0 = A[first], b0 = Bo[first];
      for (let l = 0; l < lanes; l++) totals[o + l] += w * (0 + a[a0 + l] * b[b0 + l]) * d;
      return;
    }
    case 2: {
      const a0 = A[first], b0 = Bo[first], a1 = A[first + 1], b1 = Bo[first + 1];
      for (let l = 0; l < lanes; l++) {
        let x = 0 + a[a0 + l] * b[b0 + l];
        x += a[a1 + l] * b[b1 + l];
        totals[o + l] += w * x * d;
      }
      return;
    }
    case 3: {
      const a0 = A[first], b0 = Bo[first], a1 = A[first + 1], b1 = Bo[first + 1], a2 = A[first + 2], b2 = Bo[first + 2];
      for (let l = 0; l < lanes; l++) {
        let x = 0 + a[a0 + l] * b[b0 + l];
        x += a[a1 + l] * b[b1 + l];
        x += a[a2 + l] * b[b2 + l];
        totals[o + l] += w * x * d;
      }
      return;
    }
    default: {
      sumOfProducts(scratch, 0, a, b, t, first, count, lanes);
      for (let l = 0; l < lanes; l++) totals[o + l] += w * scratch[l] * d;
    }
  }
}

/** sumOfProducts when every b factor is one number for all lanes: b of term i is c[i]. */
function sumOfScaled(out: Float64Array, o: number, a: Float64Array, c: Float64Array, t: Terms, first: number, count: number, lanes: number): void {
  const A = t.aOffset;
  switch (count) {
    case 0:
      for (let l = 0; l < lanes; l++) out[o + l] = 0;
      return;
    case 1: {
      const a0 = A[first], c0 = c[0];
      for (let l = 0; l < lanes; l++) out[o + l] = 0 + a[a0 + l] * c0;
      return;
    }
    case 2: {
      const a0 = A[first], c0 = c[0], a1 = A[first + 1], c1 = c[1];
      for (let l = 0; l < lanes; l++) {
        let x = 0 + a[a0 + l] * c0;
        x += a[a1 + l] * c1;
        out[o + l] = x;
      }
      return;
    }
    case 3: {
      const a0 = A[first], c0 = c[0], a1 = A[first + 1], c1 = c[1], a2 = A[first + 2], c2 = c[2];
      for (let l = 0; l < lanes; l++) {
        let x = 0 + a[a0 + l] * c0;
        x += a[a1 + l] * c1;
        x += a[a2 + l] * c2;
        out[o + l] = x;
      }
      return;
    }
    default: {
      const a0 = A[first], c0 = c[0], a1 = A[first + 1], c1 = c[1], a2 = A[first + 2], c2 = c[2], a3 = A[first + 3], c3 = c[3];
      for (let l = 0; l < lanes; l++) {
        let x = 0 + a[a0 + l] * c0;
        x += a[a1 + l] * c1;
        x += a[a2 + l] * c2;
        x += a[a3 + l] * c3;
        out[o + l] = x;
      }
      for (let i = 4; i < count; i++) {
        const ai = A[first + i], ci = c[i];
        for (let l = 0; l < lanes; l++) out[o + l] += a[ai + l] * ci;
      }
    }
  }
}

/** addWeightedSumOfProducts when every b factor is one number for all lanes: b of term i is c[i]. */
function addWeightedSumOfScaled(totals: Float64Array, o: number, w: number, d: number, a: Float64Array, c: Float64Array, t: Terms, first: number, count: number, lanes: number, scratch: Float64Array): void {
  const A = t.aOffset;
  switch (count) {
    case 0:
      return;
    case 1: {
      const a0 = A[first], c0 = c[0];
      for (let l = 0; l < lanes; l++) totals[o + l] += w * (0 + a[a0 + l] * c0) * d;
      return;
    }
    case 2: {
      const a0 = A[first], c0 = c[0], a1 = A[first + 1], c1 = c[1];
      for (let l = 0; l < lanes; l++) {
        let x = 0 + a[a0 + l] * c0;
        x += a[a1 + l] * c1;
        totals[o + l] += w * x * d;
      }
      return;
    }
    case 3: {
      const a0 = A[first], c0 = c[0], a1 = A[first + 1], c1 = c[1], a2 = A[first + 2], c2 = c[2];
      for (let l = 0; l < lanes; l++) {
        let x = 0 + a[a0 + l] * c0;
        x += a[a1 + l] * c1;
        x += a[a2 + l] * c2;
        totals[o + l] += w * x * d;
      }
      return;
    }
    default: {
      sumOfScaled(scratch, 0, a, c, t, first, count, lanes);
      for (let l = 0; l < lanes; l++) totals[o + l] += w * scratch[l] * d;
    }
  }
}

/*
 * Per-lane loops as small functions of their own: V8 optimises a small, often-called function
 * within a few calls, where a loop inside a large method waits for the whole method to be
 * compiled (measured on cold CLI runs, which is where most of a 10,000-draw run's time went).
 */

function fillLanes(a: Float64Array, o: number, v: number, lanes: number): void {
  for (let l = 0; l < lanes; l++) a[o + l] = v;
}

function addToLanes(a: Float64Array, v: number, lanes: number): void {
  for (let l = 0; l < lanes; l++) a[l] += v;
}

/** Marks lanes whose value is not finite and sets it to 0 (the check every site value gets). */
function checkFinite(out: Float64Array, o: number, bad: Uint8Array, lanes: number): void {
  for (let l = 0; l < lanes; l++) {
    const x = out[o + l];
    if (x - x !== 0) {
      bad[l] = 1;
      out[o + l] = 0;
    }
  }
}

/** Transition probabilities of one entry: in [0, 1] within tolerance (NaN and ±Infinity fail too), summed per lane. */
function checkProbabilities(p: Float64Array, o: number, sum: Float64Array, bad: Uint8Array, lanes: number): void {
  for (let l = 0; l < lanes; l++) {
    const v = p[o + l];
    if (!(v >= -TOL && v <= 1 + TOL)) bad[l] = 1;
    sum[l] += v;
  }
}

/** The complement "C" per lane: 1 - sum, which must not be below -TOL (and is clamped at 0). */
function complementLanes(p: Float64Array, o: number, sum: Float64Array, bad: Uint8Array, lanes: number): void {
  for (let l = 0; l < lanes; l++) {
    const c = 1 - sum[l];
    if (c < -TOL) bad[l] = 1;
    p[o + l] = c < 0 ? 0 : c;
  }
}

/** A row without complement must sum to 1 within tolerance. */
function checkRowSums(sum: Float64Array, bad: Uint8Array, lanes: number): void {
  for (let l = 0; l < lanes; l++) if (Math.abs(sum[l] - 1) > TOL) bad[l] = 1;
}

/** Half-cycle correction: the mean of the occupancy rewards at the start and end of the cycle, discounted. */
function addHalfCycle(totals: Float64Array, g: Float64Array, h: Float64Array, o: number, d: number, lanes: number): void {
  for (let l = 0; l < lanes; l++) totals[o + l] += 0.5 * (g[o + l] + h[o + l]) * d;
}

/** A one-off transition reward on each lane's flow n * p: totals += n * p * r * d (as the scalar loop: ((n * p) * r) * d). */
function addFlowReward(totals: Float64Array, o: number, n: Float64Array, no: number, p: Float64Array, po: number, r: Float64Array, d: number, lanes: number): void {
  for (let l = 0; l < lanes; l++) totals[o + l] += n[no + l] * p[po + l] * r[o + l] * d;
}

/** addFlowReward with the reward the same number in every lane. */
function addFlowRewardScaled(totals: Float64Array, o: number, n: Float64Array, no: number, p: Float64Array, po: number, r: number, d: number, lanes: number): void {
  for (let l = 0; l < lanes; l++) totals[o + l] += n[no + l] * p[po + l] * r * d;
}

/** A parameter's drawn value in each lane (inputs are lane-major, N per lane). */
function copyInput(values: Float64Array, base: number, inputs: Float64Array, at: number, N: number, lanes: number): void {
  for (let l = 0; l < lanes; l++, at += N) values[base + l] = inputs[at];
}

/** One evaluation of a chunk of at most LANES lanes. */
class BlockRun {
  readonly values: Float64Array;
  readonly slotUniform: Uint8Array;
  readonly bad: Uint8Array;
  private stateTime = 1;
  private readonly nOutcomes: number;
  /** Value of the last site evaluated for one lane only (see `site`). */
  private siteValue = 0;

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
    this.slotUniform = plan.slotUniform;
    this.bad = plan.bad.fill(0);
    this.nOutcomes = compiled.outcomeIds.length;
  }

  markAllBad(): void {
    for (let l = 0; l < this.lanes; l++) this.bad[l] = 1;
  }

  /**
   * Sets every lane of a slot to v. All LANES lanes are written (not only this chunk's), so the
   * flag stays true for later chunks; a slot that already holds v is left alone.
   */
  setUniform(slot: number, v: number): void {
    const base = slot * LANES;
    if (this.slotUniform[slot] === 1 && same(this.values[base], v)) return;
    const values = this.values;
    for (let l = 0; l < LANES; l++) values[base + l] = v;
    this.slotUniform[slot] = 1;
  }

  allUniform(reads: Int32Array): boolean {
    const u = this.slotUniform;
    for (let i = 0; i < reads.length; i++) if (u[reads[i]] === 0) return false;
    return true;
  }

  setCycle(k: number): void {
    const cy = this.compiled.settings.cycleYears;
    const read = this.plan.builtinRead;
    if (read[SLOT.cycle] === 1) this.setUniform(SLOT.cycle, k);
    if (read[SLOT.time] === 1) this.setUniform(SLOT.time, k * cy);
    if (read[SLOT.cycle_years] === 1) this.setUniform(SLOT.cycle_years, cy);
    this.setStateSlot(1);
    this.stateTime = 1;
  }

  private setStateSlot(t: number): void {
    if (this.plan.builtinRead[SLOT.state_time] === 1) this.setUniform(SLOT.state_time, t);
  }

  /**
   * Marks lanes whose slot value is not finite, and records whether the slot came out the same in
   * every lane (then later expressions reading only such slots are evaluated once).
   */
  checkSlot(slot: number): void {
    const { values, lanes, bad } = this;
    const base = slot * LANES;
    const v0 = values[base];
    let uniform = true;
    for (let l = 0; l < lanes; l++) {
      const v = values[base + l];
      if (v - v !== 0) bad[l] = 1;
      if (v !== v0) uniform = false;
    }
    if (uniform && v0 === 0) for (let l = 0; l < lanes; l++) if (1 / values[base + l] !== 1 / v0) uniform = false;
    if (uniform) for (let l = lanes; l < LANES; l++) values[base + l] = v0;
    this.slotUniform[slot] = uniform && v0 === v0 ? 1 : 0;
  }

  /**
   * Evaluates a program for this chunk's lanes. When its value is the same in every lane (it reads
   * only uniform slots, or it is a conditional whose condition does and whose chosen arm does),
   * it is computed once: returns true with the value in `siteValue`, and `out` is not written.
   * Otherwise writes out[offset + l] for each lane and returns false; before that write,
   * `invalidate[index]` is cleared (the flag saying the region holds one value), so that a lookup
   * throwing half way cannot leave a stale flag.
   */
  evaluateProgram(p: LaneProgram, out: Float64Array, offset: number, invalidate: Uint8Array | null, index: number): boolean {
    const scratch = this.plan.scratch;
    for (;;) {
      if (this.allUniform(p.reads)) {
        p.fn(this.values, scratch, 0, 1);
        this.siteValue = scratch[0];
        return true;
      }
      if (p.cond === null || !this.allUniform(p.cond.c.reads)) break;
      p.cond.c.fn(this.values, scratch, 0, 1);
      const c = scratch[0];
      if (c !== c) {
        this.siteValue = NaN; // as the conditional gives for a NaN condition
        return true;
      }
      p = c !== 0 ? p.cond.a : p.cond.b;
    }
    if (invalidate !== null) invalidate[index] = 0;
    p.fn(this.values, out, offset, this.lanes);
    return false;
  }

  runSteps(steps: LaneStep[]): void {
    const { values, lanes, replaced, inputs, nParameters: N } = this;
    for (let s = 0; s < steps.length; s++) {
      const step = steps[s];
      const slot = step.slot;
      const base = slot * LANES;
      if (step.program === null && step.constant !== undefined) {
        this.setUniform(slot, step.constant);
        if (step.constant - step.constant !== 0) this.markAllBad();
      } else if (step.program === null || (replaced !== null && step.replaceable && replaced[step.inputIndex] === 1)) {
        copyInput(values, base, inputs, this.inputOffset + step.inputIndex, N, lanes);
        this.checkSlot(slot);
      } else if (this.evaluateProgram(step.program, values, base, this.slotUniform, slot)) {
        const v = this.siteValue;
        this.setUniform(slot, v);
        if (v - v !== 0) this.markAllBad();
      } else {
        this.checkSlot(slot);
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
    this.setStateSlot(t);
    this.runSteps(this.plan.stateTimeSteps);
  }

  /**
   * Value of a site for each lane into out[offset + l]; non-finite values mark the lane and count
   * as 0. Returns true when the site has one value for all lanes (a constant, or an expression
   * reading only uniform slots, evaluated once); it is then in `siteValue`, and all LANES lanes of
   * out hold it. With `regions`, a region that already holds that value is not written again.
   */
  site(site: Site, out: Float64Array, offset: number, state: RegionState | null = null, region = 0, checkLanes = true): boolean {
    const ls = this.plan.sites.get(site)!;
    let v: number;
    if (ls.program === null) v = ls.constant!;
    else if (this.evaluateProgram(ls.program, out, offset, state === null ? null : state.uniform, region)) v = this.siteValue;
    else {
      if (checkLanes) checkFinite(out, offset, this.bad, this.lanes); // else the caller checks each lane
      return false;
    }
    if (v - v !== 0) {
      this.markAllBad();
      v = 0;
    }
    this.siteValue = v;
    if (state !== null) {
      if (state.uniform[region] === 1 && same(state.held[region], v)) return true;
      state.uniform[region] = 1;
      state.held[region] = v;
    }
    for (let l = 0; l < LANES; l++) out[offset + l] = v;
    return true;
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

  /**
   * Transition probabilities of the given rows, checked as the scalar evaluator checks them. While
   * a row's probabilities are uniform, their sum, checks and complement are computed once.
   */
  evaluateRows(markov: CompiledMarkov, ws: MarkovLanes, rowIndices: Int32Array): void {
    const rows = markov.rows;
    const lanes = this.lanes;
    const bad = this.bad;
    const sum = ws.sum;
    const regionsOf = ws.probRegions;
    for (let r = 0; r < rowIndices.length; r++) {
      const e = rowIndices[r];
      const row = rows[e];
      const region0 = ws.rowStart[e];
      this.setStateTime(markov.expandedStateTime[e]);
      const p = ws.probs[e];
      let uniformSum = true;
      let scalarSum = 0;
      const sites = row.probabilities;
      for (let j = 0; j < sites.length; j++) {
        const site = sites[j];
        if (site === null) continue;
        const o = j * LANES;
        if (this.site(site, p, o, regionsOf, region0 + j, false)) {
          const v = this.siteValue;
          if (!(v >= -TOL && v <= 1 + TOL)) this.markAllBad();
          if (uniformSum) scalarSum += v;
          else addToLanes(sum, v, lanes);
        } else {
          if (uniformSum) {
            fillLanes(sum, 0, scalarSum, lanes);
            uniformSum = false;
          }
          checkProbabilities(p, o, sum, bad, lanes);
        }
      }
      if (row.complement >= 0) {
        const o = row.complement * LANES;
        const region = region0 + row.complement;
        if (uniformSum) {
          const c = 1 - scalarSum;
          if (c < -TOL) this.markAllBad();
          const v = c < 0 ? 0 : c;
          if (!(regionsOf.uniform[region] === 1 && same(regionsOf.held[region], v))) {
            for (let l = 0; l < LANES; l++) p[o + l] = v;
            regionsOf.uniform[region] = 1;
            regionsOf.held[region] = v;
          }
        } else {
          complementLanes(p, o, sum, bad, lanes);
          regionsOf.uniform[region] = 0;
        }
      } else if (uniformSum) {
        if (Math.abs(scalarSum - 1) > TOL) this.markAllBad();
      } else checkRowSums(sum, bad, lanes);
    }
    this.setStateTime(1);
  }

  stateRewards(markov: CompiledMarkov, ws: MarkovLanes, list: RewardList): void {
    const { states, outcomes, sites } = list;
    const O = this.nOutcomes;
    for (let i = 0; i < sites.length; i++) {
      const e = states[i];
      const region = e * O + outcomes[i];
      this.setStateTime(markov.expandedStateTime[e]);
      this.site(sites[i], ws.rewards, region * LANES, ws.rewardRegions, region);
    }
    this.setStateTime(1);
  }

  /** One-off transition rewards (only those the model has: a missing one is 0 and adds nothing). */
  transitionRewards(markov: CompiledMarkov, ws: MarkovLanes, out: Float64Array[][]): void {
    const { e, j, o, sites } = ws.transitionTerms;
    for (let i = 0; i < sites.length; i++) {
      this.setStateTime(markov.expandedStateTime[e[i]]);
      this.site(sites[i], out[e[i]][j[i]], o[i] * LANES, ws.transitionRegions, i);
    }
    this.setStateTime(1);
  }

  /*
   * The scalar loops skip terms whose occupancy (or one-off reward) is 0. Here the terms are added
   * anyway, which gives the same bits: in a lane that passed every check all factors are finite, so
   * a skipped term is ±0, and adding ±0 leaves a sum unchanged (sums start at +0 and, being sums of
   * finite terms rounded to nearest, are never -0). Lanes that failed are recomputed by the scalar
   * evaluator. Likewise (state, outcome) pairs without a reward site are left out: their reward is
   * 0 in every lane.
   */
  occupancy(n: Float64Array, ws: MarkovLanes, out: Float64Array): void {
    const lanes = this.lanes;
    const occ = ws.occupancy;
    for (let o = 0; o < this.nOutcomes; o++) {
      const first = occ.first[o];
      const count = occ.first[o + 1] - first;
      if (uniformFactors(occ, ws.rewardRegions, first, count, ws.coef)) sumOfScaled(out, o * LANES, n, ws.coef, occ, first, count, lanes);
      else sumOfProducts(out, o * LANES, n, ws.rewards, occ, first, count, lanes);
    }
  }

  runMarkov(markov: CompiledMarkov, initial: Float64Array, totals: Float64Array): void {
    const { nCycles, correction, discount } = this.compiled.settings;
    const O = this.nOutcomes;
    const lanes = this.lanes;
    const ws = this.plan.markovs.get(markov)!;
    const { rewards, transitionRewards, weights, g, h, inflow, occupancy: occ, coef } = ws;
    let n = ws.n;
    let next = ws.next;
    n.set(initial);
    const halfCycle = correction === 'half-cycle';
    for (let k = 0; k <= nCycles; k++) {
      if (k > 0) {
        this.setCycle(k);
        this.runCycleSteps();
      }
      if (k === 0) this.stateRewards(markov, ws, ws.allRewards);
      else if (markov.rewardsDynamic) this.stateRewards(markov, ws, ws.dynamicRewards);
      if (k > 0) {
        if (k === 1) this.evaluateRows(markov, ws, ws.allRows);
        else if (markov.matrixDynamic) this.evaluateRows(markov, ws, ws.dynamicRows);
        if (transitionRewards && (k === 1 || markov.matrixDynamic)) this.transitionRewards(markov, ws, transitionRewards);
        if (halfCycle) this.occupancy(n, ws, h);
        // One-off transition rewards on this cycle's flows (from the cohort before the update), in
        // the scalar loop's order: source state, target entry, outcome.
        if (transitionRewards) {
          const { e: te, j: tj, o: to, sites } = ws.transitionTerms;
          const { uniform, held } = ws.transitionRegions;
          for (let i = 0; i < sites.length; i++) {
            const p = ws.probs[te[i]];
            const ne0 = te[i] * LANES;
            const p0 = tj[i] * LANES;
            const o = to[i];
            const d = discount[o][k];
            const r0 = o * LANES;
            if (uniform[i] === 1) addFlowRewardScaled(totals, r0, n, ne0, p, p0, held[i], d, lanes);
            else addFlowReward(totals, r0, n, ne0, p, p0, transitionRewards[te[i]][tj[i]], d, lanes);
          }
        }
        // Cohort update, one target state at a time (each target's inflows in the scalar order).
        const P = ws.probAll;
        const updated = ws.updatedStates;
        for (let u = 0; u < updated.length; u++) {
          const t = updated[u];
          const first = inflow.first[t];
          const count = inflow.first[t + 1] - first;
          if (uniformFactors(inflow, ws.probRegions, first, count, coef)) sumOfScaled(next, t * LANES, n, coef, inflow, first, count, lanes);
          else sumOfProducts(next, t * LANES, n, P, inflow, first, count, lanes);
        }
        const swap = n;
        n = next;
        next = swap;
      }
      if (halfCycle) {
        if (k > 0) {
          this.occupancy(n, ws, g);
          for (let o = 0; o < O; o++) addHalfCycle(totals, g, h, o * LANES, discount[o][k], lanes);
        }
      } else if (weights[k] !== 0) {
        // Occupancy and its weighted, discounted addition to the totals in one pass per outcome.
        const w = weights[k];
        for (let o = 0; o < O; o++) {
          const first = occ.first[o];
          const count = occ.first[o + 1] - first;
          if (uniformFactors(occ, ws.rewardRegions, first, count, coef)) addWeightedSumOfScaled(totals, o * LANES, w, discount[o][k], n, coef, occ, first, count, lanes, ws.sum);
          else addWeightedSumOfProducts(totals, o * LANES, w, discount[o][k], n, rewards, occ, first, count, lanes, ws.sum);
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
    const totals = this.plan.totals.fill(0);
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
