/**
 * Settings presets (e.g. agency conventions: AIFA, NICE, CDA-AMC): `applyPreset(model, id)` returns
 * a new model whose settings are patched by the preset's settings, exactly as a scenario's
 * `settings` patch is applied (shallow merge: a preset that gives `discountRates` replaces both
 * rates). The input model is not modified. Presets change settings only (discount rates,
 * thresholds, perspective...); they never convert currencies.
 */
import type { ModelFile } from '../schema/model-file';
import { ModelError, issue } from '../schema/model-issue';

export function applyPreset(model: ModelFile, presetId: string): ModelFile {
  const index = model.presets.findIndex((p) => p.id === presetId);
  if (index < 0) {
    const known = model.presets.map((p) => p.id).join(', ') || 'none';
    throw new ModelError([issue(['presets'], `no preset '${presetId}' (presets: ${known})`)]);
  }
  const preset = model.presets[index];
  return { ...model, settings: { ...model.settings, ...preset.settings } as ModelFile['settings'] };
}
