import { runBaseCase, type BaseCaseResult } from '../../models/analyses/base-case';
import { parseCommandArgs } from '../args';
import { formatNumber, formatQuantity, renderTable } from '../format';
import { EXIT, loadModel } from '../io';
import { runWithModelErrors } from './shared';
import { writeResultFile } from '../output';
import type { Command } from './types';
import { buildReport } from '../../models/analyses/report';
import { formatReport, withPreset } from './report';

export const runCommand: Command = {
  name: 'run',
  summary: 'base case: cost and every outcome per strategy, incremental analysis, net benefit',
  usage: 'run <model.json> [--scenario ID] [--subgroup ID] [--preset ID] [--report] [--json] [--out FILE.xlsx|FILE.csv]',
  async run(argv, out) {
    const { values, positionals, help } = parseCommandArgs(
      argv,
      { scenario: { type: 'string' }, subgroup: { type: 'string' }, preset: { type: 'string' }, report: { type: 'boolean' }, json: { type: 'boolean' }, out: { type: 'string' } },
      { min: 1, max: 1, names: 'the model file' },
    );
    if (help) {
      out.stdout(`usage: cli ${this.usage}\n\n--scenario ID  apply a named scenario's overrides and settings\n--subgroup ID  apply a subgroup's overrides\n--preset ID    apply a settings preset of the file (e.g. aifa, nice, cda_amc: discount rates, thresholds)\n--report       print the results summary (cost per responder, NMB, drug mg, events per 1,000, drivers) instead\n--json         print one JSON document (strategies, incremental, netBenefit, traces) instead of tables\n--out FILE     also write the results to a workbook (.xlsx) or the summary table (.csv)`);
      return EXIT.ok;
    }
    const file = positionals[0];
    const { model: loaded, text } = loadModel(file);
    const model = runWithModelErrors(file, () => withPreset(loaded, values.preset));
    if (values.report) {
      const report = runWithModelErrors(file, () => buildReport(model, { scenarios: values.scenario ? [values.scenario] : [], subgroup: values.subgroup ?? null }));
      out.stdout(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
      return EXIT.ok;
    }
    const result = runWithModelErrors(file, () => runBaseCase(model, { scenario: values.scenario ?? null, subgroup: values.subgroup ?? null }));
    if (values.out) await writeResultFile(values.out, result, { modelText: text, modelPath: file });
    if (values.json) out.stdout(JSON.stringify(result, null, 2));
    else out.stdout(formatBaseCase(result));
    return EXIT.ok;
  },
};

/** 0.035 → '3.5%' (no binary floating-point residue such as 3.5000000000000004%). */
const percent = (rate: number) => `${Number((rate * 100).toPrecision(10))}%`;

export function formatBaseCase(result: BaseCaseResult): string {
  const { settings } = result;
  const currency = settings.currency;
  const effect = result.outcomes.find((o) => o.id === settings.effectOutcome);
  const lines: string[] = [];
  lines.push(result.modelName);
  const variant = [result.scenario && `scenario ${result.scenario}`, result.subgroup && `subgroup ${result.subgroup}`].filter(Boolean).join(', ');
  lines.push(
    `Base case${variant ? ` (${variant})` : ''}: ${settings.nCycles} cycles of ${settings.cycleLength.value} ${settings.cycleLength.value === 1 ? settings.cycleLength.unit.replace(/s$/, '') : settings.cycleLength.unit}; ` +
      `discount ${percent(settings.discountRates.costs)} costs / ${percent(settings.discountRates.effects)} effects a year; ` +
      `within-cycle correction: ${settings.withinCycleCorrection}; ${currency}${settings.priceYear ? ` ${settings.priceYear}` : ''}` +
      `${settings.cohortSize !== 1 ? `; cohort of ${settings.cohortSize}` : '; per person'}.`,
  );
  lines.push('');
  const names = new Map(result.strategies.map((s) => [s.id, s.name]));
  const statusText: Record<string, string> = { reference: 'reference', frontier: 'frontier', dominated: 'dominated', 'extended-dominated': 'extendedly dominated' };
  lines.push(
    renderTable(
      ['Strategy', `Cost (${currency})`, `${effect?.label ?? 'Effect'}${effect?.unit ? ` (${effect.unit})` : ''}`, 'Inc. cost', 'Inc. effect', `ICER (${currency}/${effect?.unit ?? 'unit'})`, 'Status'],
      result.incremental.map((row) => [
        names.get(row.id) ?? row.id,
        formatNumber(row.cost),
        formatQuantity(row.effect),
        formatNumber(row.incrementalCost),
        formatQuantity(row.incrementalEffect),
        row.icer === null ? (row.status === 'reference' ? '' : '—') : formatNumber(row.icer),
        statusText[row.status] ?? row.status,
      ]),
      [false, true, true, true, true, true, false],
    ),
  );
  lines.push('');
  const others = result.outcomes;
  lines.push('All outcomes (discounted as defined; undiscounted in brackets where different):');
  lines.push(
    renderTable(
      ['Outcome', ...result.strategies.map((s) => s.name)],
      others.map((o) => {
        // Money in currency units with cents; other quantities with significant figures.
        const money = o.id === settings.costOutcome || o.unit === currency;
        const format = (v: number) => (money ? formatNumber(v) : formatQuantity(v));
        return [
          `${o.label}${o.unit ? ` (${o.unit})` : ''}`,
          ...result.strategies.map((s) => {
            const d = s.outcomes[o.id];
            const u = s.undiscountedOutcomes[o.id];
            return `${format(d)}${Math.abs(u - d) > 1e-9 * Math.max(1, Math.abs(d)) ? ` [${format(u)}]` : ''}`;
          }),
        ];
      }),
    ),
  );
  lines.push('');
  lines.push(`Net monetary benefit (${currency}):`);
  lines.push(
    renderTable(
      ['WTP', ...result.strategies.map((s) => s.name), 'Optimal'],
      result.netBenefit.map((row) => [
        formatNumber(row.wtp, 0),
        ...result.strategies.map((s) => formatNumber(row.strategies.find((r) => r.id === s.id)?.nmb)),
        names.get(row.optimal) ?? row.optimal,
      ]),
      [true, ...result.strategies.map(() => true), false],
    ),
  );
  return lines.join('\n');
}
