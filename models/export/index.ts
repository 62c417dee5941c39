/**
 * Public API of the spreadsheet export and import (docs/spreadsheets.md). Separate from
 * models/index.ts because it pulls in exceljs and jszip (about 1 MB minified): import it where a
 * workbook is written or read (a Web Worker in the renderer, the CLI), not in the engine.
 */
export { buildWorkbookSpec, currencyFormat, describeDistribution, distributionParams, resultSentence } from './workbook-spec';
export type { ChartKey, ExportOptions, ExportableResult } from './workbook-spec';
export type { Cell, CellStyle, SheetSpec, WorkbookSpec } from './workbook-types';
export { writeXlsx } from './write-xlsx';
export { allTablesCsv, csvToSheet, sheetToCsv, summaryCsv } from './csv';
export { chartConfigs, pngFromDataUrl, whiteBackground } from './chart-configs';
export type { ChartConfig } from './chart-configs';
export { checkSpreadsheetBytes, readWorkbook, SpreadsheetImportError, formatImportIssue, MAX_IMPORT_BYTES, MAX_IMPORT_CELLS, MAX_UNCOMPRESSED_BYTES } from './import-xlsx';
export type { ImportIssue } from './import-xlsx';
export { applyParameterSheet, importParametersFromXlsx, psaSampleFromSheet, readPsaSampleWorkbook } from './import-parameters';
export type { ParameterChange, ParameterImport } from './import-parameters';
export { neutraliseText, unneutraliseText } from './text-safety';
export { sha256Hex } from './sha256';
export { benchWorkbook } from './bench-workbook';
