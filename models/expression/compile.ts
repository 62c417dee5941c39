/**
 * Compiles a syntax tree into nested closures over a Float64Array of variable values.
 *
 * No code is generated from user text: every closure below is written out here, and compiling
 * only chooses and nests them. Two steps:
 * 1. lower: check names, tables and arity, resolve names to slots, and fold constant subtrees
 *    (including conditions, so the untaken branch disappears);
 * 2. build: pick a closure per node, specialised for common operand shapes (slot, constant,
 *    anything) so that e.g. `a * b` is one closure `v => v[i] * v[j]` rather than three.
 * Nothing throws at run time except a lookup table set to reject out-of-range keys; division by
 * zero and the like give Infinity/NaN for the engine to report.
 */
import {
  ExpressionError,
  NAMED_CONSTANTS,
  isConstantExpression,
  type BinaryOperator,
  type CallNode,
  type ExpressionAst,
} from './ast';
import { BUILTIN_FUNCTIONS, arityProblem, type BuiltinFunction } from './functions';
import { evaluateProjected, projectionProblem, tableInternals, type CompiledTable, type Projected } from './lookup-table';
import { parseExpression } from './parse';

export type CompileContext = {
  /** Index into the values array for a variable (parameter or built-in such as cycle, time, state_time, cycle_years). */
  slotOf(name: string): number | undefined;
  table(id: string): CompiledTable | undefined;
};

export type CompiledExpression = (values: Float64Array) => number;

export type CompileOptions = {
  /** Fold constant subtrees at compile time (default true). Off only to test that folding changes nothing. */
  fold?: boolean;
};

// --- semantics of operators, shared by folding and the generic closures ---------------------

/** Binary operators on plain numbers. Comparisons and logic give 1/0, or NaN if an operand is NaN. */
export function applyBinary(op: BinaryOperator, x: number, y: number): number {
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return x / y;
    case '^':
      return x ** y;
    case '<':
      return x < y ? 1 : x >= y ? 0 : NaN;
    case '<=':
      return x <= y ? 1 : x > y ? 0 : NaN;
    case '>':
      return x > y ? 1 : x <= y ? 0 : NaN;
    case '>=':
      return x >= y ? 1 : x < y ? 0 : NaN;
    case '==':
      return x === y ? 1 : x !== x || y !== y ? NaN : 0;
    case '!=':
      return x === y ? 0 : x !== x || y !== y ? NaN : 1;
    case '&&':
      return x !== x ? NaN : x === 0 ? 0 : y !== y ? NaN : y === 0 ? 0 : 1;
    case '||':
      return x !== x ? NaN : x !== 0 ? 1 : y !== y ? NaN : y === 0 ? 0 : 1;
  }
}

function not(x: number): number {
  return x !== x ? NaN : x === 0 ? 1 : 0;
}

// --- intermediate form ------------------------------------------------------------------------

/** The intermediate form shared by the scalar closures here and the lane closures of compile-lanes.ts. */
export type Ir =
  | { t: 'const'; value: number }
  | { t: 'slot'; slot: number }
  | { t: 'neg'; a: Ir }
  | { t: 'not'; a: Ir }
  | { t: 'bin'; op: BinaryOperator; a: Ir; b: Ir }
  | { t: 'cond'; c: Ir; a: Ir; b: Ir }
  | { t: 'call'; fn: BuiltinFunction; args: Ir[] }
  /** Lookup in a table made by compileTable, with text keys already resolved. */
  | { t: 'projected'; root: Projected; keys: Ir[] }
  /** Lookup in any other CompiledTable. */
  | { t: 'lookup'; table: CompiledTable; keys: (Ir | string)[] };

const constant = (value: number): Ir => ({ t: 'const', value });

class Lowering {
  constructor(
    private readonly ctx: CompileContext,
    private readonly fold: boolean,
  ) {}

  lower(node: ExpressionAst): Ir {
    switch (node.kind) {
      case 'number':
        return constant(node.value);
      case 'string':
        throw new ExpressionError(`quoted text "${node.value}" cannot be used as a number; it is only allowed as a lookup key`, node.start);
      case 'identifier': {
        const named = NAMED_CONSTANTS.get(node.name);
        if (named !== undefined) return constant(named);
        const slot = this.ctx.slotOf(node.name);
        if (slot === undefined) {
          const hint = BUILTIN_FUNCTIONS.has(node.name) ? ` ('${node.name}' is a function: write ${node.name}(...))` : '';
          throw new ExpressionError(`unknown name '${node.name}'${hint}`, node.start);
        }
        if (!Number.isInteger(slot) || slot < 0) throw new ExpressionError(`name '${node.name}' has an invalid slot ${slot}`, node.start);
        return { t: 'slot', slot };
      }
      case 'unary': {
        const a = this.lower(node.operand);
        if (node.operator === '+') return a;
        if (node.operator === '-') return this.fold && a.t === 'const' ? constant(-a.value) : { t: 'neg', a };
        return this.fold && a.t === 'const' ? constant(not(a.value)) : { t: 'not', a };
      }
      case 'binary': {
        const a = this.lower(node.left);
        const b = this.lower(node.right);
        const op = node.operator;
        if (this.fold && a.t === 'const') {
          if (b.t === 'const') return constant(applyBinary(op, a.value, b.value));
          // Short-circuits whose result does not depend on the right operand.
          const x = a.value;
          if (op === '&&' && (x !== x || x === 0)) return constant(x !== x ? NaN : 0);
          if (op === '||' && (x !== x || x !== 0)) return constant(x !== x ? NaN : 1);
        }
        return { t: 'bin', op, a, b };
      }
      case 'conditional':
        return this.conditional(this.lower(node.test), this.lower(node.consequent), this.lower(node.alternate));
      case 'call':
        return this.call(node);
    }
  }

  private conditional(c: Ir, a: Ir, b: Ir): Ir {
    if (this.fold && c.t === 'const') return c.value !== c.value ? constant(NaN) : c.value !== 0 ? a : b;
    return { t: 'cond', c, a, b };
  }

  private call(node: CallNode): Ir {
    const fn = BUILTIN_FUNCTIONS.get(node.callee);
    if (fn === undefined) throw new ExpressionError(`unknown function '${node.callee}'`, node.start);
    const problem = arityProblem(fn, node.args.length);
    if (problem !== undefined) throw new ExpressionError(problem, node.start);
    if (fn.kind === 'lookup') return this.lookup(node);
    const args = node.args.map((arg) => this.lower(arg));
    if (fn.kind === 'if') return this.conditional(args[0], args[1], args[2]);
    if (this.fold && args.every((a) => a.t === 'const')) {
      return constant(fn.apply!(args.map((a) => (a as { value: number }).value)));
    }
    return { t: 'call', fn, args };
  }

  private lookup(node: CallNode): Ir {
    const [tableArg, ...keyArgs] = node.args;
    if (tableArg.kind !== 'identifier') {
      throw new ExpressionError('the first argument of lookup must be a table name', tableArg.start);
    }
    const table = this.ctx.table(tableArg.name);
    if (table === undefined) throw new ExpressionError(`unknown table '${tableArg.name}'`, tableArg.start);
    const keyNames = table.keys;
    const keyName = (i: number) => (keyNames !== undefined ? keyNames[i] : `${i + 1}`);
    if (keyArgs.length !== table.keyCount) {
      const names = keyNames !== undefined ? ` (${keyNames.join(', ')})` : '';
      const plural = table.keyCount === 1 ? 'key' : 'keys';
      throw new ExpressionError(
        `table '${table.id}' takes ${table.keyCount} ${plural}${names}, but lookup gives ${keyArgs.length}`,
        node.start,
      );
    }
    const keys: (Ir | string)[] = keyArgs.map((arg, i) => {
      const kind = table.keyKinds?.[i];
      if (arg.kind === 'string') {
        if (kind === 'number') {
          throw new ExpressionError(`table '${table.id}' key '${keyName(i)}' takes a number, not text "${arg.value}"`, arg.start);
        }
        return arg.value;
      }
      const ir = this.lower(arg);
      if (kind === 'string') {
        throw new ExpressionError(`table '${table.id}' key '${keyName(i)}' takes quoted text, e.g. "..."`, arg.start);
      }
      return ir;
    });

    const internals = tableInternals(table);
    // Another implementation might not be immutable, so it is never folded.
    if (internals === undefined) return { t: 'lookup', table, keys };
    const text: (string | undefined)[] = [];
    const numeric: Ir[] = [];
    keys.forEach((k, i) => {
      if (typeof k === 'string') {
        if (!internals.categories[i].has(k)) {
          throw new ExpressionError(`table '${table.id}' has no rows with ${keyName(i)} "${k}"`, keyArgs[i].start);
        }
        text.push(k);
      } else {
        text.push(undefined);
        numeric.push(k);
      }
    });
    const root = internals.project(text);
    const problem = projectionProblem(root);
    if (problem !== undefined) {
      // Each text key exists somewhere (checked above), but not this combination.
      const firstText = keyArgs.find((arg) => arg.kind === 'string') ?? node;
      const combination = keyArgs.flatMap((arg, i) => (arg.kind === 'string' ? [`${keyName(i)} "${arg.value}"`] : []));
      throw new ExpressionError(`table '${table.id}' has no rows with ${combination.join(' and ')}`, firstText.start);
    }
    if (this.fold && numeric.every((k) => k.t === 'const')) {
      const values = Float64Array.from(numeric, (k) => (k as { value: number }).value);
      const folded = tryFold(() => evaluateProjected(root, values, 0));
      if (folded !== undefined) return folded;
    }
    return { t: 'projected', root, keys: numeric };
  }
}

/** A lookup with constant keys in an (immutable) compiled table becomes a constant, unless it fails: then it fails at run time, if reached. */
function tryFold(run: () => number): Ir | undefined {
  try {
    return constant(run());
  } catch {
    return undefined;
  }
}

/** AST → intermediate form, with names resolved, errors reported and constants folded (one implementation for every backend). */
export function lowerExpression(ast: ExpressionAst, ctx: CompileContext, fold = true): Ir {
  return new Lowering(ctx, fold).lower(ast);
}

// --- closures ---------------------------------------------------------------------------------

function build(ir: Ir): CompiledExpression {
  switch (ir.t) {
    case 'const': {
      const c = ir.value;
      return () => c;
    }
    case 'slot': {
      const i = ir.slot;
      return (v) => v[i];
    }
    case 'neg': {
      if (ir.a.t === 'slot') {
        const i = ir.a.slot;
        return (v) => -v[i];
      }
      const fa = build(ir.a);
      return (v) => -fa(v);
    }
    case 'not': {
      const fa = build(ir.a);
      return (v) => {
        const x = fa(v);
        return x !== x ? NaN : x === 0 ? 1 : 0;
      };
    }
    case 'bin':
      return buildBinary(ir.op, ir.a, ir.b);
    case 'cond': {
      const fc = build(ir.c);
      const fa = build(ir.a);
      const fb = build(ir.b);
      return (v) => {
        const c = fc(v);
        return c !== c ? NaN : c !== 0 ? fa(v) : fb(v);
      };
    }
    case 'call':
      return buildCall(ir.fn, ir.args);
    case 'projected':
      return buildProjected(ir.root, ir.keys);
    case 'lookup':
      return buildLookup(ir.table, ir.keys);
  }
}

function buildCall(fn: BuiltinFunction, args: Ir[]): CompiledExpression {
  const fs = args.map(build);
  if (args.length === 1 && fn.f1) {
    const f = fn.f1;
    if (args[0].t === 'slot') {
      const i = args[0].slot;
      return (v) => f(v[i]);
    }
    const fa = fs[0];
    return (v) => f(fa(v));
  }
  if (args.length === 2 && fn.f2) {
    const f = fn.f2;
    const [fa, fb] = fs;
    return (v) => f(fa(v), fb(v));
  }
  if (args.length === 3 && fn.f3) {
    const f = fn.f3;
    const [fa, fb, fc] = fs;
    return (v) => f(fa(v), fb(v), fc(v));
  }
  const apply = fn.apply!;
  const buffer = new Float64Array(fs.length);
  const n = fs.length;
  // The buffer is per call site and nothing re-enters a call site while its arguments are evaluated.
  return (v) => {
    for (let k = 0; k < n; k++) buffer[k] = fs[k](v);
    return apply(buffer);
  };
}

function buildProjected(root: Projected, keys: Ir[]): CompiledExpression {
  const fs = keys.map(build);
  const n = fs.length;
  if (n === 0) return () => evaluateProjected(root, EMPTY, 0);
  const buffer = new Float64Array(n);
  if (n === 1) {
    const f0 = fs[0];
    return (v) => {
      buffer[0] = f0(v);
      return evaluateProjected(root, buffer, 0);
    };
  }
  return (v) => {
    for (let k = 0; k < n; k++) buffer[k] = fs[k](v);
    return evaluateProjected(root, buffer, 0);
  };
}
const EMPTY = new Float64Array(0);

function buildLookup(table: CompiledTable, keys: (Ir | string)[]): CompiledExpression {
  const buffer: (number | string)[] = keys.map((k) => (typeof k === 'string' ? k : 0));
  const positions: number[] = [];
  const fs: CompiledExpression[] = [];
  keys.forEach((k, i) => {
    if (typeof k !== 'string') {
      positions.push(i);
      fs.push(build(k));
    }
  });
  const n = fs.length;
  return (v) => {
    for (let k = 0; k < n; k++) buffer[positions[k]] = fs[k](v);
    return table.lookup(buffer);
  };
}

/**
 * Arithmetic closures, written out per operator and operand shape (S = slot, C = constant,
 * F = any closure): a shared closure calling an operator function would not be inlined.
 */
function buildBinary(op: BinaryOperator, a: Ir, b: Ir): CompiledExpression {
  switch (op) {
    case '+':
      return add(a, b);
    case '-':
      return sub(a, b);
    case '*':
      return mul(a, b);
    case '/':
      return div(a, b);
    case '^':
      return pow(a, b);
    default:
      return logical(op, build(a), build(b));
  }
}

function add(a: Ir, b: Ir): CompiledExpression {
  if (a.t === 'slot') {
    const i = a.slot;
    if (b.t === 'slot') {
      const j = b.slot;
      return (v) => v[i] + v[j];
    }
    if (b.t === 'const') {
      const c = b.value;
      return (v) => v[i] + c;
    }
    const fb = build(b);
    return (v) => v[i] + fb(v);
  }
  if (a.t === 'const') {
    const c = a.value;
    if (b.t === 'slot') {
      const j = b.slot;
      return (v) => c + v[j];
    }
    const fb = build(b);
    return (v) => c + fb(v);
  }
  const fa = build(a);
  if (b.t === 'slot') {
    const j = b.slot;
    return (v) => fa(v) + v[j];
  }
  if (b.t === 'const') {
    const c = b.value;
    return (v) => fa(v) + c;
  }
  const fb = build(b);
  return (v) => fa(v) + fb(v);
}

function sub(a: Ir, b: Ir): CompiledExpression {
  if (a.t === 'slot') {
    const i = a.slot;
    if (b.t === 'slot') {
      const j = b.slot;
      return (v) => v[i] - v[j];
    }
    if (b.t === 'const') {
      const c = b.value;
      return (v) => v[i] - c;
    }
    const fb = build(b);
    return (v) => v[i] - fb(v);
  }
  if (a.t === 'const') {
    const c = a.value;
    if (b.t === 'slot') {
      const j = b.slot;
      return (v) => c - v[j];
    }
    const fb = build(b);
    return (v) => c - fb(v);
  }
  const fa = build(a);
  if (b.t === 'slot') {
    const j = b.slot;
    return (v) => fa(v) - v[j];
  }
  if (b.t === 'const') {
    const c = b.value;
    return (v) => fa(v) - c;
  }
  const fb = build(b);
  return (v) => fa(v) - fb(v);
}

function mul(a: Ir, b: Ir): CompiledExpression {
  if (a.t === 'slot') {
    const i = a.slot;
    if (b.t === 'slot') {
      const j = b.slot;
      return (v) => v[i] * v[j];
    }
    if (b.t === 'const') {
      const c = b.value;
      return (v) => v[i] * c;
    }
    const fb = build(b);
    return (v) => v[i] * fb(v);
  }
  if (a.t === 'const') {
    const c = a.value;
    if (b.t === 'slot') {
      const j = b.slot;
      return (v) => c * v[j];
    }
    const fb = build(b);
    return (v) => c * fb(v);
  }
  const fa = build(a);
  if (b.t === 'slot') {
    const j = b.slot;
    return (v) => fa(v) * v[j];
  }
  if (b.t === 'const') {
    const c = b.value;
    return (v) => fa(v) * c;
  }
  const fb = build(b);
  return (v) => fa(v) * fb(v);
}

function div(a: Ir, b: Ir): CompiledExpression {
  if (a.t === 'slot') {
    const i = a.slot;
    if (b.t === 'slot') {
      const j = b.slot;
      return (v) => v[i] / v[j];
    }
    if (b.t === 'const') {
      const c = b.value;
      return (v) => v[i] / c;
    }
    const fb = build(b);
    return (v) => v[i] / fb(v);
  }
  if (a.t === 'const') {
    const c = a.value;
    if (b.t === 'slot') {
      const j = b.slot;
      return (v) => c / v[j];
    }
    const fb = build(b);
    return (v) => c / fb(v);
  }
  const fa = build(a);
  if (b.t === 'slot') {
    const j = b.slot;
    return (v) => fa(v) / v[j];
  }
  if (b.t === 'const') {
    const c = b.value;
    return (v) => fa(v) / c;
  }
  const fb = build(b);
  return (v) => fa(v) / fb(v);
}

function pow(a: Ir, b: Ir): CompiledExpression {
  if (a.t === 'slot') {
    const i = a.slot;
    if (b.t === 'slot') {
      const j = b.slot;
      return (v) => v[i] ** v[j];
    }
    if (b.t === 'const') {
      const c = b.value;
      return (v) => v[i] ** c;
    }
    const fb = build(b);
    return (v) => v[i] ** fb(v);
  }
  if (a.t === 'const') {
    const c = a.value;
    if (b.t === 'slot') {
      const j = b.slot;
      return (v) => c ** v[j];
    }
    const fb = build(b);
    return (v) => c ** fb(v);
  }
  const fa = build(a);
  if (b.t === 'slot') {
    const j = b.slot;
    return (v) => fa(v) ** v[j];
  }
  if (b.t === 'const') {
    const c = b.value;
    return (v) => fa(v) ** c;
  }
  const fb = build(b);
  return (v) => fa(v) ** fb(v);
}

/** Comparisons and logic: one closure per operator; the right operand of && and || is lazy. */
function logical(op: BinaryOperator, fa: CompiledExpression, fb: CompiledExpression): CompiledExpression {
  switch (op) {
    case '<':
      return (v) => {
        const x = fa(v);
        const y = fb(v);
        return x < y ? 1 : x >= y ? 0 : NaN;
      };
    case '<=':
      return (v) => {
        const x = fa(v);
        const y = fb(v);
        return x <= y ? 1 : x > y ? 0 : NaN;
      };
    case '>':
      return (v) => {
        const x = fa(v);
        const y = fb(v);
        return x > y ? 1 : x <= y ? 0 : NaN;
      };
    case '>=':
      return (v) => {
        const x = fa(v);
        const y = fb(v);
        return x >= y ? 1 : x < y ? 0 : NaN;
      };
    case '==':
      return (v) => {
        const x = fa(v);
        const y = fb(v);
        return x === y ? 1 : x !== x || y !== y ? NaN : 0;
      };
    case '!=':
      return (v) => {
        const x = fa(v);
        const y = fb(v);
        return x === y ? 0 : x !== x || y !== y ? NaN : 1;
      };
    case '&&':
      return (v) => {
        const x = fa(v);
        if (x !== x) return NaN;
        if (x === 0) return 0;
        const y = fb(v);
        return y !== y ? NaN : y === 0 ? 0 : 1;
      };
    case '||':
      return (v) => {
        const x = fa(v);
        if (x !== x) return NaN;
        if (x !== 0) return 1;
        const y = fb(v);
        return y !== y ? NaN : y === 0 ? 0 : 1;
      };
    default: {
      const apply = (x: number, y: number) => applyBinary(op, x, y);
      return (v) => apply(fa(v), fb(v));
    }
  }
}

// --- public entry points ----------------------------------------------------------------------

/**
 * Compiles a parsed expression. Throws ExpressionError (with the offending node's position) for
 * unknown names or tables, wrong argument counts, and quoted text used as a number.
 */
export function compileExpression(ast: ExpressionAst, ctx: CompileContext, options: CompileOptions = {}): CompiledExpression {
  const ir = new Lowering(ctx, options.fold !== false).lower(ast);
  return build(ir);
}

const NO_NAMES: CompileContext = { slotOf: () => undefined, table: () => undefined };
const NO_VALUES = new Float64Array(0);

/**
 * Value of an expression that uses no names or tables, e.g. "1/12" or "rate_to_prob(0.1, 5)";
 * undefined when it uses any. Syntax errors still throw ExpressionError.
 */
export function evaluateConstant(text: string): number | undefined {
  const ast = parseExpression(text);
  if (!isConstantExpression(ast)) return undefined;
  return compileExpression(ast, NO_NAMES)(NO_VALUES);
}
