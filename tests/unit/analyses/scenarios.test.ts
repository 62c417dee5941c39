/**
 * Scenario and subgroup analysis. Each scenario/subgroup result must equal the base case of that
 * variant; the weighted total is the normalised-weight mean, with the incremental analysis redone
 * on the means (checked by hand arithmetic).
 */
import { describe, expect, it } from 'vitest';
import type { ModelFile } from '../../../models/schema/model-file';
import { ModelError } from '../../../models/schema/model-issue';
import { runBaseCase } from '../../../models/analyses/base-case';
import { runScenarioAnalysis } from '../../../models/analyses/scenarios';
import { loadModelFile } from '../../helpers/load';
import { buildModel } from '../../helpers/model-builder';

function model(weights: [number, number] = [3, 1]): ModelFile {
  return buildModel({
    settings: { timeHorizon: { value: 1, unit: 'years' } },
    outcomes: [
      { id: 'cost', discount: 'costs' },
      { id: 'qaly', discount: 'effects' },
      { id: 'events', discount: 'none' },
    ],
    parameters: [
      { id: 'cost_arm', value: 1000 },
      { id: 'qaly_arm', value: 1 },
      { id: 'events_arm', value: 2 },
    ],
    trees: [{ id: 't', root: { kind: 'terminal', id: 'end', rewards: { cost: 'cost_arm', qaly: 'qaly_arm', events: 'events_arm' } } }],
    strategies: [
      { id: 'A', name: 'A', entry: { kind: 'tree', tree: 't' } },
      { id: 'B', name: 'B', entry: { kind: 'tree', tree: 't' }, overrides: { cost_arm: 3000, qaly_arm: 1.1, events_arm: 1 } },
    ],
    scenarios: [{ id: 'cheap_b', name: 'B costs 2000', strategyOverrides: { B: { cost_arm: 2000 } } }],
    subgroups: [
      // Young: B gains 0.2 QALY for 2000 (ICER 10,000); old: B gains 0.05 for 2000 (ICER 40,000).
      { id: 'young', name: 'Young', weight: weights[0], strategyOverrides: { B: { qaly_arm: 1.2 } } },
      { id: 'old', name: 'Old', weight: weights[1], strategyOverrides: { B: { qaly_arm: 1.05 } } },
    ],
  });
}

describe('runScenarioAnalysis', () => {
  it('each scenario and subgroup equals the base case of that variant', () => {
    const m = model();
    const r = runScenarioAnalysis(m);
    const direct = runBaseCase(m, { scenario: 'cheap_b' }, { detail: false });
    expect(r.scenarios[0].strategies.map((s) => s.cost)).toEqual(direct.strategies.map((s) => s.cost));
    expect(r.scenarios[0].incremental).toEqual(direct.incremental);
    expect(r.scenarios[0].differenceFromBase).toEqual([
      { id: 'A', cost: 0, effect: 0 },
      { id: 'B', cost: -1000, effect: 0 },
    ]);
    const young = runBaseCase(m, { subgroup: 'young' }, { detail: false });
    expect(r.subgroups[0].incremental).toEqual(young.incremental);
    expect(r.base.incremental).toEqual(runBaseCase(m, {}, { detail: false }).incremental);
  });

  it('weighted total: weights 3:1 normalised to 0.75/0.25; ICER on the weighted means', () => {
    const r = runScenarioAnalysis(model([3, 1]));
    expect(r.subgroups.map((g) => g.normalisedWeight)).toEqual([0.75, 0.25]);
    const total = r.weightedTotal!;
    const b = total.strategies.find((s) => s.id === 'B')!;
    // QALY of B: 0.75·1.2 + 0.25·1.05 = 1.1625; cost 3000; events 1.
    expect(b.effect).toBeCloseTo(1.1625, 12);
    expect(b.cost).toBe(3000);
    expect(b.outcomes.events).toBe(1);
    // ICER = 2000 / 0.1625 = 12,307.69..., not the weighted mean of the subgroup ICERs (17,500).
    const icer = total.incremental.find((x) => x.id === 'B')!.icer!;
    expect(icer).toBeCloseTo(2000 / 0.1625, 6);
    expect(total.netBenefit[0].optimal).toBe('B');
  });

  it('all-zero weights are an error', () => {
    expect(() => runScenarioAnalysis(model([0, 0]))).toThrow(ModelError);
  });

  it('THR benchmark model: scenarios and the two subgroups run; Chancellor has none', () => {
    const thr = runScenarioAnalysis(loadModelFile('tests/reference/thr-briggs.model.json'));
    expect(thr.scenarios.map((s) => s.id)).toEqual(['age_70', 'discount_3_5']);
    expect(thr.subgroups.map((s) => s.normalisedWeight)).toEqual([0.6, 0.4]);
    const c = runScenarioAnalysis(loadModelFile('tests/reference/chancellor-hiv.model.json'));
    expect(c.scenarios).toEqual([]);
    expect(c.weightedTotal).toBeNull();
  });
});
