/**
 * Net monetary benefit (NMB = effect*wtp - cost) and net health benefit (NHB = effect - cost/wtp),
 * Stinnett & Mullahy 1998 (Med Decis Making 18(2 Suppl):S68-80).
 */
import { computeIncremental } from './incremental';
import { type StrategyPoint, validatePoints, validateWtps } from './outcome-table';

/** NMB = effect*wtp - cost. */
export function netMonetaryBenefit(cost: number, effect: number, wtp: number): number {
  return effect * wtp - cost;
}

/**
 * NHB = effect - cost/wtp. At wtp = 0 the limit is used: -Infinity if cost > 0, +Infinity if
 * cost < 0, and `effect` if cost = 0 (rather than the NaN that 0/0 would give). Used with
 * incremental cost and effect it gives the incremental NHB with the same convention.
 */
export function netHealthBenefit(cost: number, effect: number, wtp: number): number {
  if (wtp === 0) {
    if (cost > 0) return -Infinity;
    if (cost < 0) return Infinity;
    return effect;
  }
  return effect - cost / wtp;
}

export type NetBenefitRow = {
  wtp: number;
  /** In input order. Incremental values are vs the reference strategy (see computeNetBenefits). */
  strategies: { id: string; nmb: number; nhb: number; incrementalNmb: number; incrementalNhb: number }[];
  /** Strategy with the highest NMB; exact ties go to the first in input order. */
  optimal: string;
};

/**
 * NMB and NHB for each strategy at each WTP. Incremental values are against the reference of
 * computeIncremental (the cheapest non-dominated strategy), computed from the cost and effect
 * differences (so incrementalNhb at wtp 0 follows netHealthBenefit's convention, not -Inf - -Inf).
 * The optimal strategy maximises NMB (equivalently NHB for wtp > 0; at wtp 0 the cheapest, as the
 * NHB limit also implies); exact ties go to the first in input order.
 * Throws RangeError for an empty strategy list, duplicate ids, non-finite values or negative WTP.
 */
export function computeNetBenefits(points: StrategyPoint[], wtps: number[]): NetBenefitRow[] {
  validatePoints(points, 'computeNetBenefits');
  validateWtps(wtps, 'computeNetBenefits');
  if (points.length === 0) throw new RangeError('computeNetBenefits: no strategies');
  const refId = computeIncremental(points).find((r) => r.status === 'reference')!.id;
  const ref = points.find((p) => p.id === refId)!;
  return wtps.map((wtp) => {
    let optimal = points[0].id;
    let best = -Infinity;
    const strategies = points.map((p) => {
      const nmb = netMonetaryBenefit(p.cost, p.effect, wtp);
      if (nmb > best) {
        best = nmb;
        optimal = p.id;
      }
      const dc = p.cost - ref.cost;
      const de = p.effect - ref.effect;
      return {
        id: p.id,
        nmb,
        nhb: netHealthBenefit(p.cost, p.effect, wtp),
        incrementalNmb: netMonetaryBenefit(dc, de, wtp),
        incrementalNhb: netHealthBenefit(dc, de, wtp),
      };
    });
    return { wtp, strategies, optimal };
  });
}
