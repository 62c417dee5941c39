/**
 * Workbook specification → .xlsx bytes (exceljs 4.4.0). Works in Node, the renderer and a Web
 * Worker: it only needs exceljs (see exceljs-adapter.ts) and returns a Uint8Array.
 */
import type { Cell, CellStyle, WorkbookSpec } from './workbook-types';
import { columnLetter, quoteSheet } from './workbook-types';
import ExcelDefault, { type ExcelModule } from './exceljs-adapter';
import JSZip from 'jszip';

type Style = { font?: Record<string, unknown>; fill?: Record<string, unknown>; alignment?: Record<string, unknown>; border?: Record<string, unknown> };

const BLUE = 'FF1F4E79';
const STYLES: Record<CellStyle, Style> = {
  title: { font: { bold: true, size: 13, color: { argb: BLUE } } },
  header: { font: { bold: true, color: { argb: 'FFFFFFFF' } }, fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: BLUE } }, alignment: { wrapText: true, vertical: 'middle' } },
  note: { font: { italic: true, color: { argb: 'FF595959' } } },
  assumption: { fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } }, font: { bold: true, color: { argb: 'FF7F6000' } } },
  input: { fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE2EFDA' } } },
  formula: {},
  total: { font: { bold: true }, border: { top: { style: 'thin' } } },
  warning: { fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFCE4D6' } }, font: { color: { argb: 'FF9C0006' } } },
  bold: { font: { bold: true } },
  label: {},
};

export type WriteOptions = {
  /** The exceljs module to use (defaults to the adapter's import). */
  excel?: ExcelModule;
};

/** Sheets with more data rows than this, all plain values, are written by the fast path. */
export const BULK_ROWS = 2000;

type Bulk = { sheetId: number; firstRow: number; rows: (Cell | null)[][] };

/**
 * exceljs takes several seconds per 100,000 cells, so large plain tables (PSA draws) are written
 * by exceljs with only their header and first data row; the remaining rows are then generated as
 * sheet XML directly (same cell styles as that first row) and the package is re-zipped.
 */
function bulkRows(sheet: WorkbookSpec['sheets'][number]): number {
  const t = sheet.table;
  if (!t || sheet.rows.length - t.first < BULK_ROWS || t.last !== sheet.rows.length - 1) return -1;
  for (let r = t.first + 1; r < sheet.rows.length; r++) {
    for (const cell of sheet.rows[r] ?? []) {
      if (cell && (cell.f !== undefined || cell.s !== undefined || cell.note !== undefined || cell.fmt !== undefined)) return -1;
    }
  }
  return t.first + 1;
}

export async function writeXlsx(spec: WorkbookSpec, options: WriteOptions = {}): Promise<Uint8Array> {
  const Excel = options.excel ?? ExcelDefault;
  const bulks: Bulk[] = [];
  const wb = new Excel.Workbook();
  wb.creator = spec.creator;
  wb.title = spec.title;
  wb.created = spec.created;
  wb.modified = spec.created;
  wb.calcProperties.fullCalcOnLoad = true;
  for (const sheet of spec.sheets) {
    const ws = wb.addWorksheet(sheet.name, {
      views: sheet.freeze && (sheet.freeze.rows > 0 || sheet.freeze.cols > 0) ? [{ state: 'frozen', xSplit: sheet.freeze.cols, ySplit: sheet.freeze.rows }] : undefined,
    });
    ws.columns = sheet.columns.map((c) => ({ width: c.width, style: c.fmt ? { numFmt: c.fmt } : undefined }));
    const bulkFrom = bulkRows(sheet);
    const end = bulkFrom > 0 ? bulkFrom : sheet.rows.length;
    if (bulkFrom > 0) bulks.push({ sheetId: ws.id, firstRow: bulkFrom, rows: sheet.rows.slice(bulkFrom) });
    for (let r = 0; r < end; r++) {
      const cells = sheet.rows[r];
      if (!cells || cells.length === 0) continue;
      const row = ws.getRow(r + 1);
      for (let c = 0; c < cells.length; c++) {
        const cell = cells[c];
        if (!cell) continue;
        const target = row.getCell(c + 1);
        target.value = cellValue(cell) as never;
        const colFmt = sheet.columns[c]?.fmt;
        if (cell.fmt && cell.fmt !== colFmt) target.numFmt = cell.fmt;
        if (cell.s && cell.s !== 'label' && cell.s !== 'formula') {
          const st = STYLES[cell.s];
          if (st.font) target.font = st.font as never;
          if (st.fill) target.fill = st.fill as never;
          if (st.alignment) target.alignment = st.alignment as never;
          if (st.border) target.border = st.border as never;
        }
        if (cell.note) target.note = cell.note;
      }
    }
    for (const image of sheet.images ?? []) {
      const id = wb.addImage({ buffer: image.png as never, extension: 'png' });
      ws.addImage(id, { tl: { col: image.col, row: image.row }, ext: { width: image.width, height: image.height } });
    }
  }
  for (const n of spec.names) wb.definedNames.add(`${quoteSheet(n.sheet)}!${n.ref}`, n.name);
  const buffer = await wb.xlsx.writeBuffer();
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer as ArrayBuffer);
  return bulks.length ? appendBulkRows(bytes, bulks) : bytes;
}

async function appendBulkRows(bytes: Uint8Array, bulks: Bulk[]): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(bytes);
  for (const bulk of bulks) {
    const path = `xl/worksheets/sheet${bulk.sheetId}.xml`;
    const file = zip.file(path);
    if (!file) throw new Error(`internal: ${path} not found in the workbook`);
    const xml = await file.async('string');
    const close = xml.lastIndexOf('</sheetData>');
    const lastRowStart = xml.lastIndexOf('<row ', close);
    if (close < 0 || lastRowStart < 0) throw new Error(`internal: unexpected sheet XML in ${path}`);
    // Style index of each column in the template row (the first data row written by exceljs).
    const styles = new Map<string, string>();
    for (const m of xml.slice(lastRowStart, close).matchAll(/<c r="([A-Z]+)\d+"(?: s="(\d+)")?/g)) if (m[2]) styles.set(m[1], m[2]);
    const parts: string[] = [];
    const letters: string[] = [];
    const letter = (c: number) => (letters[c] ??= columnLetter(c));
    bulk.rows.forEach((row, i) => {
      const r = bulk.firstRow + i + 1;
      let out = `<row r="${r}">`;
      (row ?? []).forEach((cell, c) => {
        if (!cell || cell.v === null || cell.v === undefined) return;
        const col = letter(c);
        const st = styles.get(col);
        const sAttr = st ? ` s="${st}"` : '';
        const v = cell.v;
        if (typeof v === 'number' && Number.isFinite(v)) out += `<c r="${col}${r}"${sAttr}><v>${v}</v></c>`;
        else if (typeof v === 'boolean') out += `<c r="${col}${r}"${sAttr} t="b"><v>${v ? 1 : 0}</v></c>`;
        else out += `<c r="${col}${r}"${sAttr} t="inlineStr"><is><t>${xmlEscape(String(v))}</t></is></c>`;
      });
      parts.push(out + '</row>');
    });
    const lastRow = bulk.firstRow + bulk.rows.length;
    const width = Math.max(1, ...bulk.rows.map((r) => r?.length ?? 0));
    let updated = xml.slice(0, close) + parts.join('') + xml.slice(close);
    updated = updated.replace(/<dimension ref="[^"]*"\/>/, `<dimension ref="A1:${columnLetter(width - 1)}${lastRow}"/>`);
    zip.file(path, updated);
  }
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 1 } });
}

function xmlEscape(s: string): string {
  // Characters XML 1.0 does not allow are dropped.
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cellValue(cell: Cell): unknown {
  if (cell.f !== undefined) {
    const result = typeof cell.v === 'number' && !Number.isFinite(cell.v) ? undefined : cell.v ?? undefined;
    return { formula: cell.f, result };
  }
  if (typeof cell.v === 'number' && !Number.isFinite(cell.v)) return String(cell.v);
  return cell.v;
}
