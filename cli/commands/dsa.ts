import { type OneWayDsaResult, type TwoWayDsaResult, runOneWayDsa, runTwoWayDsa } from '../../models/analyses/dsa';
import { type ThresholdResult, findThreshold } from '../../models/analyses/threshold';
import { parseCommandArgs, parseIntegerFlag, parseNumberFlag } from '../args';
import { formatNumber, formatQuantity, renderTable } from '../format';
import { EXIT, loadModel, usageError } from '../io';
import { writeResultFile } from '../output';
import { runWithModelErrors } from './shared';
import type { Command } from './types';

const HELP = `Deterministic sensitivity analysis. By default: one-way DSA of every parameter with a range
(low/high in the file; parameters with a distribution but no range use its 2.5% and 97.5% quantiles),
as tornado data sorted by width.

--outcome X          nmb (default), icer, cost, effect or an outcome id
--strategy ID        the strategy (default: the second one)
--comparator ID      the comparator: the metric becomes strategy minus comparator (default for nmb
                     and icer: the first strategy)
--wtp W              willingness to pay for nmb (default: the settings' first threshold)
--two-way p1,p2      two-way grid over two parameters' ranges;  --steps N or N,M  values per parameter (default 11)
--threshold PARAM    the value of PARAM at which strategy and comparator have equal net monetary
                     benefit at the WTP (where the ICER crosses it), searched over PARAM's range
--range LO,HI        search range for --threshold (default: the parameter's DSA range)
--scenario ID, --subgroup ID   apply a scenario or subgroup
--json               print one JSON document;  --out FILE  also write .xlsx/.csv`;

export const dsaCommand: Command = {
  name: 'dsa',
  summary: 'deterministic sensitivity: tornado (one-way), two-way grid, threshold analysis',
  usage: 'dsa <model.json> [--outcome nmb|icer|cost|effect|ID] [--strategy ID --comparator ID] [--wtp W] [--two-way p1,p2 --steps N] [--threshold PARAM] [--json]',
  async run(argv, out) {
    const { values, positionals, help } = parseCommandArgs(
      argv,
      {
        outcome: { type: 'string' },
        strategy: { type: 'string' },
        comparator: { type: 'string' },
        wtp: { type: 'string' },
        'two-way': { type: 'string' },
        steps: { type: 'string' },
        threshold: { type: 'string' },
        range: { type: 'string' },
        scenario: { type: 'string' },
        subgroup: { type: 'string' },
        json: { type: 'boolean' },
        out: { type: 'string' },
      },
      { min: 1, max: 1, names: 'the model file' },
    );
    if (help) {
      out.stdout(`usage: cli ${this.usage}\n\n${HELP}`);
      return EXIT.ok;
    }
    const wtp = parseNumberFlag(values.wtp, '--wtp');
    if (wtp !== undefined && wtp < 0) throw usageError('--wtp must be >= 0');
    if (values['two-way'] && values.threshold) throw usageError('give either --two-way or --threshold, not both');
    let range: [number, number] | undefined;
    if (values.range !== undefined) {
      const parts = values.range.split(',').map((s) => Number(s.trim()));
      if (parts.length !== 2 || !parts.every(Number.isFinite) || !(parts[0] < parts[1])) throw usageError(`--range must be LO,HI with LO < HI, not '${values.range}'`);
      range = [parts[0], parts[1]];
    }
    const file = positionals[0];
    const { model, text } = loadModel(file);
    const variant = { scenario: values.scenario ?? null, subgroup: values.subgroup ?? null };
    const metric = { outcome: values.outcome, strategy: values.strategy, comparator: values.comparator, wtp };
    let result: OneWayDsaResult | TwoWayDsaResult | ThresholdResult;
    let textOut: string;
    if (values['two-way']) {
      const ids = values['two-way'].split(',').map((s) => s.trim());
      if (ids.length !== 2 || ids.some((s) => s === '')) throw usageError(`--two-way needs two parameter ids: p1,p2 (got '${values['two-way']}')`);
      // --steps N (N x N grid) or N,M (N values of p1, M of p2).
      const stepParts = (values.steps ?? '11').split(',');
      if (stepParts.length > 2) throw usageError(`--steps must be N or N,M, not '${values.steps}'`);
      const n1 = parseIntegerFlag(stepParts[0], '--steps', 11, 2, 1000);
      const steps: [number, number] = [n1, stepParts.length === 2 ? parseIntegerFlag(stepParts[1], '--steps', 11, 2, 1000) : n1];
      const r = runWithModelErrors(file, () => runTwoWayDsa(model, { ...metric, variant, parameters: [ids[0], ids[1]], steps }));
      result = r;
      textOut = formatTwoWay(r);
    } else if (values.threshold) {
      if (values.outcome && values.outcome !== 'nmb' && values.outcome !== 'icer') throw usageError('--threshold works on net monetary benefit (equivalently the ICER); drop --outcome');
      const r = runWithModelErrors(file, () => findThreshold(model, { parameter: values.threshold!, strategy: values.strategy, comparator: values.comparator, wtp, range, variant }));
      result = r;
      textOut = formatThreshold(r);
    } else {
      const r = runWithModelErrors(file, () => runOneWayDsa(model, { ...metric, variant }));
      result = r;
      textOut = formatTornado(r);
    }
    if (values.out) await writeResultFile(values.out, result as unknown as { kind: string } & Record<string, unknown>, { modelText: text, modelPath: file });
    out.stdout(values.json ? JSON.stringify(result, null, 2) : textOut);
    return EXIT.ok;
  },
};

const fmt = (v: number) => (Math.abs(v) >= 100 ? formatNumber(v) : formatQuantity(v));

export function formatTornado(r: OneWayDsaResult): string {
  const lines = [r.modelName, `One-way DSA of ${r.description}; base value ${fmt(r.base)}.`, ''];
  if (r.rows.length === 0) lines.push('No parameter has a DSA range or a distribution.');
  else
    lines.push(
      renderTable(
        ['Parameter', 'Low', 'High', 'Outcome at low', 'Outcome at high', 'Width', 'Range from'],
        r.rows.map((row) => [row.label === row.parameter ? row.parameter : `${row.parameter} (${row.label})`, fmt(row.low), fmt(row.high), fmt(row.outcomeLow), fmt(row.outcomeHigh), fmt(row.width), row.source === 'file' ? 'file' : 'distribution 95%']),
        [false, true, true, true, true, true, false],
      ),
    );
  for (const s of r.skipped) lines.push(`not varied: ${s.parameter}: ${s.reason}`);
  lines.push('', `Sorted by width. Note: ${r.rangeNote}.`);
  return lines.join('\n');
}

function formatTwoWay(r: TwoWayDsaResult): string {
  const [p1, p2] = r.parameters;
  return [
    r.modelName,
    `Two-way DSA of ${r.description}; base value ${fmt(r.base)}. Rows: ${p1}; columns: ${p2}.`,
    '',
    renderTable([`${p1} \\ ${p2}`, ...r.values2.map(fmt)], r.values1.map((v, i) => [fmt(v), ...r.grid[i].map(fmt)])),
  ].join('\n');
}

function formatThreshold(r: ThresholdResult): string {
  const lines = [r.modelName, `Threshold of ${r.parameter} for ${r.strategy} vs ${r.comparator} at WTP ${formatNumber(r.wtp, 0)}, searched over [${r.range[0]}, ${r.range[1]}] (base value ${r.baseValue}).`];
  if (r.status === 'none') lines.push(r.message.replace(/^no threshold/, 'No threshold'));
  else for (const t of r.thresholds) lines.push(`threshold: ${r.parameter} = ${t.value} (${t.preferredBelow} preferred below, ${t.preferredAbove} above)`);
  lines.push(`Method: ${r.method}.`);
  return lines.join('\n');
}
