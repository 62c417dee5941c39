import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { runBaseCase } from '../../../models/analyses/base-case';
import { runOneWayDsa } from '../../../models/analyses/dsa';
import { buildWorkbookSpec, currencyFormat, describeDistribution, type ExportableResult } from '../../../models/export/workbook-spec';
import { writeXlsx } from '../../../models/export/write-xlsx';
import { summaryCsv } from '../../../models/export/csv';
import { benchWorkbook, syntheticPsaResult } from '../../../models/export/bench-workbook';
import { sha256Hex } from '../../../models/export/sha256';
import { writeResultFile } from '../../../cli/output';
import { CliError } from '../../../cli/io';
import { loadModelFile, repoRoot } from '../../helpers/load';
import { recalcToCsv, sofficePath } from './libreoffice';

const model = loadModelFile('tests/reference/chancellor-hiv.model.json');
const modelText = readFileSync(repoRoot + 'tests/reference/chancellor-hiv.model.json', 'utf8');
const result = runBaseCase(model);
const asResult = (r: unknown) => r as ExportableResult;

describe('workbook specification (base case)', () => {
  const spec = buildWorkbookSpec(asResult(result), { model, modelText, appVersion: '9.9.9', date: new Date('2026-01-02T03:04:05Z') });
  const sheet = (name: string) => spec.sheets.find((s) => s.name === name)!;

  it('has Summary first, Manifest last, and Inputs, Incremental, trace and audit sheets per strategy', () => {
    expect(spec.sheets.map((s) => s.name)).toEqual(['Summary', 'Inputs', 'Incremental', 'Trace mono', 'Trace comb', 'Audit mono', 'Audit comb', 'Manifest']);
  });

  it('Summary has a plain-language sentence built from the numbers and currency formats', () => {
    const sentence = String(sheet('Summary').rows[2][0]!.v);
    expect(sentence).toContain('Compared with Zidovudine monotherapy, Zidovudine + lamivudine costs GBP 5,938 more');
    expect(sentence).toContain('GBP 6,276 per life-year gained (ICER)');
    const costCell = sheet('Summary').rows[sheet('Summary').table!.first][2]!;
    expect(costCell.v).toBe(result.strategies[0].cost);
    expect(costCell.fmt).toBe('#,##0.00 "£"');
    expect(currencyFormat('EUR')).toBe('#,##0.00 "€"');
  });

  it('Inputs lists every parameter with its evaluated value; expressions become live formulas on defined names', () => {
    const inputs = sheet('Inputs');
    const row = inputs.rows.find((r) => r?.[0]?.v === 'tp_AB')!;
    expect(row[2]!.v).toBe('350/1734');
    expect(row[3]!.f).toBe('(350/1734)');
    expect(row[3]!.v).toBeCloseTo(350 / 1734, 15);
    const rr = inputs.rows.find((r) => r?.[0]?.v === 'rr_comb')!;
    expect(rr[7]!.v).toBe('lognormal');
    expect(rr[8]!.v).toBe('meanlog=-0.67531; sdlog=0.16975');
    expect(rr[9]!.v).toBe('Lognormal(meanlog = -0.67531, sdlog = 0.16975)');
    expect(spec.names.find((n) => n.name === 'in_rr_comb')).toBeDefined();
    expect(spec.names.find((n) => n.name === 'set_discount_costs')).toBeDefined();
    expect(describeDistribution({ type: 'beta', alpha: 2, beta: 5 })).toBe('Beta(alpha = 2, beta = 5)');
  });

  it('assumption rows are visibly marked', () => {
    const m = structuredClone(model);
    m.parameters[0].confidence = 'assumption';
    const s = buildWorkbookSpec(asResult(runBaseCase(m)), { model: m });
    const row = s.sheets.find((x) => x.name === 'Inputs')!.rows.find((r) => r?.[0]?.v === 'tp_AB')!;
    expect(row[0]!.s).toBe('assumption');
    expect(row[11]!.v).toBe('ASSUMPTION');
  });

  it('audit sheets: cached totals (own evaluation of the formulas) equal the engine to 1e-9, formulas refer to Inputs', () => {
    for (const s of result.strategies) {
      const audit = sheet(`Audit ${s.id}`);
      const header = audit.rows.findIndex((r) => r?.[0]?.v === 'Outcome');
      for (let i = header + 1; audit.rows[i]?.[0]; i++) {
        const [id, d, u] = audit.rows[i];
        expect(Math.abs((d!.v as number) - s.outcomes[id!.v as string])).toBeLessThan(1e-9 * Math.max(1, Math.abs(s.outcomes[id!.v as string])));
        expect(Math.abs((u!.v as number) - s.undiscountedOutcomes[id!.v as string])).toBeLessThan(1e-9 * Math.max(1, Math.abs(s.undiscountedOutcomes[id!.v as string])));
        expect(d!.f).toMatch(/^\(SUM\(.*\)\)\*set_cohort_size$/);
      }
    }
    const comb = sheet('Audit comb');
    const formulas = comb.rows.flat().filter((c) => c?.f).map((c) => c!.f!);
    expect(formulas.some((f) => f.includes('in_rr_comb') && f.includes('in_treatment_years'))).toBe(true);
    expect(formulas.some((f) => f.includes('set_discount_costs'))).toBe(true);
  });

  it('Manifest ties the workbook to the run: SHA-256 of the model text, app version, date', () => {
    const rows = sheet('Manifest').rows;
    const get = (k: string) => rows.find((r) => r?.[0]?.v === k)?.[1]?.v;
    expect(get('Model file SHA-256')).toBe(sha256Hex(modelText));
    expect(get('App version')).toBe('9.9.9');
    expect(get('Run date (UTC)')).toBe('2026-01-02T03:04:05.000Z');
    expect(get('Within-cycle correction')).toBe('none');
  });

  it('text that a spreadsheet would run is neutralised everywhere; numbers stay numbers', () => {
    const m = structuredClone(model);
    m.metadata.name = '=HYPERLINK("http://evil","x")';
    m.strategies[0].name = '@SUM(1)';
    m.parameters[0].source = '+1';
    const s = buildWorkbookSpec(asResult(runBaseCase(m)), { model: m });
    for (const sh of s.sheets) for (const r of sh.rows) for (const c of r ?? []) if (c && !c.f && typeof c.v === 'string') expect(c.v).not.toMatch(/^[=+\-@\t\r]/);
    expect(summaryCsv(s)).toContain("'@SUM(1)");
  });

  it('one-way DSA and an unknown kind export too', () => {
    const dsa = runOneWayDsa(model);
    const s = buildWorkbookSpec(asResult(dsa), { model });
    expect(s.sheets[0].name).toBe('Summary');
    expect(s.sheets.map((x) => x.name)).toContain('Inputs');
    const generic = buildWorkbookSpec({ kind: 'new-kind', modelName: 'x', years: [{ year: 1, cost: 5 }] }, {});
    expect(generic.sheets.map((x) => x.name)).toEqual(['Summary', 'Manifest']);
    // A known kind with an unexpected shape falls back to the generic layout, with a note.
    const odd = buildWorkbookSpec({ kind: 'budget-impact', modelName: 'x', years: [{ year: 1, cost: 5 }] }, {});
    expect(odd.sheets.map((x) => x.name)).toEqual(['Summary', 'Manifest']);
    expect(odd.sheets[1].rows.some((r) => String(r?.[1]?.v ?? '').includes('exported generically'))).toBe(true);
  });
});

describe('xlsx writer', () => {
  it('writes formulas with cached values, number formats, frozen panes, defined names and images; reads back', async () => {
    const png = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'));
    const spec = buildWorkbookSpec(asResult(result), { model, modelText, charts: { trace: png, 'ce-plane': `data:image/png;base64,${Buffer.from(png).toString('base64')}` } });
    const bytes = await writeXlsx(spec);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as never);
    const inputs = wb.getWorksheet('Inputs')!;
    const cell = inputs.getCell('D5');
    expect((cell.value as { formula: string }).formula).toBe('(350/1734)');
    expect((cell.value as { result: number }).result).toBeCloseTo(350 / 1734, 15);
    expect(inputs.views[0]).toMatchObject({ state: 'frozen', ySplit: 4, xSplit: 1 });
    expect(wb.getWorksheet('Summary')!.getImages().length).toBe(1);
    expect(wb.getWorksheet('Trace mono')!.getImages().length).toBe(1);
    expect(wb.getWorksheet('Summary')!.getCell('C6').numFmt).toBe('#,##0.00 "£"');
    expect(wb.definedNames.getRanges('in_rr_comb').ranges[0]).toMatch(/Inputs!\$D\$\d+/);
  });
});

describe('CLI --out', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hta-out-'));
  it('.xlsx writes a workbook, .csv the summary table, anything else is a usage error (exit 2)', async () => {
    await writeResultFile(join(dir, 'r.xlsx'), asResult(result), { modelText, modelPath: 'chancellor.json' });
    expect(readFileSync(join(dir, 'r.xlsx')).subarray(0, 2).toString()).toBe('PK');
    await writeResultFile(join(dir, 'r.csv'), asResult(result), { modelText, modelPath: 'chancellor.json' });
    const csv = readFileSync(join(dir, 'r.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^Strategy,Id,Cost,/);
    expect(csv).toContain('comb,50601.65133120');
    await expect(writeResultFile(join(dir, 'r.txt'), asResult(result), { modelText, modelPath: 'm' })).rejects.toMatchObject({ exitCode: 2 });
    await expect(writeResultFile(join(dir, 'r.txt'), asResult(result), { modelText, modelPath: 'm' })).rejects.toBeInstanceOf(CliError);
  });
});

describe('PSA workbook speed (bench case)', () => {
  it('writes a 10,000-draw PSA workbook in under 5 s (target; the test allows 15 s on a loaded CI machine)', async () => {
    const r = await benchWorkbook(10_000);
    console.log(`bench-workbook: 10,000 draws, spec ${r.specMs.toFixed(0)} ms + write ${r.writeMs.toFixed(0)} ms = ${r.totalMs.toFixed(0)} ms, ${(r.bytes / 1048576).toFixed(2)} MB`);
    expect(r.totalMs).toBeLessThan(15_000);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.workbook as never);
    const draws = wb.getWorksheet('PSA draws')!;
    expect(draws.rowCount).toBe(10_001);
    const psa = syntheticPsaResult(10_000);
    expect(draws.getCell('B10001').value).toBe(psa.draws!.strategies[0].cost[9999]);
    expect(draws.getCell('B10001').numFmt).toBe('#,##0.00 "€"');
  });

  it.skipIf(!sofficePath())('the 10,000-draw workbook opens in LibreOffice', async () => {
    const r = await benchWorkbook(10_000);
    const dir = mkdtempSync(join(tmpdir(), 'hta-psa-'));
    const file = join(dir, 'psa.xlsx');
    writeFileSync(file, r.workbook);
    const sheets = recalcToCsv([file]).get(file)!;
    const draws = sheets.get('PSA draws')!;
    expect(draws.filter((row) => row.length > 1 && row[0] !== '').length).toBe(10_001);
    expect(Number(draws[10_000][1])).toBeCloseTo(syntheticPsaResult(10_000).draws!.strategies[0].cost[9999], 8);
  }, 120_000);
});
