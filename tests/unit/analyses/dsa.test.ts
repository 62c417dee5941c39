/**
 * One-way and two-way DSA. Expected values come from direct base-case runs of the same model with
 * the parameter's value changed in the file (the definition of a one-way DSA), or from algebra on
 * models small enough to solve by hand.
 */
import { describe, expect, it } from 'vitest';
import { parseModelJson } from '../../../models/schema/parse-model';
import type { ModelFile } from '../../../models/schema/model-file';
import { ModelError } from '../../../models/schema/model-issue';
import { runBaseCase } from '../../../models/analyses/base-case';
import { runOneWayDsa, runTwoWayDsa, parameterBaseValues } from '../../../models/analyses/dsa';
import { compileModel } from '../../../models/engine/compile-model';
import { loadModelFile } from '../../helpers/load';
import { buildModel } from '../../helpers/model-builder';

/** Two strategies on a one-terminal tree: cost and QALYs are plain parameters (solvable by hand). */
function linearModel(extra: Record<string, unknown>[] = [], overridesB: Record<string, string | number> = {}): ModelFile {
  return buildModel({
    settings: { timeHorizon: { value: 1, unit: 'years' }, wtpThresholds: [20000, 30000] },
    parameters: [
      { id: 'cost_a', value: 1000, low: 800, high: 1200 },
      { id: 'cost_b', value: 5000, low: 4000, high: 7000 },
      { id: 'qaly_a', value: 1 },
      { id: 'p_response', value: 0.4, low: 0.2, high: 0.6 },
      { id: 'cost_arm', value: 'cost_a' },
      { id: 'qaly_arm', value: 'qaly_a' },
      ...extra,
    ],
    trees: [{ id: 't', root: { kind: 'terminal', id: 'end', rewards: { cost: 'cost_arm', qaly: 'qaly_arm' } } }],
    strategies: [
      { id: 'A', name: 'A', entry: { kind: 'tree', tree: 't' } },
      { id: 'B', name: 'B', entry: { kind: 'tree', tree: 't' }, overrides: { cost_arm: 'cost_b', qaly_arm: 'qaly_a + p_response', ...overridesB } },
    ],
  });
}

function withValue(model: ModelFile, id: string, value: number): ModelFile {
  const copy = structuredClone(model);
  copy.parameters.find((p) => p.id === id)!.value = value;
  return copy;
}

function icerOf(model: ModelFile, strategy: string): number {
  return runBaseCase(model, {}, { detail: false }).incremental.find((r) => r.id === strategy)!.icer!;
}

describe('one-way DSA on Chancellor (Briggs et al. 2006, Example 2.5)', () => {
  const model = loadModelFile('tests/reference/chancellor-hiv.model.json');

  it('rr_comb low/high move the ICER in the right direction, matching direct base-case runs', () => {
    const r = runOneWayDsa(model, { outcome: 'icer' });
    expect(r.metric).toEqual({ kind: 'icer', strategy: 'comb', comparator: 'mono' });
    const row = r.rows.find((x) => x.parameter === 'rr_comb')!;
    // Range from the file: 0.365-0.71 (the 95% CI used in Briggs et al. ch. 4).
    expect([row.low, row.high, row.source]).toEqual([0.365, 0.71, 'file']);
    // Base ICER of the reference case (tests/reference, Briggs Example 2.5 ≈ £6,276/LY).
    expect(r.base).toBeCloseTo(icerOf(model, 'comb'), 9);
    expect(r.base).toBeCloseTo(6276, 0);
    // A smaller relative risk means a more effective combination: lower ICER; a larger one: higher.
    expect(row.outcomeLow).toBeLessThan(r.base);
    expect(row.outcomeHigh).toBeGreaterThan(r.base);
    // Same numbers as a base case with rr_comb written into the file.
    expect(row.outcomeLow).toBe(icerOf(withValue(model, 'rr_comb', 0.365), 'comb'));
    expect(row.outcomeHigh).toBe(icerOf(withValue(model, 'rr_comb', 0.71), 'comb'));
    expect(row.width).toBe(Math.abs(row.outcomeHigh - row.outcomeLow));
  });

  it('INMB by default, at the first settings threshold', () => {
    const r = runOneWayDsa(model);
    expect(r.metric).toEqual({ kind: 'nmb', strategy: 'comb', comparator: 'mono', wtp: 20000 });
    const b = runBaseCase(model, {}, { detail: false });
    const [mono, comb] = b.strategies;
    expect(r.base).toBeCloseTo((comb.effect - mono.effect) * 20000 - (comb.cost - mono.cost), 6);
  });
});

describe('one-way DSA on a hand-solvable model', () => {
  const model = linearModel();

  it('INMB of B vs A is linear in each parameter; rows sorted by width', () => {
    // INMB = (qaly_a + p - qaly_a)·20000 - (cost_b - cost_a) = 20000 p - cost_b + cost_a.
    const r = runOneWayDsa(model);
    expect(r.base).toBeCloseTo(20000 * 0.4 - 5000 + 1000, 9); // 4000
    const byId = Object.fromEntries(r.rows.map((x) => [x.parameter, x]));
    expect(byId.cost_a.outcomeLow).toBeCloseTo(8000 - 5000 + 800, 9);
    expect(byId.cost_a.outcomeHigh).toBeCloseTo(8000 - 5000 + 1200, 9);
    expect(byId.cost_b.outcomeLow).toBeCloseTo(8000 - 4000 + 1000, 9);
    expect(byId.cost_b.outcomeHigh).toBeCloseTo(8000 - 7000 + 1000, 9);
    expect(byId.p_response.outcomeLow).toBeCloseTo(4000 - 5000 + 1000, 9);
    expect(byId.p_response.outcomeHigh).toBeCloseTo(12000 - 5000 + 1000, 9);
    // Widths: p_response 8000 > cost_b 3000 > cost_a 400.
    expect(r.rows.map((x) => x.parameter)).toEqual(['p_response', 'cost_b', 'cost_a']);
  });

  it('cost, effect and any outcome, plain or incremental', () => {
    expect(runOneWayDsa(model, { outcome: 'cost', strategy: 'B' }).base).toBe(5000);
    expect(runOneWayDsa(model, { outcome: 'effect', strategy: 'B', comparator: 'A' }).base).toBeCloseTo(0.4, 12);
    expect(runOneWayDsa(model, { outcome: 'qaly', strategy: 'A' }).base).toBe(1);
    expect(runOneWayDsa(model, { outcome: 'nmb', strategy: 'A', comparator: null, wtp: 30000 }).base).toBe(30000 - 1000);
    expect(() => runOneWayDsa(model, { outcome: 'nope' })).toThrow(/unknown outcome 'nope'/);
  });

  it('a parameter with a distribution but no range uses its 2.5% and 97.5% quantiles', () => {
    // Lognormal(meanlog ln 1000, sdlog 0.1): quantiles exp(ln 1000 ± 1.959964·0.1).
    const m = linearModel([{ id: 'c_extra', value: 1000, distribution: { type: 'lognormal', meanlog: Math.log(1000), sdlog: 0.1 } }], { cost_arm: 'cost_b + c_extra' });
    const row = runOneWayDsa(m).rows.find((x) => x.parameter === 'c_extra')!;
    expect(row.source).toBe('distribution-95');
    expect(row.low).toBeCloseTo(1000 * Math.exp(-1.959963984540054 * 0.1), 6);
    expect(row.high).toBeCloseTo(1000 * Math.exp(1.959963984540054 * 0.1), 6);
    // INMB falls one for one with B's extra cost.
    expect(row.outcomeLow - row.outcomeHigh).toBeCloseTo(row.high - row.low, 6);
  });

  it('an expression parameter with a range is replaced by the DSA value', () => {
    const m = linearModel([{ id: 'p_expr', value: 'p_response * 1', low: 0.1, high: 0.3 }], { qaly_arm: 'qaly_a + p_expr' });
    expect(parameterBaseValues(compileModel(m))[m.parameters.findIndex((p) => p.id === 'p_expr')]).toBeCloseTo(0.4, 12);
    const row = runOneWayDsa(m).rows.find((x) => x.parameter === 'p_expr')!;
    expect(row.outcomeLow).toBeCloseTo(2000 - 4000, 9);
    expect(row.outcomeHigh).toBeCloseTo(6000 - 4000, 9);
  });

  it('an invalid DSA value gives a ModelError naming the parameter and the value', () => {
    const parsed = parseModelJson({
      ...structuredClone(linearModel()),
      parameters: [...linearModel().parameters, { id: 'p_event', value: 0.5, low: 0.2, high: 1.2 }],
      trees: [
        {
          id: 't',
          root: {
            kind: 'chance',
            id: 'event',
            branches: [
              { probability: 'p_event', node: { kind: 'terminal', id: 'yes', rewards: { cost: 'cost_arm', qaly: 'qaly_arm' } } },
              { probability: 'C', node: { kind: 'terminal', id: 'no', rewards: { cost: 'cost_arm', qaly: 'qaly_arm' } } },
            ],
          },
        },
      ],
    });
    if (!parsed.ok) throw new Error('invalid');
    let error: unknown;
    try {
      runOneWayDsa(parsed.model);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelError);
    const first = (error as ModelError).issues[0];
    expect(first.parameter).toBe('p_event');
    expect(first.message).toContain('p_event = 1.2');
    expect(first.message).toContain('high value');
    expect((error as ModelError).message).toMatch(/between 0 and 1|must be/);
  });
});

describe('two-way DSA', () => {
  it('grid values equal the hand formula INMB = 20000 p - cost_b + cost_a', () => {
    const r = runTwoWayDsa(linearModel(), { parameters: ['p_response', 'cost_b'], steps: [3, 4] });
    expect(r.values1).toEqual([0.2, 0.4, 0.6]);
    expect(r.values2).toEqual([4000, 5000, 6000, 7000]);
    r.values1.forEach((p, i) => r.values2.forEach((c, j) => expect(r.grid[i][j]).toBeCloseTo(20000 * p - c + 1000, 8)));
    expect(r.base).toBeCloseTo(4000, 9);
  });

  it('rejects the same parameter twice and a parameter without a range', () => {
    expect(() => runTwoWayDsa(linearModel(), { parameters: ['cost_a', 'cost_a'] })).toThrow(ModelError);
    expect(() => runTwoWayDsa(linearModel(), { parameters: ['cost_a', 'qaly_a'] })).toThrow(/no DSA range/);
  });
});
