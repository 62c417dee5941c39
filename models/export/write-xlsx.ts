/**
 * Workbook specification → .xlsx bytes (exceljs 4.4.0). Works in Node, the renderer and a Web
 * Worker: it only needs exceljs (see exceljs-adapter.ts) and returns a Uint8Array.
 */
import type { Cell, CellStyle, WorkbookSpec } from './workbook-types';
import { quoteSheet } from './workbook-types';
import ExcelDefault, { type ExcelModule } from './exceljs-adapter';

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

export async function writeXlsx(spec: WorkbookSpec, options: WriteOptions = {}): Promise<Uint8Array> {
  const Excel = options.excel ?? ExcelDefault;
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
    for (let r = 0; r < sheet.rows.length; r++) {
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
  return buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer as ArrayBuffer);
}

function cellValue(cell: Cell): unknown {
  if (cell.f !== undefined) {
    const result = typeof cell.v === 'number' && !Number.isFinite(cell.v) ? undefined : cell.v ?? undefined;
    return { formula: cell.f, result };
  }
  if (typeof cell.v === 'number' && !Number.isFinite(cell.v)) return String(cell.v);
  return cell.v;
}
