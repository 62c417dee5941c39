/**
 * Reference check of computeIncremental against dampack's calculate_icers() (DARTH-git/dampack,
 * R/icers.R; run with dampack 1.0.2.1000 on R 4.2.2 — see the reference file's `how_obtained`).
 * Data sets:
 *  - hiv_screening: Paltiel AD et al., Ann Intern Med 2006;145(11):797-806, Table 4 (one D);
 *  - cdiff_psa_means: Rajasingham R et al., Clin Infect Dis 2020;70(5):754-762, dampack's
 *    psa_cdiff PSA means (one ED, four D);
 *  - hund_strat: dampack's 100-strategy example (several ED, many D).
 * Status mapping: dampack ND -> 'reference' (first row) / 'frontier', ED -> 'extended-dominated',
 * D -> 'dominated'. Every row's order, status, incremental cost/effect and ICER must match
 * (numbers to 1e-9 relative, as the reference file's tolerance states).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { computeIncremental, type IncrementalStatus } from '../../models/analyses/incremental';

type RefRow = {
  Strategy: string;
  Cost: number;
  Effect: number;
  Inc_Cost: number | null;
  Inc_Effect: number | null;
  ICER: number | null;
  Status: 'ND' | 'ED' | 'D';
};
type RefFile = {
  inputs: Record<string, { strategies: string[]; cost: number[]; [effect: string]: unknown }>;
  expected: Record<string, { table: RefRow[]; status_counts: Record<string, number> }>;
  tolerance: { relative: number };
};

const refUrl = new URL('../../../shared/refcases/dampack-icers.json', import.meta.url);
const ref = JSON.parse(readFileSync(fileURLToPath(refUrl), 'utf8')) as RefFile;

function effectsOf(input: Record<string, unknown>): number[] {
  // hiv_screening names its effect column effect_qalys; the others call it effect.
  const e = (input.effect ?? input.effect_qalys) as number[] | undefined;
  if (!e) throw new Error('reference input has no effect column');
  return e;
}

function expectClose(actual: number | null, expected: number | null, rel: number, what: string): void {
  if (expected === null) {
    expect(actual, what).toBeNull();
    return;
  }
  expect(actual, what).not.toBeNull();
  const scale = Math.max(Math.abs(expected), Number.MIN_VALUE);
  expect(Math.abs((actual as number) - expected) / scale, what).toBeLessThanOrEqual(rel);
}

describe('computeIncremental vs dampack calculate_icers', () => {
  it('reads the reference file from /work/shared/refcases', () => {
    expect(fileURLToPath(refUrl)).toMatch(/shared[\\/]refcases[\\/]dampack-icers\.json$/);
    expect(Object.keys(ref.expected).sort()).toEqual(['cdiff_psa_means', 'hiv_screening', 'hund_strat']);
  });

  for (const name of ['hiv_screening', 'cdiff_psa_means', 'hund_strat']) {
    it(`matches dampack on ${name}`, () => {
      const input = ref.inputs[name];
      const effects = effectsOf(input);
      const points = input.strategies.map((id, i) => ({ id, cost: input.cost[i], effect: effects[i] }));
      const rows = computeIncremental(points);
      const expected = ref.expected[name].table;
      const rel = ref.tolerance.relative;

      expect(rows.map((r) => r.id)).toEqual(expected.map((r) => r.Strategy));
      const statusOf = (r: RefRow, i: number): IncrementalStatus =>
        r.Status === 'D' ? 'dominated' : r.Status === 'ED' ? 'extended-dominated' : i === 0 ? 'reference' : 'frontier';
      expect(rows.map((r) => r.status)).toEqual(expected.map(statusOf));
      const counts: Record<string, number> = {};
      for (const r of rows) {
        const k = r.status === 'dominated' ? 'D' : r.status === 'extended-dominated' ? 'ED' : 'ND';
        counts[k] = (counts[k] ?? 0) + 1;
      }
      expect(counts).toEqual(ref.expected[name].status_counts);

      rows.forEach((row, i) => {
        const e = expected[i];
        expectClose(row.cost, e.Cost, rel, `${name} ${e.Strategy} cost`);
        expectClose(row.effect, e.Effect, rel, `${name} ${e.Strategy} effect`);
        expectClose(row.incrementalCost, e.Inc_Cost, rel, `${name} ${e.Strategy} Inc_Cost`);
        expectClose(row.incrementalEffect, e.Inc_Effect, rel, `${name} ${e.Strategy} Inc_Effect`);
        expectClose(row.icer, e.ICER, rel, `${name} ${e.Strategy} ICER`);
        // Frontier rows are compared with the previous frontier row.
        if (row.status === 'frontier') expect(row.comparator).toBe(expected[i - 1].Strategy);
        else expect(row.comparator).toBeNull();
        if (row.status === 'reference' || row.status === 'frontier') expect(row.dominatedBy).toBeNull();
        else expect(row.dominatedBy).not.toBeNull();
      });
    });
  }

  it('names the bracketing frontier pair for the extendedly dominated cdiff strategy', () => {
    const input = ref.inputs.cdiff_psa_means;
    const effects = effectsOf(input);
    const rows = computeIncremental(input.strategies.map((id, i) => ({ id, cost: input.cost[i], effect: effects[i] })));
    // s39 (effect 13.0463) lies between frontier strategies s33 (13.0389) and s31 (13.0966).
    expect(rows.find((r) => r.id === 's39')!.dominatedBy).toBe('s33\u2013s31');
  });
});
