/**
 * External PSA samples: CSV parsing (with errors naming row and column) and analysis, which must
 * equal the analysis of the same numbers in memory.
 */
import { describe, expect, it } from 'vitest';
import { PsaSampleError, analysePsaSample, parsePsaSampleCsv, sampleWtpGrid } from '../../../models/analyses/psa-sample';
import { psaResultTable, runPsa } from '../../../models/analyses/psa';
import { computeCeac, computeCeaf } from '../../../models/analyses/acceptability';
import { computeEvpi } from '../../../models/analyses/voi';
import { summarisePsa } from '../../../models/analyses/psa-summary';
import { loadModelFile } from '../../helpers/load';

function toCsv(table: { strategyIds: string[]; costs: Float64Array[]; effects: Float64Array[] }): string {
  const header = ['draw', ...table.strategyIds.flatMap((id) => [`cost_${id}`, `effect_${id}`])];
  const rows = Array.from(table.costs[0], (_, i) => [String(i), ...table.strategyIds.flatMap((_, s) => [String(table.costs[s][i]), String(table.effects[s][i])])]);
  return [header, ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n';
}

describe('analysePsaSample', () => {
  it('a CSV of the engine PSA draws gives the same results as the in-memory analysis', () => {
    const psa = runPsa(loadModelFile('tests/reference/chancellor-hiv.model.json'), { n: 2000, seed: 5, keepDraws: true });
    const table = psaResultTable(psa);
    const parsed = parsePsaSampleCsv(toCsv(table));
    // String(x) is the shortest round-trip form, so the parsed numbers are bit-identical.
    expect(parsed.strategyIds).toEqual(['mono', 'comb']);
    parsed.costs.forEach((c, s) => expect(Array.from(c)).toEqual(Array.from(table.costs[s])));
    const fromCsv = analysePsaSample(parsed, psa.wtps);
    const inMemory = analysePsaSample(table, psa.wtps);
    expect(fromCsv).toEqual(inMemory);
    // And the same as the engine's own PSA summaries on these draws.
    expect(fromCsv.ceac).toEqual(psa.ceac);
    expect(fromCsv.evpi).toEqual(psa.evpi);
    expect(fromCsv.strategies.map((s) => [s.meanCost, s.meanEffect, s.costInterval, s.effectInterval])).toEqual(
      psa.strategies.map((s) => [s.meanCost, s.meanEffect, s.costInterval, s.effectInterval]),
    );
    expect(fromCsv.incremental).toEqual(psa.incremental);
    // And the colleague's table-based functions.
    expect(fromCsv.ceac).toEqual(computeCeac(table, psa.wtps));
    expect(fromCsv.ceaf).toEqual(computeCeaf(table, psa.wtps));
    computeEvpi(table, psa.wtps).forEach((e, i) => expect(Math.abs(e.value - fromCsv.evpi[i].value)).toBeLessThan(1e-6));
    expect(fromCsv.strategies.map((s) => s.costInterval)).toEqual(summarisePsa(table).map((s) => s.costInterval));
  });

  it('hand-checked two-draw example', () => {
    // Draw 1: A (0, 1) vs B (1000, 1.1): at WTP 20000, NMB A = 20000, B = 21000 → B wins.
    // Draw 2: A (0, 1) vs B (3000, 1.1): NMB B = 19000 → A wins. CEAC(B) = 0.5.
    // Mean NMB: A 20000, B 20000 → tie, the first (A) is optimal; EVPI = mean(max) − max(mean) = 20500 − 20000 = 500.
    const t = parsePsaSampleCsv('cost_A,effect_A,cost_B,effect_B\n0,1,1000,1.1\n0,1,3000,1.1\n');
    const r = analysePsaSample(t, [20000]);
    expect(r.ceac[0].probabilities).toEqual({ A: 0.5, B: 0.5 });
    expect(r.ceaf[0]).toEqual({ wtp: 20000, optimal: 'A', probability: 0.5 });
    expect(r.evpi[0].value).toBeCloseTo(500, 9);
    expect(r.strategies[1].meanCost).toBe(2000);
  });
});

describe('parsePsaSampleCsv', () => {
  it('accepts quotes, semicolons, a BOM, blank lines, extra columns and any column order', () => {
    const t = parsePsaSampleCsv('\ufeff"note";effect_X;cost_X\n"a; b";1.5;2e3\n\n"c";2;-1\n');
    expect(t.strategyIds).toEqual(['X']);
    expect(Array.from(t.costs[0])).toEqual([2000, -1]);
    expect(Array.from(t.effects[0])).toEqual([1.5, 2]);
  });

  it('names the row and column of bad cells', () => {
    expect(() => parsePsaSampleCsv('cost_A,effect_A\n1,2\n3,abc\n')).toThrow("row 3 (line 3), column B 'effect_A': 'abc' is not a number");
    expect(() => parsePsaSampleCsv('cost_A,effect_A\n1,\n')).toThrow("row 2 (line 2), column B 'effect_A': the cell is empty");
    expect(() => parsePsaSampleCsv('cost_A,effect_A\n1,1,000\n')).not.toThrow(); // extra cells are ignored
    expect(() => parsePsaSampleCsv('cost_A,effect_A\n"1,5",2\n')).toThrow(/'1,5' is not a number/);
  });

  it('requires matching cost/effect pairs, a header and rows', () => {
    expect(() => parsePsaSampleCsv('cost_A,effect_B\n1,2\n')).toThrow("row 1: column 'cost_A' has no matching 'effect_A'");
    expect(() => parsePsaSampleCsv('a,b\n1,2\n')).toThrow(/no cost_<strategy> or effect_<strategy> columns/);
    expect(() => parsePsaSampleCsv('cost_A,effect_A\n')).toThrow(/no rows of draws/);
    expect(() => parsePsaSampleCsv('')).toThrow(PsaSampleError);
    expect(() => parsePsaSampleCsv('cost_A,effect_A,cost_A\n1,2,3\n')).toThrow(/appears twice/);
  });
});

describe('sampleWtpGrid', () => {
  it('uses wtpGrid when bounds are given, else the default grid', () => {
    expect(sampleWtpGrid(0, 100, 50)).toEqual([0, 50, 100]);
    expect(sampleWtpGrid(undefined, undefined, undefined)).toContain(30000);
  });
});
