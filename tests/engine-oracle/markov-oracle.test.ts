/**
 * The engine against a slow, obviously correct oracle on random models (as hesim checks its C++
 * engine against a naive R Markov chain). The oracle below shares no code with models/: it builds
 * dense matrices per cycle from the random specification, multiplies with plain loops and sums the
 * reward curve with each within-cycle rule written out from its textbook definition.
 */
import { describe, expect, it } from 'vitest';
import { runBaseCase } from '../../models/analyses/base-case';
import { parseModelJson } from '../../models/schema/parse-model';
import type { ModelFile } from '../../models/schema/model-file';
import { mulberry32 as rng } from '../helpers/seeded-random';

type Spec = {
  n: number;
  cycles: number;
  cycleYears: number;
  correction: 'none' | 'beginning' | 'half-cycle' | 'trapezoidal' | 'simpson';
  rCost: number;
  rEffect: number;
  base: number[][]; // off-diagonal base probabilities; diagonal is the complement
  decay: number; // off-diagonal probabilities are base * 1/(1 + decay * cycle)
  cost: number[];
  costSlope: number; // state cost grows by costSlope * cycle
  utility: number[];
  eventCost: number[][]; // one-off cost on transition i -> j (i != j)
  initial: number[];
};

function randomSpec(seed: number): Spec {
  const r = rng(seed);
  const n = 2 + Math.floor(r() * 5);
  const corrections = ['none', 'beginning', 'half-cycle', 'trapezoidal', 'simpson'] as const;
  const base = Array.from({ length: n }, (_, i) => {
    const row = Array.from({ length: n }, (_, j) => (i === j ? 0 : r() < 0.7 ? r() : 0));
    const total = row.reduce((a, b) => a + b, 0);
    const scale = total > 0 ? (0.2 + 0.6 * r()) / total : 0;
    return row.map((v) => v * scale);
  });
  const initialRaw = Array.from({ length: n }, () => r());
  const initialSum = initialRaw.reduce((a, b) => a + b, 0);
  return {
    n,
    cycles: 1 + Math.floor(r() * 30),
    cycleYears: [1, 1 / 12, 0.5, 7 / 365.25][Math.floor(r() * 4)],
    correction: corrections[Math.floor(r() * corrections.length)],
    rCost: Math.round(r() * 8) / 100,
    rEffect: Math.round(r() * 5) / 100,
    base,
    decay: r() * 0.1,
    cost: Array.from({ length: n }, () => Math.round(r() * 5000)),
    costSlope: r() * 50,
    utility: Array.from({ length: n }, () => r()),
    eventCost: Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i !== j && r() < 0.3 ? Math.round(r() * 1000) : 0))),
    initial: initialRaw.map((v) => v / initialSum),
  };
}

function toModelFile(spec: Spec): ModelFile {
  const s = (i: number) => `S${i}`;
  const parameters = [{ id: 'decay', value: spec.decay }, { id: 'slope', value: spec.costSlope }];
  const transitions: unknown[] = [];
  for (let i = 0; i < spec.n; i++) {
    transitions.push({ from: s(i), to: s(i), probability: 'C' });
    for (let j = 0; j < spec.n; j++) {
      if (i === j || spec.base[i][j] === 0) continue;
      parameters.push({ id: `p_${i}_${j}`, value: spec.base[i][j] });
      const t: Record<string, unknown> = { from: s(i), to: s(j), probability: `p_${i}_${j} / (1 + decay * cycle)` };
      if (spec.eventCost[i][j] > 0) t.rewards = { cost: spec.eventCost[i][j] };
      transitions.push(t);
    }
  }
  const json = {
    schemaVersion: 1,
    metadata: { name: 'random' },
    settings: {
      cycleLength: { value: spec.cycleYears, unit: 'years' },
      timeHorizon: { value: spec.cycleYears * spec.cycles, unit: 'years' },
      discountRates: { costs: spec.rCost, effects: spec.rEffect },
      withinCycleCorrection: spec.correction,
      wtpThresholds: [1000],
      costOutcome: 'cost',
      effectOutcome: 'qaly',
    },
    outcomes: [
      { id: 'cost', discount: 'costs' },
      { id: 'qaly', discount: 'effects' },
    ],
    parameters,
    markovModels: [
      {
        id: 'm',
        states: Array.from({ length: spec.n }, (_, i) => ({
          id: s(i),
          rewards: { cost: `${spec.cost[i]} + slope * cycle`, qaly: `${spec.utility[i]} * cycle_years` },
        })),
        transitions,
        initial: Object.fromEntries(spec.initial.map((v, i) => [s(i), v])),
      },
    ],
    strategies: [{ id: 'only', name: 'only', entry: { kind: 'markov', model: 'm' } }],
  };
  const parsed = parseModelJson(json);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.model;
}

/** The oracle: dense matrices, plain loops, each rule from its definition. */
function oracle(spec: Spec): { cost: number; qaly: number; trace: number[][] } {
  const { n, cycles: N } = spec;
  const matrix = (k: number) =>
    Array.from({ length: n }, (_, i) => {
      const row = Array.from({ length: n }, (_, j) => (i === j ? 0 : spec.base[i][j] / (1 + spec.decay * k)));
      row[i] = 1 - row.reduce((a, b) => a + b, 0);
      return row;
    });
  const trace: number[][] = [spec.initial.slice()];
  let eventCosts = 0;
  for (let k = 1; k <= N; k++) {
    const P = matrix(k);
    const prev = trace[k - 1];
    const next = new Array(n).fill(0);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        next[j] += prev[i] * P[i][j];
        eventCosts += (prev[i] * P[i][j] * spec.eventCost[i][j]) / Math.pow(1 + spec.rCost, k * spec.cycleYears);
      }
    trace.push(next);
  }
  const stateCost = (i: number, k: number) => spec.cost[i] + spec.costSlope * k;
  const stateQaly = (i: number) => spec.utility[i] * spec.cycleYears;
  const d = (r: number, k: number) => 1 / Math.pow(1 + r, k * spec.cycleYears);
  const f = (k: number, which: 'cost' | 'qaly', occupancy = trace[k]) => {
    let total = 0;
    for (let i = 0; i < n; i++) total += occupancy[i] * (which === 'cost' ? stateCost(i, k) : stateQaly(i));
    return total * d(which === 'cost' ? spec.rCost : spec.rEffect, k);
  };
  const integrate = (which: 'cost' | 'qaly') => {
    let total = 0;
    switch (spec.correction) {
      case 'none':
        for (let k = 1; k <= N; k++) total += f(k, which);
        return total;
      case 'beginning':
        for (let k = 0; k < N; k++) total += f(k, which);
        return total;
      case 'trapezoidal':
        for (let k = 1; k <= N; k++) total += (f(k - 1, which) + f(k, which)) / 2;
        return total;
      case 'half-cycle':
        // Cycle k: mean of start and end occupancy, valued at cycle k's reward and discount.
        for (let k = 1; k <= N; k++) total += (f(k, which, trace[k - 1]) + f(k, which)) / 2;
        return total;
      case 'simpson': {
        if (N === 1) return (f(0, which) + f(1, which)) / 2;
        // Simpson's 1/3 on pairs of intervals; an odd count ends with Simpson's 3/8 on three.
        const pairsEnd = N % 2 === 0 ? N : N - 3;
        for (let k = 0; k < pairsEnd; k += 2) total += (f(k, which) + 4 * f(k + 1, which) + f(k + 2, which)) / 3;
        if (pairsEnd !== N) total += (3 / 8) * (f(N - 3, which) + 3 * f(N - 2, which) + 3 * f(N - 1, which) + f(N, which));
        return total;
      }
    }
  };
  return { cost: integrate('cost') + eventCosts, qaly: integrate('qaly'), trace };
}

describe('Markov engine agrees with an independent oracle on random models', () => {
  for (let seed = 1; seed <= 200; seed++) {
    it(`random model ${seed}`, () => {
      const spec = randomSpec(seed);
      const expected = oracle(spec);
      const result = runBaseCase(toModelFile(spec)).strategies[0];
      expect(result.outcomes.cost).toBeCloseTo(expected.cost, 8);
      expect(result.outcomes.qaly).toBeCloseTo(expected.qaly, 10);
      const trace = result.markov![0].trace;
      expected.trace.forEach((row, k) => row.forEach((v, i) => expect(trace[k][i]).toBeCloseTo(v, 12)));
    });
  }
});
