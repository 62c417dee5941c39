/** Every analysis kind exports to a workbook (and its summary CSV) that reads back. */
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { runBaseCase } from '../../../models/analyses/base-case';
import { runBudgetImpact } from '../../../models/analyses/budget-impact';
import { runTwoWayDsa } from '../../../models/analyses/dsa';
import { runPsa } from '../../../models/analyses/psa';
import { runScenarioAnalysis } from '../../../models/analyses/scenarios';
import { findThreshold } from '../../../models/analyses/threshold';
import { buildWorkbookSpec, type ExportableResult } from '../../../models/export/workbook-spec';
import { writeXlsx } from '../../../models/export/write-xlsx';
import { summaryCsv } from '../../../models/export/csv';
import { loadModelFile } from '../../helpers/load';

const chancellor = loadModelFile('tests/reference/chancellor-hiv.model.json');
const lit = loadModelFile('models/examples/lit-vs-systemic.model.json');

async function roundTrip(result: unknown, model = chancellor): Promise<{ sheets: string[]; csv: string; wb: ExcelJS.Workbook }> {
  const spec = buildWorkbookSpec(result as ExportableResult, { model, modelText: JSON.stringify(model), appVersion: 'test' });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await writeXlsx(spec)) as never);
  return { sheets: wb.worksheets.map((w) => w.name), csv: summaryCsv(spec), wb };
}

describe('export of every analysis kind', () => {
  it('psa (engine run with kept draws): Summary, CEAC-EVPI, PSA draws, Manifest with seed and draws', async () => {
    const r = runPsa(chancellor, { n: 300, seed: 42, keepDraws: true });
    const { sheets, csv, wb } = await roundTrip(r);
    expect(sheets).toEqual(expect.arrayContaining(['Summary', 'Inputs', 'Incremental', 'CEAC-EVPI', 'PSA draws', 'Manifest']));
    expect(csv.split('\r\n')[0]).toMatch(/^Strategy,Id,Mean cost/);
    const manifest = wb.getWorksheet('Manifest')!;
    const values = new Map<string, unknown>();
    manifest.eachRow((row) => values.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(values.get('Seed')).toBe(42);
    expect(values.get('Draws')).toBe(300);
    expect(wb.getWorksheet('PSA draws')!.getCell('B2').value).toBe(r.draws!.strategies[0].cost[0]);
  });

  it('two-way DSA, threshold and scenario analysis', async () => {
    const two = await roundTrip(runTwoWayDsa(chancellor, { parameters: ['rr_comb', 'cost_lami'], steps: 3, ranges: [undefined, [1000, 3000]] }));
    expect(two.sheets[0]).toBe('Two-way');
    const th = await roundTrip(findThreshold(chancellor, { parameter: 'cost_lami', strategy: 'comb', comparator: 'mono', wtp: 20000, range: [0, 20000] }));
    expect(th.sheets).toContain('Threshold');
    const sc = await roundTrip(runScenarioAnalysis(chancellor));
    expect(sc.sheets[0]).toBe('Summary');
  });

  it('budget impact, and a decision-tree model with tunnel states gets live audit sheets', async () => {
    if (!lit.budgetImpact) return;
    const bi = await roundTrip(runBudgetImpact(lit), lit);
    expect(bi.csv.split('\r\n')[0]).toMatch(/^Year,Eligible population,Cost without,Cost with,Net budget impact/);
    const base = runBaseCase(lit);
    const spec = buildWorkbookSpec(base as unknown as ExportableResult, { model: lit });
    const audits = spec.sheets.filter((s) => s.name.startsWith('Audit'));
    expect(audits.length).toBe(base.strategies.length);
    for (const a of audits) {
      const texts = a.rows.flat().map((c) => String(c?.v ?? ''));
      expect(texts.some((t) => t.startsWith('Audit:') && t.includes('decision tree and Markov model'))).toBe(true);
      expect(texts.some((t) => t.startsWith('No live-formula audit'))).toBe(false);
    }
  });

  it('lookup tables become INDEX/MATCH formulas on a Tables sheet; untranslatable ones are written as values and flagged', async () => {
    const m = structuredClone(chancellor);
    m.tables = [
      { id: 'mult', keys: ['cycle'], match: 'floor', outOfRange: 'clamp', rows: [[0, 1], [5, 1.1], [10, 1.2]] },
      { id: 'grid', keys: ['a', 'b'], match: 'floor', outOfRange: 'clamp', rows: [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]] },
    ];
    m.parameters.push({ id: 'cost_mult', value: 'lookup(mult, cycle)' }, { id: 'one', value: 'lookup(grid, 0.5, cycle)' });
    m.markovModels[0].states[0].rewards.cost_health = 'cost_A * cost_mult * one';
    const r = runBaseCase(m);
    const spec = buildWorkbookSpec(r as unknown as ExportableResult, { model: m });
    expect(spec.sheets.map((s) => s.name)).toContain('Tables');
    const audit = spec.sheets.find((s) => s.name === 'Audit mono')!;
    const formulas = audit.rows.flat().filter((c) => c?.f).map((c) => c!.f!);
    expect(formulas.some((f) => f.startsWith('INDEX(Tables!$B$4:$B$6,MATCH(MIN(MAX($A'))).toBe(true);
    const warning = audit.rows.flat().find((c) => c?.s === 'warning' && String(c.v).startsWith('Not live:'));
    expect(String(warning?.v)).toContain("table 'grid' has 2 numeric key columns");
    const header = audit.rows.findIndex((row) => row?.[0]?.v === 'Outcome');
    const cost = audit.rows[header + 2]!;
    expect(cost[0]!.v).toBe('cost_health');
    expect(Math.abs((cost[1]!.v as number) - r.strategies[0].outcomes.cost_health)).toBeLessThan(1e-9 * r.strategies[0].outcomes.cost_health);
  });
});
