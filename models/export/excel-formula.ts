/**
 * Expression language → Excel formula text.
 *
 * Walks the syntax tree of models/expression and writes the equivalent Excel formula; names are
 * turned into cell references by the caller's `resolve`. Everything is fully parenthesised, so
 * Excel's own precedence (notably unary minus binding tighter than ^) never matters.
 * Functions without an Excel equivalent are expanded (rate_to_prob(r, t) → 1-EXP(-r*t), ...).
 * `lookup(...)` and `state_time` cannot be expressed cell by cell: they throw
 * UnsupportedInExcel, and the caller writes the engine's value instead (with a note).
 */
import type { ExpressionAst } from '../expression';

export class UnsupportedInExcel extends Error {}

/** Returns a formula fragment for a name, or throws UnsupportedInExcel. */
export type NameResolver = (name: string) => string;

/** Translates lookup(table, keys...) (key arguments as syntax trees; `translate` turns one into a formula). */
export type LookupTranslator = (table: string, keys: ExpressionAst[], translate: (ast: ExpressionAst) => string) => string;

export function numberLiteral(v: number): string {
  if (!Number.isFinite(v)) throw new UnsupportedInExcel(`the value ${v} cannot be written in a formula`);
  const text = String(v).toUpperCase();
  return v < 0 || Object.is(v, -0) ? `(${text})` : text;
}

const SIMPLE: Record<string, string> = {
  min: 'MIN',
  max: 'MAX',
  abs: 'ABS',
  exp: 'EXP',
  log: 'LN',
  ln: 'LN',
  log10: 'LOG10',
  sqrt: 'SQRT',
  pow: 'POWER',
};

export function toExcelFormula(ast: ExpressionAst, resolve: NameResolver, lookup?: LookupTranslator): string {
  const go = (node: ExpressionAst): string => {
    switch (node.kind) {
      case 'number':
        return numberLiteral(node.value);
      case 'string':
        throw new UnsupportedInExcel('quoted text (lookup keys) has no cell equivalent');
      case 'identifier':
        return resolve(node.name);
      case 'unary': {
        const a = go(node.operand);
        if (node.operator === '-') return `(-${wrap(a)})`;
        if (node.operator === '+') return a;
        return `IF(${wrap(a)}=0,1,0)`;
      }
      case 'binary': {
        const a = go(node.left);
        const b = go(node.right);
        switch (node.operator) {
          case '+':
          case '-':
          case '*':
          case '/':
          case '^':
            return `(${a}${node.operator}${b})`;
          case '<':
          case '<=':
          case '>':
          case '>=':
            return `IF(${a}${node.operator}${b},1,0)`;
          case '==':
            return `IF(${a}=${b},1,0)`;
          case '!=':
            return `IF(${a}<>${b},1,0)`;
          case '&&':
            return `IF(AND(${a}<>0,${b}<>0),1,0)`;
          case '||':
            return `IF(OR(${a}<>0,${b}<>0),1,0)`;
        }
        throw new UnsupportedInExcel(`operator ${(node as { operator: string }).operator}`);
      }
      case 'conditional':
        return `IF(${go(node.test)}<>0,${go(node.consequent)},${go(node.alternate)})`;
      case 'call': {
        const name = node.callee;
        if (name === 'lookup') {
          const table = node.args[0];
          if (!lookup || table?.kind !== 'identifier') throw new UnsupportedInExcel('lookup tables are not translated to formulas');
          return lookup(table.name, node.args.slice(1), go);
        }
        const args = node.args.map(go);
        if (SIMPLE[name]) return `${SIMPLE[name]}(${args.join(',')})`;
        const [x, y, z] = args;
        switch (name) {
          case 'if':
            return `IF(${x}<>0,${y},${z})`;
          case 'floor':
            return `INT(${x})`;
          case 'ceil':
            return `(-INT(-${wrap(x)}))`;
          case 'round':
            return `ROUND(${x},0)`;
          case 'clamp':
            return `MIN(MAX(${x},${y}),${z})`;
          case 'rate_to_prob':
            return `(1-EXP(-${wrap(x)}*${wrap(y ?? '1')}))`;
          case 'prob_to_rate':
            return `(-LN(1-${wrap(x)})/${wrap(y ?? '1')})`;
          case 'rescale_prob':
            return `(1-(1-${wrap(x)})^(${z}/${wrap(y)}))`;
          case 'odds':
            return `(${wrap(x)}/(1-${wrap(x)}))`;
          case 'odds_to_prob':
            return `(${wrap(x)}/(1+${wrap(x)}))`;
          case 'apply_or':
            return `(${wrap(x)}*${wrap(y)}/(1-${wrap(x)}+${wrap(x)}*${wrap(y)}))`;
          case 'apply_rr':
            return `(${wrap(x)}*${wrap(y)})`;
          case 'apply_hr':
            return `(1-(1-${wrap(x)})^${wrap(y)})`;
        }
        throw new UnsupportedInExcel(`function ${name} has no Excel translation`);
      }
    }
  };
  return go(ast);
}

/** Parenthesise unless the fragment is a plain reference, a number or already parenthesised as a whole. */
function wrap(fragment: string): string {
  if (/^[A-Za-z0-9_.$!']+$/.test(fragment) && !fragment.startsWith('-')) return fragment;
  if (fragment.startsWith('(') && balancedWhole(fragment)) return fragment;
  return `(${fragment})`;
}

function balancedWhole(s: string): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')') {
      depth--;
      if (depth === 0 && i < s.length - 1) return false;
    }
  }
  return depth === 0;
}
