/**
 * Audit workbooks recalculated by LibreOffice: the live formulas of the Audit sheets must
 * reproduce the engine's trace and totals to 1e-9 relative, for the Chancellor HIV model (strategy
 * overrides, time-dependent relative risk), for every within-cycle correction, and for a model
 * exercising the expression functions, lookup tables (linear, exact, text keys), transition rewards
 * and a cohort size, for the LIT model (decision tree feeding a Markov model with a tunnel state and
 * a life table by age and sex); and again after input cells are edited (compared with the engine run on the edited model).
 * Skipped (with a message) only when LibreOffice is not installed; CI installs libreoffice-calc.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { runBaseCase, type BaseCaseResult } from '../../models/analyses/base-case';
import type { ModelFile } from '../../models/schema/model-file';
import { parseModelText } from '../../models/schema/parse-model';
import { buildWorkbookSpec } from '../../models/export/workbook-spec';
import { writeXlsx } from '../../models/export/write-xlsx';
import { loadModelFile } from '../helpers/load';
import { recalcToCsv, sofficePath } from '../unit/export/libreoffice';

const soffice = sofficePath();
if (!soffice) console.warn('audit-workbook tests SKIPPED: LibreOffice (soffice) is not installed; install libreoffice-calc to run them (CI does).');

const TOL = 1e-9;
function close(actual: number, expected: number): boolean {
  if (!Number.isFinite(actual)) return false;
  return Math.abs(actual - expected) <= TOL * Math.max(Math.abs(expected), 1e-3);
}

const chancellor = loadModelFile('tests/reference/chancellor-hiv.model.json');

function variant(base: ModelFile, patch: (m: ModelFile) => void): ModelFile {
  const m = structuredClone(base);
  patch(m);
  return m;
}

function parseModel(json: unknown): ModelFile {
  const parsed = parseModelText(JSON.stringify(json));
  if (!parsed.ok) throw new Error(parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
  return parsed.model;
}

/** Monthly cycles, time-dependent rates, most expression functions, a transition reward, a cohort, half-cycle correction. */
export const featureModel = parseModel({
  schemaVersion: 1,
  metadata: { name: 'Feature model for audit formulas' },
  settings: {
    cycleLength: { value: 1, unit: 'months' },
    timeHorizon: { value: 3, unit: 'years' },
    discountRates: { costs: 0.035, effects: 0.015 },
    withinCycleCorrection: 'half-cycle',
    currency: 'EUR',
    wtpThresholds: [30000],
    costOutcome: 'cost',
    effectOutcome: 'qaly',
    cohortSize: 1000,
  },
  outcomes: [
    { id: 'cost', unit: 'EUR', discount: 'costs' },
    { id: 'qaly', discount: 'effects' },
    { id: 'events', discount: 'none' },
  ],
  parameters: [
    { id: 'lambda', value: 0.2, unit: 'per year' },
    { id: 'p_death_5y', value: 0.1, unit: 'probability' },
    { id: 'hr', value: 1, unit: 'ratio' },
    { id: 'p_sd', value: 0.02, unit: 'probability' },
    { id: 'or_sd', value: 1.5, unit: 'ratio' },
    { id: 'u_h', value: 0.85 },
    { id: 'dis', value: -0.2, confidence: 'assumption' },
    { id: 'u_s', value: 'max(0, u_h + dis) - abs(-0.01) + 0 * sqrt(4) * ln(e) * exp(0)' },
    { id: 'c_h', value: 1200, unit: 'EUR/year' },
    { id: 'c_s', value: '-(-5000) * lookup(lin, time) + lookup(ex, min(cycle, 2), "m")', unit: 'EUR/year' },
    { id: 'c_event', value: 'round(749.6) + floor(0.5) + ceil(0.2) - 1 + clamp(3, 0, 1) - 1', unit: 'EUR' },
    { id: 'p_hs', value: 'rate_to_prob(lambda * (1 + 0.05 * time), cycle_years)', unit: 'probability' },
    { id: 'p_hd', value: 'apply_hr(rescale_prob(p_death_5y, 5, cycle_years), hr)', unit: 'probability' },
    { id: 'p_sd_c', value: 'min(0.9, apply_or(p_sd, or_sd), odds_to_prob(odds(p_sd) * or_sd))', unit: 'probability' },
    { id: 'p_sh', value: 'if(cycle < 6 && !(cycle == 3) || cycle > 30, 0.05, 0.02) * (prob_to_rate(0.5, 2) > 0 ? 1 : 0) + -0.001 * (2 ^ -1) ^ 2', unit: 'probability' },
  ],
  tables: [
    { id: 'lin', keys: ['t'], match: 'linear', rows: [[0, 1], [1, 1.2], [2.5, 1.5]] },
    { id: 'ex', keys: ['k', 'sex'], match: 'exact', rows: [[0, 'f', 1], [1, 'f', 2], [2, 'f', 3], [0, 'm', 10], [1, 'm', 20], [2, 'm', 30]] },
  ],
  markovModels: [
    {
      id: 'm',
      states: [
        { id: 'H', rewards: { cost: 'c_h * cycle_years', qaly: 'u_h * cycle_years' } },
        { id: 'S', rewards: { cost: 'c_s * cycle_years + (cycle == 1 ? 100 : 0)', qaly: 'u_s * cycle_years' } },
        { id: 'D' },
      ],
      transitions: [
        { from: 'H', to: 'H', probability: 'C' },
        { from: 'H', to: 'S', probability: 'p_hs', rewards: { cost: 'c_event', events: 1 } },
        { from: 'H', to: 'D', probability: 'p_hd' },
        { from: 'S', to: 'H', probability: 'p_sh' },
        { from: 'S', to: 'D', probability: 'p_sd_c' },
        { from: 'S', to: 'S', probability: 'C' },
      ],
      initial: { H: 0.9, S: '0.1' },
    },
  ],
  strategies: [
    { id: 'soc', name: 'Standard care', entry: { kind: 'markov', model: 'm' } },
    { id: 'new', name: '-New drug', entry: { kind: 'markov', model: 'm' }, overrides: { hr: 0.7, lambda: '0.2 * if(time < 1, 0.5, 0.8)', c_h: 'c_s * 0.72' } },
  ],
});

type Case = { name: string; model: ModelFile; variant?: { scenario?: string; subgroup?: string } };
const cases: Case[] = [
  { name: 'chancellor', model: chancellor },
  ...(['beginning', 'half-cycle', 'trapezoidal', 'simpson'] as const).map((c) => ({
    name: `chancellor-${c}`,
    model: variant(chancellor, (m) => {
      m.settings.withinCycleCorrection = c;
      m.settings.discountRates.effects = 0.035;
      if (c === 'simpson') m.settings.timeHorizon.value = 21; // odd number of cycles: Simpson 1/3 closed by the 3/8 rule
    }),
  })),
  { name: 'features', model: featureModel },
  // Scenario (global and strategy-specific overrides, longer horizon, other correction) and subgroup runs.
  ...(['scenario', 'subgroup'] as const).map((kind) => ({
    name: `chancellor-${kind}`,
    model: variant(chancellor, (m) => {
      m.scenarios = [{ id: 'long', name: 'Longer horizon', overrides: { cost_C: 9500 }, strategyOverrides: { comb: { rr_comb: 0.45 } }, settings: { timeHorizon: { value: 30, unit: 'years' }, withinCycleCorrection: 'half-cycle' } }];
      m.subgroups = [{ id: 'old', name: 'Older', weight: 1, overrides: { tp_CD: '0.3' }, strategyOverrides: { mono: { cost_zido: 2500 } } }];
    }),
    variant: kind === 'scenario' ? { scenario: 'long' } : { subgroup: 'old' },
  })),
  // Decision tree feeding a Markov model with a tunnel state and a life table looked up by age and sex.
  { name: 'lit', model: loadModelFile('models/examples/lit-vs-systemic.model.json') },
];

type AuditRead = { totals: Map<string, [number, number]>; trace: number[][]; states: string[] };

function readAudit(rows: string[][]): AuditRead {
  const t = rows.findIndex((r) => r[0] === 'Outcome' && r[1] === 'Discounted total (live)');
  const totals = new Map<string, [number, number]>();
  for (let i = t + 1; i < rows.length && rows[i][0]; i++) totals.set(rows[i][0], [Number(rows[i][1]), Number(rows[i][2])]);
  const h = rows.findIndex((r) => r[0] === 'Cycle k');
  const traceCols = rows[h].map((v, c) => [v, c] as const).filter(([v]) => v.startsWith('Trace: '));
  const trace: number[][] = [];
  for (let i = h + 1; i < rows.length && rows[i][0] !== ''; i++) trace.push(traceCols.map(([, c]) => Number(rows[i][c])));
  return { totals, trace, states: traceCols.map(([v]) => v.slice(7)) };
}

function compareWithEngine(sheets: Map<string, string[][]>, result: BaseCaseResult): void {
  for (const s of result.strategies) {
    const rows = sheets.get(`Audit ${s.id}`);
    expect(rows, `sheet Audit ${s.id}`).toBeDefined();
    const audit = readAudit(rows!);
    for (const [id, expected] of Object.entries(s.outcomes)) {
      const [d, u] = audit.totals.get(id)!;
      expect(close(d, expected), `${s.id} ${id} discounted: LibreOffice ${d}, engine ${expected}`).toBe(true);
      expect(close(u, s.undiscountedOutcomes[id]), `${s.id} ${id} undiscounted: LibreOffice ${u}, engine ${s.undiscountedOutcomes[id]}`).toBe(true);
    }
    // Trace columns of every Markov model, in the engine's order (tree strategies may feed several).
    const engineTrace = s.markov![0].trace.map((_, k) => s.markov!.flatMap((m) => m.trace[k]));
    expect(audit.trace.length).toBe(engineTrace.length);
    expect(audit.states.length).toBe(engineTrace[0].length);
    engineTrace.forEach((row, k) => row.forEach((v, j) => expect(close(audit.trace[k][j], v), `${s.id} trace[${k}][${j}]: ${audit.trace[k][j]} vs ${v}`).toBe(true)));
    expect(rows!.some((r) => r[0].startsWith('No live-formula audit'))).toBe(false);
    expect(rows!.filter((r) => r[0].startsWith('Not live:')).map((r) => r[0])).toEqual([]);
  }
}

describe.skipIf(!soffice)('audit workbooks recalculated by LibreOffice', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hta-audit-'));
  const files = new Map<string, { file: string; result: BaseCaseResult }>();
  let recalculated: Map<string, Map<string, string[][]>>;
  let edited: { file: string; result: BaseCaseResult };
  let litEdited: { file: string; result: BaseCaseResult };

  beforeAll(async () => {
    for (const [i, c] of cases.entries()) {
      const result = runBaseCase(c.model, c.variant ?? {});
      const bytes = await writeXlsx(buildWorkbookSpec(result, { model: c.model, modelText: JSON.stringify(c.model), appVersion: 'test' }));
      const file = join(dir, `f${i}x-${c.name}.xlsx`); // distinct stems: LibreOffice names CSVs <stem>-<sheet>.csv
      writeFileSync(file, bytes);
      files.set(c.name, { file, result });
    }
    // Edit input cells of the Chancellor workbook with exceljs, as a reviewer would in Excel.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(files.get('chancellor')!.file) as never);
    const inputs = wb.getWorksheet('Inputs')!;
    const set = (id: string, col: number, value: number) => {
      let found = false;
      inputs.eachRow((row) => {
        if (row.getCell(1).value === id) {
          row.getCell(col).value = value;
          found = true;
        }
      });
      if (!found) throw new Error(`no Inputs row ${id}`);
    };
    set('rr_comb', 3, 0.6);
    set('cost_A', 3, 3000);
    set('discount_costs', 4, 0.035);
    set('tp_AB', 4, 0.25); // an expression parameter: overwrite its formula in column D
    const editedFile = join(dir, 'fex-chancellor-edited.xlsx');
    writeFileSync(editedFile, new Uint8Array(await wb.xlsx.writeBuffer()));
    const changed = variant(chancellor, (m) => {
      m.parameters.find((p) => p.id === 'rr_comb')!.value = 0.6;
      m.parameters.find((p) => p.id === 'cost_A')!.value = 3000;
      m.parameters.find((p) => p.id === 'tp_AB')!.value = 0.25;
      m.settings.discountRates.costs = 0.035;
    });
    edited = { file: editedFile, result: runBaseCase(changed) };

    // LIT model: edit a tree-branch input, the lookup key (start age), a life-table value on the
    // Tables sheet and the utility of the tunnel state.
    const litWb = new ExcelJS.Workbook();
    await litWb.xlsx.load(readFileSync(files.get('lit')!.file) as never);
    const litInputs = litWb.getWorksheet('Inputs')!;
    const setLit = (id: string, value: number) => {
      let found = false;
      litInputs.eachRow((row) => {
        if (row.getCell(1).value === id) {
          row.getCell(3).value = value;
          found = true;
        }
      });
      if (!found) throw new Error(`no Inputs row ${id}`);
    };
    setLit('p_response_systemic', 0.5);
    setLit('start_age', 70);
    setLit('u_after_complication', 0.6);
    const tables = litWb.getWorksheet('Tables')!;
    let edits = 0;
    tables.getRow(3).eachCell((cell, col) => {
      if (String(cell.value).includes('sex=female')) {
        tables.eachRow((row, r) => {
          if (r > 3 && row.getCell(col).value === 70) {
            row.getCell(col + 1).value = 0.05;
            edits++;
          }
        });
      }
    });
    if (edits !== 1) throw new Error(`expected one life-table cell for age 70 female, found ${edits}`);
    const litFile = join(dir, 'fel-lit-edited.xlsx');
    writeFileSync(litFile, new Uint8Array(await litWb.xlsx.writeBuffer()));
    const litModel = variant(cases.find((c) => c.name === 'lit')!.model, (m) => {
      m.parameters.find((p) => p.id === 'p_response_systemic')!.value = 0.5;
      m.parameters.find((p) => p.id === 'start_age')!.value = 70;
      m.parameters.find((p) => p.id === 'u_after_complication')!.value = 0.6;
      m.tables.find((t) => t.id === 'life_table')!.rows.find((r) => r[0] === 70 && r[1] === 'female')![2] = 0.05;
    });
    litEdited = { file: litFile, result: runBaseCase(litModel) };
    recalculated = recalcToCsv([...[...files.values()].map((f) => f.file), editedFile, litFile]);
  }, 300_000);

  for (const c of cases) {
    it(`${c.name}: recalculated trace and totals equal the engine's to 1e-9`, () => {
      const { file, result } = files.get(c.name)!;
      compareWithEngine(recalculated.get(file)!, result);
    });
  }

  it('after editing input cells (rr_comb, cost_A, tp_AB, cost discount rate) the totals and the Summary\'s live block equal the engine run with those inputs', () => {
    compareWithEngine(recalculated.get(edited.file)!, edited.result);
    // The Summary's live block follows the Audit sheets.
    const summary = recalculated.get(edited.file)!.get('Summary')!;
    const h = summary.findIndex((r) => r[2] === 'Cost (live)');
    for (const s of edited.result.strategies) {
      const row = summary.slice(h + 1).find((r) => r[1] === s.id)!;
      expect(close(Number(row[2]), s.cost), `live cost ${row[2]} vs ${s.cost}`).toBe(true);
      expect(close(Number(row[3]), s.effect), `live effect ${row[3]} vs ${s.effect}`).toBe(true);
      expect(close(Number(row[7]), s.effect * 20000 - s.cost)).toBe(true);
    }
    const comb = edited.result.strategies[1];
    const mono = edited.result.strategies[0];
    const icer = Number(summary.slice(h + 1).find((r) => r[1] === 'comb')![6]);
    expect(close(icer, (comb.cost - mono.cost) / (comb.effect - mono.effect))).toBe(true);
    const best = summary.find((r) => r[0] === 'Highest NMB (live)')!;
    expect(best[7]).toBe(edited.result.netBenefit[0].strategies.reduce((a, b) => (b.nmb > a.nmb ? b : a)).id === 'comb' ? 'Zidovudine + lamivudine' : 'Zidovudine monotherapy');
    // And they really changed.
    const before = files.get('chancellor')!.result.strategies[1].outcomes.cost;
    expect(Math.abs(edited.result.strategies[1].outcomes.cost - before)).toBeGreaterThan(100);
  });

  it('LIT model: after editing a tree input, the lookup key, a life-table cell and the tunnel utility, the totals equal the engine run with those inputs', () => {
    compareWithEngine(recalculated.get(litEdited.file)!, litEdited.result);
    const before = files.get('lit')!.result.strategies[0].outcomes.qaly;
    expect(Math.abs(litEdited.result.strategies[0].outcomes.qaly - before)).toBeGreaterThan(1e-4);
  });

  it('every sheet of the workbook opens and the Summary is readable', () => {
    const sheets = recalculated.get(files.get('chancellor')!.file)!;
    expect([...sheets.keys()].sort()).toEqual(['Audit comb', 'Audit mono', 'Incremental', 'Inputs', 'Manifest', 'Summary', 'Trace comb', 'Trace mono'].sort());
    expect(sheets.get('Summary')!.some((r) => r[0] === 'Zidovudine + lamivudine')).toBe(true);
  });
});
