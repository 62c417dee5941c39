/**
 * Budget impact (models/analyses/budget-impact.ts) against hand computations on tiny models, and
 * on the LIT example.
 */
import { describe, expect, it } from 'vitest';
import { runBudgetImpact } from '../../../models/analyses/budget-impact';
import { runBaseCase } from '../../../models/analyses/base-case';
import type { ModelFile } from '../../../models/schema/model-file';
import { ModelError } from '../../../models/schema/model-issue';
import { loadModelFile } from '../../helpers/load';
import { buildModel } from '../../helpers/model-builder';

/** Two strategies whose whole cost is a tree (time-0) cost: A €100, B €250 per patient. */
function treeOnly(): ModelFile {
  return buildModel({
    settings: { timeHorizon: { value: 1, unit: 'years' }, discountRates: { costs: 0.05, effects: 0.05 }, wtpThresholds: [1000] },
    outcomes: [
      { id: 'cost', discount: 'costs' },
      { id: 'cost_drug', label: 'Drug cost', discount: 'costs' },
      { id: 'qaly', discount: 'effects' },
    ],
    parameters: [{ id: 'c', value: 100 }],
    trees: [{ id: 't', root: { kind: 'terminal', id: 'end', rewards: { cost: 'c', cost_drug: 'c / 2', qaly: 1 } } }],
    strategies: [
      { id: 'A', name: 'A', entry: { kind: 'tree', tree: 't' } },
      { id: 'B', name: 'B', entry: { kind: 'tree', tree: 't' }, overrides: { c: 250 } },
    ],
    budgetImpact: {
      years: 2,
      eligiblePopulation: [1000, 2000],
      sharesWithout: { A: [1, 1], B: [0, 0] },
      sharesWith: { A: [0.8, 0.5], B: [0.2, 0.5] },
    },
  });
}

/**
 * Tree cost at time 0 then a Markov state costing a fixed amount per 6-month cycle for 2 years
 * (4 cycles, no within-cycle correction, discounting that the BIA must ignore):
 * A: tree 10 + 50 per cycle → profile [10 + 50 + 50, 50 + 50] = [110, 100];
 * B: tree 40 + 20 per cycle → profile [40 + 20 + 20, 20 + 20] = [80, 40].
 */
function treeThenMarkov(): ModelFile {
  return buildModel({
    settings: { cycleLength: { value: 6, unit: 'months' }, timeHorizon: { value: 2, unit: 'years' }, discountRates: { costs: 0.05, effects: 0.05 }, wtpThresholds: [1000] },
    parameters: [
      { id: 'tree_cost', value: 10 },
      { id: 'cycle_cost', value: 50 },
    ],
    markovModels: [
      {
        id: 'm',
        states: [{ id: 'sick', rewards: { cost: 'cycle_cost', qaly: 0.4 } }],
        transitions: [{ from: 'sick', to: 'sick', probability: 1 }],
      },
    ],
    trees: [{ id: 't', root: { kind: 'terminal', id: 'start', rewards: { cost: 'tree_cost' }, markov: { model: 'm', state: 'sick' } } }],
    strategies: [
      { id: 'A', name: 'A', entry: { kind: 'tree', tree: 't' } },
      { id: 'B', name: 'B', entry: { kind: 'tree', tree: 't' }, overrides: { tree_cost: 40, cycle_cost: 20 } },
    ],
    budgetImpact: {
      years: 2,
      eligiblePopulation: [100, 100],
      sharesWithout: { A: [1, 1] },
      sharesWith: { A: [0.5, 0.5], B: [0.5, 0.5] },
    },
  });
}

describe('budget impact: hand computations', () => {
  it('tree-only model (treat-once, one-year horizon)', () => {
    const r = runBudgetImpact(treeOnly());
    // Year 1: without 1000 × 100 = 100,000; with 1000 × (0.8 × 100 + 0.2 × 250) = 1000 × 130 = 130,000; net 30,000.
    // Year 2: without 2000 × 100 = 200,000; with 2000 × (0.5 × 100 + 0.5 × 250) = 2000 × 175 = 350,000; net 150,000.
    expect(r.strategies.map((s) => s.costProfile)).toEqual([[100], [250]]);
    expect(r.yearly.map((y) => y.costWithout)).toEqual([100_000, 200_000]);
    expect(r.yearly.map((y) => y.costWith)).toEqual([130_000, 350_000]);
    expect(r.yearly.map((y) => y.netImpact)).toEqual([30_000, 150_000]);
    expect(r.totalNetImpact).toBe(180_000);
    expect(r.yearly[1].netImpactPerPatient).toBe(75);
    expect(r.yearly[0].treatedWith).toEqual({ A: 800, B: 200 });
    // Breakdown: the drug cost is half of every cost.
    expect(r.breakdown).toHaveLength(1);
    expect(r.breakdown[0].outcome).toBe('cost_drug');
    expect(r.breakdown[0].years.map((y) => y.netImpact)).toEqual([15_000, 75_000]);
  });

  it('tree then Markov over 2 years: undiscounted cost profile by year since treatment, cohorts overlapping', () => {
    const r = runBudgetImpact(treeThenMarkov());
    expect(r.strategies[0].costProfile).toEqual([110, 100]);
    expect(r.strategies[1].costProfile).toEqual([80, 40]);
    expect(r.strategies[0].treeCost).toBe(10);
    // Year 1: without 100 × 110 = 11,000; with 100 × (0.5 × 110 + 0.5 × 80) = 9,500; net −1,500.
    // Year 2: without = cohort 1 in its 2nd year 100 × 100 + cohort 2 in its 1st year 100 × 110 = 21,000;
    //         with = 100 × (0.5 × 100 + 0.5 × 40) + 100 × (0.5 × 110 + 0.5 × 80) = 7,000 + 9,500 = 16,500; net −4,500.
    expect(r.yearly.map((y) => y.costWithout)).toEqual([11_000, 21_000]);
    expect(r.yearly.map((y) => y.costWith)).toEqual([9_500, 16_500]);
    expect(r.yearly.map((y) => y.netImpact)).toEqual([-1_500, -4_500]);
    expect(r.totalNetImpact).toBe(-6_000);
    // The model's own discounted cost differs (the BIA is undiscounted by design).
    const base = runBaseCase(treeThenMarkov());
    expect(base.strategies[0].cost).toBeLessThan(210);
    expect(base.strategies[0].undiscountedOutcomes.cost).toBeCloseTo(210, 10);
  });

  it('rejects shares that do not sum to 1 and unknown strategies, naming the problem', () => {
    const m = treeOnly();
    m.budgetImpact!.sharesWith = { A: [0.8, 0.5], B: [0.3, 0.5] };
    expect(() => runBudgetImpact(m)).toThrow(/year 1 sum to 1\.1/);
    const m2 = treeOnly();
    m2.budgetImpact!.sharesWith = { A: [1, 1], C: [0, 0] };
    expect(() => runBudgetImpact(m2)).toThrow(ModelError);
    expect(() => runBudgetImpact(m2)).toThrow(/unknown strategy 'C'/);
    const m3 = treeOnly();
    delete m3.budgetImpact;
    expect(() => runBudgetImpact(m3)).toThrow(/no budgetImpact block/);
  });
});

describe('budget impact: LIT example', () => {
  const model = loadModelFile('models/examples/lit-vs-systemic.model.json');

  it('one-year horizon: net impact = N × Δshare(LIT) × (undiscounted LIT cost − systemic cost)', () => {
    const r = runBudgetImpact(model);
    const base = Object.fromEntries(runBaseCase(model).strategies.map((s) => [s.id, s]));
    const delta = base.lit.undiscountedOutcomes.cost - base.systemic.undiscountedOutcomes.cost;
    const spec = model.budgetImpact!;
    r.yearly.forEach((y, t) => {
      const expected = spec.eligiblePopulation[t] * (spec.sharesWith.lit[t] - spec.sharesWithout.lit[t]) * delta;
      expect(y.netImpact).toBeCloseTo(expected, 6);
    });
    // Components add up to the total.
    const components = r.breakdown.reduce((a, b) => a + b.totalNetImpact, 0);
    expect(components).toBeCloseTo(r.totalNetImpact, 6);
  });

  it('5-year horizon scenario: each cohort carries follow-up costs into later budget years', () => {
    const r = runBudgetImpact(model, { scenario: 'horizon_5y' });
    expect(r.strategies[0].costProfile).toHaveLength(5);
    expect(r.strategies[0].costProfile[1]).toBeGreaterThan(0);
    const total = r.strategies.find((s) => s.id === 'lit')!.totalPerPatient;
    const base = runBaseCase(model, { scenario: 'horizon_5y' }).strategies.find((s) => s.id === 'lit')!;
    expect(total).toBeCloseTo(base.undiscountedOutcomes.cost, 8);
  });
});

describe('CLI: budget-impact, report and run --preset/--report', () => {
  const capture = () => {
    const out = { stdout: [] as string[], stderr: [] as string[] };
    return { out, io: { stdout: (t: string) => out.stdout.push(t), stderr: (t: string) => out.stderr.push(t), isTTY: false } };
  };
  const file = 'models/examples/lit-vs-systemic.model.json';

  it('budget-impact --json prints the result; text output has the yearly table', async () => {
    const { budgetImpactCommand } = await import('../../../cli/commands/budget-impact');
    const { out, io } = capture();
    expect(await budgetImpactCommand.run([file, '--json'], io)).toBe(0);
    const result = JSON.parse(out.stdout.join('\n'));
    expect(result.kind).toBe('budget-impact');
    expect(result.yearly).toHaveLength(5);
    const text = capture();
    expect(await budgetImpactCommand.run([file, '--scenario', 'horizon_5y'], text.io)).toBe(0);
    expect(text.out.stdout.join('\n')).toMatch(/Net impact/);
  });

  it('run --preset applies the preset; an unknown preset is an error naming it', async () => {
    const { runCommand } = await import('../../../cli/commands/run');
    const { CliError } = await import('../../../cli/io');
    const { out, io } = capture();
    expect(await runCommand.run([file, '--preset', 'nice', '--json'], io)).toBe(0);
    const result = JSON.parse(out.stdout.join('\n'));
    expect(result.settings.discountRates.costs).toBe(0.035);
    expect(result.settings.wtpThresholds).toEqual([20000, 30000]);
    await expect(runCommand.run([file, '--preset', 'who'], capture().io)).rejects.toThrow(CliError);
    await expect(runCommand.run([file, '--preset', 'who'], capture().io)).rejects.toThrow(/no preset 'who' \(presets: aifa, nice, cda_amc\)/);
  });

  it('run --report and the report command print the summary', async () => {
    const { runCommand } = await import('../../../cli/commands/run');
    const { reportCommand } = await import('../../../cli/commands/report');
    const a = capture();
    expect(await runCommand.run([file, '--report', '--scenario', 'sessions_1'], a.io)).toBe(0);
    expect(a.out.stdout.join('\n')).toMatch(/Summary:/);
    const b = capture();
    expect(await reportCommand.run([file, '--scenario', 'no_interaction_risk', '--no-dsa', '--json'], b.io)).toBe(0);
    const report = JSON.parse(b.out.stdout.join('\n'));
    expect(report.variants.map((v: { scenario: string | null }) => v.scenario)).toEqual([null, 'no_interaction_risk']);
  });
});
