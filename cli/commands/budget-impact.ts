import { type BudgetImpactResult, runBudgetImpact } from '../../models/analyses/budget-impact';
import { parseCommandArgs } from '../args';
import { formatNumber, renderTable } from '../format';
import { EXIT, loadModel } from '../io';
import { writeResultFile } from '../output';
import { runWithModelErrors } from './shared';
import type { Command } from './types';

export const budgetImpactCommand: Command = {
  name: 'budget-impact',
  summary: 'budget impact (ISPOR 2014): yearly costs without and with the new technology, net impact',
  usage: 'budget-impact <model.json> [--scenario ID] [--subgroup ID] [--json] [--out FILE]',
  async run(argv, out) {
    const { values, positionals, help } = parseCommandArgs(
      argv,
      { scenario: { type: 'string' }, subgroup: { type: 'string' }, json: { type: 'boolean' }, out: { type: 'string' } },
      { min: 1, max: 1, names: 'the model file' },
    );
    if (help) {
      out.stdout(
        `usage: cli ${this.usage}\n\nUses the model file's budgetImpact block (eligible population and market shares per year, without and with\nthe new technology) and the model's undiscounted cost per patient by year since treatment.\n\n--scenario ID  apply a named scenario\n--subgroup ID  apply a subgroup's overrides\n--json         print one JSON document\n--out FILE     also write the result to a workbook (.xlsx) or table (.csv)`,
      );
      return EXIT.ok;
    }
    const file = positionals[0];
    const { model, text } = loadModel(file);
    const result = runWithModelErrors(file, () => runBudgetImpact(model, { scenario: values.scenario ?? null, subgroup: values.subgroup ?? null }));
    if (values.out) await writeResultFile(values.out, result, { modelText: text, modelPath: file });
    if (values.json) out.stdout(JSON.stringify(result, null, 2));
    else out.stdout(formatBudgetImpact(result));
    return EXIT.ok;
  },
};

export function formatBudgetImpact(result: BudgetImpactResult): string {
  const c = result.currency;
  const lines: string[] = [];
  const variant = [result.scenario && `scenario ${result.scenario}`, result.subgroup && `subgroup ${result.subgroup}`].filter(Boolean).join(', ');
  lines.push(`${result.modelName}`);
  lines.push(`Budget impact over ${result.years} year${result.years === 1 ? '' : 's'}${variant ? ` (${variant})` : ''}, ${c}${result.priceYear ? ` ${result.priceYear}` : ''}, undiscounted.`);
  lines.push('');
  lines.push('Undiscounted cost per treated patient by year since treatment:');
  const profileYears = Math.max(...result.strategies.map((s) => s.costProfile.length));
  lines.push(
    renderTable(
      ['Strategy', ...Array.from({ length: profileYears }, (_, i) => `Year ${i + 1}`), 'Total'],
      result.strategies.map((s) => [s.name, ...Array.from({ length: profileYears }, (_, i) => formatNumber(s.costProfile[i] ?? 0)), formatNumber(s.totalPerPatient)]),
    ),
  );
  lines.push('');
  lines.push(
    renderTable(
      ['Year', 'Eligible', `Without (${c})`, `With (${c})`, `Net impact (${c})`, 'Net per patient'],
      [
        ...result.yearly.map((y) => [String(y.year), formatNumber(y.eligiblePopulation, 0), formatNumber(y.costWithout, 0), formatNumber(y.costWith, 0), formatNumber(y.netImpact, 0), formatNumber(y.netImpactPerPatient)]),
        ['Total', '', formatNumber(result.totalWithout, 0), formatNumber(result.totalWith, 0), formatNumber(result.totalNetImpact, 0), ''],
      ],
    ),
  );
  if (result.breakdown.length > 0) {
    lines.push('');
    lines.push('Net impact by cost component:');
    lines.push(
      renderTable(
        ['Component', ...result.yearly.map((y) => `Year ${y.year}`), 'Total'],
        result.breakdown.map((b) => [b.label, ...b.years.map((y) => formatNumber(y.netImpact, 0)), formatNumber(b.totalNetImpact, 0)]),
      ),
    );
  }
  lines.push('');
  if (result.populationSource) lines.push(`Population: ${result.populationSource}`);
  if (result.sharesSource) lines.push(`Shares: ${result.sharesSource}`);
  lines.push(`Method: ${result.method}`);
  return lines.join('\n');
}
