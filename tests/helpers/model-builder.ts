/** Small builders for test models (fixture values distinct so swapped indices cannot pass). */
import { parseModelJson } from '../../models/schema/parse-model';
import type { ModelFile } from '../../models/schema/model-file';

export function buildModel(partial: Record<string, unknown>): ModelFile {
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
    },
    outcomes: [
      { id: 'cost', discount: 'costs' },
      { id: 'qaly', discount: 'effects' },
    ],
    ...partial,
  };
  const parsed = parseModelJson(json);
  if (!parsed.ok) throw new Error(parsed.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return parsed.model;
}

export function withSettings(model: ModelFile, settings: Partial<ModelFile['settings']>): ModelFile {
  return { ...model, settings: { ...model.settings, ...settings } };
}
