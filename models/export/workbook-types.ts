/**
 * Workbook specification: what the export writes, independent of any spreadsheet library.
 * `workbook-spec.ts` builds it from a result (pure); `write-xlsx.ts` turns it into an .xlsx file;
 * `csv.ts` turns one sheet's table into CSV.
 */

import { columnLetter } from '../text/column-letters';

/** Cell styles, mapped to fonts, fills and borders by the writer. */
export type CellStyle = 'title' | 'header' | 'note' | 'assumption' | 'input' | 'formula' | 'total' | 'warning' | 'bold' | 'label';

/**
 * A cell. `f` is an Excel formula without the leading '=' and `v` its cached value (the engine's
 * number), so that a reader that does not recalculate still sees the right value. Text in `v` is
 * already neutralised (see text-safety.ts) when `f` is absent.
 */
export type Cell = {
  v: number | string | boolean | null;
  f?: string;
  fmt?: string;
  s?: CellStyle;
  /** Cell note shown on hover (e.g. the expression a formula was translated from). */
  note?: string;
};

export type ImageSpec = { png: Uint8Array; col: number; row: number; width: number; height: number; title: string };

export type SheetSpec = {
  name: string;
  /** Column widths (characters) and default number formats. */
  columns: { width: number; fmt?: string }[];
  rows: (Cell | null)[][];
  /** Rows/columns kept visible when scrolling (frozen panes). */
  freeze?: { rows: number; cols: number };
  images?: ImageSpec[];
  /** The sheet's main table (0-based row indices, inclusive), used by the CSV export. */
  table?: { header: number; first: number; last: number };
};

export type DefinedName = { name: string; sheet: string; ref: string };

export type WorkbookSpec = {
  title: string;
  creator: string;
  created: Date;
  sheets: SheetSpec[];
  names: DefinedName[];
};

export { columnLetter };

/** Zero-based row and column → A1 reference; `abs` makes it $A$1. */
export function cellRef(row: number, col: number, abs = false): string {
  return abs ? `$${columnLetter(col)}$${row + 1}` : `${columnLetter(col)}${row + 1}`;
}

/** Sheet-qualified absolute reference: 'Audit mono'!$B$3. */
export function sheetRef(sheet: string, row: number, col: number): string {
  return `${quoteSheet(sheet)}!${cellRef(row, col, true)}`;
}

export function quoteSheet(sheet: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`;
}
