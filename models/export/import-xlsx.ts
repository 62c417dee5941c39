/**
 * Safe reading of user spreadsheets (.xlsx) for import.
 *
 * Before anything is parsed, the bytes are checked (cheaply, without decompressing):
 *  - at most MAX_IMPORT_BYTES (20 MB);
 *  - an OLE compound file (D0 CF 11 E0: an encrypted/password-protected workbook, or a legacy .xls)
 *    is refused, as is anything that is not a zip file;
 *  - the zip central directory is read: at most MAX_ZIP_ENTRIES entries, Zip64 refused, and the
 *    declared uncompressed sizes must total at most MAX_UNCOMPRESSED_BYTES (stops zip bombs);
 *    an `EncryptedPackage` entry (encrypted OOXML) is refused; xl/workbook.xml must be present.
 * After parsing, workbooks with more than MAX_IMPORT_CELLS cells are refused.
 *
 * Cells are returned as plain numbers, strings, booleans or null. Formula cells are read as their
 * cached value (a formula is never evaluated or carried over); a formula without a cached value is
 * reported as an error by the importers. Nothing from the file becomes an object key without
 * validation (see import-parameters.ts).
 */
import ExcelDefault, { type ExcelModule } from './exceljs-adapter';

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
export const MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024;
export const MAX_ZIP_ENTRIES = 10_000;
export const MAX_IMPORT_CELLS = 2_000_000;

export class SpreadsheetImportError extends Error {
  constructor(
    message: string,
    readonly issues: ImportIssue[] = [],
  ) {
    super(issues.length ? `${message}\n${issues.map(formatImportIssue).join('\n')}` : message);
    this.name = 'SpreadsheetImportError';
  }
}

/** A problem with one cell (1-based Excel row; column letter) or a whole sheet. */
export type ImportIssue = { sheet: string; row?: number; column?: string; field?: string; message: string };

export function formatImportIssue(i: ImportIssue): string {
  const where = [`sheet '${i.sheet}'`, i.row !== undefined ? `row ${i.row}` : null, i.column !== undefined ? `column ${i.column}${i.field ? ` (${i.field})` : ''}` : null].filter(Boolean).join(', ');
  return `${where}: ${i.message}`;
}

export type ImportedCell = number | string | boolean | null;
/** A formula cell without a cached value. */
export const NO_CACHED_VALUE = Symbol('formula without cached value');
export type ImportedSheet = { name: string; rows: (ImportedCell | typeof NO_CACHED_VALUE)[][] };

export type ImportLimits = { maxBytes?: number; maxUncompressed?: number; maxEntries?: number; maxCells?: number };

/** Cheap checks on the raw bytes; throws SpreadsheetImportError with a clear message. */
export function checkSpreadsheetBytes(bytes: Uint8Array, limits: ImportLimits = {}): void {
  const maxBytes = limits.maxBytes ?? MAX_IMPORT_BYTES;
  if (!(bytes instanceof Uint8Array)) throw new SpreadsheetImportError('the file could not be read as bytes');
  if (bytes.length > maxBytes) throw new SpreadsheetImportError(`the file is ${(bytes.length / 1048576).toFixed(1)} MB; spreadsheets up to ${(maxBytes / 1048576).toFixed(0)} MB can be imported`);
  if (bytes.length >= 8 && bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    throw new SpreadsheetImportError('the file is password-protected (encrypted) or an old-format .xls workbook; save it as an unencrypted Excel workbook (.xlsx) and import that');
  }
  if (bytes.length < 22 || bytes[0] !== 0x50 || bytes[1] !== 0x4b || bytes[2] !== 0x03 || bytes[3] !== 0x04) {
    throw new SpreadsheetImportError('the file is not an Excel workbook (.xlsx): it is not a zip package');
  }
  const entries = readCentralDirectory(bytes, limits);
  if (entries.some((e) => e.name === 'EncryptedPackage' || e.name === 'EncryptionInfo')) {
    throw new SpreadsheetImportError('the workbook is encrypted; remove the password and import it again');
  }
  if (!entries.some((e) => e.name === 'xl/workbook.xml')) throw new SpreadsheetImportError('the file is a zip package but not an Excel workbook (no xl/workbook.xml)');
}

type ZipEntry = { name: string; compressed: number; uncompressed: number };

function readCentralDirectory(bytes: Uint8Array, limits: ImportLimits): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // End of central directory: signature 0x06054b50 within the last 22 + 65535 bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new SpreadsheetImportError('the file is damaged: the zip directory is missing (truncated download?)');
  const count = view.getUint16(eocd + 10, true);
  const size = view.getUint32(eocd + 12, true);
  const offset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) throw new SpreadsheetImportError('the workbook uses Zip64, which is only needed for files far larger than the import limit');
  const maxEntries = limits.maxEntries ?? MAX_ZIP_ENTRIES;
  if (count > maxEntries) throw new SpreadsheetImportError(`the workbook has ${count} parts; at most ${maxEntries} are accepted`);
  if (offset + size > eocd) throw new SpreadsheetImportError('the file is damaged: the zip directory points outside the file');
  const maxUncompressed = limits.maxUncompressed ?? MAX_UNCOMPRESSED_BYTES;
  const entries: ZipEntry[] = [];
  let p = offset;
  let total = 0;
  const decoder = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50) throw new SpreadsheetImportError('the file is damaged: bad zip directory entry');
    const compressed = view.getUint32(p + 20, true);
    const uncompressed = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    if (compressed === 0xffffffff || uncompressed === 0xffffffff) throw new SpreadsheetImportError('the workbook uses Zip64 entries, which are not accepted');
    const name = decoder.decode(bytes.subarray(p + 46, p + 46 + nameLength));
    total += uncompressed;
    if (total > maxUncompressed) {
      throw new SpreadsheetImportError(`the workbook expands to more than ${(maxUncompressed / 1048576).toFixed(0)} MB when unpacked; it is refused (too large, or a "zip bomb")`);
    }
    entries.push({ name, compressed, uncompressed });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Read every sheet as rows of plain values (after checkSpreadsheetBytes). */
export async function readWorkbook(bytes: Uint8Array, options: ImportLimits & { excel?: ExcelModule; sheets?: (name: string) => boolean } = {}): Promise<ImportedSheet[]> {
  checkSpreadsheetBytes(bytes, options);
  const Excel = options.excel ?? ExcelDefault;
  const wb = new Excel.Workbook();
  try {
    await wb.xlsx.load(bytes as never);
  } catch (error) {
    throw new SpreadsheetImportError(`the workbook could not be read (${error instanceof Error ? error.message.slice(0, 200) : String(error)}); is it a valid, unencrypted .xlsx file?`);
  }
  const maxCells = options.maxCells ?? MAX_IMPORT_CELLS;
  let cells = 0;
  const out: ImportedSheet[] = [];
  for (const ws of wb.worksheets) {
    if (options.sheets && !options.sheets(ws.name)) continue;
    const rows: ImportedSheet['rows'] = [];
    let tooMany = false;
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      if (tooMany) return;
      const values: ImportedSheet['rows'][number] = [];
      row.eachCell({ includeEmpty: false }, (cell, col) => {
        cells++;
        values[col - 1] = plainValue(cell.value);
      });
      for (let c = 0; c < values.length; c++) if (values[c] === undefined) values[c] = null;
      rows[rowNumber - 1] = values;
      if (cells > maxCells) tooMany = true;
    });
    if (tooMany) throw new SpreadsheetImportError(`the workbook has more than ${maxCells.toLocaleString('en-GB')} cells; it is refused`);
    for (let r = 0; r < rows.length; r++) rows[r] ??= [];
    out.push({ name: ws.name, rows });
  }
  return out;
}

function plainValue(v: unknown): ImportedCell | typeof NO_CACHED_VALUE {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('formula' in o || 'sharedFormula' in o) {
      const result = o.result;
      if (result === undefined || result === null) return NO_CACHED_VALUE;
      if (typeof result === 'object' && result !== null && 'error' in result) return String((result as { error: unknown }).error);
      return plainValue(result);
    }
    if (Array.isArray(o.richText)) return (o.richText as { text?: unknown }[]).map((t) => String(t.text ?? '')).join('');
    if ('text' in o) return String(o.text); // hyperlink
    if ('error' in o) return String(o.error);
  }
  return null;
}

export { columnLetter as columnName } from '../text/column-letters';
