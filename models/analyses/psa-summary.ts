/**
 * PSA summaries: mean cost and effect per strategy with 95% percentile intervals, and points for
 * the incremental cost-effectiveness plane.
 */
import { type OutcomeTable, meanOf, validateOutcomeTable } from './outcome-table';

export type StrategySummary = {
  id: string;
  meanCost: number;
  meanEffect: number;
  /** [2.5th, 97.5th] percentile of cost over draws (see `quantileSorted`). */
  costInterval: [number, number];
  effectInterval: [number, number];
};

/**
 * Per strategy (table order): mean cost and effect over draws, and the 95% interval given by the
 * 2.5th and 97.5th percentiles. Percentiles use linear interpolation between order statistics,
 * Hyndman & Fan (1996) type 7 — the default of R's quantile() and of numpy.percentile.
 */
export function summarisePsa(table: OutcomeTable): StrategySummary[] {
  validateOutcomeTable(table, 'summarisePsa');
  return table.strategyIds.map((id, s) => {
    const c = table.costs[s];
    const e = table.effects[s];
    return {
      id,
      meanCost: meanOf(c),
      meanEffect: meanOf(e),
      costInterval: interval95(c),
      effectInterval: interval95(e),
    };
  });
}

function interval95(values: Float64Array): [number, number] {
  const sorted = Float64Array.from(values).sort(); // typed-array sort is numeric
  return [quantileSorted(sorted, 0.025), quantileSorted(sorted, 0.975)];
}

/** Hyndman & Fan type 7 quantile of ascending-sorted data: h = (n-1)p, interpolate x[floor h], x[floor h + 1]. */
export function quantileSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export type CePlanePoint = { draw: number; incrementalCost: number; incrementalEffect: number };

/** One series per strategy other than the comparator: its cost and effect minus the comparator's, per draw. */
export type CePlaneSeries = { id: string; comparator: string; points: CePlanePoint[] };

/**
 * Incremental cost and effect vs `comparatorId`, per draw, for every other strategy (table order).
 * Because draw i is the same parameter set for every strategy, differences are taken draw by draw.
 * With `maxPoints` (a positive integer) smaller than the number of draws, the same evenly spaced
 * draws are kept for every strategy: draw floor(j*n/maxPoints) for j = 0..maxPoints-1. This is
 * deterministic, and unbiased because PSA draws are exchangeable. `draw` is the index in the table.
 */
export function cePlanePoints(table: OutcomeTable, comparatorId: string, maxPoints?: number): CePlaneSeries[] {
  const { nDraws } = validateOutcomeTable(table, 'cePlanePoints');
  const ref = table.strategyIds.indexOf(comparatorId);
  if (ref < 0) throw new RangeError(`cePlanePoints: unknown comparator "${comparatorId}"`);
  if (maxPoints !== undefined && (!Number.isInteger(maxPoints) || maxPoints < 1)) {
    throw new RangeError(`cePlanePoints: maxPoints must be a positive integer (got ${maxPoints})`);
  }
  const m = maxPoints === undefined ? nDraws : Math.min(maxPoints, nDraws);
  const draws = new Array<number>(m);
  for (let j = 0; j < m; j++) draws[j] = m === nDraws ? j : Math.floor((j * nDraws) / m);
  const refCost = table.costs[ref];
  const refEffect = table.effects[ref];
  const out: CePlaneSeries[] = [];
  table.strategyIds.forEach((id, s) => {
    if (s === ref) return;
    const c = table.costs[s];
    const e = table.effects[s];
    out.push({
      id,
      comparator: comparatorId,
      points: draws.map((i) => ({ draw: i, incrementalCost: c[i] - refCost[i], incrementalEffect: e[i] - refEffect[i] })),
    });
  });
  return out;
}
