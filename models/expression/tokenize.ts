/**
 * Splits expression text into tokens. The keywords `and`, `or`, `not` become the operators
 * `&&`, `||`, `!`; everything else that looks like a name stays an identifier.
 */
import { ExpressionError, atCharacter } from './ast';

export type TokenType = 'number' | 'string' | 'identifier' | 'operator' | 'end';

export type Token = {
  type: TokenType;
  /** Operator symbol, identifier name, string contents, or number source text. */
  text: string;
  /** Parsed value of a number token. */
  value: number;
  start: number;
  end: number;
};

const TWO_CHAR_OPERATORS = new Set(['<=', '>=', '==', '!=', '&&', '||']);
const ONE_CHAR_OPERATORS = new Set(['+', '-', '*', '/', '^', '<', '>', '!', '?', ':', '(', ')', ',']);
const KEYWORD_OPERATORS = new Map([
  ['and', '&&'],
  ['or', '||'],
  ['not', '!'],
]);

/** Hints for characters people paste from word processors or other languages. */
const CHARACTER_HINTS = new Map([
  ['=', "use '==' to compare"],
  ['&', "use '&&' or 'and'"],
  ['|', "use '||' or 'or'"],
  ['\u2212', "use '-'"],
  ['\u2013', "use '-'"],
  ['\u00d7', "use '*'"],
  ['\u00f7', "use '/'"],
  ['\u2264', "use '<='"],
  ['\u2265', "use '>='"],
  ['\u2260', "use '!='"],
  ['%', "write percentages as fractions, e.g. 0.05"],
  ['[', "use '(' for grouping"],
  [']', "use ')' for grouping"],
  ['{', "use '(' for grouping"],
  ['}', "use ')' for grouping"],
  ['\u201c', 'use straight quotes " or \''],
  ['\u201d', 'use straight quotes " or \''],
  ['\u2018', 'use straight quotes " or \''],
  ['\u2019', 'use straight quotes " or \''],
]);

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    if (isDigit(c) || (c === 46 && i + 1 < n && isDigit(text.charCodeAt(i + 1)))) {
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      if (i < n && text.charCodeAt(i) === 46) {
        i++;
        while (i < n && isDigit(text.charCodeAt(i))) i++;
      }
      if (i < n && (text[i] === 'e' || text[i] === 'E')) {
        let j = i + 1;
        if (j < n && (text[j] === '+' || text[j] === '-')) j++;
        if (j < n && isDigit(text.charCodeAt(j))) {
          while (j < n && isDigit(text.charCodeAt(j))) j++;
          i = j;
        } else {
          throw new ExpressionError(`malformed number '${text.slice(start, j)}' ${atCharacter(start)}`, start);
        }
      }
      // `2x` or `1.5.2` are almost certainly typos; report them here rather than as a stray name.
      if (i < n && (isIdentStart(text.charCodeAt(i)) || text.charCodeAt(i) === 46)) {
        let j = i;
        while (j < n && (isIdentPart(text.charCodeAt(j)) || text.charCodeAt(j) === 46)) j++;
        throw new ExpressionError(`malformed number '${text.slice(start, j)}' ${atCharacter(start)}`, start);
      }
      const source = text.slice(start, i);
      tokens.push({ type: 'number', text: source, value: Number(source), start, end: i });
      continue;
    }
    if (isIdentStart(c)) {
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      const name = text.slice(start, i);
      const op = KEYWORD_OPERATORS.get(name);
      if (op !== undefined) tokens.push({ type: 'operator', text: op, value: NaN, start, end: i });
      else tokens.push({ type: 'identifier', text: name, value: NaN, start, end: i });
      continue;
    }
    if (c === 34 || c === 39) {
      const quote = text[i];
      i++;
      while (i < n && text[i] !== quote && text[i] !== '\n') i++;
      if (i >= n || text[i] !== quote) {
        throw new ExpressionError(`unterminated text ${atCharacter(start)}: missing closing ${quote}`, start);
      }
      i++;
      tokens.push({ type: 'string', text: text.slice(start + 1, i - 1), value: NaN, start, end: i });
      continue;
    }
    const two = text.slice(i, i + 2);
    if (TWO_CHAR_OPERATORS.has(two)) {
      tokens.push({ type: 'operator', text: two, value: NaN, start, end: i + 2 });
      i += 2;
      continue;
    }
    const one = text[i];
    if (ONE_CHAR_OPERATORS.has(one)) {
      tokens.push({ type: 'operator', text: one, value: NaN, start, end: i + 1 });
      i++;
      continue;
    }
    const ch = String.fromCodePoint(text.codePointAt(i) ?? c);
    const hint = CHARACTER_HINTS.get(ch);
    throw new ExpressionError(`unexpected character '${ch}' ${atCharacter(start)}${hint ? ` (${hint})` : ''}`, start);
  }
  tokens.push({ type: 'end', text: '', value: NaN, start: n, end: n });
  return tokens;
}
