/**
 * Reference validation: the Chancellor HIV model as reproduced in Briggs, Claxton & Sculpher (2006),
 * Decision Modelling for Health Economic Evaluation, Example 2.5, and its companion Excel workbook.
 * Expected values: ../shared/refcases/chancellor-hiv-dmhee-exact.json, obtained with heemod 1.0.2
 * (which matches the textbook figures: cost 44663.45 / 50601.65, LY 7.991 / 8.937, ICER 6275.96).
 * Tolerances are the ones stated in that file (1e-9 relative against heemod, 1.5e-8 against the book).
 */
import { describe, expect, it } from 'vitest';
import { runBaseCase } from '../../models/analyses/base-case';
import { loadJson, loadModelFile, relativeDifference, sharedRoot } from '../helpers/load';

const ref = loadJson(sharedRoot + 'refcases/chancellor-hiv-dmhee-exact.json');
const tol = ref.tolerance.relative_vs_heemod as number;
const model = loadModelFile('tests/reference/chancellor-hiv.model.json');
const result = runBaseCase(model);
const byId = Object.fromEntries(result.strategies.map((s) => [s.id, s]));

describe('Chancellor HIV model (Briggs et al. 2006, Example 2.5)', () => {
  for (const id of ['mono', 'comb']) {
    const expected = ref.expected.per_strategy[id];
    it(`${id}: total discounted cost and life-years match heemod/DMHEE to ${tol} relative`, () => {
      expect(relativeDifference(byId[id].outcomes.cost, expected.total_cost)).toBeLessThan(tol);
      expect(relativeDifference(byId[id].outcomes.ly, expected.total_effect_life_years)).toBeLessThan(tol);
      expect(byId[id].cost).toBe(byId[id].outcomes.cost);
      expect(byId[id].effect).toBe(byId[id].outcomes.ly);
    });

    it(`${id}: state membership (trace) at every published cycle`, () => {
      const trace = byId[id].markov![0].trace;
      for (const row of ref.expected.raw_trace_n0_to_n5_and_last[id]) {
        ['A', 'B', 'C', 'D'].forEach((state, s) => {
          expect(Math.abs(trace[row.cycle][s] - row[state])).toBeLessThan(1e-12);
        });
      }
    });

    it(`${id}: per-cycle values (undiscounted health and drug costs, discounted total cost, life-years)`, () => {
      const markov = byId[id].markov![0];
      for (const row of expected.per_cycle_values_first_and_last_cycles) {
        const k = row.cycle;
        expect(relativeDifference(markov.perCycleUndiscounted.cost_health[k], row.cost_health)).toBeLessThan(tol);
        expect(relativeDifference(markov.perCycleUndiscounted.cost_drugs[k], row.cost_drugs)).toBeLessThan(tol);
        expect(relativeDifference(markov.perCycle.cost[k], row.cost_total)).toBeLessThan(tol);
        expect(relativeDifference(markov.perCycle.ly[k], row.life_year)).toBeLessThan(tol);
      }
    });
  }

  it('ICER of combination vs monotherapy is 6275.9556 GBP per life-year gained', () => {
    const comb = result.incremental.find((r) => r.id === 'comb')!;
    const expected = ref.expected.per_strategy.comb;
    expect(comb.status).toBe('frontier');
    expect(comb.comparator).toBe('mono');
    expect(relativeDifference(comb.incrementalCost!, expected.incremental_cost_vs_previous)).toBeLessThan(tol);
    expect(relativeDifference(comb.incrementalEffect!, expected.incremental_effect_vs_previous)).toBeLessThan(tol);
    expect(relativeDifference(comb.icer!, ref.expected.icer_comb_vs_mono)).toBeLessThan(tol);
    expect(result.incremental.find((r) => r.id === 'mono')!.status).toBe('reference');
  });

  it('matches the textbook figures to the published precision', () => {
    const book = ref.expected.textbook_published;
    const bookTol = ref.tolerance.relative_vs_textbook as number;
    expect(relativeDifference(byId.mono.cost, book.cost_mono)).toBeLessThan(bookTol);
    expect(relativeDifference(byId.comb.cost, book.cost_comb)).toBeLessThan(bookTol);
    expect(relativeDifference(byId.mono.effect, book.ly_mono)).toBeLessThan(bookTol);
    expect(relativeDifference(byId.comb.effect, book.ly_comb)).toBeLessThan(bookTol);
  });
});
