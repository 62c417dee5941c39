/**
 * Cost-effectiveness acceptability curves (CEAC; van Hout et al. 1994, Health Econ 3(5):309-319)
 * and the cost-effectiveness acceptability frontier (CEAF; Fenwick, Claxton & Sculpher 2001,
 * Health Econ 10(8):779-787), from a PSA outcome table.
 *
 * NMB is computed on the fly per draw (effect*wtp - cost); the table is never copied.
 */
import { type OutcomeTable, meanOf, validateOutcomeTable, validateWtps } from './outcome-table';

/**
 * P(strategy has the highest NMB) at one WTP. When k strategies tie exactly for the highest NMB in
 * a draw, each is credited 1/k of that draw, so the probabilities always sum to 1.
 */
export type CeacPoint = { wtp: number; probabilities: Record<string, number> };

/**
 * The strategy with the highest EXPECTED (mean) NMB at this WTP, and its probability of being
 * cost-effective (its CEAC value). Exact ties in expected NMB go to the first strategy in table order.
 */
export type CeafPoint = { wtp: number; optimal: string; probability: number };

export function computeCeac(table: OutcomeTable, wtps: number[]): CeacPoint[] {
  const { nStrategies, nDraws } = validateOutcomeTable(table, 'computeCeac');
  validateWtps(wtps, 'computeCeac');
  return wtps.map((wtp) => {
    const shares = ceacShares(table, nStrategies, nDraws, wtp);
    const probabilities: Record<string, number> = {};
    table.strategyIds.forEach((id, s) => (probabilities[id] = shares[s]));
    return { wtp, probabilities };
  });
}

export function computeCeaf(table: OutcomeTable, wtps: number[]): CeafPoint[] {
  const { nStrategies, nDraws } = validateOutcomeTable(table, 'computeCeaf');
  validateWtps(wtps, 'computeCeaf');
  // E[NMB_s] = wtp*E[effect_s] - E[cost_s]: the means are computed once for all WTPs.
  const meanCost = table.costs.map(meanOf);
  const meanEffect = table.effects.map(meanOf);
  return wtps.map((wtp) => {
    let best = 0;
    let bestValue = -Infinity;
    for (let s = 0; s < nStrategies; s++) {
      const v = wtp * meanEffect[s] - meanCost[s];
      if (v > bestValue) {
        bestValue = v;
        best = s;
      }
    }
    const shares = ceacShares(table, nStrategies, nDraws, wtp);
    return { wtp, optimal: table.strategyIds[best], probability: shares[best] };
  });
}

/** Share of draws in which each strategy has the highest NMB (ties split equally). */
function ceacShares(table: OutcomeTable, nStrategies: number, nDraws: number, wtp: number): Float64Array {
  const { costs, effects } = table;
  const wins = new Float64Array(nStrategies);
  for (let i = 0; i < nDraws; i++) {
    let best = -Infinity;
    let bestIndex = 0;
    let nTied = 0;
    for (let s = 0; s < nStrategies; s++) {
      const v = effects[s][i] * wtp - costs[s][i];
      if (v > best) {
        best = v;
        bestIndex = s;
        nTied = 1;
      } else if (v === best) nTied++;
    }
    if (nTied === 1) {
      wins[bestIndex] += 1;
    } else {
      // Exact tie: recompute the same expression (bit-identical) to find the tied strategies.
      const share = 1 / nTied;
      for (let s = 0; s < nStrategies; s++) if (effects[s][i] * wtp - costs[s][i] === best) wins[s] += share;
    }
  }
  for (let s = 0; s < nStrategies; s++) wins[s] /= nDraws;
  return wins;
}
