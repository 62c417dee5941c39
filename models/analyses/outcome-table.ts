/**
 * Shared types for the decision analyses. These analyses only ever see a plain table of cost and
 * effect per strategy (and per PSA draw), so they work equally on results produced by this tool's
 * own engine and on results imported from other models.
 */

/** One strategy's (deterministic or mean) cost and effect. */
export type StrategyPoint = { id: string; cost: number; effect: number };

/**
 * PSA outcome table: per strategy, one cost and one effect per draw (common random numbers: draw i
 * is the same parameter set for all strategies). `costs[s][i]` is strategy `strategyIds[s]`, draw i.
 */
export type OutcomeTable = { strategyIds: string[]; costs: Float64Array[]; effects: Float64Array[] };

/** Upper bound on the length of a WTP grid, so a mistyped step cannot exhaust memory. */
export const MAX_WTP_POINTS = 100_000;

/**
 * Willingness-to-pay grid from `min` to `max` in steps of `step`, inclusive of both ends.
 * Points are computed as `min + k*step` (not by repeated addition, so no drift accumulates). If
 * `max` is within 1e-9 steps of a grid point it is snapped to exactly `max`; if `max` is not on the
 * grid it is appended as the final point, so the requested range is always covered.
 * Validation: all finite, `min >= 0` (a negative WTP has no meaning for net benefit), `step > 0`,
 * `max >= min`, at most MAX_WTP_POINTS points. `min === max` gives the single point `[min]`.
 */
export function wtpGrid(min: number, max: number, step: number): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || !Number.isFinite(step)) {
    throw new RangeError(`wtpGrid: min, max and step must be finite (got ${min}, ${max}, ${step})`);
  }
  if (min < 0) throw new RangeError(`wtpGrid: min must be >= 0 (got ${min})`);
  if (max < min) throw new RangeError(`wtpGrid: max (${max}) must be >= min (${min})`);
  if (!(step > 0)) throw new RangeError(`wtpGrid: step must be > 0 (got ${step})`);
  const span = (max - min) / step;
  const tol = 1e-9;
  const nFull = Math.floor(span + tol); // number of whole steps that fit
  if (nFull + 2 > MAX_WTP_POINTS) {
    throw new RangeError(`wtpGrid: grid would have more than ${MAX_WTP_POINTS} points`);
  }
  const out: number[] = [];
  for (let k = 0; k <= nFull; k++) out.push(min + k * step);
  if (Math.abs(span - nFull) <= tol) out[out.length - 1] = max;
  else out.push(max);
  return out;
}

/** Validate a list of WTP values (finite, >= 0). Returns it unchanged for chaining. */
export function validateWtps(wtps: readonly number[], where: string): readonly number[] {
  if (!Array.isArray(wtps)) throw new TypeError(`${where}: wtps must be an array of numbers`);
  for (const w of wtps) {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new RangeError(`${where}: every WTP must be a finite number >= 0 (got ${w})`);
    }
  }
  return wtps;
}

/** Validate strategy points: non-empty unique ids, finite cost and effect. */
export function validatePoints(points: readonly StrategyPoint[], where: string): void {
  const seen = new Set<string>();
  for (const p of points) {
    if (typeof p.id !== 'string') throw new TypeError(`${where}: strategy id must be a string`);
    if (seen.has(p.id)) throw new RangeError(`${where}: duplicate strategy id "${p.id}"`);
    seen.add(p.id);
    if (!Number.isFinite(p.cost) || !Number.isFinite(p.effect)) {
      throw new RangeError(`${where}: strategy "${p.id}" has a non-finite cost or effect`);
    }
  }
}

/**
 * Validate an outcome table: at least one strategy, unique ids, one cost and one effect array per
 * strategy, all arrays the same length (>= 1 draw) and all values finite. Returns the dimensions.
 * Reads the table once; never copies it.
 */
export function validateOutcomeTable(table: OutcomeTable, where: string): { nStrategies: number; nDraws: number } {
  const { strategyIds, costs, effects } = table;
  const nStrategies = strategyIds.length;
  if (nStrategies === 0) throw new RangeError(`${where}: the outcome table has no strategies`);
  if (costs.length !== nStrategies || effects.length !== nStrategies) {
    throw new RangeError(`${where}: need one cost and one effect array per strategy`);
  }
  const seen = new Set<string>();
  for (const id of strategyIds) {
    if (seen.has(id)) throw new RangeError(`${where}: duplicate strategy id "${id}"`);
    seen.add(id);
  }
  const nDraws = costs[0].length;
  if (nDraws === 0) throw new RangeError(`${where}: the outcome table has no draws`);
  for (let s = 0; s < nStrategies; s++) {
    const c = costs[s];
    const e = effects[s];
    if (c.length !== nDraws || e.length !== nDraws) {
      throw new RangeError(`${where}: strategy "${strategyIds[s]}" has a different number of draws`);
    }
    for (let i = 0; i < nDraws; i++) {
      if (!Number.isFinite(c[i]) || !Number.isFinite(e[i])) {
        throw new RangeError(`${where}: strategy "${strategyIds[s]}" draw ${i} has a non-finite cost or effect`);
      }
    }
  }
  return { nStrategies, nDraws };
}

/** Arithmetic mean of a Float64Array (plain summation; PSA sizes make Kahan unnecessary). */
export function meanOf(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}
