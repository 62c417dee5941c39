/**
 * The one place that imports exceljs.
 *
 * Node (CLI, tests, Electron main): `import ExcelJS from 'exceljs'` resolves to exceljs/excel.js.
 * Browser (renderer page or Web Worker under Vite): exceljs's package.json has
 * `"browser": "./dist/exceljs.min.js"`, which Vite's default `resolve.mainFields` (browser first)
 * picks up, so the same import works. If a bundler ignores the browser field, alias
 * `exceljs` → `exceljs/dist/exceljs.min.js` (see docs/spreadsheets.md).
 */
import ExcelJS from 'exceljs';

export type ExcelModule = typeof ExcelJS;
export default ExcelJS;
