/**
 * CSV export of one table of a workbook specification: RFC 4180 (comma separator, CRLF line
 * ends, fields quoted when they contain a comma, quote or line break; quotes doubled), numbers
 * written with full precision (shortest round-trip form, never thousands separators), text
 * neutralised against formula injection (text-safety.ts). Formula cells are written as their
 * cached values.
 */
import type { Cell, SheetSpec, WorkbookSpec } from './workbook-types';
import { neutraliseText } from './text-safety';

export function csvField(cell: Cell | null | undefined): string {
  if (!cell || cell.v === null || cell.v === undefined) return '';
  const v = cell.v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : quote(String(v));
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  // Text in the spec is already neutralised; neutralising again is idempotent for safe text.
  return quote(v.startsWith("'") ? v : neutraliseText(v));
}

function quote(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The sheet's main table (header and data rows) as CSV; the whole sheet when it has no table. */
export function sheetToCsv(sheet: SheetSpec): string {
  const range = sheet.table ?? { header: 0, first: 1, last: sheet.rows.length - 1 };
  const rows = [sheet.rows[range.header] ?? [], ...sheet.rows.slice(range.first, range.last + 1)];
  const width = Math.max(0, ...rows.map((r) => lastNonEmpty(r ?? []) + 1));
  return rows.map((r) => Array.from({ length: width }, (_, c) => csvField(r?.[c])).join(',')).join('\r\n') + '\r\n';
}

function lastNonEmpty(row: (Cell | null)[]): number {
  for (let i = row.length - 1; i >= 0; i--) if (row[i] && row[i]!.v !== null && row[i]!.v !== '') return i;
  return -1;
}

/** The main summary table of a result's workbook (the first sheet). */
export function summaryCsv(spec: WorkbookSpec): string {
  return sheetToCsv(spec.sheets[0]);
}

/** Every sheet with a table, as name → CSV. */
export function allTablesCsv(spec: WorkbookSpec): Map<string, string> {
  return new Map(spec.sheets.filter((s) => s.table).map((s) => [s.name, sheetToCsv(s)]));
}

/** Largest CSV text accepted by csvToSheet (characters). */
export const MAX_CSV_IMPORT_CHARS = 20 * 1024 * 1024;

/**
 * CSV text → a sheet of plain values for the importers (import-parameters.ts `applyParameterSheet`,
 * `psaSampleFromSheet`). RFC 4180 quoting; comma separator, or semicolon when the first line has
 * no comma; a UTF-8 BOM is ignored. Fields that are plain decimal numbers become numbers; all
 * other fields stay text (a leading-quote neutralisation is removed by the importers).
 */
export function csvToSheet(text: string, name = 'CSV'): { name: string; rows: (number | string | null)[][] } {
  if (text.length > MAX_CSV_IMPORT_CHARS) throw new RangeError(`the CSV file is larger than ${MAX_CSV_IMPORT_CHARS / 1048576} MB`);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const firstLine = text.slice(0, text.search(/\r|\n|$/));
  const sep = !firstLine.includes(',') && firstLine.includes(';') ? ';' : ',';
  const rows: (number | string | null)[][] = [];
  let row: (number | string | null)[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  const push = () => {
    const t = field;
    row.push(t === '' && !wasQuoted ? null : !wasQuoted && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(t) ? Number(t) : t);
    field = '';
    wasQuoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') {
      quoted = true;
      wasQuoted = true;
    } else if (ch === sep) push();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      push();
      rows.push(row);
      row = [];
    } else field += ch;
  }
  if (field !== '' || row.length) {
    push();
    rows.push(row);
  }
  return { name, rows };
}
