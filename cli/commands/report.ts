import { buildReport, type ModelReport, type VariantReport } from '../../models/analyses/report';
import { applyPreset } from '../../models/run/apply-preset';
import type { ModelFile } from '../../models/schema/model-file';
import { parseCommandArgs } from '../args';
import { formatNumber, formatQuantity, renderTable } from '../format';
import { EXIT, loadModel, usageError } from '../io';
import { ModelError } from '../../models/schema/model-issue';
import { runWithModelErrors } from './shared';
import type { Command } from './types';

export const reportCommand: Command = {
  name: 'report',
  summary: 'results summary per strategy and scenario: cost, effect, cost per responder, NMB, drug mg, events per 1,000, drivers',
  usage: 'report <model.json> [--scenario ID] [--subgroup ID] [--preset ID] [--comparator ID] [--no-dsa] [--json]',
  async run(argv, out) {
    const { values, positionals, help } = parseCommandArgs(
      argv,
      {
        scenario: { type: 'string', multiple: true },
        subgroup: { type: 'string' },
        preset: { type: 'string' },
        comparator: { type: 'string' },
        'no-dsa': { type: 'boolean' },
        json: { type: 'boolean' },
      },
      { min: 1, max: 1, names: 'the model file' },
    );
    if (help) {
      out.stdout(
        `usage: cli ${this.usage}\n\nWithout --scenario every scenario in the file is reported after the base case; --scenario may be repeated.\nOutcome mapping: cost/effect from the settings; 'responders' gives cost per responder; outcomes with unit 'mg' are\ndrug amounts; other undiscounted outcomes are events (per 1,000 and avoided per 1,000 vs the comparator, by\ndefault the first strategy). Drivers come from a one-way DSA of the base case (incremental NMB at the first threshold).`,
      );
      return EXIT.ok;
    }
    const file = positionals[0];
    const { model } = loadModel(file);
    const scenarios = values.scenario as unknown as string[] | undefined;
    const report = runWithModelErrors(file, () =>
      buildReport(withPreset(model, values.preset), {
        scenarios: scenarios && scenarios.length > 0 ? scenarios : 'all',
        subgroup: values.subgroup ?? null,
        comparator: values.comparator,
        dsa: !values['no-dsa'],
      }),
    );
    if (values.json) out.stdout(JSON.stringify(report, null, 2));
    else out.stdout(formatReport(report));
    return EXIT.ok;
  },
};

/** Apply `--preset ID`; an unknown preset is a usage error (exit 2) naming the known presets. */
export function withPreset(model: ModelFile, preset: string | undefined): ModelFile {
  if (!preset) return model;
  try {
    return applyPreset(model, preset);
  } catch (error) {
    if (error instanceof ModelError) throw usageError(`--preset: ${error.issues[0].message}`);
    throw error;
  }
}

export function formatReport(report: ModelReport): string {
  const lines: string[] = [report.modelName, ''];
  const all = [...report.variants, ...(report.populationWeighted ? [report.populationWeighted] : [])];
  const c = report.currency;
  lines.push(
    renderTable(
      ['Scenario', 'Strategy', `Cost (${c})`, report.effectLabel, `Cost/effect`, `ICER vs ${report.comparator}`, 'Cost/responder', `INMB @${formatNumber(report.wtpThresholds[0], 0)}`],
      all.flatMap((v) =>
        v.strategies.map((s, i) => [
          i === 0 ? v.scenarioName.slice(0, 48) : '',
          s.name,
          formatNumber(s.cost),
          formatQuantity(s.effect),
          s.costPerEffect === null ? '' : formatNumber(s.costPerEffect, Math.abs(s.costPerEffect) < 1000 ? 2 : 0),
          s.dominance === 'comparator' ? '' : s.icerVsComparator === null || s.dominance === 'dominant' || s.dominance === 'dominated' ? s.dominance : `${formatNumber(s.icerVsComparator, 0)}${s.dominance === 'less costly, less effective' ? ' (SW)' : ''}`,
          s.costPerResponder === null ? '' : formatNumber(s.costPerResponder),
          s.nmb[0].incrementalNmb === null ? '' : formatNumber(s.nmb[0].incrementalNmb),
        ]),
      ),
      [false, false, true, true, true, true, true, true],
    ),
  );
  const base = report.variants[0];
  if (base.strategies[0].costComponents.length > 0) {
    lines.push('');
    lines.push(`Cost components, ${base.scenarioName} (${c} per patient; incremental vs ${report.comparator}):`);
    lines.push(
      renderTable(
        ['Component', ...base.strategies.flatMap((s) => (s.id === report.comparator ? [s.name.slice(0, 24)] : [s.name.slice(0, 24), 'incremental']))],
        base.strategies[0].costComponents.map((comp, k) => [
          comp.label.slice(0, 50),
          ...base.strategies.flatMap((s) => {
            const x = s.costComponents[k];
            return s.id === report.comparator ? [formatNumber(x.value)] : [formatNumber(x.value), formatNumber(x.incremental)];
          }),
        ]),
      ),
    );
  }
  if (base.strategies[0].drugs.length + base.strategies[0].events.length > 0) {
    lines.push('');
    lines.push(`Drug amounts and events, ${base.scenarioName} (per ${report.perN.toLocaleString('en-GB')} patients; avoided = ${report.comparator} − strategy):`);
    lines.push(amountTable(base, report.perN));
  }
  if (report.subgroups.length > 0) {
    lines.push('');
    lines.push(`Base case by subgroup (population weights as in the file; INMB vs ${report.comparator} at ${formatNumber(report.wtpThresholds[0], 0)}):`);
    lines.push(
      renderTable(
        ['Subgroup', 'Weight', ...report.subgroups[0].strategies.flatMap((s) => [`${s.name.slice(0, 20)} cost`, 'effect', ...(s.id === report.comparator ? [] : ['INMB'])])],
        report.subgroups.map((v) => [
          v.subgroupName.slice(0, 30),
          formatQuantity(v.weight),
          ...v.strategies.flatMap((s) => [formatNumber(s.cost), formatQuantity(s.effect), ...(s.id === report.comparator ? [] : [formatNumber(s.nmb[0].incrementalNmb)])]),
        ]),
      ),
    );
  }
  if (report.populationWeighted && base.strategies[0].drugs.length + base.strategies[0].events.length > 0) {
    lines.push('');
    lines.push(`Drug amounts and events, population-weighted (per ${report.perN.toLocaleString('en-GB')} patients):`);
    lines.push(amountTable(report.populationWeighted, report.perN));
  }
  if (!('note' in report.drivers) && report.drivers.rows.length > 0) {
    lines.push('');
    lines.push(`Drivers (one-way DSA; ${report.drivers.description}):`);
    lines.push(
      renderTable(
        ['Parameter', 'Confidence', 'Low', 'High', `At low (${c})`, `At high (${c})`],
        report.drivers.rows.map((r) => [r.label.slice(0, 60), r.confidence ?? '', formatQuantity(r.low), formatQuantity(r.high), formatNumber(r.outcomeLow), formatNumber(r.outcomeHigh)]),
      ),
    );
  }
  lines.push('');
  lines.push('Summary:');
  lines.push(report.summary);
  lines.push('');
  lines.push(`Outcome mapping: ${report.mapping}`);
  return lines.join('\n');
}

function amountTable(v: VariantReport, perN: number): string {
  const rows: string[][] = [];
  const first = v.strategies[0];
  const items = [...first.drugs.map((d) => ({ ...d, kind: 'drug' })), ...first.events.map((e) => ({ ...e, kind: 'event' }))];
  for (const item of items) {
    const cells = [`${item.label}${item.unit ? ` (${item.unit})` : ''}`.slice(0, 60)];
    for (const s of v.strategies) {
      const row = [...s.drugs, ...s.events].find((x) => x.outcome === item.outcome)!;
      cells.push(formatQuantity(row.perN));
      if (s.id !== first.id) cells.push(row.avoidedPerN === null ? '' : formatQuantity(row.avoidedPerN));
    }
    rows.push(cells);
  }
  const headers = ['Per ' + perN.toLocaleString('en-GB')];
  for (const s of v.strategies) {
    headers.push(s.name.slice(0, 24));
    if (s.id !== first.id) headers.push('avoided');
  }
  return renderTable(headers, rows);
}
