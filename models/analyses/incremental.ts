/**
 * Incremental cost-effectiveness analysis (dominance, extended dominance, ICERs).
 *
 * Follows dampack's `calculate_icers()` (DARTH-git/dampack, R/icers.R) step for step, so that
 * results can be checked against it to floating-point precision (tests/reference/dampack-icers.test.ts):
 *  1. sort by cost ascending, then effect descending (stable: input order breaks exact ties);
 *  2. strong dominance: a strategy is dominated if any strategy earlier in that order is at least
 *     as effective (so it costs no less and is no more effective, with at least one strict unless
 *     it is an exact duplicate);
 *  3. extended (weak) dominance: among the remaining strategies compute ICERs against the previous
 *     one; every strategy whose ICER is greater than the next strategy's ICER is removed; repeat
 *     until a pass removes nothing (this is how several extendedly dominated strategies in a row are
 *     caught). Equal consecutive ICERs (collinear points) are not removed, as in dampack;
 *  4. ICERs among the survivors (the efficient frontier) against the previous frontier strategy.
 *
 * Ties (documented behaviour, identical to dampack's):
 *  - exactly equal cost AND effect: the first in input order stays; the later ones are 'dominated'
 *    with `dominatedBy` = the first;
 *  - equal cost, different effect: the less effective is 'dominated';
 *  - equal effect, different cost: the costlier is 'dominated'.
 *
 * `dominatedBy` convention:
 *  - 'dominated': the cheapest strategy that dominates it (at equal cost the more effective one,
 *    then input order). That strategy is never itself strongly dominated.
 *  - 'extended-dominated': the pair of frontier strategies whose segment of the frontier it lies
 *    under, written `"<lower>–<upper>"` (en dash U+2013), lower = the last frontier strategy less
 *    effective than it, upper = the first frontier strategy more effective than it. A mix of the two
 *    gives more effect for the same cost.
 *  - 'reference' / 'frontier': null.
 */
import { type StrategyPoint, validatePoints } from './outcome-table';

export type IncrementalStatus = 'reference' | 'frontier' | 'dominated' | 'extended-dominated';

export type IncrementalRow = {
  id: string;
  cost: number;
  effect: number;
  status: IncrementalStatus;
  /** The previous frontier strategy the increments are taken against (null unless 'frontier'). */
  comparator: string | null;
  incrementalCost: number | null;
  incrementalEffect: number | null;
  icer: number | null;
  dominatedBy: string | null;
};

/** Separator used in `dominatedBy` for extended dominance: en dash. */
export const EXTENDED_DOMINANCE_SEPARATOR = '\u2013';

/**
 * Classify strategies and compute ICERs (dampack calculate_icers semantics, see file comment).
 * Output order as dampack: reference then frontier by ascending cost, then extended-dominated,
 * then dominated (each by ascending cost, then descending effect, then input order).
 * An empty input gives an empty result; a single strategy is the reference.
 * Throws RangeError on duplicate ids or non-finite cost/effect.
 */
export function computeIncremental(points: StrategyPoint[]): IncrementalRow[] {
  validatePoints(points, 'computeIncremental');
  const n = points.length;
  if (n === 0) return [];

  // 1. Sort order: cost asc, effect desc, input index asc (dplyr::arrange is stable).
  const order = points.map((_, i) => i);
  order.sort((a, b) => {
    const pa = points[a];
    const pb = points[b];
    if (pa.cost !== pb.cost) return pa.cost - pb.cost;
    if (pa.effect !== pb.effect) return pb.effect - pa.effect;
    return a - b;
  });

  // 2. Strong dominance: j is dominated if some earlier i (in sort order) has effect_i >= effect_j.
  const dominatedBy = new Map<number, number>(); // point index -> dominator point index
  for (let jj = 1; jj < n; jj++) {
    const j = order[jj];
    for (let ii = 0; ii < jj; ii++) {
      const i = order[ii];
      if (points[j].effect <= points[i].effect) {
        dominatedBy.set(j, i); // first (cheapest) dominator in sort order
        break;
      }
    }
  }

  // 3. Extended dominance, iterated exactly like dampack (one pass marks every strategy whose ICER
  //    exceeds the next one's; repeat until a pass marks nothing).
  const extended = new Set<number>();
  let nd = order.filter((i) => !dominatedBy.has(i));
  for (;;) {
    if (nd.length <= 2) break;
    const icers = icersAlong(points, nd);
    const marked: number[] = [];
    for (let k = 1; k < nd.length - 1; k++) {
      if (icers[k] > icers[k + 1]) marked.push(nd[k]);
    }
    if (marked.length === 0) break;
    for (const m of marked) extended.add(m);
    nd = nd.filter((i) => !extended.has(i));
  }

  // 4. Frontier rows with ICERs vs the previous frontier strategy.
  const rows: IncrementalRow[] = [];
  for (let k = 0; k < nd.length; k++) {
    const p = points[nd[k]];
    if (k === 0) {
      rows.push(row(p, 'reference', null, null, null, null, null));
    } else {
      const prev = points[nd[k - 1]];
      const dc = p.cost - prev.cost;
      const de = p.effect - prev.effect;
      rows.push(row(p, 'frontier', prev.id, dc, de, dc / de, null));
    }
  }
  for (const i of order) {
    if (!extended.has(i)) continue;
    const p = points[i];
    let lower = nd[0];
    let upper = nd[nd.length - 1];
    for (const f of nd) {
      if (points[f].effect < p.effect) lower = f;
      else if (points[f].effect > p.effect) {
        upper = f;
        break;
      }
    }
    const by = points[lower].id + EXTENDED_DOMINANCE_SEPARATOR + points[upper].id;
    rows.push(row(p, 'extended-dominated', null, null, null, null, by));
  }
  for (const i of order) {
    const by = dominatedBy.get(i);
    if (by === undefined) continue;
    rows.push(row(points[i], 'dominated', null, null, null, null, points[by].id));
  }
  return rows;
}

/** ICER of each strategy in `seq` vs the previous one (NaN for the first), as dampack compute_icers. */
function icersAlong(points: StrategyPoint[], seq: number[]): number[] {
  const out = [NaN];
  for (let k = 1; k < seq.length; k++) {
    const p = points[seq[k]];
    const q = points[seq[k - 1]];
    out.push((p.cost - q.cost) / (p.effect - q.effect));
  }
  return out;
}

function row(
  p: StrategyPoint,
  status: IncrementalStatus,
  comparator: string | null,
  incrementalCost: number | null,
  incrementalEffect: number | null,
  icer: number | null,
  dominatedBy: string | null,
): IncrementalRow {
  return { id: p.id, cost: p.cost, effect: p.effect, status, comparator, incrementalCost, incrementalEffect, icer, dominatedBy };
}
