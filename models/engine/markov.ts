/**
 * Markov cohort engine.
 *
 * Timing convention (the one of Briggs, Claxton & Sculpher 2006, Example 2.5, and heemod): the
 * trace n_0..n_N holds state membership at cycle boundaries; the transition into n_k uses
 * parameters evaluated at `cycle = k` (k = 1..N). State rewards v(k) are evaluated at `cycle = k`
 * and the discounted reward curve is f(k) = Σ_s n_k[s] · v_s(k) · d(k), with d(k) the discount factor
 * at time k · cycle length. The within-cycle correction decides how f is summed
 * (see `withinCycleWeights`). One-off transition rewards are counted at the end of the cycle in
 * which the transition happens, discounted by d(k), whatever the correction.
 *
 * Tunnel states are expanded into `tunnelLength` sub-states that carry `state_time` = 1..L.
 */
import type { MarkovModel, ModelFile } from '../schema/model-file';
import { type ModelIssue, issue } from '../schema/model-issue';
import { type ExpressionCache, type JsonPath, type ParameterProgram, type Site, compileSite, constantSite } from './parameters';

export type CompiledRow = {
  /** Expanded target index per entry. */
  targets: Int32Array;
  /** Probability sites; the complement entry has null. */
  probabilities: (Site | null)[];
  complement: number; // entry index of the complement, -1 if none
  /** One-off rewards per entry per outcome (null = none). */
  rewards: (Site | null)[][] | null;
  /** JSON paths of each entry's transition (for errors). */
  paths: JsonPath[];
  fromState: string;
  dynamic: boolean;
};

export type CompiledMarkov = {
  id: string;
  index: number;
  stateIds: string[];
  /** Expanded states: the model state index and state_time (1-based) of each. */
  expandedState: Int32Array;
  expandedStateTime: Int32Array;
  /** First expanded index of each state (entering a tunnel state enters its first position). */
  entryIndex: Int32Array;
  rows: CompiledRow[];
  /** State reward sites per expanded state per outcome (null = 0). */
  stateRewards: (Site | null)[][];
  initial: (Site | null)[] | null;
  initialPath: JsonPath;
  matrixDynamic: boolean;
  rewardsDynamic: boolean;
  usesStateTime: boolean;
};

export function compileMarkov(
  model: ModelFile,
  markovIndex: number,
  program: ParameterProgram,
  cache: ExpressionCache,
  issues: ModelIssue[],
): CompiledMarkov | null {
  const markov: MarkovModel = model.markovModels[markovIndex];
  const base: (string | number)[] = ['markovModels', markovIndex];
  const outcomeIds = model.outcomes.map((o) => o.id);
  const outcomeIndex = new Map(outcomeIds.map((id, i) => [id, i]));
  const before = issues.length;

  const stateIndex = new Map<string, number>();
  markov.states.forEach((s, i) => {
    if (stateIndex.has(s.id)) issues.push(issue([...base, 'states', i, 'id'], `duplicate state id '${s.id}'`));
    else stateIndex.set(s.id, i);
  });

  // Expand tunnel states.
  const expandedState: number[] = [];
  const expandedStateTime: number[] = [];
  const entryIndex = new Int32Array(markov.states.length);
  markov.states.forEach((s, i) => {
    entryIndex[i] = expandedState.length;
    const length = s.tunnelLength ?? 1;
    for (let t = 1; t <= length; t++) {
      expandedState.push(i);
      expandedStateTime.push(t);
    }
  });
  const nExpanded = expandedState.length;
  if (nExpanded > 5000) {
    issues.push(issue([...base, 'states'], `the model expands to ${nExpanded} states with its tunnels; the limit is 5000`));
    return null;
  }

  const rewardSites = (rewards: Record<string, number | string> | undefined, path: JsonPath): (Site | null)[] => {
    const sites: (Site | null)[] = outcomeIds.map(() => null);
    for (const [outcome, value] of Object.entries(rewards ?? {})) {
      const o = outcomeIndex.get(outcome);
      if (o === undefined) {
        issues.push(issue([...path, outcome], `unknown outcome '${outcome}' (outcomes are: ${outcomeIds.join(', ')})`));
        continue;
      }
      sites[o] = compileSite(value, [...path, outcome], program, cache, issues);
    }
    return sites;
  };

  // Outgoing transitions per state.
  type Out = { to: number; probability: number | string; rewards?: Record<string, number | string>; path: JsonPath };
  const outgoing: Out[][] = markov.states.map(() => []);
  const seenPairs = new Set<string>();
  markov.transitions.forEach((t, j) => {
    const path = [...base, 'transitions', j];
    const from = stateIndex.get(t.from);
    const to = stateIndex.get(t.to);
    if (from === undefined) issues.push(issue([...path, 'from'], `unknown state '${t.from}'`));
    if (to === undefined) issues.push(issue([...path, 'to'], `unknown state '${t.to}'`));
    if (from === undefined || to === undefined) return;
    const key = `${from}>${to}`;
    if (seenPairs.has(key)) {
      issues.push(issue(path, `a second transition from '${t.from}' to '${t.to}'; combine them into one`));
      return;
    }
    seenPairs.add(key);
    outgoing[from].push({ to, probability: t.probability, rewards: t.rewards, path });
  });
  markov.states.forEach((s, i) => {
    const complements = outgoing[i].filter((o) => o.probability === 'C');
    if (complements.length > 1) issues.push(issue([...base, 'states', i], `state '${s.id}' has ${complements.length} transitions with probability "C"; at most one may be the complement`));
  });

  // Rows per expanded state. Sites are compiled once per model state and shared by its tunnel positions.
  const rows: CompiledRow[] = new Array(nExpanded);
  const stateRewards: (Site | null)[][] = new Array(nExpanded);
  let matrixDynamic = false;
  let rewardsDynamic = false;
  let usesStateTime = false;
  markov.states.forEach((s, i) => {
    const outs = outgoing[i];
    const probabilities = outs.map((o) => (o.probability === 'C' ? null : compileSite(o.probability, [...o.path, 'probability'], program, cache, issues)));
    const hasRewards = outs.some((o) => o.rewards && Object.keys(o.rewards).length > 0);
    const rewards = hasRewards ? outs.map((o) => rewardSites(o.rewards, [...o.path, 'rewards'])) : null;
    const complement = outs.findIndex((o) => o.probability === 'C');
    const paths = outs.map((o) => [...o.path, 'probability']);
    const sRewards = rewardSites(s.rewards, [...base, 'states', i, 'rewards']);
    const siteList = [...probabilities, ...(rewards ?? []).flat(), ...sRewards];
    const dynamic = probabilities.some((p) => p !== null && (p.timeDependent || p.stateTimeDependent));
    const stateTimeHere = siteList.some((p) => p !== null && p.stateTimeDependent);
    if (stateTimeHere && !s.tunnelLength) {
      issues.push(issue([...base, 'states', i], `expressions for state '${s.id}' use state_time, but the state has no tunnelLength (state_time is tracked only in tunnel states)`));
    }
    usesStateTime ||= stateTimeHere;
    matrixDynamic ||= dynamic || (rewards ?? []).flat().some((r) => r !== null && (r.timeDependent || r.stateTimeDependent));
    rewardsDynamic ||= sRewards.some((r) => r !== null && (r.timeDependent || r.stateTimeDependent));
    const length = s.tunnelLength ?? 1;
    for (let t = 1; t <= length; t++) {
      const e = entryIndex[i] + t - 1;
      const targets = new Int32Array(outs.length);
      outs.forEach((o, k) => {
        // Staying in a tunnel state moves one position along; the last position repeats.
        targets[k] = o.to === i && length > 1 ? entryIndex[i] + Math.min(t, length - 1) : entryIndex[o.to];
      });
      rows[e] = { targets, probabilities, complement, rewards, paths, fromState: s.id, dynamic };
      stateRewards[e] = sRewards;
    }
    if (outs.length === 0) {
      // No outgoing transitions: the state is absorbing.
      for (let t = 1; t <= length; t++) {
        const e = entryIndex[i] + t - 1;
        rows[e] = {
          targets: Int32Array.of(length > 1 ? entryIndex[i] + Math.min(t, length - 1) : e),
          probabilities: [constantSite(1, [...base, 'states', i])],
          complement: -1,
          rewards: null,
          paths: [[...base, 'states', i]],
          fromState: s.id,
          dynamic: false,
        };
      }
    }
  });

  let initial: (Site | null)[] | null = null;
  if (markov.initial) {
    initial = new Array(nExpanded).fill(null);
    for (const [stateId, value] of Object.entries(markov.initial)) {
      const s = stateIndex.get(stateId);
      if (s === undefined) {
        issues.push(issue([...base, 'initial', stateId], `unknown state '${stateId}'`));
        continue;
      }
      initial[entryIndex[s]] = compileSite(value, [...base, 'initial', stateId], program, cache, issues);
    }
  }

  if (issues.length > before) return null;
  return {
    id: markov.id,
    index: markovIndex,
    stateIds: markov.states.map((s) => s.id),
    expandedState: Int32Array.from(expandedState),
    expandedStateTime: Int32Array.from(expandedStateTime),
    entryIndex,
    rows,
    stateRewards,
    initial,
    initialPath: [...base, 'initial'],
    matrixDynamic,
    rewardsDynamic,
    usesStateTime,
  };
}
