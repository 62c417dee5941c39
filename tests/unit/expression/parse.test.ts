import { describe, it, expect } from 'vitest';
import {
  ExpressionError,
  MAX_EXPRESSION_DEPTH,
  MAX_EXPRESSION_LENGTH,
  freeIdentifiers,
  isConstantExpression,
  parseExpression,
  referencedTables,
} from '../../../models/expression';
import { errorOf, evaluate } from './helpers';

describe('precedence and associativity', () => {
  const cases: [string, number][] = [
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3], // left-associative: (10 - 4) - 3
    ['100 / 10 / 5', 2], // (100 / 10) / 5
    ['6 / 2 * 3', 9], // (6 / 2) * 3
    ['2 * 3 ^ 2', 18],
    ['2 ^ 3 * 2', 16],
    ['2 ^ 3 ^ 2', 512], // right-associative: 2 ^ 9
    ['(2 ^ 3) ^ 2', 64],
    ['-2 ^ 2', -4], // ^ binds tighter than unary minus
    ['(-2) ^ 2', 4],
    ['2 ^ -1', 0.5],
    ['2 ^ -1 ^ 2', 0.5], // 2 ^ (-(1 ^ 2))
    ['-3 * -2', 6],
    ['1 - -1', 2],
    ['1--1', 2],
    ['2 + +3', 5],
    ['1 + 2 < 4', 1], // (1 + 2) < 4
    ['1 + 2 > 4', 0],
    ['1 < 2 == 1', 1], // comparison before equality
    ['2 <= 2', 1],
    ['3 >= 4', 0],
    ['1 != 2', 1],
    ['1 == 1 && 0', 0],
    ['1 || 0 && 0', 1], // && before ||: 1 || (0 && 0)
    ['(1 || 0) && 0', 0],
    ['0 or 1 and 1', 1],
    ['0 and 1 or 1', 1], // (0 and 1) or 1
    ['not 1 == 0', 1], // (not 1) == 0
    ['!0 + 1', 2],
    ['!(0 + 1)', 0],
    ['!2', 0],
    ['0 ? 1 : 0 ? 2 : 3', 3], // right-associative: 0 ? 1 : (0 ? 2 : 3)
    ['1 ? 0 ? 5 : 6 : 7', 6],
    ['1 + 1 ? 2 : 3', 2], // ?: lowest: (1 + 1) ? 2 : 3
    ['0 || 1 ? 5 : 6', 5],
    ['1 ? 2 + 3 : 4', 5],
    ['true + true', 2],
    ['false', 0],
    ['2 * pi', 2 * Math.PI],
    ['e ^ 2', Math.E ** 2],
    ['1e-3 * 1000', 1],
    ['2.5E+2', 250],
    ['.5 + 1.5', 2],
    ['3.', 3],
    [' \t1\n+\r\n2 ', 3],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)} = ${expected}`, () => {
      expect(evaluate(text)).toBe(expected);
    });
  }

  it('applies precedence with variables', () => {
    expect(evaluate('-x ^ 2', { x: 3 })).toBe(-9);
    expect(evaluate('p_base * rr ^ (time / 12)', { p_base: 0.1, rr: 0.25, time: 6 })).toBe(0.05);
    expect(evaluate('a - b - c', { a: 10, b: 4, c: 3 })).toBe(3);
  });
});

describe('syntax tree', () => {
  it('records character offsets', () => {
    expect(parseExpression('a + b * 2')).toEqual({
      kind: 'binary',
      operator: '+',
      start: 0,
      end: 9,
      left: { kind: 'identifier', name: 'a', start: 0, end: 1 },
      right: {
        kind: 'binary',
        operator: '*',
        start: 4,
        end: 9,
        left: { kind: 'identifier', name: 'b', start: 4, end: 5 },
        right: { kind: 'number', value: 2, start: 8, end: 9 },
      },
    });
  });

  it('maps keywords to operators and constants to numbers', () => {
    const ast = parseExpression('not a and b or pi');
    expect(ast).toMatchObject({
      kind: 'binary',
      operator: '||',
      left: { kind: 'binary', operator: '&&', left: { kind: 'unary', operator: '!', start: 0, end: 5 } },
      right: { kind: 'number', value: Math.PI, start: 15, end: 17 },
    });
  });

  it('represents calls, conditionals and lookups', () => {
    expect(parseExpression('x ? min(1, y) : 2')).toMatchObject({
      kind: 'conditional',
      start: 0,
      end: 17,
      test: { kind: 'identifier', name: 'x' },
      consequent: { kind: 'call', callee: 'min', start: 4, end: 13, args: [{ kind: 'number' }, { kind: 'identifier' }] },
      alternate: { kind: 'number', value: 2 },
    });
    expect(parseExpression('lookup(life, age, "female")')).toMatchObject({
      kind: 'call',
      callee: 'lookup',
      args: [
        { kind: 'identifier', name: 'life', start: 7, end: 11 },
        { kind: 'identifier', name: 'age' },
        { kind: 'string', value: 'female', start: 18, end: 26 },
      ],
    });
    expect(parseExpression("lookup(t, 'male')")).toMatchObject({ args: [{}, { kind: 'string', value: 'male' }] });
  });

  it('lets a parameter share a name with a function', () => {
    expect(evaluate('max(max, 2)', { max: 5 })).toBe(5);
  });
});

describe('analysis', () => {
  it('lists free identifiers, excluding functions, constants, table ids and text', () => {
    const ast = parseExpression('a + min(b, pi) * lookup(life, age + a, "female") + if(c, e, true)');
    expect([...freeIdentifiers(ast)]).toEqual(['a', 'b', 'age', 'c']);
    expect([...referencedTables(ast)]).toEqual(['life']);
  });

  it('recognises constant expressions', () => {
    expect(isConstantExpression(parseExpression('1 / 12 + rate_to_prob(0.1, 2) * pi'))).toBe(true);
    expect(isConstantExpression(parseExpression('1 + x'))).toBe(false);
    expect(isConstantExpression(parseExpression('lookup(t, 40)'))).toBe(false);
    expect(isConstantExpression(parseExpression('if(1, 2, x)'))).toBe(false);
  });
});

describe('syntax errors', () => {
  const cases: [string, string, number][] = [
    ['1 + )', "unexpected ')' at character 5", 4],
    ['min(1,)', "unexpected ')' at character 7", 6],
    ['(1 + 2', "missing ')' to match the '(' at character 1", 0],
    ['max(1, 2', "missing ')' to match the '(' at character 4", 3],
    ['(1 + 2))', "unexpected ')' at character 8", 7],
    ['1 2', "unexpected number '2' at character 3", 2],
    ['a b', "unexpected name 'b' at character 3", 2],
    ['2 (3)', "unexpected '(' at character 3 (use '*' to multiply)", 2],
    ['1 +', 'unexpected end of expression at character 4', 3],
    ['* 2', "unexpected '*' at character 1", 0],
    ['2 ** 3', "unexpected '*' at character 4", 3],
    ['1 ? 2', "unexpected end of expression at character 6 (expected ':' of '? :')", 5],
    ['a = b', "unexpected character '=' at character 3 (use '==' to compare)", 2],
    ['a & b', "unexpected character '&' at character 3 (use '&&' or 'and')", 2],
    ['5 % 2', "unexpected character '%' at character 3 (write percentages as fractions, e.g. 0.05)", 2],
    ['a \u2212 b', "unexpected character '\u2212' at character 3 (use '-')", 2],
    ['a # b', "unexpected character '#' at character 3", 2],
    ['2e', "malformed number '2e' at character 1", 0],
    ['1 + 1.2.3', "malformed number '1.2.3' at character 5", 4],
    ['2x', "malformed number '2x' at character 1", 0],
    ["'abc", "unterminated text at character 1: missing closing '", 0],
    ['lookup(t, "abc)', 'unterminated text at character 11: missing closing "', 10],
    ['"x" + 1', 'unexpected text "x" at character 1: quoted text is only allowed as a lookup key', 0],
    ['min("x", 1)', 'unexpected text "x" at character 5: quoted text is only allowed as a lookup key', 4],
    ['lookup(t, "a" + 1)', 'unexpected text "a" at character 11: quoted text is only allowed as a lookup key', 10],
    ['lookup(1, 2)', 'the first argument of lookup must be a table name at character 8', 7],
    ['lookup(t + 1, 2)', 'the first argument of lookup must be a table name at character 8', 7],
    ['lookup("t", 2)', 'the first argument of lookup must be a table name at character 8', 7],
    ['1 < 2 < 3', "unexpected '<' at character 7: comparisons cannot be chained; write e.g. 'a < b && b < c'", 6],
    ['a == b != c', "unexpected '!=' at character 8: equality tests cannot be chained; write e.g. 'a < b && b < c'", 7],
    ['', 'empty expression', 0],
    ['   ', 'empty expression', 0],
  ];
  for (const [text, message, position] of cases) {
    it(`${JSON.stringify(text)}: ${message}`, () => {
      const err = errorOf(() => parseExpression(text));
      expect(err.name).toBe('ExpressionError');
      expect(err.message).toBe(message);
      expect(err.position).toBe(position);
    });
  }

  it('throws ExpressionError instances', () => {
    expect(() => parseExpression('1 +')).toThrow(ExpressionError);
  });

  it('reports unknown functions and wrong argument counts at the function name', () => {
    const cases: [string, string, number][] = [
      ['foo(1)', "unknown function 'foo'", 0],
      ['1 + bar(2, 3)', "unknown function 'bar'", 4],
      ['1 + min()', "function 'min' needs at least 1 argument", 4],
      ['max()', "function 'max' needs at least 1 argument", 0],
      ['pow(1)', "function 'pow' needs 2 arguments", 0],
      ['abs(1, 2)', "function 'abs' needs 1 argument", 0],
      ['clamp(1, 2)', "function 'clamp' needs 3 arguments", 0],
      ['if(1, 2)', "function 'if' needs 3 arguments", 0],
      ['rate_to_prob(1, 2, 3)', "function 'rate_to_prob' needs 1 or 2 arguments", 0],
      ['x * prob_to_rate()', "function 'prob_to_rate' needs 1 or 2 arguments", 4],
      ['lookup(t)', "function 'lookup' needs at least 2 arguments", 0],
      ['Min(1)', "unknown function 'Min'", 0], // names are case-sensitive
    ];
    for (const [text, message, position] of cases) {
      const err = errorOf(() => parseExpression(text));
      expect(err, text).toEqual({ name: 'ExpressionError', message, position });
    }
  });
});

describe('limits', () => {
  it(`accepts ${MAX_EXPRESSION_LENGTH} characters and rejects more`, () => {
    const longest = '1' + '+1'.repeat(999) + ' ';
    expect(longest.length).toBe(MAX_EXPRESSION_LENGTH);
    expect(evaluate(longest)).toBe(1000);
    const err = errorOf(() => parseExpression(longest + ' '));
    expect(err).toEqual({ name: 'ExpressionError', message: 'expression is longer than 2000 characters', position: 2000 });
  });

  it('does not count a long flat sum as nesting', () => {
    expect(evaluate(Array.from({ length: 300 }, (_, i) => `x${i % 3}`).join(' + '), { x0: 1, x1: 2, x2: 3 })).toBe(600);
  });

  it(`accepts ${MAX_EXPRESSION_DEPTH} levels of nesting and rejects more`, () => {
    const parens = (n: number) => '('.repeat(n) + '1' + ')'.repeat(n);
    expect(evaluate(parens(MAX_EXPRESSION_DEPTH - 1))).toBe(1); // the whole expression is level 1
    expect(errorOf(() => parseExpression(parens(MAX_EXPRESSION_DEPTH)))).toEqual({
      name: 'ExpressionError',
      message: 'expression nests deeper than 64 levels',
      position: 63, // the '(' that opens level 65
    });

    const negations = (n: number) => '-'.repeat(n) + '1';
    expect(evaluate(negations(63))).toBe(-1);
    expect(errorOf(() => parseExpression(negations(64))).position).toBe(63);

    const calls = (n: number) => 'abs('.repeat(n) + '1' + ')'.repeat(n);
    expect(evaluate(calls(63))).toBe(1);
    expect(errorOf(() => parseExpression(calls(64))).message).toBe('expression nests deeper than 64 levels');

    const powers = (n: number) => '1' + '^1'.repeat(n);
    expect(evaluate(powers(63))).toBe(1);
    expect(errorOf(() => parseExpression(powers(64))).message).toBe('expression nests deeper than 64 levels');

    const conditionals = (n: number) => '0 ? 1 : '.repeat(n) + '2';
    expect(evaluate(conditionals(63))).toBe(2);
    expect(errorOf(() => parseExpression(conditionals(64))).message).toBe('expression nests deeper than 64 levels');
  });

  it('rejects deep nesting without exhausting the stack', () => {
    const text = '('.repeat(999) + ')'.repeat(999);
    expect(errorOf(() => parseExpression(text)).message).toBe('expression nests deeper than 64 levels');
  });
});
