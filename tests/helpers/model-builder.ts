/** Small builders for test models (fixture values distinct so swapped indices cannot pass). */
import { parseModelJson } from '../../models/schema/parse-model';
import type { ModelFile } from '../../models/schema/model-file';

/**
 * A model with annual cycles, a 10-year horizon, no discounting and outcomes cost and qaly, changed
 * by `partial`: its `settings` are merged into those defaults, every other key replaces the default.
 */
export function buildModel(partial: Record<string, unknown>): ModelFile {
  const { settings, ...rest } = partial as { settings?: Record<string, unknown> };
  const json = {
    schemaVersion: 1,
    metadata: { name: 'test model' },
    settings: {
      cycleLength: { value: 1, unit: 'years' },
      timeHorizon: { value: 10, unit: 'years' },
      discountRates: { costs: 0, effects: 0 },
      withinCycleCorrection: 'none',
      wtpThresholds: [20000],
      costOutcome: 'cost',
      effectOutcome: 'qaly',
      ...settings,
    },
    outcomes: [
      { id: 'cost', discount: 'costs' },
      { id: 'qaly', discount: 'effects' },
    ],
    ...rest,
  };
  const parsed = parseModelJson(json);
  if (!parsed.ok) throw new Error(parsed.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return parsed.model;
}

export function withSettings(model: ModelFile, settings: Partial<ModelFile['settings']>): ModelFile {
  return { ...model, settings: { ...model.settings, ...settings } };
}
