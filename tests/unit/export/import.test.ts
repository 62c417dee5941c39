import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { runBaseCase } from '../../../models/analyses/base-case';
import { buildWorkbookSpec, type ExportableResult } from '../../../models/export/workbook-spec';
import { writeXlsx } from '../../../models/export/write-xlsx';
import { checkSpreadsheetBytes, SpreadsheetImportError } from '../../../models/export/import-xlsx';
import { importParametersFromXlsx, readPsaSampleWorkbook } from '../../../models/export/import-parameters';
import { benchWorkbook, syntheticPsaResult } from '../../../models/export/bench-workbook';
import { loadModelFile, repoRoot } from '../../helpers/load';

const model = loadModelFile('tests/reference/chancellor-hiv.model.json');

async function workbook(rows: unknown[][], name = 'Parameters'): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(name);
  for (const r of rows) ws.addRow(r);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

async function importError(bytes: Uint8Array): Promise<SpreadsheetImportError> {
  try {
    await importParametersFromXlsx(bytes, model);
  } catch (error) {
    if (error instanceof SpreadsheetImportError) return error;
    throw error;
  }
  throw new Error('expected an import error');
}

describe('parameter import', () => {
  it('applies value, low, high and distribution to a new ModelFile (the input is unchanged)', async () => {
    const bytes = await workbook([
      ['id', 'value', 'low', 'high', 'distribution', 'params', 'comment'],
      ['rr_comb', 0.6, 0.4, 0.8, 'lognormal', 'meanlog=-0.51; sdlog=0.2', 'ignored'],
      ['cost_A', '3000', null, null, null, null],
      ['rr', 'if(cycle <= 2, 0.5, 1)'],
      ['tp_AB', 0.25, null, null, 'beta', 'alpha=25; beta=75'],
    ]);
    const { model: next, changes } = await importParametersFromXlsx(bytes, model);
    const p = (id: string) => next.parameters.find((x) => x.id === id)!;
    expect(p('rr_comb')).toMatchObject({ value: 0.6, low: 0.4, high: 0.8, distribution: { type: 'lognormal', meanlog: -0.51, sdlog: 0.2 } });
    expect(p('cost_A').value).toBe(3000);
    expect(p('rr').value).toBe('if(cycle <= 2, 0.5, 1)');
    expect(p('tp_AB').distribution).toEqual({ type: 'beta', alpha: 25, beta: 75 });
    expect(changes.length).toBeGreaterThanOrEqual(7);
    expect(model.parameters.find((x) => x.id === 'rr_comb')!.value).toBe(0.509);
  });

  it('round trip: an exported Inputs sheet, edited, imports back', async () => {
    const bytes = await writeXlsx(buildWorkbookSpec(runBaseCase(model) as unknown as ExportableResult, { model }));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as never);
    wb.getWorksheet('Inputs')!.eachRow((row) => {
      if (row.getCell(1).value === 'cost_C') row.getCell(3).value = 9500;
    });
    const edited = new Uint8Array(await wb.xlsx.writeBuffer());
    const { model: next, changes, sheet } = await importParametersFromXlsx(edited, model);
    expect(sheet).toBe('Inputs');
    expect(changes).toEqual([{ id: 'cost_C', field: 'value', from: 9007, to: 9500 }]);
    expect(next.parameters.find((p) => p.id === 'cost_C')!.value).toBe(9500);
  });

  it('reports every bad row with sheet, row and column; unknown ids are errors; nothing is applied', async () => {
    const e = await importError(
      await workbook([
        ['Parameter values for the HTA model'],
        ['id', 'value', 'low', 'distribution', 'params'],
        ['nope', 1],
        ['__proto__', 1],
        ['constructor', 1],
        ['cost_A', 'abc +'],
        ['cost_B', 1, 'low!'],
        ['cost_C', 1, null, 'weibull'],
        ['tp_AB', null, null, 'beta', 'alpha=-1; beta=2'],
        ['tp_AC', null, null, 'beta', 'alpha: 2'],
        ['cost_A', 2],
      ]),
    );
    const text = e.message;
    expect(text).toContain("sheet 'Parameters', row 3, column A (id): unknown parameter 'nope'");
    expect(text).toContain("row 4, column A (id): \"__proto__\" is not a valid parameter id");
    expect(text).toContain('row 5, column A (id): "constructor" is not a valid parameter id');
    expect(text).toMatch(/row 6, column B \(value\): "abc \+" is neither a number nor a valid expression/);
    expect(text).toContain('row 7, column C (low): "low!" is not a number');
    expect(text).toContain('row 8, column D (distribution): "weibull" is not a distribution');
    expect(text).toMatch(/row 9, column E \(params\): alpha: .*/);
    expect(text).toContain('row 10, column E (params): "alpha: 2" is not name=value');
    expect(text).toContain("row 11, column A (id): parameter 'cost_A' appears again (first on row 6)");
    expect(e.issues.length).toBe(9);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('formula cells are read as their cached values, never as formulas; a formula without a cached value is refused', async () => {
    const ok = await workbook([['id', 'value'], ['cost_A', { formula: '1000+2000', result: 3000 }]]);
    const { model: next } = await importParametersFromXlsx(ok, model);
    expect(next.parameters.find((p) => p.id === 'cost_A')!.value).toBe(3000);
    const bad = await workbook([['id', 'value'], ['cost_A', { formula: 'WEBSERVICE("http://x")' }]]);
    expect((await importError(bad)).message).toContain('row 2, column B (value): the cell is a formula without a saved value');
  });

  it('a neutralised expression (leading quote) imports as the expression', async () => {
    const { model: next } = await importParametersFromXlsx(await workbook([['id', 'value'], ['rr', "'-1 + 2"]]), model);
    expect(next.parameters.find((p) => p.id === 'rr')!.value).toBe('-1 + 2');
  });
});

describe('refusing files that are not safe to parse', () => {
  const refuse = (bytes: Uint8Array, pattern: RegExp) => expect(() => checkSpreadsheetBytes(bytes)).toThrow(pattern);

  it('not a spreadsheet, encrypted/OLE, truncated, too large', async () => {
    refuse(new TextEncoder().encode('id,value\nrr,1\n'), /not an Excel workbook \(\.xlsx\): it is not a zip package/);
    const ole = new Uint8Array(4096);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    refuse(ole, /password-protected \(encrypted\) or an old-format \.xls/);
    const good = await workbook([['id', 'value']]);
    refuse(good.subarray(0, good.length - 30), /damaged/);
    expect(() => checkSpreadsheetBytes(good, { maxBytes: 100 })).toThrow(/spreadsheets up to 0 MB|MB; spreadsheets up to/);
    refuse(new Uint8Array(21 * 1024 * 1024), /the file is 21\.0 MB; spreadsheets up to 20 MB/);
    const zip = new JSZip();
    zip.file('hello.txt', 'x');
    refuse(await zip.generateAsync({ type: 'uint8array' }), /no xl\/workbook\.xml/);
    const enc = new JSZip();
    enc.file('EncryptedPackage', 'x');
    enc.file('xl/workbook.xml', 'x');
    refuse(await enc.generateAsync({ type: 'uint8array' }), /encrypted/);
  });

  it('a zip bomb is refused from the central directory, before anything is decompressed', async () => {
    const zip = new JSZip();
    zip.file('xl/workbook.xml', '<workbook/>');
    zip.file('xl/worksheets/sheet1.xml', '0'.repeat(30 * 1024 * 1024));
    const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
    expect(bytes.length).toBeLessThan(1024 * 1024);
    expect(() => checkSpreadsheetBytes(bytes, { maxUncompressed: 10 * 1024 * 1024 })).toThrow(/expands to more than 10 MB .*zip bomb/);
    await expect(importParametersFromXlsx(bytes, model, { maxUncompressed: 10 * 1024 * 1024 })).rejects.toThrow(/zip bomb/);
  });

  it('too many cells is refused', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => ['x' + i, i, i, i, i]);
    await expect(importParametersFromXlsx(await workbook([['id', 'value'], ...rows]), model, { maxCells: 500 })).rejects.toThrow(/more than 500 cells/);
  });

  it('random bytes behind a zip signature give a clear message, not a crash or hang', async () => {
    const junk = new Uint8Array(5000).map((_, i) => (i * 7919) % 251);
    junk.set([0x50, 0x4b, 0x03, 0x04]);
    await expect(importParametersFromXlsx(junk, model)).rejects.toBeInstanceOf(SpreadsheetImportError);
  });
});

describe('external PSA sample', () => {
  it('reads cost_<strategy>/effect_<strategy> columns (others ignored), including our own PSA draws sheet', async () => {
    const own = await benchWorkbook(300);
    const table = await readPsaSampleWorkbook(own.workbook);
    const psa = syntheticPsaResult(300);
    expect(table.strategyIds).toEqual(['s1', 's2', 's3']);
    expect(table.costs[1][299]).toBe(psa.draws!.strategies[1].cost[299]);
    expect(table.effects[2][0]).toBe(psa.draws!.strategies[2].effect[0]);
  });

  it('reports missing columns and bad cells with sheet, row and column', async () => {
    const bad = await workbook([['draw', 'cost_a', 'effect_a', 'cost_b'], [1, 10, 1, 12], [2, 'x', 1, 13]], 'Sample');
    await expect(readPsaSampleWorkbook(bad)).rejects.toThrow(/strategy 'b' has a cost column but no effect_b column/);
    const bad2 = await workbook([['cost_a', 'effect_a'], [10, 1], [null, 2], ['=1', 3]], 'Sample');
    await expect(readPsaSampleWorkbook(bad2)).rejects.toThrow(/sheet 'Sample', row 3, column A \(cost_a\): empty cell/);
    const bad3 = await workbook([['cost___proto__', 'effect___proto__'], [1, 2]], 'Sample');
    await expect(readPsaSampleWorkbook(bad3)).rejects.toThrow(/not a valid strategy id/);
  });

  it('a CSV handed in as a workbook is refused clearly', async () => {
    const csv = readFileSync(repoRoot + 'tests/reference/chancellor-hiv.model.json');
    await expect(readPsaSampleWorkbook(new Uint8Array(csv))).rejects.toThrow(/not an Excel workbook/);
  });
});

describe('CSV input for the importers', () => {
  it('csvToSheet feeds applyParameterSheet and psaSampleFromSheet', async () => {
    const { csvToSheet } = await import('../../../models/export/csv');
    const { applyParameterSheet, psaSampleFromSheet } = await import('../../../models/export/import-parameters');
    const sheet = csvToSheet('\uFEFFid;value;low;high\r\ncost_A;3000;;\r\nrr;"\'-1 + 2";;\r\n', 'params.csv');
    const { model: next } = applyParameterSheet(sheet, model);
    expect(next.parameters.find((p) => p.id === 'cost_A')!.value).toBe(3000);
    expect(next.parameters.find((p) => p.id === 'rr')!.value).toBe('-1 + 2');
    expect(() => applyParameterSheet(csvToSheet('id,value\nnope,1\n', 'p.csv'), model)).toThrow(/sheet 'p\.csv', row 2, column A \(id\): unknown parameter 'nope'/);
    const table = psaSampleFromSheet(csvToSheet('cost_a,effect_a,cost_b,effect_b\n1,2,3,4\n5,6,7,8\n'));
    expect(table.strategyIds).toEqual(['a', 'b']);
    expect(Array.from(table.effects[1])).toEqual([4, 8]);
  });
});
