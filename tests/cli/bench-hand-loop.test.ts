/**
 * The benchmark's ratio compares the engine with a hand-written loop of the Chancellor model; that
 * comparison means something only if the loop is the same model. Checked here draw by draw against
 * the engine's PSA evaluator, and its monotherapy arm (which no draw changes) against the
 * reference values of ../shared/refcases/chancellor-hiv-dmhee-exact.json (Briggs et al. 2006,
 * Example 2.5; textbook: cost £44,663.45, 7.991 life-years).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chancellorHandLoop, engineEvaluation } from '../../cli/commands/bench';
import { parseModelText } from '../../models/schema/parse-model';
import { loadJson, relativeDifference, sharedRoot } from '../helpers/load';

const root = join(__dirname, '..', '..');

describe('bench: the hand-written Chancellor loop is the same model as the engine evaluates', () => {
  const parsed = parseModelText(readFileSync(join(root, 'tests/reference/chancellor-hiv.model.json'), 'utf8'));
  if (!parsed.ok) throw new Error('chancellor model does not parse');
  const model = parsed.model;

  it('gives the engine per-draw values (all outcomes, both strategies) to 1e-12 relative', () => {
    const n = 600;
    const hand = chancellorHandLoop(model, n, 11);
    const engine = engineEvaluation(model, n, 11);
    expect(hand.length).toBe(engine.length);
    let maxRel = 0;
    for (let i = 0; i < hand.length; i++) maxRel = Math.max(maxRel, Math.abs(hand[i] - engine[i]) / Math.abs(engine[i]));
    expect(maxRel).toBeLessThan(1e-12);
    // The draws matter: combination therapy differs between draws.
    expect(hand[4]).not.toBe(hand[8 + 4]);
  });

  it('monotherapy equals the reference result', () => {
    const ref = loadJson(sharedRoot + 'refcases/chancellor-hiv-dmhee-exact.json');
    const mono = ref.expected.per_strategy.mono;
    const hand = chancellorHandLoop(model, 1, 1);
    expect(relativeDifference(hand[0], mono.total_cost)).toBeLessThan(1e-9);
    expect(relativeDifference(hand[3], mono.total_effect_life_years)).toBeLessThan(1e-9);
  });
});
