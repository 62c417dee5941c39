/**
 * Built-in functions of the expression language.
 *
 * The registry is a Map, so names such as `__proto__`, `constructor` or `toString` are simply
 * unknown functions rather than inherited object properties.
 *
 * Probabilities and rates are not clamped: a result outside 0..1 is left for the engine to report.
 * Where a formula loses precision for small probabilities (1 - (1 - p)^k, 1 - exp(-x)), it is
 * computed with log1p/expm1; results agree with the textbook formula to rounding error.
 */

export type FunctionKind = 'pure' | 'if' | 'lookup';

export type BuiltinFunction = {
  readonly name: string;
  /** How the function is called, for documentation and error messages. */
  readonly signature: string;
  readonly description: string;
  readonly minArgs: number;
  /** `Infinity` for variadic functions. */
  readonly maxArgs: number;
  /** `if` and `lookup` are handled by the compiler; everything else is a pure numeric function. */
  readonly kind: FunctionKind;
  /** Pure functions: evaluate with any allowed number of arguments. */
  readonly apply?: (args: ArrayLike<number>) => number;
  /** Pure functions: fast paths for a fixed argument count; each must agree with `apply`. */
  readonly f1?: (a: number) => number;
  readonly f2?: (a: number, b: number) => number;
  readonly f3?: (a: number, b: number, c: number) => number;
};

/** 1 - (1 - p)^k, accurate for small p. */
function oneMinusPow(p: number, k: number): number {
  if (p >= 0 && p < 1) return -Math.expm1(k * Math.log1p(-p));
  return 1 - Math.pow(1 - p, k);
}

const roundHalfAwayFromZero = (x: number): number => (x < 0 ? -Math.round(-x) : Math.round(x));
const rateToProb = (rate: number, t: number): number => -Math.expm1(-rate * t);
const probToRate = (p: number, t: number): number => -Math.log1p(-p) / t;
const rescaleProb = (p: number, from: number, to: number): number => oneMinusPow(p, to / from);
const odds = (p: number): number => p / (1 - p);
const oddsToProb = (o: number): number => (o === Infinity ? 1 : o / (1 + o));
// Algebraically odds_to_prob(odds(p) * or), rearranged so that p = 1 does not give Infinity/Infinity.
const applyOr = (p: number, or: number): number => (p * or) / (1 - p + p * or);
const applyRr = (p: number, rr: number): number => p * rr;
const applyHr = (p: number, hr: number): number => oneMinusPow(p, hr);
/** Pairwise Math.min/max gives the same result as one call with all arguments, without spreading. */
function fold(args: ArrayLike<number>, f: (x: number, y: number) => number): number {
  let result = args[0];
  for (let i = 1; i < args.length; i++) result = f(result, args[i]);
  return result;
}
const clamp = (x: number, lo: number, hi: number): number => Math.min(Math.max(x, lo), hi);

function unary(name: string, description: string, f: (a: number) => number, signature = `${name}(x)`): BuiltinFunction {
  return { name, signature, description, minArgs: 1, maxArgs: 1, kind: 'pure', apply: (a) => f(a[0]), f1: f };
}
function binary(name: string, signature: string, description: string, f: (a: number, b: number) => number): BuiltinFunction {
  return { name, signature, description, minArgs: 2, maxArgs: 2, kind: 'pure', apply: (a) => f(a[0], a[1]), f2: f };
}
/** f(x, t = 1) */
function withOptionalTime(name: string, signature: string, description: string, f: (a: number, t: number) => number): BuiltinFunction {
  return {
    name,
    signature,
    description,
    minArgs: 1,
    maxArgs: 2,
    kind: 'pure',
    apply: (a) => f(a[0], a.length > 1 ? a[1] : 1),
    f1: (x) => f(x, 1),
    f2: f,
  };
}

const definitions: BuiltinFunction[] = [
  {
    name: 'min',
    signature: 'min(x1, x2, ...)',
    description: 'The smallest of one or more values.',
    minArgs: 1,
    maxArgs: Infinity,
    kind: 'pure',
    apply: (a) => fold(a, Math.min),
    f1: (x) => Math.min(x),
    f2: (x, y) => Math.min(x, y),
    f3: (x, y, z) => Math.min(x, y, z),
  },
  {
    name: 'max',
    signature: 'max(x1, x2, ...)',
    description: 'The largest of one or more values.',
    minArgs: 1,
    maxArgs: Infinity,
    kind: 'pure',
    apply: (a) => fold(a, Math.max),
    f1: (x) => Math.max(x),
    f2: (x, y) => Math.max(x, y),
    f3: (x, y, z) => Math.max(x, y, z),
  },
  unary('abs', 'Absolute value.', Math.abs),
  unary('exp', 'e raised to the power x.', Math.exp),
  unary('log', 'Natural logarithm (base e); `ln` is the same function.', Math.log),
  unary('ln', 'Natural logarithm; the same as `log`.', Math.log),
  unary('log10', 'Logarithm base 10.', Math.log10),
  unary('sqrt', 'Square root (negative x gives NaN, which the engine reports).', Math.sqrt),
  binary('pow', 'pow(x, y)', 'x raised to the power y; the same as x ^ y.', (x, y) => x ** y),
  unary('floor', 'Largest whole number <= x.', Math.floor),
  unary('ceil', 'Smallest whole number >= x.', Math.ceil),
  unary('round', 'Nearest whole number; halves round away from zero, like ROUND(x, 0) in Excel.', roundHalfAwayFromZero),
  {
    name: 'clamp',
    signature: 'clamp(x, lo, hi)',
    description: 'x limited to the range lo..hi: min(max(x, lo), hi).',
    minArgs: 3,
    maxArgs: 3,
    kind: 'pure',
    apply: (a) => clamp(a[0], a[1], a[2]),
    f3: clamp,
  },
  {
    name: 'if',
    signature: 'if(condition, a, b)',
    description: 'a when condition is non-zero (true), otherwise b; only the chosen branch is evaluated. The same as condition ? a : b.',
    minArgs: 3,
    maxArgs: 3,
    kind: 'if',
  },
  withOptionalTime(
    'rate_to_prob',
    'rate_to_prob(rate, t = 1)',
    'Probability of at least one event in time t at a constant rate: 1 - exp(-rate * t).',
    rateToProb,
  ),
  withOptionalTime(
    'prob_to_rate',
    'prob_to_rate(p, t = 1)',
    'Constant rate giving probability p over time t: -ln(1 - p) / t.',
    probToRate,
  ),
  {
    name: 'rescale_prob',
    signature: 'rescale_prob(p, from_t, to_t)',
    description:
      'Converts a probability over a period of length from_t to one over to_t, assuming a constant rate: 1 - (1 - p)^(to_t / from_t). E.g. rescale_prob(p_5y, 5, 1) for an annual probability.',
    minArgs: 3,
    maxArgs: 3,
    kind: 'pure',
    apply: (a) => rescaleProb(a[0], a[1], a[2]),
    f3: rescaleProb,
  },
  unary('odds', 'Odds of probability p: p / (1 - p).', odds, 'odds(p)'),
  unary('odds_to_prob', 'Probability of odds o: o / (1 + o).', oddsToProb, 'odds_to_prob(o)'),
  binary(
    'apply_or',
    'apply_or(p, odds_ratio)',
    'Applies an odds ratio to probability p: odds_to_prob(odds(p) * odds_ratio).',
    applyOr,
  ),
  binary(
    'apply_rr',
    'apply_rr(p, rr)',
    'Applies a relative risk to probability p: p * rr. Not clamped: a result above 1 is reported by the engine.',
    applyRr,
  ),
  binary(
    'apply_hr',
    'apply_hr(p, hr)',
    'Applies a hazard ratio to probability p (proportional hazards): 1 - (1 - p)^hr.',
    applyHr,
  ),
  {
    name: 'lookup',
    signature: 'lookup(table, key1, key2, ...)',
    description:
      'Value from a lookup table. The first argument is the table id (a bare name); then one value per key column, in the table\'s key order. Text keys are quoted, e.g. lookup(mortality, age, "female").',
    minArgs: 2,
    maxArgs: Infinity,
    kind: 'lookup',
  },
];

/** Built-in functions by name. */
export const BUILTIN_FUNCTIONS: ReadonlyMap<string, BuiltinFunction> = new Map(definitions.map((f) => [f.name, f]));

/** Message for a call with the wrong number of arguments, or undefined if the count is fine. */
export function arityProblem(fn: BuiltinFunction, count: number): string | undefined {
  if (count >= fn.minArgs && count <= fn.maxArgs) return undefined;
  const plural = (n: number) => `${n} argument${n === 1 ? '' : 's'}`;
  if (fn.maxArgs === Infinity) return `function '${fn.name}' needs at least ${plural(fn.minArgs)}`;
  if (fn.minArgs === fn.maxArgs) return `function '${fn.name}' needs ${plural(fn.minArgs)}`;
  const joiner = fn.maxArgs === fn.minArgs + 1 ? 'or' : 'to';
  return `function '${fn.name}' needs ${fn.minArgs} ${joiner} ${plural(fn.maxArgs)}`;
}
