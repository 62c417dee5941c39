import { describe, it, expect } from 'vitest';
import { BUILTIN_FUNCTIONS, compileTable } from '../../../models/expression';
import { evaluate, errorOf, seededRandom } from './helpers';

// Expected values are worked out by hand (or from the defining formula, noted alongside).
const exact: [string, number][] = [
  ['min(3, 1, 2)', 1],
  ['min(5)', 5],
  ['min(4, 3, 2, 1.5, 9)', 1.5],
  ['max(3, 1, 2)', 3],
  ['max(-1, -7)', -1],
  ['max(1, 2, 3, 4, 0.5)', 4],
  ['abs(-2.5)', 2.5],
  ['abs(3)', 3],
  ['exp(0)', 1],
  ['exp(1)', Math.E],
  ['log(1)', 0],
  ['log(e)', 1],
  ['ln(1)', 0],
  ['log10(1000)', 3],
  ['log10(0.01)', -2],
  ['sqrt(16)', 4],
  ['sqrt(2.25)', 1.5],
  ['pow(2, 10)', 1024],
  ['pow(9, 0.5)', 3],
  ['pow(2, -2)', 0.25],
  ['floor(2.7)', 2],
  ['floor(-1.5)', -2],
  ['ceil(2.1)', 3],
  ['ceil(-1.5)', -1],
  ['round(2.4)', 2],
  ['round(2.5)', 3],
  ['round(-2.5)', -3], // away from zero, like Excel
  ['round(-2.6)', -3],
  ['round(-2.4)', -2],
  ['clamp(5, 0, 1)', 1],
  ['clamp(-1, 0, 1)', 0],
  ['clamp(0.3, 0, 1)', 0.3],
  ['if(1, 2, 3)', 2],
  ['if(0, 2, 3)', 3],
  ['if(-0.5, 2, 3)', 2],
  ['odds(0.2)', 0.25],
  ['odds(0.5)', 1],
  ['odds_to_prob(0.25)', 0.2],
  ['odds_to_prob(1)', 0.5],
  ['apply_rr(0.8, 1.5)', 1.2000000000000002], // 0.8 * 1.5 in binary floating point; not clamped to 1
  ['apply_rr(0.2, 0.5)', 0.1],
  ['apply_hr(0, 2)', 0],
  ['apply_hr(1, 2)', 1],
  ['rate_to_prob(0)', 0],
  ['prob_to_rate(0)', 0],
];

// Results that go through exp/log: compared to 14 significant digits.
const approx: [string, number][] = [
  ['ln(e ^ 3)', 3],
  ['rate_to_prob(0.1)', 0.0951625819640404], // 1 - exp(-0.1)
  ['rate_to_prob(0.1, 5)', 0.3934693402873666], // 1 - exp(-0.5)
  ['prob_to_rate(0.5)', 0.6931471805599453], // ln 2
  ['prob_to_rate(0.5, 2)', 0.34657359027997264], // ln 2 / 2
  ['prob_to_rate(rate_to_prob(0.3, 2), 2)', 0.3],
  ['rescale_prob(0.19, 1, 2)', 0.3439], // 1 - 0.81^2
  ['rescale_prob(0.5, 2, 1)', 0.2928932188134524], // 1 - 0.5^0.5
  ['rescale_prob(0.271, 3, 1)', 0.1], // 1 - 0.729^(1/3) = 1 - 0.9
  ['apply_or(0.2, 2)', 1 / 3], // odds 0.25 * 2 = 0.5 -> 0.5 / 1.5
  ['apply_or(0.5, 3)', 0.75], // odds 1 * 3 = 3 -> 3 / 4
  ['apply_or(0.2, 1)', 0.2],
  ['apply_hr(0.19, 2)', 0.3439], // 1 - 0.81^2
  ['apply_hr(0.5, 0.5)', 0.2928932188134524], // 1 - sqrt(0.5)
];

describe('built-in functions', () => {
  for (const [text, expected] of exact) {
    it(`${text} = ${expected}`, () => expect(evaluate(text)).toBe(expected));
  }
  for (const [text, expected] of approx) {
    it(`${text} ≈ ${expected}`, () => expect(evaluate(text)).toBeCloseTo(expected, 14));
  }

  it('gives the same values whether arguments are constants or variables', () => {
    for (const [text] of [...exact, ...approx]) {
      // Replace every numeric literal by a variable so nothing is folded at compile time.
      const values: Record<string, number> = {};
      let n = 0;
      const withVariables = text.replace(/\b\d+(\.\d+)?\b/g, (m) => {
        values[`v${n}`] = Number(m);
        return `v${n++}`;
      });
      expect(evaluate(withVariables, values), withVariables).toBe(evaluate(text));
    }
  });

  it('covers every built-in function in these tests', () => {
    const tested = new Set([...exact, ...approx].map(([t]) => t.match(/^[a-z_0-9]+/)![0]));
    tested.add('lookup'); // see lookup-table.test.ts
    for (const name of BUILTIN_FUNCTIONS.keys()) expect(tested.has(name), name).toBe(true);
  });

  it('documents every function', () => {
    for (const fn of BUILTIN_FUNCTIONS.values()) {
      expect(fn.description.length, fn.name).toBeGreaterThan(10);
      expect(fn.signature.startsWith(`${fn.name}(`), fn.name).toBe(true);
    }
  });

  it('fixed-arity fast paths agree with the general implementation', () => {
    const random = seededRandom(7);
    const sample = () => [0, 1, -1, 0.5, NaN, Infinity, -0, random() * 4 - 2, random()][Math.floor(random() * 9)];
    for (const fn of BUILTIN_FUNCTIONS.values()) {
      if (fn.kind !== 'pure') continue;
      for (let trial = 0; trial < 200; trial++) {
        const [a, b, c] = [sample(), sample(), sample()];
        if (fn.f1) expect(Object.is(fn.f1(a), fn.apply!([a])), `${fn.name}(${a})`).toBe(true);
        if (fn.f2) expect(Object.is(fn.f2(a, b), fn.apply!([a, b])), `${fn.name}(${a}, ${b})`).toBe(true);
        if (fn.f3) expect(Object.is(fn.f3(a, b, c), fn.apply!([a, b, c])), `${fn.name}(${a}, ${b}, ${c})`).toBe(true);
      }
    }
  });

  it('matches the textbook formulas over the probability range', () => {
    for (const p of [1e-9, 0.001, 0.05, 0.3, 0.7, 0.999]) {
      for (const k of [0.25, 0.5, 2, 12]) {
        expect(evaluate(`apply_hr(${p}, ${k})`)).toBeCloseTo(1 - (1 - p) ** k, 14);
        expect(evaluate(`rescale_prob(${p}, 1, ${k})`)).toBeCloseTo(1 - (1 - p) ** k, 14);
        expect(evaluate(`rate_to_prob(${p}, ${k})`)).toBeCloseTo(1 - Math.exp(-p * k), 14);
        expect(evaluate(`prob_to_rate(${p}, ${k})`)).toBeCloseTo(-Math.log(1 - p) / k, 12);
        const o = (p / (1 - p)) * k;
        expect(evaluate(`apply_or(${p}, ${k})`)).toBeCloseTo(o / (1 + o), 14);
      }
    }
  });

  it('keeps precision for tiny probabilities', () => {
    // 1 - (1 - 1e-12)^2 = 2e-12 - 1e-24; computed naively it loses about four digits.
    expect(evaluate('apply_hr(1e-12, 2)') / 1.999999999999e-12).toBeCloseTo(1, 14);
    expect((1 - (1 - 1e-12) ** 2) / 1.999999999999e-12).not.toBeCloseTo(1, 6);
    // 1 - exp(-1e-12) = 1e-12 - 5e-25 + ...
    expect(evaluate('rate_to_prob(1e-12)') / 0.9999999999995e-12).toBeCloseTo(1, 14);
  });

  it('does not clamp: out-of-range inputs give values the engine can report', () => {
    expect(evaluate('apply_rr(0.6, 2)')).toBe(1.2);
    expect(evaluate('prob_to_rate(1)')).toBe(Infinity);
    expect(evaluate('prob_to_rate(1.5)')).toBeNaN();
    expect(evaluate('sqrt(-1)')).toBeNaN();
    expect(evaluate('log(0)')).toBe(-Infinity);
    expect(evaluate('odds(1)')).toBe(Infinity);
    expect(evaluate('odds_to_prob(odds(1))')).toBe(1);
    expect(evaluate('apply_or(1, 2)')).toBe(1);
  });

  it('evaluates only the chosen branch of if()', () => {
    const strict = compileTable({ id: 'strict', keys: ['x'], outOfRange: 'error', rows: [[0, 1], [10, 2]] });
    const text = 'if(x > 0, 5, lookup(strict, 99))';
    expect(evaluate(text, { x: 1 }, [strict])).toBe(5);
    expect(errorOf(() => evaluate(text, { x: 0 }, [strict])).message).toBe(
      "value 99 is outside table strict's range 0..10 for key x",
    );
  });
});
