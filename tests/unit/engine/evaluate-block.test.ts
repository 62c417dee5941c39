/**
 * The block (lane) evaluator against the scalar one: totals must be bit-identical for every lane,
 * on the reference and example models over seeded PSA draws built exactly as runPsa builds them,
 * and on random models (tunnels, state_time, time-dependent rows and rewards, transition rewards,
 * every within-cycle correction, conditionals, trees entering Markov models). Lanes that fail a
 * check must give the scalar evaluator's error.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileModel, type CompiledModel } from '../../../models/engine/compile-model';
import { evaluateStrategy } from '../../../models/engine/evaluate';
import { LANES, evaluateStrategyBlock } from '../../../models/engine/evaluate-block';
import { parameterBaseValues } from '../../../models/analyses/dsa';
import { drawParameters, preparePsa } from '../../../models/psa/draw-parameters';
import { ModelError } from '../../../models/schema/model-issue';
import { parseModelJson, parseModelText } from '../../../models/schema/parse-model';
import type { ModelFile } from '../../../models/schema/model-file';
import { buildModel } from '../../helpers/model-builder';
import { mulberry32 } from '../../helpers/seeded-random';

const root = join(__dirname, '..', '..', '..');

function load(path: string): ModelFile {
  const parsed = parseModelText(readFileSync(join(root, path), 'utf8'));
  if (!parsed.ok) throw new Error(`${path}: ${JSON.stringify(parsed.issues)}`);
  return parsed.model;
}

/** Inputs as PsaEvaluator builds them: lane-major draws and the shared `replaced` flags. */
function psaInputs(model: ModelFile, compiled: CompiledModel, seed: number, from: number, count: number) {
  const base = parameterBaseValues(compiled);
  const specs = model.parameters.map((p, i) => ({ id: p.id, baseValue: base[i], distribution: p.distribution }));
  const prepared = preparePsa(specs, model.correlations);
  if ('errors' in prepared) throw new Error(JSON.stringify(prepared.errors));
  const N = model.parameters.length;
  const replaced = new Uint8Array(N);
  let anyReplaced = false;
  model.parameters.forEach((p, i) => {
    if (typeof p.value !== 'number' && p.distribution && p.distribution.type !== 'fixed') {
      replaced[i] = 1;
      anyReplaced = true;
    }
  });
  const values = new Float64Array(count * N);
  for (let r = 0; r < count; r++) drawParameters(prepared, seed, from + r, values.subarray(r * N, (r + 1) * N));
  return { values, replaced: anyReplaced ? replaced : null, N };
}

type Outcome = { totals: Float64Array } | { error: string };

function scalarLane(compiled: CompiledModel, s: number, values: Float64Array, replaced: Uint8Array | null, N: number, lane: number): Outcome {
  try {
    const totals = evaluateStrategy(compiled, compiled.strategies[s], { values: values.slice(lane * N, (lane + 1) * N), replaced }).totals;
    return { totals };
  } catch (error) {
    if (error instanceof ModelError) return { error: error.message };
    throw error;
  }
}

/** Compares block vs scalar for every strategy and lane; returns the number of lanes compared. */
function compare(model: ModelFile, seed: number, count: number, variant = {}, onlyFailingLanesFallBack = true): { lanes: number; errors: number; fallbacks: number } {
  const compiled = compileModel(model, variant);
  const { values, replaced, N } = psaInputs(model, compiled, seed, 0, count);
  const O = compiled.outcomeIds.length;
  let errors = 0;
  let totalFallbacks = 0;
  for (let s = 0; s < compiled.strategies.length; s++) {
    const strategy = compiled.strategies[s];
    const expected = Array.from({ length: count }, (_, l) => scalarLane(compiled, s, values, replaced, N, l));
    const out = new Float64Array(count * O);
    // Failing lanes go through the scalar callback; record their errors instead of stopping.
    const failed = new Map<number, string>();
    let fallbacks = 0;
    evaluateStrategyBlock(compiled, strategy, { values, replaced }, count, out, (lane) => {
      fallbacks++;
      const r = scalarLane(compiled, s, values, replaced, N, lane);
      if ('error' in r) {
        failed.set(lane, r.error);
        return new Float64Array(O).fill(NaN);
      }
      return r.totals;
    });
    const mismatches: string[] = [];
    const errorsBefore = errors;
    for (let l = 0; l < count; l++) {
      const e = expected[l];
      if ('error' in e) {
        errors++;
        if (failed.get(l) !== e.error) mismatches.push(`lane ${l}: expected error ${e.error}, got ${failed.get(l)}`);
        continue;
      }
      for (let o = 0; o < O; o++) {
        const got = out[l * O + o];
        if (!Object.is(got, e.totals[o])) mismatches.push(`strategy ${strategy.id} lane ${l} outcome ${compiled.outcomeIds[o]}: ${got} vs ${e.totals[o]}`);
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    // Only the lanes the scalar evaluator rejects leave the block path.
    if (onlyFailingLanesFallBack) expect(fallbacks).toBe(errors - errorsBefore);
    totalFallbacks += fallbacks;
  }
  return { lanes: count, errors, fallbacks: totalFallbacks };
}

describe('evaluateStrategyBlock: bit-identical to evaluateStrategy on seeded PSA draws', () => {
  const models = [
    'tests/reference/chancellor-hiv.model.json',
    'tests/reference/thr-briggs.model.json',
    'tests/reference/evans-migraine.model.json',
    'models/examples/lit-vs-systemic.model.json',
    'models/examples/id-vaccine-dose-sparing.model.json',
  ];
  for (const path of models) {
    it(path, () => {
      const model = load(path);
      // 500 draws: several full chunks of LANES plus a partial one.
      const { errors } = compare(model, 20240611, 500);
      expect(errors).toBe(0);
      // Scenarios and subgroups change the parameter programs (overrides).
      for (const sc of model.scenarios) compare(model, 7, 130, { scenario: sc.id });
      for (const sg of model.subgroups) compare(model, 11, 130, { subgroup: sg.id });
    });
  }
});

describe('evaluateStrategyBlock: lanes that fail validation', () => {
  it('a failing lane gives the scalar error, the others the block totals, in lane order', () => {
    const model = load('tests/reference/chancellor-hiv.model.json');
    const compiled = compileModel(model);
    const { values, replaced, N } = psaInputs(model, compiled, 1, 0, 200);
    const idx = model.parameters.findIndex((p) => p.id === 'rr_comb');
    values[5 * N + idx] = 50; // transition probabilities above 1
    values[140 * N + idx] = NaN;
    const comb = compiled.strategies.findIndex((s) => s.id === 'comb' || s.index === 1);
    const strategy = compiled.strategies[comb];
    const O = compiled.outcomeIds.length;
    const lanesCalled: number[] = [];
    const out = new Float64Array(200 * O);
    evaluateStrategyBlock(compiled, strategy, { values, replaced }, 200, out, (lane) => {
      lanesCalled.push(lane);
      return new Float64Array(O).fill(-1);
    });
    expect(lanesCalled).toEqual([5, 140]);
    // The default fallback throws the scalar error for the first failing lane.
    const scalar = scalarLane(compiled, comb, values, replaced, N, 5);
    expect('error' in scalar).toBe(true);
    expect(() => evaluateStrategyBlock(compiled, strategy, { values, replaced }, 200, out)).toThrow((scalar as { error: string }).error);
  });
});

// --- random models --------------------------------------------------------------------------

/**
 * A random model with drawn parameters: 2-6 states (some tunnels, whose rows and rewards may use
 * state_time), probabilities that decay with cycle or use conditionals and functions, one-off
 * transition costs, a random within-cycle correction, and a second strategy that enters the
 * Markov model through a chance tree. Invalid draws (probabilities above 1) happen sometimes and
 * must give the scalar error.
 */
function randomModel(seed: number, fixedShare = 0, bareShare = 0): unknown {
  const r = mulberry32(seed);
  const n = 2 + Math.floor(r() * 5);
  const s = (i: number) => `S${i}`;
  const corrections = ['none', 'beginning', 'half-cycle', 'trapezoidal', 'simpson'];
  const cycleYears = [1, 1 / 12, 0.5][Math.floor(r() * 3)];
  const cycles = 1 + Math.floor(r() * 40);
  const parameters: Record<string, unknown>[] = [
    { id: 'decay', value: r() * 0.1, distribution: { type: 'gamma', mean: 0.05, se: 0.02 } },
    { id: 'slope', value: r() * 50 },
    { id: 'hr', value: 0.8, distribution: { type: 'lognormal', meanlog: Math.log(0.8), sdlog: 0.2 } },
    { id: 'shape', value: 1 + r(), distribution: { type: 'normal', mean: 1.2, sd: 0.1 } },
    { id: 'ramp', value: 'if(cycle > 3, 1, 0.5 + cycle / 8)' },
    { id: 'weib', value: '1 - exp(-(0.01 * time) ^ shape + (0.01 * max(time - cycle_years, 0)) ^ shape)' },
    { id: 'p_entry', value: 0.3 + 0.4 * r(), distribution: { type: 'beta', alpha: 30, beta: 40 } },
  ];
  const tunnels = Array.from({ length: n }, () => (r() < 0.3 ? 2 + Math.floor(r() * 4) : 0));
  const transitions: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    transitions.push({ from: s(i), to: s(i), probability: 'C' });
    const targets = Array.from({ length: n }, (_, j) => j).filter((j) => j !== i && r() < 0.6);
    const budget = 0.2 + 0.5 * r();
    targets.forEach((j) => {
      const base = (budget / targets.length) * r();
      const id = `p_${i}_${j}`;
      // With fixedShare > 0 some probabilities are not drawn: the same in every lane, which the
      // block evaluator computes once per chunk (uniform lanes) and must still give bit for bit.
      const drawn = fixedShare === 0 || r() >= fixedShare;
      parameters.push(drawn ? { id, value: base, distribution: { type: 'beta', alpha: 1 + 20 * base, beta: 20 * (1 - base) + 1 } } : { id, value: base });
      const forms = [
        `${id} / (1 + decay * cycle)`,
        `apply_hr(${id}, hr) * ramp`,
        `min(${id} + weib / 4, 0.95 / ${targets.length})`,
        tunnels[i] ? `${id} * state_time / ${tunnels[i]}` : `rate_to_prob(prob_to_rate(${id}), 1)`,
        `cycle < 5 ? ${id} : ${id} * 0.9`,
      ];
      const t: Record<string, unknown> = { from: s(i), to: s(j), probability: forms[Math.floor(r() * forms.length)] };
      if (r() < 0.3) t.rewards = { cost: r() < 0.5 ? Math.round(r() * 1000) : `${Math.round(r() * 1000)} * (1 + decay * cycle)` };
      transitions.push(t);
    });
  }
  const initialRaw = Array.from({ length: n }, () => r());
  const total = initialRaw.reduce((a, b) => a + b, 0);
  const json = {
    schemaVersion: 1,
    metadata: { name: `random ${seed}` },
    settings: {
      cycleLength: { value: cycleYears, unit: 'years' },
      timeHorizon: { value: cycleYears * cycles, unit: 'years' },
      discountRates: { costs: Math.round(r() * 8) / 100, effects: Math.round(r() * 5) / 100 },
      withinCycleCorrection: corrections[Math.floor(r() * corrections.length)],
      wtpThresholds: [1000],
      costOutcome: 'cost',
      effectOutcome: 'qaly',
    },
    outcomes: [
      { id: 'cost', discount: 'costs' },
      { id: 'qaly', discount: 'effects' },
      { id: 'ly', discount: 'none' },
    ],
    parameters,
    markovModels: [
      {
        id: 'm',
        states: Array.from({ length: n }, (_, i) => ({
          id: s(i),
          ...(tunnels[i] ? { tunnelLength: tunnels[i] } : {}),
          // With bareShare > 0 some states have no rewards: the block evaluator skips the cohort
          // update of states that feed no rewarded state, and must keep those that do.
          rewards:
            bareShare > 0 && r() < bareShare
              ? {}
              : {
                  cost: tunnels[i] && r() < 0.5 ? `${Math.round(r() * 5000)} / state_time` : `${Math.round(r() * 5000)} + slope * cycle`,
                  qaly: `${r().toFixed(3)} * cycle_years`,
                  ...(r() < 0.5 ? { ly: 1 } : {}),
                },
        })),
        transitions,
        initial: Object.fromEntries(initialRaw.map((v, i) => [s(i), i === n - 1 ? `1 - ${initialRaw.slice(0, -1).map((x) => x / total).join(' - ') || '0'}` : v / total])),
      },
    ],
    trees: [
      {
        id: 't',
        root: {
          id: 'root',
          kind: 'chance',
          branches: [
            { probability: 'p_entry', rewards: { cost: 'slope * 10' }, node: { id: 'ta', kind: 'terminal', rewards: { qaly: 0.1 }, markov: { model: 'm', state: s(0) } } },
            { probability: 'C', node: { id: 'tb', kind: 'terminal', rewards: { cost: 100 }, markov: { model: 'm', state: s(n - 1) } } },
          ],
        },
      },
    ],
    strategies: [
      { id: 'markov', name: 'markov', entry: { kind: 'markov', model: 'm' } },
      { id: 'tree', name: 'tree', entry: { kind: 'tree', tree: 't' }, overrides: { hr: 1 } },
    ],
  };
  return json;
}

describe('evaluateStrategyBlock: random models', () => {
  it('bit-identical totals (or the same error) on 60 random models x 150 draws', () => {
    let errors = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const parsed = parseModelJson(randomModel(seed));
      if (!parsed.ok) throw new Error(`seed ${seed}: ${JSON.stringify(parsed.issues).slice(0, 500)}`);
      errors += compare(parsed.model, seed * 31, 150).errors;
    }
    // Some draws are invalid (probabilities above 1); the comparison above checked they give the scalar error.
    expect(errors).toBeGreaterThan(0);
  });

  it('bit-identical totals on 40 random models where most probabilities are not drawn (uniform lanes)', () => {
    let lanes = 0;
    for (let seed = 101; seed <= 140; seed++) {
      const parsed = parseModelJson(randomModel(seed, 0.7));
      if (!parsed.ok) throw new Error(`seed ${seed}: ${JSON.stringify(parsed.issues).slice(0, 500)}`);
      lanes += compare(parsed.model, seed * 17, LANES + 44).lanes; // two chunks: a full one and a partial one
    }
    expect(lanes).toBeGreaterThan(0);
  });

  it('bit-identical totals on 40 random models where some states have no rewards (skipped cohort updates)', () => {
    let lanes = 0;
    for (let seed = 201; seed <= 240; seed++) {
      const parsed = parseModelJson(randomModel(seed, 0.3, 0.4));
      if (!parsed.ok) throw new Error(`seed ${seed}: ${JSON.stringify(parsed.issues).slice(0, 500)}`);
      lanes += compare(parsed.model, seed * 13, 150).lanes;
    }
    expect(lanes).toBeGreaterThan(0);
  });

  it('a second block on the same compiled model gives the scalar totals (no state kept from the first)', () => {
    // The block evaluator remembers which buffers hold one value for all lanes; a later call with
    // other draws (here: other seeds, then a shorter chunk) must not reuse anything stale.
    for (const seed of [7, 8]) {
      const parsed = parseModelJson(randomModel(seed, 0.5));
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
      const compiled = compileModel(parsed.model);
      const O = compiled.outcomeIds.length;
      for (const [drawSeed, count] of [[1, LANES + 22], [2, 150], [3, 37], [1, LANES + 22]] as const) {
        const { values, replaced, N } = psaInputs(parsed.model, compiled, drawSeed, 0, count);
        compiled.strategies.forEach((strategy, s) => {
          const out = new Float64Array(count * O);
          const failed = new Set<number>();
          evaluateStrategyBlock(compiled, strategy, { values, replaced }, count, out, (lane) => {
            failed.add(lane);
            return new Float64Array(O).fill(NaN);
          });
          for (let l = 0; l < count; l++) {
            const expected = scalarLane(compiled, s, values, replaced, N, l);
            if ('error' in expected) expect(failed.has(l)).toBe(true);
            else expect(Array.from(out.subarray(l * O, (l + 1) * O))).toEqual(Array.from(expected.totals));
          }
        });
      }
    }
  });

  it('LANES is a sensible block size', () => {
    expect(LANES).toBeGreaterThanOrEqual(16);
  });
});

describe('evaluateStrategyBlock: lookups that throw', () => {
  const model = (probability: string) =>
    buildModel({
      settings: { timeHorizon: { value: 5, unit: 'years' }, discountRates: { costs: 0.035, effects: 0.035 }, withinCycleCorrection: 'half-cycle', wtpThresholds: [1000] },
      parameters: [{ id: 'x', value: 5, distribution: { type: 'normal', mean: 5, sd: 4 } }],
      tables: [{ id: 't', keys: ['k'], match: 'linear', outOfRange: 'error', rows: [[0, 0.1], [5, 0.15], [10, 0.3]] }],
      markovModels: [
        {
          id: 'm',
          states: [
            { id: 'well', rewards: { cost: 100, qaly: 1 } },
            { id: 'dead', rewards: {} },
          ],
          transitions: [
            { from: 'well', to: 'dead', probability },
            { from: 'well', to: 'well', probability: 'C' },
            { from: 'dead', to: 'dead', probability: 1 },
          ],
          initial: { well: 1, dead: 0 },
        },
      ],
      strategies: [{ id: 's', name: 's', entry: { kind: 'markov', model: 'm' } }],
    });

  it('an out-of-range key in an arm no lane takes in the scalar path changes nothing', () => {
    // Lanes with x outside 0..10 take the constant arm; the block path evaluates the lookup for
    // them too (it throws), so the chunk is redone by the scalar evaluator: same totals.
    const { errors, fallbacks } = compare(model('if(x > 0 && x < 10, lookup(t, x), 0.05)'), 3, 300, {}, false);
    expect(errors).toBe(0);
    expect(fallbacks).toBeGreaterThan(0);
  });

  it('an out-of-range key that the scalar evaluator reaches throws its error', () => {
    const m = model('lookup(t, x)');
    const compiled = compileModel(m);
    const { values, replaced, N } = psaInputs(m, compiled, 3, 0, 300);
    let first = -1;
    for (let l = 0; l < 300 && first < 0; l++) if (!(values[l * N] >= 0 && values[l * N] <= 10)) first = l;
    expect(first).toBeGreaterThanOrEqual(0);
    let scalarError = '';
    try {
      evaluateStrategy(compiled, compiled.strategies[0], { values: values.slice(first * N, (first + 1) * N), replaced });
    } catch (error) {
      scalarError = (error as Error).message;
    }
    expect(scalarError).toMatch(/outside table t's range/);
    expect(() => evaluateStrategyBlock(compiled, compiled.strategies[0], { values, replaced }, 300, new Float64Array(300 * 2))).toThrow(scalarError);
  });
});
