import { describe, it, expect } from 'vitest';
import {
  compileExpression,
  compileTable,
  evaluateConstant,
  parseExpression,
  type ExpressionAst,
} from '../../../models/expression';
import { contextFor, errorOf, evaluate } from './helpers';

const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];

describe('names and slots', () => {
  it('reads variables from their slots', () => {
    const { ctx } = contextFor({ a: 0, b: 0 });
    const f = compileExpression(parseExpression('a * 10 + b'), ctx);
    expect(f(new Float64Array([1, 2]))).toBe(12);
    expect(f(new Float64Array([3, 4]))).toBe(34);
  });

  it('reports unknown names at their position', () => {
    expect(errorOf(() => evaluate('p_base * p_foo', { p_base: 1 }))).toEqual({
      name: 'ExpressionError',
      message: "unknown name 'p_foo'",
      position: 9,
    });
  });

  it('hints when a function name is used without a call', () => {
    expect(errorOf(() => evaluate('sqrt + 1')).message).toBe("unknown name 'sqrt' ('sqrt' is a function: write sqrt(...))");
  });

  it('reports unknown tables', () => {
    expect(errorOf(() => evaluate('1 + lookup(nope, 1)'))).toEqual({
      name: 'ExpressionError',
      message: "unknown table 'nope'",
      position: 11,
    });
  });

  it('rejects an invalid slot from the context', () => {
    const f = () => compileExpression(parseExpression('x'), { slotOf: () => -1, table: () => undefined });
    expect(errorOf(f).message).toBe("name 'x' has an invalid slot -1");
  });
});

describe('prototype keys', () => {
  it('are unknown as names, functions and tables', () => {
    const table = compileTable({ id: 't', keys: ['k'], rows: [['a', 1]] });
    for (const name of PROTOTYPE_NAMES) {
      expect(errorOf(() => evaluate(`${name} + 1`, {}, [table])).message, name).toBe(`unknown name '${name}'`);
      expect(errorOf(() => evaluate(`${name}(1)`)), name).toEqual({
        name: 'ExpressionError',
        message: `unknown function '${name}'`,
        position: 0,
      });
      expect(errorOf(() => evaluate(`lookup(${name}, "a")`, {}, [table])).message, name).toBe(`unknown table '${name}'`);
      expect(errorOf(() => evaluate(`lookup(t, "${name}")`, {}, [table])).message, name).toBe(
        `table 't' has no rows with k "${name}"`,
      );
    }
  });

  it('do not pollute Object.prototype', () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const table = compileTable({ id: '__proto__', keys: ['__proto__'], rows: [['__proto__', 1], ['constructor', 2]] });
    for (const name of PROTOTYPE_NAMES) {
      try {
        evaluate(`${name}(${name}) + lookup(__proto__, "${name}")`, { [name]: 1 }, [table]);
      } catch {
        // Errors are expected; only side effects matter here.
      }
    }
    expect(evaluate('lookup(__proto__, "constructor")', {}, [table])).toBe(2);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });
});

describe('compile-time checks on hand-built trees', () => {
  const span = { start: 0, end: 1 };

  it('rejects text used as a number', () => {
    const ast: ExpressionAst = {
      kind: 'binary',
      operator: '+',
      left: { kind: 'number', value: 1, ...span },
      right: { kind: 'string', value: 'abc', start: 4, end: 9 },
      start: 0,
      end: 9,
    };
    expect(errorOf(() => compileExpression(ast, contextFor().ctx))).toEqual({
      name: 'ExpressionError',
      message: 'quoted text "abc" cannot be used as a number; it is only allowed as a lookup key',
      position: 4,
    });
  });

  it('rejects unknown functions and wrong arity', () => {
    const call = (callee: string, n: number): ExpressionAst => ({
      kind: 'call',
      callee,
      args: Array.from({ length: n }, () => ({ kind: 'number' as const, value: 1, ...span })),
      start: 2,
      end: 9,
    });
    expect(errorOf(() => compileExpression(call('toString', 1), contextFor().ctx))).toEqual({
      name: 'ExpressionError',
      message: "unknown function 'toString'",
      position: 2,
    });
    expect(errorOf(() => compileExpression(call('clamp', 2), contextFor().ctx)).message).toBe("function 'clamp' needs 3 arguments");
    expect(errorOf(() => compileExpression(call('lookup', 2), contextFor().ctx)).message).toBe(
      'the first argument of lookup must be a table name',
    );
  });

  it('treats constant names as constants', () => {
    const ast: ExpressionAst = { kind: 'identifier', name: 'pi', ...span };
    expect(compileExpression(ast, contextFor().ctx)(new Float64Array(0))).toBe(Math.PI);
  });
});

describe('runtime behaviour', () => {
  it('never throws on arithmetic: division by zero gives Infinity or NaN', () => {
    expect(evaluate('1 / x', { x: 0 })).toBe(Infinity);
    expect(evaluate('-1 / x', { x: 0 })).toBe(-Infinity);
    expect(evaluate('x / x', { x: 0 })).toBeNaN();
    expect(evaluate('log(x)', { x: -1 })).toBeNaN();
  });

  it('propagates NaN through comparisons, logic and conditions', () => {
    const nan = { n: NaN };
    for (const text of ['n < 1', 'n <= 1', 'n > 1', 'n >= 1', 'n == n', 'n != 1', '!n', 'n && 1', '1 && n', 'n || 1', '0 || n', 'n ? 1 : 2', 'if(n, 1, 2)']) {
      expect(evaluate(text, nan), text).toBeNaN();
    }
    expect(evaluate('0 && n', nan)).toBe(0); // short-circuit: n is never looked at
    expect(evaluate('1 || n', nan)).toBe(1);
  });

  it('treats any non-zero value, including Infinity, as true', () => {
    expect(evaluate('x ? 1 : 2', { x: -0.001 })).toBe(1);
    expect(evaluate('x && 1', { x: Infinity })).toBe(1);
    expect(evaluate('x || 0', { x: -0 })).toBe(0);
    expect(evaluate('not x', { x: 7 })).toBe(0);
  });

  it('evaluates && and || lazily', () => {
    const strict = compileTable({ id: 's', keys: ['x'], outOfRange: 'error', rows: [[0, 1], [1, 2]] });
    expect(evaluate('x > 0 && lookup(s, 5)', { x: 0 }, [strict])).toBe(0);
    expect(evaluate('x > 0 || lookup(s, 5)', { x: 1 }, [strict])).toBe(1);
    expect(errorOf(() => evaluate('x > 0 && lookup(s, 5)', { x: 1 }, [strict])).message).toContain('outside');
    expect(evaluate('x ? 3 : lookup(s, 5)', { x: 1 }, [strict])).toBe(3);
  });

  it('folds a constant condition without touching the untaken branch', () => {
    const strict = compileTable({ id: 's', keys: ['x'], outOfRange: 'error', rows: [[0, 1], [1, 2]] });
    expect(evaluate('if(1, 3, lookup(s, 5))', {}, [strict])).toBe(3);
    expect(evaluate('if(1, 3, lookup(s, 5))', {}, [strict], { fold: false })).toBe(3);
    // A constant lookup that fails is left to fail at run time, if reached.
    const f = compileExpression(parseExpression('lookup(s, 5)'), contextFor({}, [strict]).ctx);
    expect(() => f(new Float64Array(0))).toThrow("value 5 is outside table s's range 0..1 for key x");
  });

  it('still checks names in branches that folding removes', () => {
    expect(errorOf(() => evaluate('if(1, 2, missing)')).message).toBe("unknown name 'missing'");
    expect(errorOf(() => evaluate('0 && missing')).message).toBe("unknown name 'missing'");
  });

  it('evaluates every operand shape of every operator the same way', () => {
    // Slots, constants and nested closures on each side exercise each specialised closure.
    const values = { a: 1.5, b: -2, c: 0.25 };
    const operands: [string, number][] = [
      ['a', 1.5],
      ['2', 2],
      ['(b * c)', -0.5],
    ];
    const ops: [string, (x: number, y: number) => number][] = [
      ['+', (x, y) => x + y],
      ['-', (x, y) => x - y],
      ['*', (x, y) => x * y],
      ['/', (x, y) => x / y],
      ['^', (x, y) => x ** y],
      ['<', (x, y) => +(x < y)],
      ['<=', (x, y) => +(x <= y)],
      ['>', (x, y) => +(x > y)],
      ['>=', (x, y) => +(x >= y)],
      ['==', (x, y) => +(x === y)],
      ['!=', (x, y) => +(x !== y)],
      ['&&', (x, y) => +(x !== 0 && y !== 0)],
      ['||', (x, y) => +(x !== 0 || y !== 0)],
    ];
    for (const [op, f] of ops) {
      for (const [left, x] of operands) {
        for (const [right, y] of operands) {
          const text = `${left} ${op} ${right}`;
          expect(Object.is(evaluate(text, values), f(x, y)), text).toBe(true);
          expect(Object.is(evaluate(text, values, [], { fold: false }), f(x, y)), text).toBe(true);
        }
      }
    }
    expect(evaluate('-a', values)).toBe(-1.5);
    expect(evaluate('-(a * c)', values)).toBe(-0.375);
    expect(evaluate('max(a, b, c, 1, 0)', values)).toBe(1.5);
  });
});

describe('evaluateConstant', () => {
  it('computes expressions without names', () => {
    expect(evaluateConstant('1 / 12')).toBe(1 / 12);
    expect(evaluateConstant('rate_to_prob(0.1, 5)')).toBeCloseTo(0.3934693402873666, 15);
    expect(evaluateConstant('0.5')).toBe(0.5);
    expect(evaluateConstant('if(pi > 3, 1, 2)')).toBe(1);
  });

  it('returns undefined when names or tables are used', () => {
    expect(evaluateConstant('p_death * 2')).toBeUndefined();
    expect(evaluateConstant('lookup(life, 40)')).toBeUndefined();
  });

  it('throws on syntax errors', () => {
    expect(errorOf(() => evaluateConstant('1 +')).message).toBe('unexpected end of expression at character 4');
  });
});
