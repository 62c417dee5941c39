/** A scenario that changes one setting must leave the others as the model has them (no schema defaults). */
import { describe, expect, it } from 'vitest';
import { effectiveSettings } from '../../../models/engine/compile-model';
import { buildModel } from '../../helpers/model-builder';

describe('scenario settings patches', () => {
  it('keep the model’s within-cycle correction, currency and cohort size when they are not patched', () => {
    const model = buildModel({
      settings: {
        cycleLength: { value: 1, unit: 'months' },
        timeHorizon: { value: 1, unit: 'years' },
        discountRates: { costs: 0.03, effects: 0.03 },
        withinCycleCorrection: 'half-cycle',
        currency: 'GBP',
        cohortSize: 1000,
        wtpThresholds: [20000],
        costOutcome: 'cost',
        effectOutcome: 'qaly',
      },
      markovModels: [{ id: 'm', states: [{ id: 'a' }], transitions: [], initial: { a: 1 } }],
      strategies: [{ id: 's', name: 's', entry: { kind: 'markov', model: 'm' } }],
      scenarios: [{ id: 'long', name: 'Five years', settings: { timeHorizon: { value: 5, unit: 'years' } } }],
    });
    const settings = effectiveSettings(model, model.scenarios[0]);
    expect(settings.timeHorizon).toEqual({ value: 5, unit: 'years' });
    expect(settings.withinCycleCorrection).toBe('half-cycle');
    expect(settings.currency).toBe('GBP');
    expect(settings.cohortSize).toBe(1000);
  });
});
