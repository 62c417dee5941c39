/**
 * # Expression language
 *
 * Parameter values, transition probabilities and rewards may be written as expressions such as
 * `p_base * rr ^ (time / 12)` or `lookup(mortality, age0 + cycle_years * cycle, "female")`.
 *
 * ## Values
 * - Numbers: `123`, `1.5`, `.5`, `1e-3`, `2.5E+2`.
 * - Names: a letter or `_` followed by letters, digits and `_` (`p_death`, `cost2`). Names are
 *   case-sensitive. They refer to parameters and to built-in values such as `cycle`, `time`,
 *   `state_time` and `cycle_years`.
 * - Constants: `true` (1), `false` (0), `pi`, `e`.
 * - Quoted text, in double or single quotes (`"female"`, `'male'`), is only allowed as a key
 *   argument of `lookup`. There are no escape sequences.
 * - There is one type: numbers. Conditions are numbers too: comparisons give 1 (true) or 0
 *   (false), and any non-zero value counts as true.
 *
 * ## Operators, from lowest to highest precedence
 * | Operators                       | Meaning                          | Grouping       |
 * |---------------------------------|----------------------------------|----------------|
 * | `c ? a : b`                     | a if c is true, else b           | right to left  |
 * | `\|\|`, `or`                    | either is true                   | left to right  |
 * | `&&`, `and`                     | both are true                    | left to right  |
 * | `==`, `!=`                      | equal, not equal                 | not chainable  |
 * | `<`, `<=`, `>`, `>=`            | comparison                       | not chainable  |
 * | `+`, `-`                        | add, subtract                    | left to right  |
 * | `*`, `/`                        | multiply, divide                 | left to right  |
 * | `-x`, `+x`, `!x`, `not x`       | negate, plus, logical not        | prefix         |
 * | `^`                             | power                            | right to left  |
 *
 * So `2 ^ 3 ^ 2` is `2 ^ 9`, and `-2 ^ 2` is `-(2 ^ 2)` = -4 (as in mathematics and Excel's
 * POWER, unlike Excel's `-2^2`). An exponent may carry its own sign: `2 ^ -1` = 0.5.
 * `a < b < c` is an error rather than the surprising `(a < b) < c`; write `a < b && b < c`.
 * Parentheses group as usual.
 *
 * `&&`, `||`, `? :` and `if(...)` only evaluate the operand they need. A NaN (e.g. from 0 / 0)
 * used as a condition or compared gives NaN rather than true or false, so the engine reports it
 * instead of silently taking one branch.
 *
 * ## Functions
 * `name(arg1, arg2, ...)`; see functions.ts for the list. Function names and parameter names are
 * separate: a parameter may be called `max`, and `max(a, b)` still calls the function.
 *
 * ## Limits
 * At most 2000 characters, and at most 64 levels of nesting (parentheses, function arguments,
 * prefix operators, exponents and conditional branches each add a level).
 *
 * ## Formal grammar
 * ```
 * expression     = or [ "?" expression ":" expression ]
 * or             = and { ( "||" | "or" ) and }
 * and            = equality { ( "&&" | "and" ) equality }
 * equality       = comparison [ ( "==" | "!=" ) comparison ]
 * comparison     = additive [ ( "<" | "<=" | ">" | ">=" ) additive ]
 * additive       = multiplicative { ( "+" | "-" ) multiplicative }
 * multiplicative = unary { ( "*" | "/" ) unary }
 * unary          = ( "-" | "+" | "!" | "not" ) unary | power
 * power          = primary [ "^" unary ]
 * primary        = number | name | name "(" [ argument { "," argument } ] ")" | "(" expression ")"
 * argument       = expression | text          (text only as a key argument of lookup)
 * ```
 */
import {
  ExpressionError,
  MAX_EXPRESSION_DEPTH,
  MAX_EXPRESSION_LENGTH,
  NAMED_CONSTANTS,
  atCharacter,
  type BinaryOperator,
  type ExpressionAst,
  type IdentifierNode,
} from './ast';
import { BUILTIN_FUNCTIONS, arityProblem } from './functions';
import { tokenize, type Token } from './tokenize';

export function parseExpression(text: string): ExpressionAst {
  if (typeof text !== 'string') throw new ExpressionError('expression must be text', 0);
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(`expression is longer than ${MAX_EXPRESSION_LENGTH} characters`, MAX_EXPRESSION_LENGTH);
  }
  return new Parser(text, tokenize(text)).parseAll();
}

class Parser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  parseAll(): ExpressionAst {
    if (this.peek().type === 'end') throw new ExpressionError('empty expression', 0);
    const ast = this.parseExpression();
    const next = this.peek();
    if (next.type !== 'end') {
      const hint = next.type === 'operator' && next.text === '(' ? " (use '*' to multiply)" : '';
      throw this.unexpected(next, hint);
    }
    return ast;
  }

  private peek(): Token {
    return this.tokens[this.index];
  }
  private peekAt(offset: number): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)];
  }
  private advance(): Token {
    const t = this.tokens[this.index];
    if (t.type !== 'end') this.index++;
    return t;
  }
  private isOperator(t: Token, ...ops: string[]): boolean {
    return t.type === 'operator' && ops.includes(t.text);
  }

  private describe(t: Token): string {
    const source = this.text.slice(t.start, t.end);
    switch (t.type) {
      case 'end':
        return 'end of expression';
      case 'number':
        return `number '${source}'`;
      case 'identifier':
        return `name '${source}'`;
      case 'string':
        return `text ${source}`;
      case 'operator':
        return `'${source}'`;
    }
  }

  private unexpected(t: Token, detail = ''): ExpressionError {
    return new ExpressionError(`unexpected ${this.describe(t)} ${atCharacter(t.start)}${detail}`, t.start);
  }

  private enter(at: Token): void {
    if (++this.depth > MAX_EXPRESSION_DEPTH) {
      throw new ExpressionError(`expression nests deeper than ${MAX_EXPRESSION_DEPTH} levels`, at.start);
    }
  }

  /** `opener` is the token that opened this level (e.g. its '('), reported if nesting is too deep. */
  private parseExpression(opener: Token = this.peek()): ExpressionAst {
    this.enter(opener);
    const test = this.parseOr();
    let result = test;
    if (this.isOperator(this.peek(), '?')) {
      this.advance();
      const consequent = this.parseExpression();
      const colon = this.peek();
      if (!this.isOperator(colon, ':')) throw this.unexpected(colon, " (expected ':' of '? :')");
      this.advance();
      const alternate = this.parseExpression();
      result = { kind: 'conditional', test, consequent, alternate, start: test.start, end: alternate.end };
    }
    this.depth--;
    return result;
  }

  private parseLeftAssociative(ops: string[], operand: () => ExpressionAst): ExpressionAst {
    let left = operand();
    while (this.isOperator(this.peek(), ...ops)) {
      const operator = this.advance().text as BinaryOperator;
      const right = operand();
      left = { kind: 'binary', operator, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private parseNonAssociative(ops: string[], operand: () => ExpressionAst, what: string): ExpressionAst {
    const left = operand();
    if (!this.isOperator(this.peek(), ...ops)) return left;
    const operator = this.advance().text as BinaryOperator;
    const right = operand();
    const next = this.peek();
    if (this.isOperator(next, ...ops)) {
      throw this.unexpected(next, `: ${what} cannot be chained; write e.g. 'a < b && b < c'`);
    }
    return { kind: 'binary', operator, left, right, start: left.start, end: right.end };
  }

  private parseOr = (): ExpressionAst => this.parseLeftAssociative(['||'], this.parseAnd);
  private parseAnd = (): ExpressionAst => this.parseLeftAssociative(['&&'], this.parseEquality);
  private parseEquality = (): ExpressionAst => this.parseNonAssociative(['==', '!='], this.parseComparison, 'equality tests');
  private parseComparison = (): ExpressionAst =>
    this.parseNonAssociative(['<', '<=', '>', '>='], this.parseAdditive, 'comparisons');
  private parseAdditive = (): ExpressionAst => this.parseLeftAssociative(['+', '-'], this.parseMultiplicative);
  private parseMultiplicative = (): ExpressionAst => this.parseLeftAssociative(['*', '/'], this.parseUnary);

  private parseUnary = (): ExpressionAst => {
    const t = this.peek();
    if (this.isOperator(t, '-', '+', '!')) {
      this.advance();
      this.enter(t);
      const operand = this.parseUnary();
      this.depth--;
      return { kind: 'unary', operator: t.text as '-' | '+' | '!', operand, start: t.start, end: operand.end };
    }
    return this.parsePower();
  };

  private parsePower(): ExpressionAst {
    const base = this.parsePrimary();
    const t = this.peek();
    if (!this.isOperator(t, '^')) return base;
    this.advance();
    this.enter(t);
    const exponent = this.parseUnary();
    this.depth--;
    return { kind: 'binary', operator: '^', left: base, right: exponent, start: base.start, end: exponent.end };
  }

  private parsePrimary(): ExpressionAst {
    const t = this.peek();
    switch (t.type) {
      case 'number':
        this.advance();
        return { kind: 'number', value: t.value, start: t.start, end: t.end };
      case 'string':
        throw this.unexpected(t, ': quoted text is only allowed as a lookup key');
      case 'identifier': {
        this.advance();
        if (this.isOperator(this.peek(), '(')) return this.parseCall(t);
        const constant = NAMED_CONSTANTS.get(t.text);
        if (constant !== undefined) return { kind: 'number', value: constant, start: t.start, end: t.end };
        return { kind: 'identifier', name: t.text, start: t.start, end: t.end };
      }
      case 'operator':
        if (t.text === '(') {
          this.advance();
          const inner = this.parseExpression(t);
          this.expectClosing(t);
          return inner;
        }
        throw this.unexpected(t);
      case 'end':
        throw this.unexpected(t);
    }
  }

  /** After a group or argument list opened by `open`: consume ')' or explain what is wrong. */
  private expectClosing(open: Token, expectComma = false): void {
    const t = this.peek();
    if (this.isOperator(t, ')')) {
      this.advance();
      return;
    }
    if (t.type === 'end') {
      throw new ExpressionError(`missing ')' to match the '(' ${atCharacter(open.start)}`, open.start);
    }
    throw this.unexpected(t, expectComma ? " (expected ',' or ')')" : " (expected ')')");
  }

  private parseCall(name: Token): ExpressionAst {
    const fn = BUILTIN_FUNCTIONS.get(name.text);
    if (fn === undefined) throw new ExpressionError(`unknown function '${name.text}'`, name.start);
    const open = this.advance();
    const args: ExpressionAst[] = [];
    if (!this.isOperator(this.peek(), ')')) {
      for (;;) {
        args.push(this.parseArgument(fn.kind === 'lookup', args.length));
        if (!this.isOperator(this.peek(), ',')) break;
        this.advance();
      }
    }
    const close = this.peek();
    this.expectClosing(open, true);
    const problem = arityProblem(fn, args.length);
    if (problem !== undefined) throw new ExpressionError(problem, name.start);
    return { kind: 'call', callee: fn.name, args, start: name.start, end: close.end };
  }

  private parseArgument(isLookup: boolean, index: number): ExpressionAst {
    const t = this.peek();
    const standsAlone = this.isOperator(this.peekAt(1), ',', ')');
    if (isLookup && index === 0) {
      if (t.type !== 'identifier' || !standsAlone) {
        throw new ExpressionError(`the first argument of lookup must be a table name ${atCharacter(t.start)}`, t.start);
      }
      this.advance();
      const table: IdentifierNode = { kind: 'identifier', name: t.text, start: t.start, end: t.end };
      return table;
    }
    if (isLookup && t.type === 'string' && standsAlone) {
      this.advance();
      return { kind: 'string', value: t.text, start: t.start, end: t.end };
    }
    return this.parseExpression();
  }
}
