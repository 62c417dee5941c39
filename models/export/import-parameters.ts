/**
 * Import of parameter values (and DSA ranges and PSA distributions) from a spreadsheet, and of an
 * external PSA sample. Format (docs/spreadsheets.md, "Import"):
 *
 * Parameters: the sheet named "Parameters", else "Inputs", else the first sheet. The header row is
 * the first row (among the first 20) with a cell "id" or "parameter id" (case-insensitive). Columns,
 * found by header text (case-insensitive; other columns are ignored, so an exported Inputs sheet
 * can be imported as it is):
 *   id                                  parameter id (required)
 *   value | value / expression          a number, or an expression (text); empty = unchanged
 *   low, high                           DSA range (numbers); empty = unchanged, "-" = remove
 *   distribution                        beta, gamma, lognormal, normal, uniform, triangular, pert,
 *                                       fixed, dirichlet; "-" = remove; empty = unchanged
 *   params | distribution parameters    "name=value; name=value", e.g. "alpha=2; beta=5" or
 *                                       "mean=0.3; se=0.05" (Dirichlet: "group=g; alphas.p1=3; ...")
 * Data rows run from below the header to the first row whose id cell is empty.
 *
 * Every bad row is reported with sheet, row and column; unknown ids are errors (not ignored);
 * ids that could pollute objects (__proto__, constructor, prototype) are rejected. Nothing is
 * applied unless the whole sheet is valid; the result is a new ModelFile (the input is not changed).
 */
import type { Distribution, ModelFile } from '../schema/model-file';
import { Distribution as DistributionSchema, FORBIDDEN_KEYS } from '../schema/model-file';
import { parseModelJson } from '../schema/parse-model';
import { parseExpression } from '../expression';
import type { OutcomeTable } from '../analyses/outcome-table';
import { type ImportIssue, type ImportLimits, type ImportedSheet, NO_CACHED_VALUE, SpreadsheetImportError, columnName, readWorkbook } from './import-xlsx';
import { unneutraliseText } from './text-safety';
import type { ExcelModule } from './exceljs-adapter';

export type ParameterChange = { id: string; field: 'value' | 'low' | 'high' | 'distribution'; from: unknown; to: unknown };
export type ParameterImport = { model: ModelFile; changes: ParameterChange[]; sheet: string };

const HEADERS: Record<string, 'id' | 'value' | 'low' | 'high' | 'distribution' | 'params'> = {
  id: 'id',
  'parameter id': 'id',
  parameter: 'id',
  value: 'value',
  'value / expression': 'value',
  'value/expression': 'value',
  low: 'low',
  high: 'high',
  distribution: 'distribution',
  'distribution type': 'distribution',
  params: 'params',
  'distribution parameters': 'params',
};
const DISTRIBUTION_TYPES = new Set(['fixed', 'beta', 'gamma', 'lognormal', 'normal', 'uniform', 'triangular', 'pert', 'dirichlet']);
const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

type Options = ImportLimits & { excel?: ExcelModule };

/** Read a parameter sheet from .xlsx bytes and apply it to the model. Throws SpreadsheetImportError listing every problem. */
export async function importParametersFromXlsx(bytes: Uint8Array, model: ModelFile, options: Options = {}): Promise<ParameterImport> {
  const sheets = await readWorkbook(bytes, options);
  const sheet = sheets.find((s) => s.name === 'Parameters') ?? sheets.find((s) => s.name === 'Inputs') ?? sheets[0];
  if (!sheet) throw new SpreadsheetImportError('the workbook has no sheets');
  return applyParameterSheet(sheet, model);
}

/** Apply one sheet (rows of plain values, e.g. from readWorkbook or a parsed CSV) to a model. */
export function applyParameterSheet(sheet: ImportedSheet, model: ModelFile): ParameterImport {
  const issues: ImportIssue[] = [];
  const at = (row: number, col: number | undefined, field: string | undefined, message: string) =>
    issues.push({ sheet: sheet.name, row: row + 1, column: col === undefined ? undefined : columnName(col), field, message });

  let headerRow = -1;
  for (let r = 0; r < Math.min(20, sheet.rows.length); r++) {
    if ((sheet.rows[r] ?? []).some((c) => typeof c === 'string' && HEADERS[c.trim().toLowerCase()] === 'id')) {
      headerRow = r;
      break;
    }
  }
  if (headerRow < 0) throw new SpreadsheetImportError(`sheet '${sheet.name}': no header row with an "id" column in the first 20 rows`);
  const columns = new Map<string, number>();
  (sheet.rows[headerRow] ?? []).forEach((c, i) => {
    if (typeof c !== 'string') return;
    const key = HEADERS[c.trim().toLowerCase()];
    if (!key) return;
    if (columns.has(key)) at(headerRow, i, key, `a second "${key}" column (the first is column ${columnName(columns.get(key)!)})`);
    else columns.set(key, i);
  });
  if (!columns.has('value') && !columns.has('low') && !columns.has('high') && !columns.has('distribution')) {
    throw new SpreadsheetImportError(`sheet '${sheet.name}': the header row (row ${headerRow + 1}) has no value, low, high or distribution column`);
  }
  if (columns.has('params') && !columns.has('distribution')) at(headerRow, columns.get('params'), 'params', 'a params column needs a distribution column');

  const byId = new Map(model.parameters.map((p, i) => [p.id, i]));
  const next = structuredClone(model);
  const changes: ParameterChange[] = [];
  const seen = new Map<string, number>();
  const idCol = columns.get('id')!;
  for (let r = headerRow + 1; r < sheet.rows.length; r++) {
    const row = sheet.rows[r] ?? [];
    const rawId = row[idCol];
    if (rawId === null || rawId === undefined || rawId === '') break;
    const cell = (key: string) => {
      const c = columns.get(key);
      return c === undefined ? { value: null, col: undefined } : { value: row[c] ?? null, col: c };
    };
    if (rawId === NO_CACHED_VALUE || typeof rawId !== 'string') {
      at(r, idCol, 'id', 'the id must be text');
      continue;
    }
    const id = unneutraliseText(rawId.trim());
    if (FORBIDDEN_KEYS.has(id) || !ID_PATTERN.test(id)) {
      at(r, idCol, 'id', `"${id.slice(0, 80)}" is not a valid parameter id`);
      continue;
    }
    const index = byId.get(id);
    if (index === undefined) {
      at(r, idCol, 'id', `unknown parameter '${id}' (not in the model)`);
      continue;
    }
    if (seen.has(id)) {
      at(r, idCol, 'id', `parameter '${id}' appears again (first on row ${seen.get(id)! + 1})`);
      continue;
    }
    seen.set(id, r);
    const p = next.parameters[index];

    const v = cell('value');
    if (v.value === NO_CACHED_VALUE) at(r, v.col, 'value', 'the cell is a formula without a saved value; enter the value itself (or open and save the file in a spreadsheet program)');
    else if (v.value !== null && v.value !== '') {
      const parsed = parseValue(v.value);
      if ('error' in parsed) at(r, v.col, 'value', parsed.error);
      else if (parsed.value !== p.value) {
        changes.push({ id, field: 'value', from: p.value, to: parsed.value });
        p.value = parsed.value;
      }
    }
    for (const key of ['low', 'high'] as const) {
      const c = cell(key);
      if (c.value === null || c.value === '') continue;
      if (c.value === NO_CACHED_VALUE) {
        at(r, c.col, key, 'the cell is a formula without a saved value');
        continue;
      }
      if (c.value === '-') {
        if (p[key] !== undefined) changes.push({ id, field: key, from: p[key], to: undefined });
        delete p[key];
        continue;
      }
      const n = toNumber(c.value);
      if (n === null) at(r, c.col, key, `"${String(c.value).slice(0, 80)}" is not a number`);
      else if (n !== p[key]) {
        changes.push({ id, field: key, from: p[key], to: n });
        p[key] = n;
      }
    }
    const d = cell('distribution');
    if (d.value !== null && d.value !== '') {
      const type = typeof d.value === 'string' ? d.value.trim().toLowerCase() : '';
      if (type === '-') {
        if (p.distribution) changes.push({ id, field: 'distribution', from: p.distribution, to: undefined });
        delete p.distribution;
      } else if (!DISTRIBUTION_TYPES.has(type)) at(r, d.col, 'distribution', `"${String(d.value).slice(0, 80)}" is not a distribution (use one of ${[...DISTRIBUTION_TYPES].join(', ')})`);
      else {
        const pr = cell('params');
        const parsed = parseParams(pr.value === NO_CACHED_VALUE ? null : pr.value, type);
        if ('error' in parsed) at(r, pr.col ?? d.col, 'params', parsed.error);
        else {
          const checked = DistributionSchema.safeParse(parsed.value);
          if (!checked.success) at(r, pr.col ?? d.col, 'params', checked.error.issues.map((i) => `${i.path.join('.') || type}: ${i.message}`).join('; '));
          else if (JSON.stringify(checked.data) !== JSON.stringify(p.distribution)) {
            changes.push({ id, field: 'distribution', from: p.distribution, to: checked.data });
            p.distribution = checked.data as Distribution;
          }
        }
      }
    }
  }
  if (issues.length) throw new SpreadsheetImportError(`the parameter sheet has ${issues.length} problem${issues.length === 1 ? '' : 's'}; nothing was imported:`, issues);
  const validated = parseModelJson(next);
  if (!validated.ok) throw new SpreadsheetImportError(`the imported values make the model invalid:\n${validated.issues.map((i) => `${i.path}: ${i.message}`).join('\n')}`);
  return { model: validated.model, changes, sheet: sheet.name };
}

function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string') {
    const t = unneutraliseText(v.trim());
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  }
  return null;
}

function parseValue(v: unknown): { value: number | string } | { error: string } {
  if (typeof v === 'boolean') return { error: 'TRUE/FALSE is not a parameter value' };
  const n = toNumber(v);
  if (n !== null) return { value: n };
  if (typeof v === 'number') return { error: `${v} is not a finite number` };
  if (typeof v !== 'string') return { error: 'not a number or expression' };
  const text = unneutraliseText(v.trim());
  if (text.length > 2000) return { error: 'the expression is longer than 2000 characters' };
  try {
    parseExpression(text);
  } catch (error) {
    return { error: `"${text.slice(0, 80)}" is neither a number nor a valid expression (${error instanceof Error ? error.message : String(error)})` };
  }
  return { value: text };
}

function parseParams(v: unknown, type: string): { value: Record<string, unknown> } | { error: string } {
  const out: Record<string, unknown> = Object.create(null);
  out.type = type;
  if (v === null || v === '') return { value: { ...out } };
  if (typeof v !== 'string') return { error: 'params must be text such as "alpha=2; beta=5"' };
  const alphas: Record<string, number> = Object.create(null);
  for (const part of v.split(/[;\n]/)) {
    const t = part.trim();
    if (!t) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.+)$/.exec(t);
    if (!m) return { error: `"${t.slice(0, 60)}" is not name=value` };
    const [, key, raw] = m;
    if (key.startsWith('alphas.')) {
      const id = key.slice(7);
      if (FORBIDDEN_KEYS.has(id) || !ID_PATTERN.test(id)) return { error: `"${id}" is not a valid parameter id` };
      const n = toNumber(raw);
      if (n === null) return { error: `${key}: "${raw}" is not a number` };
      alphas[id] = n;
      continue;
    }
    if (FORBIDDEN_KEYS.has(key) || key === 'type') return { error: `"${key}" is not a distribution parameter` };
    if (key === 'group') out.group = raw.trim();
    else {
      const n = toNumber(raw);
      if (n === null) return { error: `${key}: "${raw.trim().slice(0, 40)}" is not a number` };
      out[key] = n;
    }
  }
  if (Object.keys(alphas).length) out.alphas = { ...alphas };
  return { value: { ...out } };
}

/**
 * External PSA sample: the sheet named "PSA draws" or else the first sheet; header in row 1 with
 * columns cost_<strategy> and effect_<strategy> (other columns ignored); one draw per row until
 * the first empty row. Every strategy needs both columns; every value must be a finite number.
 */
export async function readPsaSampleWorkbook(bytes: Uint8Array, options: Options = {}): Promise<OutcomeTable> {
  const sheets = await readWorkbook(bytes, options);
  const sheet = sheets.find((s) => s.name === 'PSA draws') ?? sheets[0];
  if (!sheet) throw new SpreadsheetImportError('the workbook has no sheets');
  return psaSampleFromSheet(sheet);
}

export function psaSampleFromSheet(sheet: ImportedSheet): OutcomeTable {
  const issues: ImportIssue[] = [];
  const header = sheet.rows[0] ?? [];
  const cost = new Map<string, number>();
  const effect = new Map<string, number>();
  header.forEach((h, c) => {
    if (typeof h !== 'string') return;
    const m = /^(cost|effect)_(.+)$/i.exec(h.trim());
    if (!m) return;
    const id = m[2];
    if (FORBIDDEN_KEYS.has(id) || !ID_PATTERN.test(id)) {
      issues.push({ sheet: sheet.name, row: 1, column: columnName(c), message: `"${h}": '${id}' is not a valid strategy id` });
      return;
    }
    const target = m[1].toLowerCase() === 'cost' ? cost : effect;
    if (target.has(id)) issues.push({ sheet: sheet.name, row: 1, column: columnName(c), message: `a second ${m[1].toLowerCase()} column for '${id}'` });
    else target.set(id, c);
  });
  const ids = [...new Set([...cost.keys(), ...effect.keys()])];
  for (const id of ids) {
    if (!cost.has(id)) issues.push({ sheet: sheet.name, row: 1, message: `strategy '${id}' has an effect column but no cost_${id} column` });
    if (!effect.has(id)) issues.push({ sheet: sheet.name, row: 1, message: `strategy '${id}' has a cost column but no effect_${id} column` });
  }
  if (ids.length === 0) issues.push({ sheet: sheet.name, row: 1, message: 'no cost_<strategy> / effect_<strategy> columns in the header row' });
  if (issues.length) throw new SpreadsheetImportError('the PSA sample cannot be read:', issues);
  let n = 0;
  for (let r = 1; r < sheet.rows.length; r++) {
    const row = sheet.rows[r] ?? [];
    if (row.every((c) => c === null || c === '')) break;
    n++;
  }
  if (n === 0) throw new SpreadsheetImportError(`sheet '${sheet.name}': no draws below the header row`);
  const costs = ids.map(() => new Float64Array(n));
  const effects = ids.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const row = sheet.rows[i + 1] ?? [];
    ids.forEach((id, s) => {
      for (const [map, target, what] of [[cost, costs, 'cost'], [effect, effects, 'effect']] as const) {
        const c = map.get(id)!;
        const v = row[c];
        const x = v === NO_CACHED_VALUE ? null : toNumber(v);
        if (x === null) {
          if (issues.length < 50) issues.push({ sheet: sheet.name, row: i + 2, column: columnName(c), field: `${what}_${id}`, message: v === NO_CACHED_VALUE ? 'a formula without a saved value' : v === null || v === '' ? 'empty cell' : `"${String(v).slice(0, 40)}" is not a finite number` });
        } else target[s][i] = x;
      }
    });
  }
  if (issues.length) throw new SpreadsheetImportError(`the PSA sample has bad cells${issues.length >= 50 ? ' (first 50 shown)' : ''}:`, issues);
  return { strategyIds: ids, costs, effects };
}
