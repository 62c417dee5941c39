import { type ScenarioAnalysisResult, type VariantResult, runScenarioAnalysis } from '../../models/analyses/scenarios';
import { parseCommandArgs } from '../args';
import { formatNumber, formatQuantity, renderTable } from '../format';
import { EXIT, loadModel } from '../io';
import { writeResultFile } from '../output';
import { runWithModelErrors } from './shared';
import type { Command } from './types';

export const scenariosCommand: Command = {
  name: 'scenarios',
  summary: 'every named scenario and subgroup (with the population-weighted total): base case + incremental',
  usage: 'scenarios <model.json> [--json] [--out FILE]',
  async run(argv, out) {
    const { values, positionals, help } = parseCommandArgs(argv, { json: { type: 'boolean' }, out: { type: 'string' } }, { min: 1, max: 1, names: 'the model file' });
    if (help) {
      out.stdout(
        `usage: cli ${this.usage}\n\nEvaluates the base case, every scenario and every subgroup at base parameter values. Subgroups\n` +
          'are combined with their weights normalised to sum to 1; the incremental analysis of the total is\n' +
          'done on the weighted mean costs and effects.\n--json  print one JSON document;  --out FILE  also write .xlsx/.csv',
      );
      return EXIT.ok;
    }
    const file = positionals[0];
    const { model, text } = loadModel(file);
    const result = runWithModelErrors(file, () => runScenarioAnalysis(model));
    if (values.out) await writeResultFile(values.out, result as unknown as { kind: string } & Record<string, unknown>, { modelText: text, modelPath: file });
    out.stdout(values.json ? JSON.stringify(result, null, 2) : formatScenarios(result, model.settings.currency));
    return EXIT.ok;
  },
};

function variantTable(v: VariantResult, currency: string): string {
  const names = new Map(v.strategies.map((s) => [s.id, s.name]));
  return renderTable(
    ['Strategy', `Cost (${currency})`, 'Effect', 'Inc. cost', 'Inc. effect', 'ICER', 'Status'],
    v.incremental.map((row) => [
      names.get(row.id) ?? row.id,
      formatNumber(row.cost),
      formatQuantity(row.effect),
      formatNumber(row.incrementalCost),
      formatQuantity(row.incrementalEffect),
      row.icer === null ? '' : formatNumber(row.icer),
      row.status,
    ]),
    [false, true, true, true, true, true, false],
  );
}

export function formatScenarios(r: ScenarioAnalysisResult, currency: string): string {
  const lines = [r.modelName, '', 'Base case:', variantTable(r.base, currency)];
  if (r.scenarios.length === 0) lines.push('', 'The model has no scenarios.');
  for (const s of r.scenarios) lines.push('', `Scenario ${s.id}: ${s.name}`, variantTable(s, currency));
  if (r.subgroups.length === 0) lines.push('', 'The model has no subgroups.');
  for (const g of r.subgroups) lines.push('', `Subgroup ${g.id}: ${g.name} (weight ${g.weight}, normalised ${formatQuantity(g.normalisedWeight)})`, variantTable(g, currency));
  if (r.weightedTotal) lines.push('', 'Population-weighted total (incremental analysis on the weighted means):', variantTable(r.weightedTotal, currency));
  return lines.join('\n');
}
