/**
 * Simpson's 1/3 within-cycle correction against an independently computed result.
 * Source of the method: Elbasha EH, Chhatwal J. Theoretical foundations and practical applications
 * of within-cycle correction methods. Med Decis Making 2016;36(1):115-131 (Simpson's 1/3 rule for
 * an even number of cycles; error O(h^4)).
 * A two-state alive/dead model with constant annual death probability p gives the reward curve
 * f(t) = q^t with q = (1 - p)/(1 + r): its exact integral over [0, N] is (1 - q^N)/(-ln q), and the
 * composite Simpson sum and its error bound N·h⁴·max|f⁗|/180 are written out by hand here.
 */
import { describe, expect, it } from 'vitest';
import { runBaseCase } from '../../models/analyses/base-case';
import { buildModel, withSettings } from '../helpers/model-builder';

const p = 0.17;
const r = 0.035;
const model = (n: number, correction: 'simpson' | 'trapezoidal') =>
  withSettings(
    buildModel({
      parameters: [{ id: 'p_death', value: p }],
      markovModels: [
        {
          id: 'm',
          states: [{ id: 'alive', rewards: { qaly: 1, cost: 100 } }, { id: 'dead' }],
          transitions: [
            { from: 'alive', to: 'dead', probability: 'p_death' },
            { from: 'alive', to: 'alive', probability: 'C' },
          ],
          initial: { alive: 1 },
        },
      ],
      strategies: [{ id: 's', name: 's', entry: { kind: 'markov', model: 'm' } }],
    }),
    { timeHorizon: { value: n, unit: 'years' }, withinCycleCorrection: correction, discountRates: { costs: r, effects: r } },
  );

function handSimpson(n: number): number {
  const q = (1 - p) / (1 + r);
  const f = (k: number) => Math.pow(q, k);
  let sum = f(0) + f(n);
  for (let k = 1; k < n; k++) sum += (k % 2 === 1 ? 4 : 2) * f(k);
  return sum / 3;
}

describe("Simpson's 1/3 correction (Elbasha & Chhatwal 2016)", () => {
  for (const n of [2, 10, 40]) {
    it(`N = ${n}: equals the hand-computed composite Simpson sum and is within the Simpson error bound of the exact integral`, () => {
      const q = (1 - p) / (1 + r);
      const exact = (1 - Math.pow(q, n)) / -Math.log(q);
      const bound = (n * Math.pow(Math.log(q), 4)) / 180;
      const result = runBaseCase(model(n, 'simpson')).strategies[0];
      expect(result.outcomes.qaly).toBeCloseTo(handSimpson(n), 12);
      expect(result.outcomes.cost).toBeCloseTo(100 * handSimpson(n), 9);
      expect(Math.abs(result.outcomes.qaly - exact)).toBeLessThanOrEqual(bound);
      const trapezoid = runBaseCase(model(n, 'trapezoidal')).strategies[0].outcomes.qaly;
      expect(Math.abs(result.outcomes.qaly - exact)).toBeLessThan(Math.abs(trapezoid - exact));
    });
  }
});
