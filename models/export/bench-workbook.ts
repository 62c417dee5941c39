/**
 * Speed case for the bench: a PSA workbook with 10,000 draws (3 strategies, 10 sampled parameters,
 * CEAC/CEAF/EVPI on a 51-point WTP grid) built and written to .xlsx. Target: under 5 s.
 * Pure apart from exceljs (no Node APIs): run it from scripts/bench-xlsx.mjs or a test.
 */
import type { PsaResult } from '../analyses/psa';
import { computeCeac, computeCeaf } from '../analyses/acceptability';
import { computeEvpi } from '../analyses/voi';
import { computeIncremental } from '../analyses/incremental';
import { buildWorkbookSpec } from './workbook-spec';
import { writeXlsx } from './write-xlsx';
import { drawStream } from '../psa/random';

export function syntheticPsaResult(draws = 10_000, nStrategies = 3, nParameters = 10): PsaResult {
  const random = drawStream(20240601, 0); // the engine's seeded stream, so the bench is reproducible
  const ids = Array.from({ length: nStrategies }, (_, s) => `s${s + 1}`);
  const strategies = ids.map((id, s) => {
    const cost = Array.from({ length: draws }, () => 20000 + 5000 * s + 3000 * (random() - 0.5));
    const effect = Array.from({ length: draws }, () => 8 + 0.4 * s + 0.6 * (random() - 0.5));
    return { id, cost, effect, outcomes: { cost, qaly: effect } as Record<string, number[]> };
  });
  const parameters: Record<string, number[]> = {};
  for (let p = 0; p < nParameters; p++) parameters[`param_${p + 1}`] = Array.from({ length: draws }, () => random());
  const table = { strategyIds: ids, costs: strategies.map((s) => Float64Array.from(s.cost)), effects: strategies.map((s) => Float64Array.from(s.effect)) };
  const wtps = Array.from({ length: 51 }, (_, k) => k * 2000);
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  const summaries = strategies.map((s) => ({ id: s.id, name: `Strategy ${s.id}`, meanCost: mean(s.cost), meanEffect: mean(s.effect), costInterval: [Math.min(...s.cost), Math.max(...s.cost)] as [number, number], effectInterval: [Math.min(...s.effect), Math.max(...s.effect)] as [number, number], outcomeMeans: { cost: mean(s.cost), qaly: mean(s.effect) } }));
  return {
    kind: 'psa',
    formatVersion: 1,
    modelName: 'Synthetic PSA bench',
    modelHash: 'bench',
    scenario: null,
    subgroup: null,
    seed: 1,
    n: draws,
    drawRange: [0, draws - 1],
    nDraws: draws,
    complete: true,
    options: { keepDraws: true, evppiGroups: [], cePlanePoints: 1000 },
    settings: { costOutcome: 'cost', effectOutcome: 'qaly', cohortSize: 1, currency: 'EUR', wtpThresholds: [20000, 30000] },
    strategies: summaries,
    intervalMethod: 'min-max (synthetic)',
    memory: '',
    incremental: computeIncremental(summaries.map((s) => ({ id: s.id, cost: s.meanCost, effect: s.meanEffect }))),
    wtps,
    wtpGrid: '0 to 100000 by 2000',
    ceac: computeCeac(table, wtps),
    ceaf: computeCeaf(table, wtps),
    evpi: computeEvpi(table, wtps),
    evpiMethod: 'mean of maximum NMB minus maximum of mean NMB',
    cePlane: { comparator: 's1', maxPoints: 1000, series: [] },
    evppi: null,
    evppiNote: null,
    draws: { strategies, parameters },
  } as PsaResult;
}

export type BenchWorkbookResult = { draws: number; specMs: number; writeMs: number; totalMs: number; bytes: number; workbook: Uint8Array };

export async function benchWorkbook(draws = 10_000, now: () => number = () => performance.now()): Promise<BenchWorkbookResult> {
  const result = syntheticPsaResult(draws);
  const t0 = now();
  const spec = buildWorkbookSpec(result as never, { appVersion: 'bench', date: new Date(0) });
  const t1 = now();
  const workbook = await writeXlsx(spec);
  const t2 = now();
  return { draws, specMs: t1 - t0, writeMs: t2 - t1, totalMs: t2 - t0, bytes: workbook.length, workbook };
}
