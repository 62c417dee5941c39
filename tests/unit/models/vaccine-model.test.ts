/**
 * Intradermal fractional influenza vaccination example
 * (models/examples/id-vaccine-dose-sparing.model.json): people protected per fixed supply and cost
 * per person protected against hand computations.
 */
import { describe, expect, it } from 'vitest';
import { runBaseCase } from '../../../models/analyses/base-case';
import { checkModel } from '../../../models/run/validate-model';
import { loadModelFile } from '../../helpers/load';

const model = loadModelFile('models/examples/id-vaccine-dose-sparing.model.json');
const run = (scenario?: string) => Object.fromEntries(runBaseCase(model, { scenario: scenario ?? null }).strategies.map((s) => [s.id, s]));

describe('ID vaccine dose-sparing model', () => {
  it('validates and every parameter is sourced and labelled', () => {
    expect(checkModel(model).filter((i) => i.severity === 'error')).toEqual([]);
    for (const p of model.parameters) {
      expect(p.source, p.id).toBeTruthy();
      expect(p.confidence, p.id).toBeTruthy();
    }
    const price = model.parameters.find((p) => p.id === 'vaccine_price')!;
    expect(price.value).toBe(3.15);
    expect(price.source).toMatch(/Umbria/);
  });

  it('people protected with a fixed supply equals the hand computation', () => {
    const r = run();
    // Supply 100,000 full doses; seroprotection 0.8 in every arm (equivalence); ID wastage 10%.
    // IM: 100,000 / 1 × 0.8 = 80,000.
    // ID 1/5: 100,000 × (1 − 0.1) / 0.2 = 450,000 vaccinated × 0.8 = 360,000.
    // ID 40%: 100,000 × 0.9 / 0.4 = 225,000 vaccinated × 0.8 = 180,000.
    expect(r.im_full.outcomes.people_protected_fixed_supply).toBeCloseTo(80_000, 6);
    expect(r.id_one_fifth.outcomes.people_vaccinated_fixed_supply).toBeCloseTo(450_000, 6);
    expect(r.id_one_fifth.outcomes.people_protected_fixed_supply).toBeCloseTo(360_000, 6);
    expect(r.id_40pct.outcomes.people_protected_fixed_supply).toBeCloseTo(180_000, 6);
  });

  it('cost per person protected equals the hand computation', () => {
    const r = run();
    // IM: (3.15 + 5) / 0.8 = 10.1875. ID 1/5: (3.15 × 0.2 / 0.9 + 5) / 0.8 = (0.70 + 5) / 0.8 = 7.125.
    // ID 40%: (3.15 × 0.4 / 0.9 + 5) / 0.8 = (1.40 + 5) / 0.8 = 8.00.
    expect(r.im_full.cost / r.im_full.outcomes.protected).toBeCloseTo(10.1875, 10);
    expect(r.id_one_fifth.cost / r.id_one_fifth.outcomes.protected).toBeCloseTo(7.125, 10);
    expect(r.id_40pct.cost / r.id_40pct.outcomes.protected).toBeCloseTo(8.0, 10);
  });

  it('scenarios: a higher price and a lower ID response move the results the right way', () => {
    const high = run('price_high');
    expect(high.im_full.cost).toBeCloseTo(7.5 + 5, 10);
    const elderly = run('elderly_lower_id_response');
    expect(elderly.id_one_fifth.outcomes.people_protected_fixed_supply).toBeCloseTo(450_000 * 0.8 * 0.9, 6);
    expect(elderly.im_full.outcomes.people_protected_fixed_supply).toBeCloseTo(80_000, 6);
    const noWaste = run('no_wastage');
    expect(noWaste.id_one_fifth.outcomes.people_vaccinated_fixed_supply).toBeCloseTo(500_000, 6);
  });
});
