/**
 * Analysis of an external PSA sample (e.g. from another model): one row per draw, columns
 * `cost_<strategy>` and `effect_<strategy>` (other columns are ignored). Pure: takes text or an
 * OutcomeTable, never touches files. The summaries are produced by the same accumulator as the
 * engine's PSA (psa.ts), so the same numbers give the same results.
 *
 * CSV dialect (RFC 4180): comma separator (semicolon accepted when the header has no comma),
 * optional double-quoted fields with "" escapes, CRLF or LF line ends, optional UTF-8 BOM, blank
 * lines ignored. Cells must be plain decimal numbers ("1e3" allowed; no thousands separators,
 * no currency signs, no empty cells).
 */
import { type OutcomeTable, validateOutcomeTable, validateWtps, wtpGrid } from './outcome-table';
import { type PsaHeader, type PsaResult, PsaAccumulator, defaultWtpGrid } from './psa';
import { columnLetter as columnName } from '../text/column-letters';

export const MAX_SAMPLE_BYTES = 200 * 1024 * 1024;
export const MAX_SAMPLE_ROWS = 2_000_000;
export const MAX_SAMPLE_STRATEGIES = 200;

export class PsaSampleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PsaSampleError';
  }
}

/** Split CSV text into rows of cells (RFC 4180 quoting). Line numbers are 1-based, for messages. */
function parseCsvRows(text: string, separator: string): { cells: string[]; line: number }[] {
  const rows: { cells: string[]; line: number }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let i = 0;
  const n = text.length;
  const endRow = () => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0].trim() === '')) rows.push({ cells, line: rowLine });
    cells = [];
    cell = '';
  };
  while (i < n) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      if (ch === '\n') line++;
      cell += ch;
      i++;
      continue;
    }
    if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
      i++;
    } else if (ch === separator) {
      cells.push(cell);
      cell = '';
      i++;
    } else if (ch === '\r' || ch === '\n') {
      endRow();
      if (ch === '\r' && text[i + 1] === '\n') i++;
      i++;
      line++;
      rowLine = line;
    } else {
      cell += ch;
      i++;
    }
  }
  if (quoted) throw new PsaSampleError(`line ${rowLine}: a quoted cell is not closed`);
  if (cell !== '' || cells.length > 0) endRow();
  return rows;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parse a PSA sample CSV into an OutcomeTable. Strategies are taken in the order of their
 * `cost_` columns. Errors name the row (as in a spreadsheet: the header is row 1) and column.
 */
export function parsePsaSampleCsv(text: string): OutcomeTable {
  if (text.length > MAX_SAMPLE_BYTES) throw new PsaSampleError(`the sample is ${(text.length / 1048576).toFixed(1)} MB; the limit is ${MAX_SAMPLE_BYTES / 1048576} MB`);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const firstLine = text.slice(0, Math.max(0, text.search(/\r?\n/)) || text.length);
  const separator = !firstLine.includes(',') && firstLine.includes(';') ? ';' : ',';
  const rows = parseCsvRows(text, separator);
  if (rows.length === 0) throw new PsaSampleError('the sample is empty');
  const header = rows[0].cells.map((h) => h.trim());
  const costCols = new Map<string, number>();
  const effectCols = new Map<string, number>();
  header.forEach((h, c) => {
    const m = /^(cost|effect)_(.+)$/i.exec(h);
    if (!m) return;
    const target = m[1].toLowerCase() === 'cost' ? costCols : effectCols;
    if (target.has(m[2])) throw new PsaSampleError(`row 1: column '${h}' appears twice (columns ${columnName(target.get(m[2])!)} and ${columnName(c)})`);
    target.set(m[2], c);
  });
  if (costCols.size === 0 && effectCols.size === 0) {
    throw new PsaSampleError(`row 1: no cost_<strategy> or effect_<strategy> columns found (header: ${header.slice(0, 10).join(', ')}${header.length > 10 ? ', ...' : ''})`);
  }
  for (const id of costCols.keys()) if (!effectCols.has(id)) throw new PsaSampleError(`row 1: column 'cost_${id}' has no matching 'effect_${id}'`);
  for (const id of effectCols.keys()) if (!costCols.has(id)) throw new PsaSampleError(`row 1: column 'effect_${id}' has no matching 'cost_${id}'`);
  if (costCols.size > MAX_SAMPLE_STRATEGIES) throw new PsaSampleError(`the sample has ${costCols.size} strategies; the limit is ${MAX_SAMPLE_STRATEGIES}`);
  const strategyIds = [...costCols.keys()];
  const nDraws = rows.length - 1;
  if (nDraws === 0) throw new PsaSampleError('the sample has a header but no rows of draws');
  if (nDraws > MAX_SAMPLE_ROWS) throw new PsaSampleError(`the sample has ${nDraws} rows; the limit is ${MAX_SAMPLE_ROWS}`);
  const costs = strategyIds.map(() => new Float64Array(nDraws));
  const effects = strategyIds.map(() => new Float64Array(nDraws));
  for (let r = 1; r < rows.length; r++) {
    const { cells } = rows[r];
    const rowNumber = r + 1; // data rows counted as in a spreadsheet (header = row 1, blank lines skipped)
    strategyIds.forEach((id, s) => {
      for (const [col, target, kind] of [[costCols.get(id)!, costs[s], 'cost'], [effectCols.get(id)!, effects[s], 'effect']] as const) {
        const raw = cells[col];
        const where = `row ${rowNumber} (line ${rows[r].line}), column ${columnName(col)} '${kind}_${id}'`;
        if (raw === undefined || raw.trim() === '') throw new PsaSampleError(`${where}: the cell is empty`);
        const t = raw.trim();
        if (!NUMBER.test(t)) throw new PsaSampleError(`${where}: '${t.length > 40 ? t.slice(0, 37) + '...' : t}' is not a number`);
        const v = Number(t);
        if (!Number.isFinite(v)) throw new PsaSampleError(`${where}: '${t}' is not a finite number`);
        target[r - 1] = v;
      }
    });
  }
  return { strategyIds, costs, effects };
}

/**
 * Summaries, incremental analysis on means, CEAC, CEAF and EVPI of an outcome table (draws in
 * table order), by the engine's PSA accumulator with draws kept (so intervals are exact).
 * A WTP list must be given (see sampleWtpGrid).
 */
export function analysePsaSample(table: OutcomeTable, wtps: number[], options: { name?: string; cePlanePoints?: number } = {}): PsaResult {
  const { nDraws } = validateOutcomeTable(table, 'analysePsaSample');
  validateWtps(wtps, 'analysePsaSample');
  if (wtps.length === 0) throw new RangeError('analysePsaSample: give at least one WTP');
  const S = table.strategyIds.length;
  const header: PsaHeader = {
    modelName: options.name ?? 'external PSA sample',
    modelHash: '',
    scenario: null,
    subgroup: null,
    seed: 0,
    n: nDraws,
    drawRange: [0, nDraws - 1],
    strategyIds: table.strategyIds.slice(),
    strategyNames: table.strategyIds.slice(),
    outcomeIds: ['cost', 'effect'],
    costOutcome: 'cost',
    effectOutcome: 'effect',
    cohortSize: 1,
    currency: '',
    wtpThresholds: wtps.slice(),
    wtps: wtps.slice(),
    keepDraws: false,
    evppi: [],
    cePlaneMax: options.cePlanePoints ?? 1000,
  };
  // keepDraws=false but the accumulator gives exact intervals only when storing; store by asking for it explicitly.
  const acc = new PsaAccumulator({ ...header, keepDraws: true });
  const BLOCK = 1024;
  const values = new Float64Array(BLOCK * S * 2);
  const none = new Float64Array(0);
  for (let from = 0; from < nDraws; from += BLOCK) {
    const count = Math.min(BLOCK, nDraws - from);
    for (let r = 0; r < count; r++) {
      for (let s = 0; s < S; s++) {
        values[(r * S + s) * 2] = table.costs[s][from + r];
        values[(r * S + s) * 2 + 1] = table.effects[s][from + r];
      }
    }
    acc.add(values, none, count);
  }
  const result = acc.result();
  delete result.draws; // the input is the caller's; do not echo it back
  result.options.keepDraws = false;
  result.memory = 'external sample: all draws in memory';
  return result;
}

/**
 * WTP grid for a sample: `wtpGrid(min, max, step)` when any bound is given (min default 0, max
 * default 90000, step default (max-min)/50); otherwise the engine's default grid for the common
 * thresholds 20000 and 30000 (0 to 90000 in 50 steps, plus 20000 and 30000).
 */
export function sampleWtpGrid(min: number | undefined, max: number | undefined, step: number | undefined): number[] {
  if (min === undefined && max === undefined && step === undefined) return defaultWtpGrid([20000, 30000]);
  const lo = min ?? 0;
  const hi = max ?? Math.max(lo, 90000);
  return wtpGrid(lo, hi, step ?? (hi > lo ? (hi - lo) / 50 : 1));
}
