/**
 * Result → workbook specification (pure: no I/O, no spreadsheet library; runs in Node, the
 * renderer and a Web Worker). See docs/spreadsheets.md for the sheet layout.
 *
 * Every run kind exports to one workbook: Summary, Inputs, the kind's own sheets, and a Manifest
 * that ties every number to the run that made it (model SHA-256, app version, seed, draws, date,
 * settings). Base-case workbooks of Markov models also get one Audit sheet per strategy whose trace
 * and totals are live Excel formulas (audit-sheet.ts).
 */
import type { ModelFile, Distribution, Parameter } from '../schema/model-file';
import type { BaseCaseResult, StrategyResult } from '../analyses/base-case';
import type { IncrementalRow } from '../analyses/incremental';
import type { OneWayDsaResult, TwoWayDsaResult } from '../analyses/dsa';
import type { PsaResult } from '../analyses/psa';
import type { ScenarioAnalysisResult, VariantResult } from '../analyses/scenarios';
import type { ThresholdResult } from '../analyses/threshold';
import type { BudgetImpactResult } from '../analyses/budget-impact';
import { compileModel } from '../engine/compile-model';
import { toYears } from '../engine/timing';
import { freeIdentifiers, parseExpression } from '../expression';
import { buildAuditSheet, MAX_FORMULA_LENGTH } from './audit-sheet';
import { type LookupTranslator, numberLiteral, toExcelFormula, UnsupportedInExcel } from './excel-formula';
import { sha256Hex } from './sha256';
import { pngFromDataUrl } from './chart-configs';
import { neutraliseText } from './text-safety';
import { type Cell, type DefinedName, type ImageSpec, type SheetSpec, type WorkbookSpec, cellRef, quoteSheet } from './workbook-types';

export type ChartKey = 'trace' | 'tornado' | 'ce-plane' | 'ceac' | 'evpi';

export type ExportOptions = {
  /** The model the result was computed from: needed for the Inputs and Audit sheets. */
  model?: ModelFile;
  /** Exact model file text, hashed for the Manifest (or pass `modelSha256`). */
  modelText?: string;
  modelSha256?: string;
  modelPath?: string;
  appVersion?: string;
  /** Run date (default: now). */
  date?: Date;
  /** Pre-rendered PNG charts: bytes, or chart.js toBase64Image() output (a PNG data URL) as it is. */
  charts?: Partial<Record<ChartKey, Uint8Array | string>>;
  /** Write live-formula audit sheets (default true; base case of Markov models only). */
  audit?: boolean;
  /** Largest number of PSA draws written row by row (default 1,000,000). */
  maxDrawRows?: number;
};

/** Any result object with a `kind` discriminant. Unknown kinds get a generic sheet. */
export type ExportableResult = { kind: string } & Record<string, unknown>;

// ---- cell helpers ------------------------------------------------------------------------

export const text = (s: string | null | undefined, style?: Cell['s']): Cell => ({ v: s == null ? null : neutraliseText(String(s)), s: style });
const num = (v: number | null | undefined, fmt?: string, style?: Cell['s']): Cell => ({ v: v == null || !Number.isFinite(v) ? (v == null ? null : String(v)) : v, fmt, s: style });
const head = (s: string): Cell => text(s, 'header');
const title = (s: string): Cell => text(s, 'title');
const note = (s: string): Cell => text(s, 'note');

const CURRENCY_SYMBOLS: Record<string, string> = { EUR: '€', GBP: '£', USD: '$', JPY: '¥', CHF: 'CHF', CAD: 'CA$', AUD: 'A$' };

/** '#,##0.00 "€"' and the like; the currency code when there is no common symbol. */
export function currencyFormat(currency: string, decimals = 2): string {
  const symbol = (CURRENCY_SYMBOLS[currency] ?? String(currency ?? '')).replace(/"/g, '');
  return `#,##0${decimals > 0 ? '.' + '0'.repeat(decimals) : ''} "${symbol}"`;
}

const EFFECT_FMT = '#,##0.0000';
const SHARE_FMT = '0.000000';
const PCT_FMT = '0.0%';
const PROB_FMT = '0.0%';

type Formats = { money: string; money0: string; outcome(id: string): string; effect: string };

function formatsFor(currency: string, outcomes: { id: string; unit: string | null; discount: string }[]): Formats {
  const money = currencyFormat(currency);
  const byId = new Map(outcomes.map((o) => [o.id, o]));
  return {
    money,
    money0: currencyFormat(currency, 0),
    effect: EFFECT_FMT,
    outcome: (id) => {
      const o = byId.get(id);
      if (!o) return EFFECT_FMT;
      return o.discount === 'costs' || (o.unit ?? '').toUpperCase() === currency.toUpperCase() ? money : EFFECT_FMT;
    },
  };
}

/** Sheet names: at most 31 characters, none of []:*?/\ , unique (case-insensitive). */
export function sheetNamer(): (wanted: string) => string {
  const used = new Set<string>();
  return (wanted) => {
    const base = wanted.replace(/[[\]:*?/\\]/g, '_').replace(/^'+|'+$/g, '').slice(0, 31) || 'Sheet';
    let name = base;
    for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base.slice(0, 31 - String(i).length - 1)}~${i}`;
    used.add(name.toLowerCase());
    return name;
  };
}

// ---- distributions ---------------------------------------------------------------------------

/** Plain-language description, e.g. "Beta(alpha = 2, beta = 5)". */
export function describeDistribution(d: Distribution | undefined): string {
  if (!d) return '';
  const params = distributionParams(d);
  const name = d.type === 'pert' ? 'PERT' : d.type[0].toUpperCase() + d.type.slice(1);
  return params ? `${name}(${params.replace(/=/g, ' = ').replace(/;/g, ',')})` : name;
}

/** Machine-readable parameters of a distribution: "alpha=2; beta=5" (the import format). */
export function distributionParams(d: Distribution): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(d)) {
    if (k === 'type' || v === undefined) continue;
    if (k === 'alphas') for (const [id, a] of Object.entries(v as Record<string, number>)) parts.push(`alphas.${id}=${a}`);
    else parts.push(`${k}=${v}`);
  }
  return parts.join('; ');
}

// ---- shared sheets -------------------------------------------------------------------------

type Context = {
  options: ExportOptions;
  name: (wanted: string) => string;
  names: DefinedName[];
  sheets: SheetSpec[];
  /** Notes gathered for the Manifest. */
  manifestNotes: string[];
};

export const INPUTS_SHEET = 'Inputs';
/** Columns of the Inputs sheet (0-based); column C holds what a reviewer edits, D what the model uses. */
export const INPUT_COLUMNS = ['id', 'label', 'value', 'evaluated', 'unit', 'low', 'high', 'distribution', 'params', 'description of distribution', 'source', 'confidence', 'notes'] as const;
export const INPUTS_HEADER_ROW = 3;

export type InputsLayout = {
  parameterRef(id: string): string | null;
  cycleYears: string;
  discountCosts: string;
  discountEffects: string;
  cohortSize: string;
  /** Row (0-based) of each parameter on the Inputs sheet. */
  rowOf: Map<string, number>;
  lookup?: LookupTranslator;
};

function inputsSheet(ctx: Context, model: ModelFile, settings: { cycleYears: number; cohortSize: number; currency: string; discountRates: { costs: number; effects: number }; withinCycleCorrection: string }, timeDependent: Set<string>): InputsLayout {
  const lookup = tablesSheet(ctx, model);
  const money = currencyFormat(settings.currency);
  const rows: (Cell | null)[][] = [];
  rows.push([title(`Inputs: ${model.metadata.name}`)]);
  rows.push([note('Column C is the value or expression as written in the model file; column D is the value the model uses (a live formula for expressions). The Audit sheets refer to column D. To change an input: for a number, edit column C (column D follows); for an expression, overwrite its formula in column D. Rows marked ASSUMPTION are assumptions, not reported evidence.')]);
  rows.push([]);
  rows.push(['Parameter id', 'Label', 'Value / expression', 'Evaluated value', 'Unit', 'Low', 'High', 'Distribution', 'Params', 'Distribution (described)', 'Source', 'Confidence', 'Notes'].map(head));
  const first = rows.length;
  const rowOf = new Map<string, number>(model.parameters.map((p, i) => [p.id, first + i]));
  // Settings block below the parameters.
  const settingsFirst = first + model.parameters.length + 2;
  const settingRows: [string, string, number | string, string][] = [
    ['cycle_years', 'Cycle length (years)', settings.cycleYears, '0.000000'],
    ['discount_costs', 'Annual discount rate, costs', settings.discountRates.costs, PCT_FMT],
    ['discount_effects', 'Annual discount rate, effects', settings.discountRates.effects, PCT_FMT],
    ['cohort_size', 'Cohort size (results are multiplied by it)', settings.cohortSize, '#,##0'],
    ['within_cycle_correction', 'Within-cycle correction (not editable here: it decides the audit formulas)', settings.withinCycleCorrection, '@'],
  ];
  const settingRef = (i: number) => `${quoteSheet(INPUTS_SHEET)}!${cellRef(settingsFirst + i, 3, true)}`;
  ['set_cycle_years', 'set_discount_costs', 'set_discount_effects', 'set_cohort_size'].forEach((n, i) =>
    ctx.names.push({ name: n, sheet: INPUTS_SHEET, ref: cellRef(settingsFirst + i, 3, true) }),
  );
  // Defined names: in_<id>, unless two ids differ only by case (Excel names are case-insensitive).
  const lower = new Map<string, number>();
  for (const p of model.parameters) lower.set(p.id.toLowerCase(), (lower.get(p.id.toLowerCase()) ?? 0) + 1);
  const refOf = new Map<string, string>();
  for (const p of model.parameters) {
    const r = rowOf.get(p.id)!;
    if (lower.get(p.id.toLowerCase()) === 1 && `in_${p.id}`.length <= 255) {
      ctx.names.push({ name: `in_${p.id}`, sheet: INPUTS_SHEET, ref: cellRef(r, 3, true) });
      refOf.set(p.id, `in_${p.id}`);
    } else refOf.set(p.id, `${quoteSheet(INPUTS_SHEET)}!${cellRef(r, 3, true)}`);
  }
  const layout: InputsLayout = {
    parameterRef: (id) => (timeDependent.has(id) ? null : refOf.get(id) ?? null),
    cycleYears: 'set_cycle_years',
    discountCosts: 'set_discount_costs',
    discountEffects: 'set_discount_effects',
    cohortSize: 'set_cohort_size',
    rowOf,
    lookup,
  };
  const evaluated = evaluateBaseParameters(model);
  for (const p of model.parameters) {
    const r = rowOf.get(p.id)!;
    const fmt = parameterFormat(p, money);
    const assumption = p.confidence === 'assumption';
    let valueCell: Cell;
    let evalCell: Cell;
    if (typeof p.value === 'number') {
      valueCell = { v: p.value, fmt, s: 'input' };
      evalCell = { v: p.value, f: cellRef(r, 2), fmt };
    } else {
      valueCell = { v: neutraliseText(p.value), s: 'input' };
      const v = evaluated.get(p.id);
      if (timeDependent.has(p.id)) evalCell = { v: 'varies by cycle: see the Audit sheets', s: 'note' };
      else {
        try {
          const f = toExcelFormula(parseExpression(p.value), (name) => {
            if (name === 'cycle_years') return layout.cycleYears;
            const ref = refOf.get(name);
            if (!ref || timeDependent.has(name)) throw new UnsupportedInExcel(name);
            return ref;
          }, lookup);
          if (f.length > MAX_FORMULA_LENGTH) throw new UnsupportedInExcel('too long');
          evalCell = { v: v ?? null, f, fmt };
        } catch (error) {
          if (!(error instanceof UnsupportedInExcel)) throw error;
          evalCell = { v: v ?? null, fmt, s: 'warning', note: `engine value, not a live formula (${error.message})` };
        }
      }
    }
    rows[r] = [
      text(p.id, assumption ? 'assumption' : 'label'),
      text(p.label ?? ''),
      valueCell,
      evalCell,
      text(p.unit ?? ''),
      num(p.low, fmt),
      num(p.high, fmt),
      text(p.distribution?.type ?? ''),
      text(p.distribution ? distributionParams(p.distribution) : ''),
      text(describeDistribution(p.distribution)),
      text(p.source ?? ''),
      text(assumption ? 'ASSUMPTION' : p.confidence ?? '', assumption ? 'assumption' : undefined),
      text(p.notes ?? ''),
    ];
  }
  rows[settingsFirst - 1] = [head('Setting'), head('Description'), null, head('Value')];
  settingRows.forEach(([id, label, v, fmt], i) => {
    rows[settingsFirst + i] = [text(id, 'label'), text(label), null, typeof v === 'number' ? { v, fmt, s: 'input' } : text(v)];
  });
  for (let i = 0; i < rows.length; i++) rows[i] ??= [];
  ctx.sheets.push({
    name: INPUTS_SHEET,
    columns: [{ width: 24 }, { width: 40 }, { width: 24 }, { width: 16 }, { width: 12 }, { width: 12 }, { width: 12 }, { width: 12 }, { width: 28 }, { width: 30 }, { width: 40 }, { width: 13 }, { width: 40 }],
    rows,
    freeze: { rows: INPUTS_HEADER_ROW + 1, cols: 1 },
    table: { header: INPUTS_HEADER_ROW, first, last: first + model.parameters.length - 1 },
  });
  void settingRef;
  return layout;
}

export const TABLES_SHEET = 'Tables';

/**
 * Lookup tables for live formulas: one two-column block (key, value) per table and combination of
 * text keys, sorted by the numeric key, so that lookup(t, x, "female") becomes
 * INDEX(values, MATCH(MIN(MAX(x, first), last), keys, 1)) (floor), MATCH(..., 0) (exact) or a
 * linear interpolation. Tables with more than one numeric key column are not translated.
 */
function tablesSheet(ctx: Context, model: ModelFile): LookupTranslator | undefined {
  if (!model.tables.length) return undefined;
  type Block = { keys: string; values: string; first: number; last: number };
  const blocks = new Map<string, Map<string, Block>>();
  const unsupported = new Map<string, string>();
  const header: (Cell | null)[] = [];
  const groupRow: (Cell | null)[] = [];
  const body: (Cell | null)[][] = [];
  let col = 0;
  for (const t of model.tables) {
    const numeric = t.keys.map((_, c) => t.rows.every((r) => typeof r[c] === 'number'));
    const numericCols = numeric.map((n, c) => (n ? c : -1)).filter((c) => c >= 0);
    if (numericCols.length !== 1) {
      unsupported.set(t.id, `table '${t.id}' has ${numericCols.length} numeric key columns (only one can be translated)`);
      continue;
    }
    const nc = numericCols[0];
    const groups = new Map<string, { label: string; rows: [number, number][] }>();
    for (const r of t.rows) {
      const textKeys = t.keys.map((_, c) => (c === nc ? null : String(r[c])));
      const key = JSON.stringify(textKeys);
      const label = t.keys.map((k, c) => (c === nc ? null : `${k}=${r[c]}`)).filter(Boolean).join(', ');
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { label, rows: [] }));
      g.rows.push([r[nc] as number, r[t.keys.length] as number]);
    }
    const tableBlocks = new Map<string, Block>();
    for (const [key, g] of groups) {
      g.rows.sort((a, b) => a[0] - b[0]);
      header[col] = text(t.id, 'header');
      header[col + 1] = text(t.id, 'header');
      groupRow[col] = text(`${g.label || 'all rows'}: ${t.keys[nc]}`, 'bold');
      groupRow[col + 1] = text('value', 'bold');
      g.rows.forEach(([k, v], i) => {
        body[i] ??= [];
        body[i][col] = { v: k };
        body[i][col + 1] = { v: v, s: 'input' };
      });
      const range = (c: number) => `${quoteSheet(TABLES_SHEET)}!$${columnLetterOf(c)}$4:$${columnLetterOf(c)}$${3 + g.rows.length}`;
      tableBlocks.set(key, { keys: range(col), values: range(col + 1), first: g.rows[0][0], last: g.rows[g.rows.length - 1][0] });
      col += 2;
    }
    blocks.set(t.id, tableBlocks);
  }
  ctx.sheets.push({
    name: ctx.name(TABLES_SHEET),
    columns: Array.from({ length: Math.max(col, 1) }, () => ({ width: 14 })),
    rows: [[title('Lookup tables used by the live formulas (one key/value block per table and text key)')], header, groupRow, ...body],
    freeze: { rows: 3, cols: 0 },
  });
  const specs = new Map(model.tables.map((t) => [t.id, t]));
  return (tableId, args, translate) => {
    const t = specs.get(tableId);
    if (!t) throw new UnsupportedInExcel(`unknown table ${tableId}`);
    const reason = unsupported.get(tableId);
    if (reason) throw new UnsupportedInExcel(reason);
    const numeric = t.keys.map((_, c) => t.rows.every((r) => typeof r[c] === 'number'));
    const textKeys: (string | null)[] = [];
    let x = '';
    args.forEach((a, c) => {
      if (numeric[c]) {
        textKeys.push(null);
        x = translate(a);
      } else if (a.kind === 'string') textKeys.push(a.value);
      else throw new UnsupportedInExcel(`table '${tableId}': text keys must be literals`);
    });
    const block = blocks.get(tableId)!.get(JSON.stringify(textKeys));
    if (!block) throw new UnsupportedInExcel(`table '${tableId}' has no rows for ${JSON.stringify(textKeys.filter((k) => k !== null))}`);
    const xc = `MIN(MAX(${x},${numberLiteral(block.first)}),${numberLiteral(block.last)})`;
    const { keys: K, values: V } = block;
    if (t.match === 'exact') return `INDEX(${V},MATCH(${xc},${K},0))`;
    if (t.match === 'linear') {
      const i = `MATCH(${xc},${K},1)`;
      return `IF(INDEX(${K},${i})=${xc},INDEX(${V},${i}),INDEX(${V},${i})+(${xc}-INDEX(${K},${i}))*(INDEX(${V},${i}+1)-INDEX(${V},${i}))/(INDEX(${K},${i}+1)-INDEX(${K},${i})))`;
    }
    return `INDEX(${V},MATCH(${xc},${K},1))`;
  };
}

function columnLetterOf(c: number): string {
  return cellRef(0, c).replace(/\d+$/, '');
}

function parameterFormat(p: Parameter, money: string): string {
  const unit = (p.unit ?? '').toLowerCase();
  if (unit.includes('prob')) return '0.000000';
  if (/(eur|gbp|usd|€|£|\$|cost)/.test(unit)) return money;
  return 'General';
}

/** Base values of non-time-dependent parameters (first strategy that does not override them). */
function evaluateBaseParameters(model: ModelFile): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of model.parameters) if (typeof p.value === 'number') out.set(p.id, p.value);
  try {
    const compiled = compileModel(model);
    // Evaluate each strategy's program at cycle 0 and take values of parameters it does not override.
    for (const s of compiled.strategies) {
      const overridden = new Set(Object.keys(model.strategies[s.index].overrides ?? {}));
      const slots = new Float64Array(s.program.slotCount);
      slots[3] = compiled.settings.cycleYears;
      slots[2] = 1;
      const values = new Float64Array(model.parameters.length);
      model.parameters.forEach((p, i) => (values[i] = typeof p.value === 'number' ? p.value : NaN));
      for (const steps of [s.program.staticSteps, s.program.cycleSteps, s.program.stateTimeSteps]) {
        for (const step of steps) {
          const v = step.fn === null ? step.constant ?? values[step.inputIndex] : step.fn(slots);
          slots[step.slot] = v;
          if (!overridden.has(step.parameter) && !out.has(step.parameter) && Number.isFinite(v)) out.set(step.parameter, v);
        }
      }
    }
  } catch {
    // Values stay blank; the formulas still compute them.
  }
  return out;
}

function manifestSheet(ctx: Context, result: ExportableResult, extra: [string, unknown][]): void {
  const o = ctx.options;
  const sha = o.modelSha256 ?? (o.modelText !== undefined ? sha256Hex(o.modelText) : null);
  const rows: (Cell | null)[][] = [[title('Manifest: the run that produced this workbook')], [note('Every number in this workbook comes from the run described here. Re-running the same model file (same SHA-256) with the same app version and settings reproduces it.')], [], [head('Item'), head('Value')]];
  const add = (k: string, v: unknown, fmt?: string) => rows.push([text(k, 'label'), typeof v === 'number' ? num(v, fmt) : text(v == null ? '' : typeof v === 'string' ? v : JSON.stringify(v))]);
  add('Model name', (result.modelName as string | undefined) ?? o.model?.metadata.name ?? '');
  add('Model version', o.model?.metadata.version ?? '');
  add('Model file', o.modelPath ?? '');
  add('Model file SHA-256', sha ?? 'not available (model text not given)');
  add('App', 'HTA Modeller');
  add('App version', o.appVersion ?? 'unknown');
  add('Result kind', result.kind);
  add('Run date (UTC)', (o.date ?? new Date()).toISOString());
  for (const [k, v] of extra) add(k, v);
  add('Spreadsheet notes', 'Text cells that begin with =, +, -, @, tab or CR are prefixed with a single quote so that no spreadsheet runs them as formulas.');
  for (const n of ctx.manifestNotes) add('Note', n);
  ctx.sheets.push({ name: ctx.name('Manifest'), columns: [{ width: 34 }, { width: 100 }], rows, freeze: { rows: 4, cols: 0 }, table: { header: 3, first: 4, last: rows.length - 1 } });
}

function imageAt(png: Uint8Array | string | undefined, row: number, col: number, t: string): ImageSpec[] {
  if (!png) return [];
  return [{ png: typeof png === 'string' ? pngFromDataUrl(png) : png, row, col, width: 720, height: 405, title: t }];
}

// ---- base case ---------------------------------------------------------------------------

const STATUS_TEXT: Record<string, string> = { reference: 'reference', frontier: 'on the frontier', dominated: 'dominated', 'extended-dominated': 'extendedly dominated' };

/** "Life-years" → "life-years"; acronyms (QALYs) keep their case. */
function effectWords(label: string): { plural: string; singular: string } {
  const plural = /[A-Z]{2,}/.test(label) ? label : label.toLowerCase();
  const singular = plural.startsWith('units of ') ? 'unit of ' + plural.slice(9) : plural.replace(/s$/, '');
  return { plural, singular };
}

/** A plain-language sentence from the numbers (what a reader of the report would write). */
export function resultSentence(incremental: IncrementalRow[], names: Map<string, string>, currency: string, effectLabel: string, wtp: number | null, optimal: string | null): string {
  const fmtMoney = (v: number) => `${currency} ${Math.abs(v).toLocaleString('en-GB', { maximumFractionDigits: 0 })}`;
  const fmtEff = (v: number) => Math.abs(v).toLocaleString('en-GB', { maximumSignificantDigits: 4 });
  const n = (id: string | null) => (id ? names.get(id) ?? id : '');
  const words = effectWords(effectLabel);
  const parts: string[] = [];
  if (incremental.length === 1) parts.push(`${n(incremental[0].id)} costs ${fmtMoney(incremental[0].cost)} and yields ${fmtEff(incremental[0].effect)} ${words.plural}.`);
  for (const r of incremental) {
    if (r.status === 'frontier' && r.comparator) {
      const dc = r.incrementalCost!;
      const de = r.incrementalEffect!;
      parts.push(
        `Compared with ${n(r.comparator)}, ${n(r.id)} costs ${fmtMoney(dc)} ${dc >= 0 ? 'more' : 'less'} and gives ${fmtEff(de)} ${de >= 0 ? 'more' : 'fewer'} ${words.plural}` +
          (r.icer !== null ? `: ${fmtMoney(r.icer)} per ${words.singular} gained (ICER).` : '.'),
      );
    } else if (r.status === 'dominated') parts.push(`${n(r.id)} is dominated${r.dominatedBy ? ` by ${n(r.dominatedBy)}` : ''}: it costs more and gives no more ${words.plural}.`);
    else if (r.status === 'extended-dominated') parts.push(`${n(r.id)} is extendedly dominated (a mix of ${(r.dominatedBy ?? '').split('\u2013').map(n).join(' and ')} would give more for the same cost).`);
  }
  if (wtp !== null && optimal) parts.push(`At a threshold of ${fmtMoney(wtp)} per ${words.singular}, ${n(optimal)} has the highest net monetary benefit.`);
  return parts.join(' ');
}

function summaryTable(rows: (Cell | null)[][], strategies: { id: string; name: string; cost: number; effect: number }[], incremental: IncrementalRow[], netBenefit: { wtp: number; strategies: { id: string; nmb: number }[] }[] | null, f: Formats, effectHeader: string): { header: number; first: number; last: number } {
  const nameOf = (id: string | null | undefined) => (id ? id.split('\u2013').map((x) => strategies.find((s) => s.id === x)?.name ?? x).join(' – ') : '');
  const header = rows.length;
  const nmbHeads = (netBenefit ?? []).map((nb) => head(`NMB at ${nb.wtp.toLocaleString('en-GB')}`));
  rows.push([head('Strategy'), head('Id'), head('Cost'), head(effectHeader), head('Incremental cost'), head('Incremental effect'), head('ICER'), head('Status'), head('Compared with'), ...nmbHeads]);
  const first = rows.length;
  for (const s of strategies) {
    const inc = incremental.find((r) => r.id === s.id);
    rows.push([
      text(s.name, 'label'),
      text(s.id),
      num(s.cost, f.money),
      num(s.effect, f.effect),
      num(inc?.incrementalCost ?? null, f.money),
      num(inc?.incrementalEffect ?? null, f.effect),
      inc?.icer != null ? num(inc.icer, f.money) : text(inc?.status === 'dominated' ? 'dominated' : inc?.status === 'extended-dominated' ? 'ext. dominated' : ''),
      text(STATUS_TEXT[inc?.status ?? ''] ?? inc?.status ?? ''),
      text(nameOf(inc?.comparator ?? inc?.dominatedBy)),
      ...(netBenefit ?? []).map((nb) => num(nb.strategies.find((x) => x.id === s.id)?.nmb ?? null, f.money)),
    ]);
  }
  return { header, first, last: rows.length - 1 };
}

function incrementalSheet(ctx: Context, incremental: IncrementalRow[], names: Map<string, string>, netBenefit: BaseCaseResult['netBenefit'] | null, f: Formats): void {
  const rows: (Cell | null)[][] = [[title('Incremental analysis (dominance, extended dominance, ICERs)')], [note('Sorted by cost; ICERs against the previous strategy on the efficient frontier (dampack calculate_icers semantics).')], []];
  const header = rows.length;
  rows.push(['Strategy', 'Id', 'Cost', 'Effect', 'Status', 'Compared with', 'Incremental cost', 'Incremental effect', 'ICER', 'Dominated by'].map(head));
  for (const r of incremental) {
    rows.push([text(names.get(r.id) ?? r.id, 'label'), text(r.id), num(r.cost, f.money), num(r.effect, f.effect), text(STATUS_TEXT[r.status] ?? r.status), text(r.comparator ?? ''), num(r.incrementalCost, f.money), num(r.incrementalEffect, f.effect), num(r.icer, f.money), text(r.dominatedBy ?? '')]);
  }
  const last = rows.length - 1;
  if (netBenefit?.length) {
    rows.push([], [title('Net benefit at each willingness-to-pay threshold')]);
    const ids = netBenefit[0].strategies.map((s) => s.id);
    rows.push([head('WTP'), ...ids.map((id) => head(`NMB ${names.get(id) ?? id}`)), ...ids.map((id) => head(`NHB ${names.get(id) ?? id}`)), head('Optimal')]);
    for (const nb of netBenefit) {
      rows.push([num(nb.wtp, f.money0), ...nb.strategies.map((s) => num(s.nmb, f.money)), ...nb.strategies.map((s) => num(s.nhb, f.effect)), text(names.get(nb.optimal) ?? nb.optimal)]);
    }
  }
  ctx.sheets.push({ name: ctx.name('Incremental'), columns: [{ width: 30 }, { width: 12 }, ...Array.from({ length: 12 }, () => ({ width: 16 }))], rows, freeze: { rows: header + 1, cols: 1 }, table: { header, first: header + 1, last } });
}

function traceSheet(ctx: Context, s: StrategyResult, outcomes: BaseCaseResult['outcomes'], f: Formats, png: Uint8Array | string | undefined): void {
  const rows: (Cell | null)[][] = [[title(`Markov trace and per-cycle values: ${s.name}`)], [note('Engine values (not formulas). Per-cycle values are each cycle boundary\'s contribution to the total, after the within-cycle correction; totals are per person (before the cohort size).')]];
  let table: SheetSpec['table'];
  let width = 0;
  for (const m of s.markov ?? []) {
    rows.push([], [text(`Markov model '${m.model}'`, 'bold')]);
    const header = rows.length;
    rows.push([head('Cycle'), ...m.stateIds.map((id) => head(id)), ...outcomes.map((o) => head(`${o.label}: discounted`)), ...outcomes.map((o) => head(`${o.label}: undiscounted`))]);
    m.trace.forEach((t, k) => rows.push([num(k, '0'), ...t.map((v) => num(v, SHARE_FMT)), ...outcomes.map((o) => num(m.perCycle[o.id][k], f.outcome(o.id))), ...outcomes.map((o) => num(m.perCycleUndiscounted[o.id][k], f.outcome(o.id)))]));
    rows.push([text('Total', 'total'), ...m.stateIds.map(() => null), ...outcomes.map((o) => num(m.perCycle[o.id].reduce((a, b) => a + b, 0), f.outcome(o.id), 'total')), ...outcomes.map((o) => num(m.perCycleUndiscounted[o.id].reduce((a, b) => a + b, 0), f.outcome(o.id), 'total'))]);
    table ??= { header, first: header + 1, last: header + m.trace.length };
    width = Math.max(width, 1 + m.stateIds.length + 2 * outcomes.length);
  }
  if (s.tree) {
    rows.push([], [text('Decision tree (expected values per person reaching each node)', 'bold')]);
    rows.push([head('Node'), head('Label'), head('Kind'), head('Parent'), head('Branch probability'), head('Path probability'), ...outcomes.map((o) => head(o.label))]);
    for (const n of s.tree) rows.push([text('  '.repeat(n.depth) + n.id), text(n.label), text(n.kind), text(n.parent ?? ''), num(n.branchProbability, PROB_FMT), num(n.pathProbability, PROB_FMT), ...outcomes.map((o) => num(n.expected[o.id], f.outcome(o.id)))]);
  }
  ctx.sheets.push({
    name: ctx.name(`Trace ${s.id}`),
    columns: [{ width: 10 }, ...Array.from({ length: Math.max(width, 8) }, () => ({ width: 14 }))],
    rows,
    freeze: table ? { rows: table.header + 1, cols: 1 } : undefined,
    table,
    images: imageAt(png, 1, width + 2, 'Markov trace'),
  });
}

function baseCaseSheets(ctx: Context, r: BaseCaseResult): void {
  const st = r.settings;
  const f = formatsFor(st.currency, r.outcomes);
  const names = new Map(r.strategies.map((s) => [s.id, s.name]));
  const effect = r.outcomes.find((o) => o.id === st.effectOutcome);
  const nb0 = r.netBenefit[0];
  const rows: (Cell | null)[][] = [[title(r.modelName)]];
  const variant = [r.scenario && `scenario ${r.scenario}`, r.subgroup && `subgroup ${r.subgroup}`].filter(Boolean).join(', ');
  rows.push([text(`Base case${variant ? ` (${variant})` : ''}: ${st.nCycles} cycles of ${st.cycleLength.value} ${st.cycleLength.unit}; discount ${st.discountRates.costs * 100}% costs, ${st.discountRates.effects * 100}% effects a year; within-cycle correction ${st.withinCycleCorrection}; ${st.currency}${st.priceYear ? ' ' + st.priceYear : ''}; ${st.cohortSize === 1 ? 'per person' : `cohort of ${st.cohortSize}`}.`)]);
  rows.push([text(resultSentence(r.incremental, names, st.currency, effect?.label ?? 'units of effect', nb0?.wtp ?? null, nb0?.optimal ?? null), 'bold')]);
  rows.push([]);
  const table = summaryTable(rows, r.strategies, r.incremental, r.netBenefit, f, `${effect?.label ?? 'Effect'}${effect?.unit ? ` (${effect.unit})` : ''}`);
  rows.push([], [title('All outcomes (discounted as defined)')]);
  rows.push([head('Outcome'), head('Unit'), head('Discounting'), ...r.strategies.flatMap((s) => [head(`${s.name}`), head(`${s.name} (undiscounted)`)])]);
  for (const o of r.outcomes) rows.push([text(o.label, 'label'), text(o.unit ?? ''), text(o.discount), ...r.strategies.flatMap((s) => [num(s.outcomes[o.id], f.outcome(o.id)), num(s.undiscountedOutcomes[o.id], f.outcome(o.id))])]);
  const summary: SheetSpec = { name: ctx.name('Summary'), columns: [{ width: 34 }, { width: 12 }, ...Array.from({ length: 12 + 2 * r.strategies.length }, () => ({ width: 17 }))], rows, freeze: { rows: table.header + 1, cols: 1 }, table };
  ctx.sheets.push(summary);

  const model = ctx.options.model;
  let layout: InputsLayout | null = null;
  let compiled: ReturnType<typeof compileModel> | null = null;
  if (model) {
    compiled = compileModel(model, { scenario: r.scenario, subgroup: r.subgroup });
    layout = inputsSheet(ctx, model, { cycleYears: st.cycleYears, cohortSize: st.cohortSize, currency: st.currency, discountRates: st.discountRates, withinCycleCorrection: st.withinCycleCorrection }, baseTimeDependent(model));
  } else ctx.manifestNotes.push('The model file was not given to the export, so the Inputs and Audit sheets are missing.');
  incrementalSheet(ctx, r.incremental, names, r.netBenefit, f);
  r.strategies.forEach((s, i) => traceSheet(ctx, s, r.outcomes, f, i === 0 ? ctx.options.charts?.trace : undefined));

  const liveTotals = new Map<string, { sheet: string; row: number; cost: number; effect: number }>();
  if (model && compiled && layout && ctx.options.audit !== false) {
    for (const s of compiled.strategies) {
      const res = r.strategies.find((x) => x.id === s.id)!;
      const undiscounted = res.undiscountedOutcomes;
      const name = ctx.name(`Audit ${s.id}`);
      const audit = buildAuditSheet(compiled, s, name, { ...layout, outcomeFormat: f.outcome }, res.outcomes, undiscounted);
      if (audit.ok) {
        ctx.sheets.push(audit.sheet);
        liveTotals.set(s.id, { sheet: name, row: audit.totalsRow, cost: audit.totals[compiled.settings.costIndex].discounted, effect: audit.totals[compiled.settings.effectIndex].discounted });
        if (audit.notes.length) ctx.manifestNotes.push(`${name}: some values are not live formulas (${audit.notes.length}); see the sheet.`);
      } else {
        ctx.sheets.push({ name, columns: [{ width: 120 }], rows: [[title(`Audit: ${s.name}`)], [text(`No live-formula audit for this strategy: ${audit.reason}.`, 'warning')]] });
        ctx.manifestNotes.push(`${name}: ${audit.reason}.`);
      }
    }
  }
  if (compiled && liveTotals.size === r.strategies.length && r.strategies.length > 0) liveSummary(summary, r, liveTotals, compiled.settings.costIndex, compiled.settings.effectIndex, f);
  summary.images = imageAt(ctx.options.charts?.['ce-plane'], summary.rows.length + 1, 0, 'Cost-effectiveness plane');
  manifestSheet(ctx, r as unknown as ExportableResult, [
    ['Scenario', r.scenario ?? '(none)'],
    ['Subgroup', r.subgroup ?? '(none)'],
    ['Seed', 'not applicable (deterministic)'],
    ['Draws', 'not applicable (deterministic)'],
    ['Cycles', st.nCycles],
    ['Cycle length', `${st.cycleLength.value} ${st.cycleLength.unit}`],
    ['Time horizon', `${st.timeHorizon.value} ${st.timeHorizon.unit}`],
    ['Within-cycle correction', st.withinCycleCorrection],
    ['Discount rates (costs, effects)', `${st.discountRates.costs}, ${st.discountRates.effects}`],
    ['Currency / price year', `${st.currency} ${st.priceYear ?? ''}`],
    ['Perspective', st.perspective ?? ''],
    ['Cohort size', st.cohortSize],
    ['WTP thresholds', st.wtpThresholds.join(', ')],
    ['Cost outcome / effect outcome', `${st.costOutcome} / ${st.effectOutcome}`],
  ]);
}

/** ICER vs reference as a live formula: blank for the reference, "dominated"/"dominant" where a ratio would mislead. */
function liveIcer(row: number, dc: number, de: number, isReference: boolean, fmt: string): Cell {
  const E = cellRef(row, 4);
  const F = cellRef(row, 5);
  const f = `IF(${F}=0,IF(${E}>0,"dominated",IF(${E}<0,"dominant","")),IF(AND(${E}>=0,${F}<0),"dominated",IF(AND(${E}<=0,${F}>0),"dominant",${E}/${F})))`;
  if (isReference) return { v: '', f };
  if (de === 0) return { v: dc > 0 ? 'dominated' : dc < 0 ? 'dominant' : '', f };
  if (dc >= 0 && de < 0) return { v: 'dominated', f };
  if (dc <= 0 && de > 0) return { v: 'dominant', f };
  return { v: dc / de, f, fmt };
}

/**
 * Live block on the Summary: cost, effect and NMB of each strategy as formulas linked to the Audit
 * sheets' totals, so that a reviewer who edits an input sees the headline results change too.
 */
function liveSummary(summary: SheetSpec, r: BaseCaseResult, live: Map<string, { sheet: string; row: number; cost: number; effect: number }>, costIndex: number, effectIndex: number, f: Formats): void {
  const rows = summary.rows;
  const refId = r.incremental.find((x) => x.status === 'reference')?.id ?? r.strategies[0].id;
  const wtps = r.settings.wtpThresholds;
  rows.push([], [title('Live results: formulas linked to the Audit sheets (they recalculate when an input is changed)')]);
  rows.push([note(`Incremental values are against the reference strategy of the base case (${r.strategies.find((s) => s.id === refId)?.name ?? refId}); the full incremental analysis (dominance, frontier) is on the Incremental sheet and is not recalculated.`)]);
  const header = rows.length;
  rows.push([head('Strategy'), head('Id'), head('Cost (live)'), head('Effect (live)'), head('Incremental cost vs reference'), head('Incremental effect vs reference'), head('ICER vs reference'), ...wtps.map((w) => head(`NMB at ${w.toLocaleString('en-GB')} (live)`))]);
  const first = rows.length;
  const refRow = first + r.strategies.findIndex((s) => s.id === refId);
  const ref = live.get(refId)!;
  r.strategies.forEach((s, i) => {
    const t = live.get(s.id)!;
    const row = first + i;
    const costRef = `${quoteSheet(t.sheet)}!${cellRef(t.row + costIndex, 1, true)}`;
    const effectRef = `${quoteSheet(t.sheet)}!${cellRef(t.row + effectIndex, 1, true)}`;
    const dc = t.cost - ref.cost;
    const de = t.effect - ref.effect;
    rows.push([
      text(s.name, 'label'),
      text(s.id),
      { v: t.cost, f: costRef, fmt: f.money },
      { v: t.effect, f: effectRef, fmt: f.effect },
      { v: dc, f: `${cellRef(row, 2)}-${cellRef(refRow, 2, true)}`, fmt: f.money },
      { v: de, f: `${cellRef(row, 3)}-${cellRef(refRow, 3, true)}`, fmt: f.effect },
      liveIcer(row, dc, de, s.id === refId, f.money),
      ...wtps.map((w) => ({ v: t.effect * w - t.cost, f: `${cellRef(row, 3)}*${numberLiteral(w)}-${cellRef(row, 2)}`, fmt: f.money })),
    ]);
  });
  const last = rows.length - 1;
  rows.push([
    text('Highest NMB (live)', 'total'),
    null,
    null,
    null,
    null,
    null,
    null,
    ...wtps.map((w, j) => {
      const col = 7 + j;
      const range = `${cellRef(first, col, true)}:${cellRef(last, col, true)}`;
      const names = `${cellRef(first, 0, true)}:${cellRef(last, 0, true)}`;
      const best = r.strategies.reduce((a, s) => {
        const t = live.get(s.id)!;
        const v = t.effect * w - t.cost;
        return v > a.v ? { v, name: s.name } : a;
      }, { v: -Infinity, name: '' });
      return { v: neutraliseText(best.name), f: `INDEX(${names},MATCH(MAX(${range}),${range},0))`, s: 'total' as const };
    }),
  ]);
  void header;
}

/** Parameters whose base definition depends on cycle, time or state_time (directly or through other parameters). */
export function baseTimeDependent(model: ModelFile): Set<string> {
  const uses = new Map<string, Set<string>>();
  for (const p of model.parameters) {
    if (typeof p.value !== 'string') continue;
    try {
      uses.set(p.id, freeIdentifiers(parseExpression(p.value)));
    } catch {
      // Invalid expressions cannot reach the export (the model compiled).
    }
  }
  const out = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const [id, names] of uses) {
      if (out.has(id)) continue;
      for (const n of names) {
        if (n === 'cycle' || n === 'time' || n === 'state_time' || out.has(n)) {
          out.add(id);
          changed = true;
          break;
        }
      }
    }
  }
  return out;
}

// ---- other kinds -----------------------------------------------------------------------------

function genericInputs(ctx: Context): void {
  const model = ctx.options.model;
  if (!model) return;
  inputsSheet(ctx, model, { cycleYears: toYears(model.settings.cycleLength), cohortSize: model.settings.cohortSize, currency: model.settings.currency, discountRates: model.settings.discountRates, withinCycleCorrection: model.settings.withinCycleCorrection }, baseTimeDependent(model));
}

function oneWaySheets(ctx: Context, r: OneWayDsaResult): void {
  const rows: (Cell | null)[][] = [[title(`One-way sensitivity analysis (tornado): ${r.modelName}`)], [text(`Metric: ${r.description}. Base value: ${r.base}.`, 'bold')], [note(r.rangeNote)], []];
  const top = r.rows[0];
  if (top) rows.splice(2, 0, [text(`The result is most sensitive to ${top.label} (${top.parameter}): over its range ${top.low} to ${top.high} the metric moves from ${fmtG(top.outcomeLow)} to ${fmtG(top.outcomeHigh)}.`)]);
  const header = rows.length;
  rows.push(['Parameter', 'Label', 'Range source', 'Base input', 'Low input', 'High input', 'Metric at low', 'Metric at high', 'Width'].map(head));
  for (const t of r.rows) rows.push([text(t.parameter, 'label'), text(t.label), text(t.source), num(t.base), num(t.low), num(t.high), num(t.outcomeLow, '#,##0.00'), num(t.outcomeHigh, '#,##0.00'), num(t.width, '#,##0.00')]);
  const last = rows.length - 1;
  if (r.skipped.length) {
    rows.push([], [head('Not varied'), head('Reason')]);
    for (const s of r.skipped) rows.push([text(s.parameter), text(s.reason)]);
  }
  ctx.sheets.push({ name: ctx.name('Summary'), columns: [{ width: 24 }, { width: 40 }, { width: 16 }, ...Array.from({ length: 6 }, () => ({ width: 16 }))], rows, freeze: { rows: header + 1, cols: 1 }, table: { header, first: header + 1, last }, images: imageAt(ctx.options.charts?.tornado, 1, 10, 'Tornado') });
  genericInputs(ctx);
  manifestSheet(ctx, r as unknown as ExportableResult, [['Scenario', r.scenario ?? '(none)'], ['Subgroup', r.subgroup ?? '(none)'], ['Metric', r.description]]);
}

function twoWaySheets(ctx: Context, r: TwoWayDsaResult): void {
  const rows: (Cell | null)[][] = [[title(`Two-way sensitivity analysis: ${r.modelName}`)], [text(`Metric: ${r.description}; base value ${fmtG(r.base)}. Rows: ${r.parameters[0]}; columns: ${r.parameters[1]}.`, 'bold')], []];
  const header = rows.length;
  rows.push([head(`${r.parameters[0]} \\ ${r.parameters[1]}`), ...r.values2.map((v) => ({ v, s: 'header' as const }))]);
  r.values1.forEach((v, i) => rows.push([{ v, s: 'header' }, ...r.grid[i].map((g) => num(g, '#,##0.00'))]));
  ctx.sheets.push({ name: ctx.name('Two-way'), columns: Array.from({ length: r.values2.length + 1 }, () => ({ width: 14 })), rows, freeze: { rows: header + 1, cols: 1 }, table: { header, first: header + 1, last: rows.length - 1 } });
  genericInputs(ctx);
  manifestSheet(ctx, r as unknown as ExportableResult, [['Parameters', r.parameters.join(', ')], ['Metric', r.description]]);
}

function thresholdSheets(ctx: Context, r: ThresholdResult): void {
  const rows: (Cell | null)[][] = [[title(`Threshold analysis: ${r.modelName}`)], [text(r.message, 'bold')], [note(r.method)], []];
  const header = rows.length;
  rows.push(['Threshold value', 'INMB at threshold', 'Preferred below', 'Preferred above'].map(head));
  for (const t of r.thresholds) rows.push([num(t.value), num(t.inmb, '0.00E+00'), text(t.preferredBelow), text(t.preferredAbove)]);
  ctx.sheets.push({ name: ctx.name('Threshold'), columns: [{ width: 18 }, { width: 18 }, { width: 24 }, { width: 24 }], rows, freeze: { rows: header + 1, cols: 0 }, table: { header, first: header + 1, last: rows.length - 1 } });
  genericInputs(ctx);
  manifestSheet(ctx, r as unknown as ExportableResult, [['Parameter', r.parameter], ['Strategy / comparator', `${r.strategy} / ${r.comparator}`], ['WTP', r.wtp], ['Range searched', r.range.join(' to ')], ['Base value', r.baseValue], ['Status', r.status]]);
}

function scenarioSheets(ctx: Context, r: ScenarioAnalysisResult): void {
  const currency = ctx.options.model?.settings.currency ?? '';
  const f = formatsFor(currency, []);
  const rows: (Cell | null)[][] = [[title(`Scenario and subgroup analysis: ${r.modelName}`)], [note(r.note)], []];
  const header = rows.length;
  rows.push(['Variant', 'Kind', 'Strategy', 'Cost', 'Effect', 'Status', 'ICER', 'Cost vs base', 'Effect vs base', 'Weight'].map(head));
  const add = (v: VariantResult, kind: string, diff?: { id: string; cost: number; effect: number }[], weight?: number) => {
    for (const s of v.strategies) {
      const inc = v.incremental.find((x) => x.id === s.id);
      const d = diff?.find((x) => x.id === s.id);
      rows.push([text(v.name, 'label'), text(kind), text(s.name), num(s.cost, f.money), num(s.effect, EFFECT_FMT), text(STATUS_TEXT[inc?.status ?? ''] ?? ''), num(inc?.icer ?? null, f.money), num(d?.cost ?? null, f.money), num(d?.effect ?? null, EFFECT_FMT), num(weight ?? null, PCT_FMT)]);
    }
  };
  add(r.base, 'base case');
  for (const s of r.scenarios) add(s, 'scenario', s.differenceFromBase);
  for (const s of r.subgroups) add(s, 'subgroup', undefined, s.normalisedWeight);
  if (r.weightedTotal) add(r.weightedTotal, 'weighted total');
  ctx.sheets.push({ name: ctx.name('Summary'), columns: [{ width: 30 }, { width: 14 }, { width: 30 }, ...Array.from({ length: 7 }, () => ({ width: 16 }))], rows, freeze: { rows: header + 1, cols: 1 }, table: { header, first: header + 1, last: rows.length - 1 } });
  genericInputs(ctx);
  manifestSheet(ctx, r as unknown as ExportableResult, []);
}

function psaSheets(ctx: Context, r: PsaResult): void {
  const f = formatsFor(r.settings.currency, []);
  const names = new Map(r.strategies.map((s) => [s.id, s.name]));
  const rows: (Cell | null)[][] = [[title(`Probabilistic sensitivity analysis: ${r.modelName}`)], [text(`${r.nDraws.toLocaleString('en-GB')} draws (seed ${r.seed}${r.complete ? '' : `, draws ${r.drawRange[0]}-${r.drawRange[1]} of ${r.n}`}).`)]];
  const wtp0 = r.settings.wtpThresholds[0];
  const ceaf0 = r.ceaf.find((c) => c.wtp === wtp0) ?? null;
  rows.push([text(resultSentence(r.incremental, names, r.settings.currency, psaEffectLabel(ctx, r), null, null) + (ceaf0 ? ` At ${r.settings.currency} ${wtp0.toLocaleString('en-GB')} per ${effectWords(psaEffectLabel(ctx, r)).singular}, ${names.get(ceaf0.optimal) ?? ceaf0.optimal} has the highest expected net benefit; the probability that it is cost-effective is ${(ceaf0.probability * 100).toFixed(1)}%.` : ''), 'bold')]);
  rows.push([note(`Intervals: ${r.intervalMethod}.`)], []);
  const header = rows.length;
  rows.push(['Strategy', 'Id', 'Mean cost', 'Cost 2.5%', 'Cost 97.5%', 'Mean effect', 'Effect 2.5%', 'Effect 97.5%', 'Status', 'ICER (means)'].map(head));
  for (const s of r.strategies) {
    const inc = r.incremental.find((x) => x.id === s.id);
    rows.push([text(s.name, 'label'), text(s.id), num(s.meanCost, f.money), num(s.costInterval[0], f.money), num(s.costInterval[1], f.money), num(s.meanEffect, EFFECT_FMT), num(s.effectInterval[0], EFFECT_FMT), num(s.effectInterval[1], EFFECT_FMT), text(STATUS_TEXT[inc?.status ?? ''] ?? ''), num(inc?.icer ?? null, f.money)]);
  }
  const last = rows.length - 1;
  ctx.sheets.push({ name: ctx.name('Summary'), columns: [{ width: 30 }, { width: 12 }, ...Array.from({ length: 8 }, () => ({ width: 16 }))], rows, freeze: { rows: header + 1, cols: 1 }, table: { header, first: header + 1, last }, images: imageAt(ctx.options.charts?.['ce-plane'], rows.length + 1, 0, 'Cost-effectiveness plane') });
  genericInputs(ctx);
  incrementalSheet(ctx, r.incremental, names, null, f);

  // CEAC / CEAF / EVPI on one sheet.
  const ids = r.strategies.map((s) => s.id);
  const c: (Cell | null)[][] = [[title('Cost-effectiveness acceptability (CEAC, CEAF) and EVPI')], [note(`EVPI: ${r.evpiMethod}. WTP grid: ${r.wtpGrid}.`)], []];
  const ch = c.length;
  c.push([head('WTP'), ...ids.map((id) => head(`P(cost-effective): ${names.get(id) ?? id}`)), head('Optimal (CEAF)'), head('P(optimal)'), head('EVPI per person')]);
  r.ceac.forEach((p, i) => c.push([num(p.wtp, f.money0), ...ids.map((id) => num(p.probabilities[id], PROB_FMT)), text(names.get(r.ceaf[i]?.optimal) ?? r.ceaf[i]?.optimal ?? ''), num(r.ceaf[i]?.probability ?? null, PROB_FMT), num(r.evpi[i]?.value ?? null, f.money)]));
  ctx.sheets.push({ name: ctx.name('CEAC-EVPI'), columns: Array.from({ length: ids.length + 4 }, () => ({ width: 18 })), rows: c, freeze: { rows: ch + 1, cols: 1 }, table: { header: ch, first: ch + 1, last: c.length - 1 }, images: [...imageAt(ctx.options.charts?.ceac, 1, ids.length + 6, 'CEAC'), ...imageAt(ctx.options.charts?.evpi, 24, ids.length + 6, 'EVPI')] });

  if (r.draws) drawsSheet(ctx, r, f);
  else ctx.manifestNotes.push('Per-draw values were not kept (run the PSA with keepDraws to export draws).');
  if (r.evppi?.length) {
    const e: (Cell | null)[][] = [[title('EVPPI')], [note(r.evppiNote ?? '')], [head('Parameters'), head('WTP'), head('EVPPI'), head('Standard error'), head('Method')]];
    for (const group of r.evppi) for (const x of group ?? []) e.push([text(x.parameters.join(', ')), num(x.wtp, f.money0), num(x.value, f.money), num(x.standardError, f.money), text(x.method)]);
    ctx.sheets.push({ name: ctx.name('EVPPI'), columns: [{ width: 30 }, { width: 14 }, { width: 16 }, { width: 16 }, { width: 40 }], rows: e, table: { header: 2, first: 3, last: e.length - 1 } });
  }
  manifestSheet(ctx, r as unknown as ExportableResult, [['Scenario', r.scenario ?? '(none)'], ['Subgroup', r.subgroup ?? '(none)'], ['Seed', r.seed], ['Draws', r.nDraws], ['Draw range', r.drawRange.join('-')], ['Engine model hash', r.modelHash], ['Cohort size', r.settings.cohortSize], ['WTP thresholds', r.settings.wtpThresholds.join(', ')]]);
}

function psaEffectLabel(ctx: Context, r: PsaResult): string {
  return ctx.options.model?.outcomes.find((o) => o.id === r.settings.effectOutcome)?.label ?? 'units of effect';
}

function drawsSheet(ctx: Context, r: PsaResult, f: Formats): void {
  const d = r.draws!;
  const max = ctx.options.maxDrawRows ?? 1_000_000;
  const paramIds = Object.keys(d.parameters);
  const header: Cell[] = [head('Draw'), ...d.strategies.flatMap((s) => [head(`cost_${s.id}`), head(`effect_${s.id}`)]), ...paramIds.map((p) => head(p))];
  const rows: (Cell | null)[][] = [header];
  const n = Math.min(d.strategies[0]?.cost.length ?? 0, max);
  const fmts = [...d.strategies.flatMap(() => [f.money, EFFECT_FMT])];
  for (let i = 0; i < n; i++) {
    const row: Cell[] = new Array(header.length);
    row[0] = { v: r.drawRange[0] + i };
    let c = 1;
    for (const s of d.strategies) {
      row[c++] = { v: s.cost[i] };
      row[c++] = { v: s.effect[i] };
    }
    for (const p of paramIds) row[c++] = { v: d.parameters[p][i] };
    rows.push(row);
  }
  if (n < (d.strategies[0]?.cost.length ?? 0)) ctx.manifestNotes.push(`PSA draws: only the first ${n} rows were written.`);
  ctx.sheets.push({ name: ctx.name('PSA draws'), columns: [{ width: 8, fmt: '0' }, ...fmts.map((fmt) => ({ width: 15, fmt })), ...paramIds.map(() => ({ width: 14, fmt: 'General' }))], rows, freeze: { rows: 1, cols: 1 }, table: { header: 0, first: 1, last: rows.length - 1 } });
}

function budgetImpactSheets(ctx: Context, r: BudgetImpactResult): void {
  const money = currencyFormat(r.currency);
  const money0 = currencyFormat(r.currency, 0);
  const rows: (Cell | null)[][] = [[title(`Budget impact: ${r.modelName}`)]];
  const direction = r.totalNetImpact >= 0 ? 'increases' : 'reduces';
  rows.push([text(`Over ${r.years} year${r.years === 1 ? '' : 's'}, adopting the new technology ${direction} the budget by ${r.currency} ${Math.abs(r.totalNetImpact).toLocaleString('en-GB', { maximumFractionDigits: 0 })} (${r.currency} ${r.totalWith.toLocaleString('en-GB', { maximumFractionDigits: 0 })} with versus ${r.currency} ${r.totalWithout.toLocaleString('en-GB', { maximumFractionDigits: 0 })} without; undiscounted${r.priceYear ? `, ${r.priceYear} prices` : ''}).`, 'bold')]);
  rows.push([note(r.method)], []);
  const ids = r.strategies.map((x) => x.id);
  const header = rows.length;
  rows.push([head('Year'), head('Eligible population'), head('Cost without'), head('Cost with'), head('Net budget impact'), head('Net impact per patient'), ...ids.map((id) => head(`Treated without: ${id}`)), ...ids.map((id) => head(`Treated with: ${id}`))]);
  for (const y of r.yearly) rows.push([num(y.year, '0'), num(y.eligiblePopulation, '#,##0'), num(y.costWithout, money0), num(y.costWith, money0), num(y.netImpact, money0), num(y.netImpactPerPatient, money), ...ids.map((id) => num(y.treatedWithout[id], '#,##0.0')), ...ids.map((id) => num(y.treatedWith[id], '#,##0.0'))]);
  const last = rows.length - 1;
  rows.push([text('Total', 'total'), null, num(r.totalWithout, money0, 'total'), num(r.totalWith, money0, 'total'), num(r.totalNetImpact, money0, 'total')]);
  rows.push([], [title('Cost per treated patient by year since treatment (undiscounted)')]);
  const maxYears = Math.max(...r.strategies.map((x) => x.costProfile.length));
  rows.push([head('Strategy'), head('Total per patient'), head('Tree (one-off) cost'), ...Array.from({ length: maxYears }, (_, k) => head(`Year ${k}`))]);
  for (const x of r.strategies) rows.push([text(x.name, 'label'), num(x.totalPerPatient, money), num(x.treeCost, money), ...x.costProfile.map((v) => num(v, money))]);
  if (r.breakdown.length) {
    rows.push([], [title('Breakdown by cost outcome (net impact)')]);
    rows.push([head('Outcome'), head('Total net impact'), ...r.yearly.map((y) => head(`Year ${y.year}`))]);
    for (const b of r.breakdown) rows.push([text(b.label, 'label'), num(b.totalNetImpact, money0), ...b.years.map((y) => num(y.netImpact, money0))]);
  }
  ctx.sheets.push({ name: ctx.name('Summary'), columns: [{ width: 30 }, ...Array.from({ length: 6 + 2 * ids.length + maxYears }, () => ({ width: 16 }))], rows, freeze: { rows: header + 1, cols: 1 }, table: { header, first: header + 1, last } });
  genericInputs(ctx);
  manifestSheet(ctx, r as unknown as ExportableResult, [['Scenario', r.scenario ?? '(none)'], ['Subgroup', r.subgroup ?? '(none)'], ['Years', r.years], ['Population source', r.populationSource ?? ''], ['Market shares source', r.sharesSource ?? ''], ['Shares without', r.sharesWithout], ['Shares with', r.sharesWith]]);
}

/** Unknown kinds (e.g. a result type added after this module): scalar fields and tables of flat objects. */
function genericSheets(ctx: Context, r: ExportableResult): void {
  const rows: (Cell | null)[][] = [[title(`${r.kind}: ${(r.modelName as string | undefined) ?? ''}`)], [note('Generic export of this result kind: scalar fields, then each list of records as a table.')], []];
  let table: SheetSpec['table'];
  for (const [k, v] of Object.entries(r)) {
    if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) rows.push([text(k, 'label'), typeof v === 'number' ? num(v) : text(v === null ? '' : String(v))]);
  }
  for (const [k, v] of Object.entries(r)) {
    if (!Array.isArray(v) || v.length === 0 || typeof v[0] !== 'object' || v[0] === null) continue;
    const keys = [...new Set(v.flatMap((x) => Object.keys(x as object)))];
    rows.push([], [text(k, 'bold')]);
    const header = rows.length;
    rows.push(keys.map(head));
    for (const item of v as Record<string, unknown>[]) rows.push(keys.map((key) => { const x = item[key]; return typeof x === 'number' ? num(x) : text(x == null ? '' : typeof x === 'object' ? JSON.stringify(x) : String(x)); }));
    table ??= { header, first: header + 1, last: rows.length - 1 };
  }
  ctx.sheets.push({ name: ctx.name('Summary'), columns: Array.from({ length: 12 }, () => ({ width: 18 })), rows, table });
  genericInputs(ctx);
  manifestSheet(ctx, r, []);
}

function fmtG(v: number): string {
  return Number.isFinite(v) ? v.toLocaleString('en-GB', { maximumSignificantDigits: 6 }) : String(v);
}

/** Build the workbook specification of any result. */
export function buildWorkbookSpec(result: ExportableResult, options: ExportOptions = {}): WorkbookSpec {
  const fresh = (): Context => {
    const ctx: Context = { options, name: sheetNamer(), names: [], sheets: [], manifestNotes: [] };
    ctx.name(INPUTS_SHEET); // reserved, so generated names never collide with it
    return ctx;
  };
  let ctx = fresh();
  try {
    switch (result.kind) {
      case 'base-case':
        baseCaseSheets(ctx, result as unknown as BaseCaseResult);
        break;
      case 'dsa-one-way':
        oneWaySheets(ctx, result as unknown as OneWayDsaResult);
        break;
      case 'dsa-two-way':
        twoWaySheets(ctx, result as unknown as TwoWayDsaResult);
        break;
      case 'threshold':
        thresholdSheets(ctx, result as unknown as ThresholdResult);
        break;
      case 'scenarios':
        scenarioSheets(ctx, result as unknown as ScenarioAnalysisResult);
        break;
      case 'psa':
        psaSheets(ctx, result as unknown as PsaResult);
        break;
      case 'budget-impact':
        budgetImpactSheets(ctx, result as unknown as BudgetImpactResult);
        break;
      default:
        genericSheets(ctx, result);
    }
  } catch (error) {
    // A result whose shape differs from what this module knows (e.g. a result type that changed):
    // still export it, generically, and say so.
    if (!(error instanceof TypeError)) throw error;
    ctx = fresh();
    ctx.manifestNotes.push(`The ${result.kind} layout could not be used (${error.message}); the result was exported generically.`);
    genericSheets(ctx, result);
  }
  // Summary first, Manifest last.
  ctx.sheets.sort((a, b) => rank(a.name) - rank(b.name));
  return { title: (result.modelName as string | undefined) ?? 'HTA model results', creator: `HTA Modeller ${options.appVersion ?? ''}`.trim(), created: options.date ?? new Date(), sheets: ctx.sheets, names: ctx.names };
}

function rank(name: string): number {
  if (name === 'Summary') return 0;
  if (name === 'Manifest') return 2;
  return 1;
}
