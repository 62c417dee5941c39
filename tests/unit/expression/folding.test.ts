import { describe, it, expect } from 'vitest';
import {
  BUILTIN_FUNCTIONS,
  compileExpression,
  compileTable,
  isConstantExpression,
  parseExpression,
  type ExpressionAst,
} from '../../../models/expression';
import { contextFor, seededRandom } from './helpers';

/**
 * Constant folding and the specialised closures must not change any result. Random expressions
 * (from a seeded generator) are evaluated three ways: compiled with folding, compiled without,
 * and by a plain tree-walking interpreter written here from the language definition.
 */

const VARIABLES = { a: 0.3, b: -2, c: 0, d: 7.5 };
const VARIABLE_SETS: Record<string, number>[] = [
  VARIABLES,
  { a: 1, b: 0, c: NaN, d: -0.5 },
  { a: Infinity, b: 2, c: -0, d: 1e-9 },
  { a: 0.999, b: 1e6, c: 3, d: -7 },
];
const table = compileTable({
  id: 'tab',
  keys: ['x'],
  match: 'linear',
  rows: [
    [-5, 1],
    [0, 2],
    [1, -3],
    [10, 0.5],
  ],
});

const truth = (x: number): number | undefined => (x !== x ? undefined : x !== 0 ? 1 : 0);
const bool = (b: boolean, ...operands: number[]): number => (operands.some((x) => x !== x) ? NaN : b ? 1 : 0);

/** Reference semantics, independent of the compiler. */
function interpret(node: ExpressionAst, env: Record<string, number>): number {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'string':
      throw new Error('text is not a number');
    case 'identifier':
      return env[node.name];
    case 'unary': {
      const x = interpret(node.operand, env);
      if (node.operator === '-') return -x;
      if (node.operator === '+') return x;
      const t = truth(x);
      return t === undefined ? NaN : 1 - t;
    }
    case 'binary': {
      const x = interpret(node.left, env);
      if (node.operator === '&&' || node.operator === '||') {
        const tx = truth(x);
        if (tx === undefined) return NaN;
        if (node.operator === '&&' && tx === 0) return 0;
        if (node.operator === '||' && tx === 1) return 1;
        const ty = truth(interpret(node.right, env));
        return ty === undefined ? NaN : ty;
      }
      const y = interpret(node.right, env);
      switch (node.operator) {
        case '+': return x + y;
        case '-': return x - y;
        case '*': return x * y;
        case '/': return x / y;
        case '^': return Math.pow(x, y);
        case '<': return bool(x < y, x, y);
        case '<=': return bool(x <= y, x, y);
        case '>': return bool(x > y, x, y);
        case '>=': return bool(x >= y, x, y);
        case '==': return bool(x === y, x, y);
        case '!=': return bool(x !== y, x, y);
      }
      throw new Error('unreachable');
    }
    case 'conditional': {
      const t = truth(interpret(node.test, env));
      return t === undefined ? NaN : t ? interpret(node.consequent, env) : interpret(node.alternate, env);
    }
    case 'call': {
      if (node.callee === 'if') {
        const t = truth(interpret(node.args[0], env));
        return t === undefined ? NaN : t ? interpret(node.args[1], env) : interpret(node.args[2], env);
      }
      if (node.callee === 'lookup') return table.lookup([interpret(node.args[1], env)]);
      const args = node.args.map((arg) => interpret(arg, env));
      return BUILTIN_FUNCTIONS.get(node.callee)!.apply!(args);
    }
  }
}

const BINARY = ['+', '-', '*', '/', '^', '<', '<=', '>', '>=', '==', '!=', '&&', '||', 'and', 'or'];
const CONSTANTS = ['0', '1', '2', '0.5', '3.25', '1e-3', '10', 'true', 'false', 'pi', 'e'];
const FUNCTIONS = [...BUILTIN_FUNCTIONS.values()].filter((f) => f.name !== 'lookup');

function generate(random: () => number, depth: number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  if (depth <= 0 || random() < 0.25) {
    return random() < 0.5 ? pick(Object.keys(VARIABLES)) : pick(CONSTANTS);
  }
  const sub = () => generate(random, depth - 1);
  const r = random();
  if (r < 0.45) return `(${sub()} ${pick(BINARY)} ${sub()})`;
  if (r < 0.55) return `${pick(['-', '+', '!', 'not '])}(${sub()})`;
  if (r < 0.65) return `(${sub()} ? ${sub()} : ${sub()})`;
  if (r < 0.72) return `lookup(tab, ${sub()})`;
  const fn = pick(FUNCTIONS);
  const count = fn.minArgs + Math.floor(random() * (Math.min(fn.maxArgs, fn.minArgs + 3) - fn.minArgs + 1));
  return `${fn.name}(${Array.from({ length: count }, sub).join(', ')})`;
}

describe('constant folding', () => {
  it('gives the same results as unfolded evaluation and a reference interpreter on random expressions', () => {
    const random = seededRandom(20240611);
    let folded = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const text = generate(random, 1 + (trial % 6));
      const ast = parseExpression(text);
      const { ctx } = contextFor(VARIABLES, [table]);
      const withFolding = compileExpression(ast, ctx);
      const without = compileExpression(ast, ctx, { fold: false });
      for (const env of VARIABLE_SETS) {
        const values = contextFor(env).values;
        const expected = interpret(ast, env);
        const a = withFolding(values);
        const b = without(values);
        if (!Object.is(a, expected) || !Object.is(b, expected)) {
          throw new Error(`${text} with ${JSON.stringify(env)}: folded ${a}, unfolded ${b}, reference ${expected}`);
        }
      }
      if (isConstantExpression(ast)) folded++;
    }
    expect(folded).toBeGreaterThan(100); // enough fully constant expressions were generated
  });

  it('folds constant subtrees into single values', () => {
    const { ctx } = contextFor({ x: 2 });
    // Folded: the whole right operand becomes one constant, so this is one closure over a slot.
    const f = compileExpression(parseExpression('x * (rate_to_prob(0.1, 2) + 2 ^ 3 - pi)'), ctx);
    expect(f(new Float64Array([2]))).toBe(2 * (-Math.expm1(-0.2) + 8 - Math.PI));
  });
});
