/**
 * Block ("lane") compilation of expressions: one closure evaluates an expression for B lanes (PSA
 * draws) at once, so the cost of the closure calls is shared by the lanes. Values are slot-major:
 * the value of slot i in lane l is `values[i * B + l]`.
 *
 * Same semantics as compile.ts, operation for operation: the same constant folding, the same
 * operators (`applyBinary`) and the same function implementations (functions.ts, evaluateProjected),
 * so every lane gives the bit-identical result of the scalar closure. The one difference: both arms
 * of a conditional and the right operand of && and || are evaluated for every lane, then selected
 * per lane. Expressions are pure, so this changes no value; only a lookup that throws (a table set
 * to reject out-of-range keys) could throw here where the scalar closure would not reach it, and
 * callers then redo the lanes with the scalar closures.
 *
 * No code is generated from text: every closure below is written out here (the renderer runs this under a CSP without unsafe-eval).
 */
import type { BinaryOperator, ExpressionAst } from './ast';
import { applyBinary, lowerExpression, type CompileContext, type Ir } from './compile';
import type { BuiltinFunction } from './functions';
import { evaluateProjected } from './lookup-table';

/** Writes the expression's value for lanes 0..lanes-1 into out[offset + lane]. */
export type LaneExpression = (values: Float64Array, out: Float64Array, offset: number, lanes: number) => void;

const not = (x: number): number => (x !== x ? NaN : x === 0 ? 1 : 0);

// --- lane closures ----------------------------------------------------------------------------

/**
 * An operand of a lane operation: lane l of it is `array[offset + l]`, where array is either the
 * values array (a slot; offset slot * B) or a buffer of the node's own (offset 0). `run`, when
 * present, fills the buffer first.
 */
type Operand = { inValues: boolean; buffer: Float64Array; offset: number; run: ((values: Float64Array, lanes: number) => void) | null };

/**
 * Per-lane memory of recent powers x ^ z, shared by the `^` nodes of one expression. Time-dependent
 * hazards are written as differences of cumulative hazards, e.g. Weibull
 * `(lambda * cycle) ^ gamma - (lambda * (cycle - 1)) ^ gamma`: one cycle's second power is the
 * next cycle's first, and with gamma drawn per lane each power is a costly Math.pow. Two entries per
 * lane, replaced in turn. A hit returns the value computed earlier for the same (x, z) in the same
 * process, so results are bit-identical.
 */
class PowerMemo {
  readonly x: Float64Array;
  readonly z: Float64Array;
  readonly y: Float64Array;
  readonly turn: Uint8Array;
  constructor(B: number) {
    this.x = new Float64Array(2 * B).fill(NaN);
    this.z = new Float64Array(2 * B).fill(NaN);
    this.y = new Float64Array(2 * B);
    this.turn = new Uint8Array(B);
  }
}

class LaneBuilder {
  private memo: PowerMemo | null = null;
  constructor(private readonly B: number) {}

  powerMemo(): PowerMemo {
    if (this.memo === null) this.memo = new PowerMemo(this.B);
    return this.memo;
  }

  operand(ir: Ir): Operand {
    const B = this.B;
    if (ir.t === 'slot') return { inValues: true, buffer: EMPTY, offset: ir.slot * B, run: null };
    if (ir.t === 'const') return { inValues: false, buffer: new Float64Array(B).fill(ir.value), offset: 0, run: null };
    const buffer = new Float64Array(B);
    const write = this.writer(ir);
    return { inValues: false, buffer, offset: 0, run: (values, lanes) => write(values, buffer, 0, lanes) };
  }

  /** A closure writing the value of `ir` for each lane to out[offset + lane]. */
  writer(ir: Ir): LaneExpression {
    switch (ir.t) {
      case 'const': {
        const c = ir.value;
        return (_v, out, o, lanes) => {
          for (let l = 0; l < lanes; l++) out[o + l] = c;
        };
      }
      case 'slot': {
        const i = ir.slot * this.B;
        return (v, out, o, lanes) => {
          for (let l = 0; l < lanes; l++) out[o + l] = v[i + l];
        };
      }
      case 'neg': {
        const a = this.operand(ir.a);
        return (v, out, o, lanes) => {
          if (a.run !== null) a.run(v, lanes);
          const A = a.inValues ? v : a.buffer;
          const ao = a.offset;
          for (let l = 0; l < lanes; l++) out[o + l] = -A[ao + l];
        };
      }
      case 'not': {
        const a = this.operand(ir.a);
        return (v, out, o, lanes) => {
          if (a.run !== null) a.run(v, lanes);
          const A = a.inValues ? v : a.buffer;
          const ao = a.offset;
          for (let l = 0; l < lanes; l++) out[o + l] = not(A[ao + l]);
        };
      }
      case 'bin':
        return binary(ir.op, this.operand(ir.a), this.operand(ir.b), ir.op === '^' ? this.powerMemo() : null);
      case 'cond': {
        const c = this.operand(ir.c);
        const a = this.operand(ir.a);
        const b = this.operand(ir.b);
        return (v, out, o, lanes) => {
          if (c.run !== null) c.run(v, lanes);
          const C = c.inValues ? v : c.buffer;
          const co = c.offset;
          // When every lane takes the same arm (the usual case), only that arm is evaluated.
          let ones = 0;
          let zeros = 0;
          for (let l = 0; l < lanes; l++) {
            const x = C[co + l];
            if (x === 0) zeros++;
            else if (x === x) ones++;
          }
          const arm = ones === lanes ? a : zeros === lanes ? b : null;
          if (arm !== null) {
            if (arm.run !== null) arm.run(v, lanes);
            const X = arm.inValues ? v : arm.buffer;
            const xo = arm.offset;
            for (let l = 0; l < lanes; l++) out[o + l] = X[xo + l];
            return;
          }
          if (a.run !== null) a.run(v, lanes);
          if (b.run !== null) b.run(v, lanes);
          const A = a.inValues ? v : a.buffer;
          const Bv = b.inValues ? v : b.buffer;
          const ao = a.offset;
          const bo = b.offset;
          for (let l = 0; l < lanes; l++) {
            const x = C[co + l];
            out[o + l] = x !== x ? NaN : x !== 0 ? A[ao + l] : Bv[bo + l];
          }
        };
      }
      case 'call':
        return this.call(ir.fn, ir.args.map((arg) => this.operand(arg)));
      case 'projected': {
        const root = ir.root;
        const keys = ir.keys.map((k) => this.operand(k));
        const n = keys.length;
        const buffer = new Float64Array(n);
        return (v, out, o, lanes) => {
          for (let k = 0; k < n; k++) if (keys[k].run !== null) keys[k].run!(v, lanes);
          let py = NaN;
          for (let l = 0; l < lanes; l++) {
            let changed = l === 0;
            for (let k = 0; k < n; k++) {
              const key = keys[k];
              const x = (key.inValues ? v : key.buffer)[key.offset + l];
              if (!same(x, buffer[k])) {
                buffer[k] = x;
                changed = true;
              }
            }
            if (changed) py = evaluateProjected(root, buffer, 0);
            out[o + l] = py;
          }
        };
      }
      case 'lookup': {
        const table = ir.table;
        const args: (number | string)[] = ir.keys.map((k) => (typeof k === 'string' ? k : 0));
        const positions: number[] = [];
        const keys: Operand[] = [];
        ir.keys.forEach((k, i) => {
          if (typeof k !== 'string') {
            positions.push(i);
            keys.push(this.operand(k));
          }
        });
        const n = keys.length;
        return (v, out, o, lanes) => {
          for (let k = 0; k < n; k++) if (keys[k].run !== null) keys[k].run!(v, lanes);
          for (let l = 0; l < lanes; l++) {
            for (let k = 0; k < n; k++) {
              const key = keys[k];
              args[positions[k]] = (key.inValues ? v : key.buffer)[key.offset + l];
            }
            out[o + l] = table.lookup(args);
          }
        };
      }
    }
  }

  private call(fn: BuiltinFunction, args: Operand[]): LaneExpression {
    if (args.length === 1 && fn.f1) {
      const f = fn.f1;
      const a = args[0];
      return (v, out, o, lanes) => {
        if (a.run !== null) a.run(v, lanes);
        const A = a.inValues ? v : a.buffer;
        const ao = a.offset;
        let px = NaN;
        let py = NaN;
        for (let l = 0; l < lanes; l++) {
          const x = A[ao + l];
          if (!same(x, px)) {
            px = x;
            py = f(x);
          }
          out[o + l] = py;
        }
      };
    }
    if (args.length === 2 && fn.f2) {
      const f = fn.f2;
      const [a, b] = args;
      return (v, out, o, lanes) => {
        if (a.run !== null) a.run(v, lanes);
        if (b.run !== null) b.run(v, lanes);
        const A = a.inValues ? v : a.buffer;
        const Bv = b.inValues ? v : b.buffer;
        const ao = a.offset;
        const bo = b.offset;
        let px = NaN;
        let pz = NaN;
        let py = NaN;
        for (let l = 0; l < lanes; l++) {
          const x = A[ao + l];
          const z = Bv[bo + l];
          if (!same(x, px) || !same(z, pz)) {
            px = x;
            pz = z;
            py = f(x, z);
          }
          out[o + l] = py;
        }
      };
    }
    if (args.length === 3 && fn.f3) {
      const f = fn.f3;
      const [a, b, c] = args;
      return (v, out, o, lanes) => {
        if (a.run !== null) a.run(v, lanes);
        if (b.run !== null) b.run(v, lanes);
        if (c.run !== null) c.run(v, lanes);
        const A = a.inValues ? v : a.buffer;
        const Bv = b.inValues ? v : b.buffer;
        const C = c.inValues ? v : c.buffer;
        const ao = a.offset;
        const bo = b.offset;
        const co = c.offset;
        for (let l = 0; l < lanes; l++) out[o + l] = f(A[ao + l], Bv[bo + l], C[co + l]);
      };
    }
    const apply = fn.apply!;
    const n = args.length;
    const buffer = new Float64Array(n);
    return (v, out, o, lanes) => {
      for (let k = 0; k < n; k++) if (args[k].run !== null) args[k].run!(v, lanes);
      for (let l = 0; l < lanes; l++) {
        for (let k = 0; k < n; k++) {
          const a = args[k];
          buffer[k] = (a.inValues ? v : a.buffer)[a.offset + l];
        }
        out[o + l] = apply(buffer);
      }
    };
  }
}
const EMPTY = new Float64Array(0);

/**
 * Same bits for a pure function's purposes: lanes often share an argument (a parameter that is not
 * drawn, the cycle), and then the previous lane's result is reused. NaN is never "same" (so it is
 * recomputed), and 0 and -0 are told apart (expm1(-0) is -0).
 */
export function same(x: number, y: number): boolean {
  return x === y && (x !== 0 || 1 / x === 1 / y);
}

/** One closure per operator, each with its own loop (a shared operator function would not be inlined). */
function binary(op: BinaryOperator, a: Operand, b: Operand, memo: PowerMemo | null): LaneExpression {
  const prepare = (v: Float64Array, lanes: number) => {
    if (a.run !== null) a.run(v, lanes);
    if (b.run !== null) b.run(v, lanes);
  };
  const ao = a.offset;
  const bo = b.offset;
  const aV = a.inValues;
  const bV = b.inValues;
  const aB = a.buffer;
  const bB = b.buffer;
  switch (op) {
    case '+':
      return (v, out, o, lanes) => {
        prepare(v, lanes);
        const A = aV ? v : aB;
        const Bv = bV ? v : bB;
        for (let l = 0; l < lanes; l++) out[o + l] = A[ao + l] + Bv[bo + l];
      };
    case '-':
      return (v, out, o, lanes) => {
        prepare(v, lanes);
        const A = aV ? v : aB;
        const Bv = bV ? v : bB;
        for (let l = 0; l < lanes; l++) out[o + l] = A[ao + l] - Bv[bo + l];
      };
    case '*':
      return (v, out, o, lanes) => {
        prepare(v, lanes);
        const A = aV ? v : aB;
        const Bv = bV ? v : bB;
        for (let l = 0; l < lanes; l++) out[o + l] = A[ao + l] * Bv[bo + l];
      };
    case '/':
      return (v, out, o, lanes) => {
        prepare(v, lanes);
        const A = aV ? v : aB;
        const Bv = bV ? v : bB;
        for (let l = 0; l < lanes; l++) out[o + l] = A[ao + l] / Bv[bo + l];
      };
    case '^': {
      const { x: mx, z: mz, y: my, turn } = memo!;
      return (v, out, o, lanes) => {
        prepare(v, lanes);
        const A = aV ? v : aB;
        const Bv = bV ? v : bB;
        let px = NaN;
        let pz = NaN;
        let py = NaN;
        for (let l = 0; l < lanes; l++) {
          const x = A[ao + l];
          const z = Bv[bo + l];
          // The previous lane's power (lanes often share both operands), else this lane's memory.
          if (!same(x, px) || !same(z, pz)) {
            px = x;
            pz = z;
            const m = 2 * l;
            if (same(x, mx[m]) && same(z, mz[m])) py = my[m];
            else if (same(x, mx[m + 1]) && same(z, mz[m + 1])) py = my[m + 1];
            else {
              py = x ** z;
              const k = m + turn[l];
              mx[k] = x;
              mz[k] = z;
              my[k] = py;
              turn[l] ^= 1;
            }
          }
          out[o + l] = py;
        }
      };
    }
    // Comparisons written out (as applyBinary defines them): the generic path's switch per lane
    // was a measurable share of time-dependent models (`if(cycle <= n, ...)`).
    case '<':
      return (v, out, o, lanes) => {
        prepare(v, lanes);
        const A = aV ? v : aB;
        const Bv = bV ? v : bB;
        for (let l = 0; l < lanes; l++) {
          const x = A[ao + l];
          const y = Bv[bo + l];
          out[o + l] = x < y ? 1 : x >= y ? 0 : NaN;
        }
      };
    case '<=':
      return (v, out, o, lanes) => {
        prepare(v, lanes);
        const A = aV ? v : aB;
        const Bv = bV ? v : bB;
        for (let l = 0; l < lanes; l++) {
          const x = A[ao + l];
          const y = Bv[bo + l];
          out[o + l] = x <= y ? 1 : x > y ? 0 : NaN;
        }
      };
    case '>':
      return (v, out, o, lanes) => {
        prepare(v, lanes);
        const A = aV ? v : aB;
        const Bv = bV ? v : bB;
        for (let l = 0; l < lanes; l++) {
          const x = A[ao + l];
          const y = Bv[bo + l];
          out[o + l] = x > y ? 1 : x <= y ? 0 : NaN;
        }
      };
    case '>=':
      return (v, out, o, lanes) => {
        prepare(v, lanes);
        const A = aV ? v : aB;
        const Bv = bV ? v : bB;
        for (let l = 0; l < lanes; l++) {
          const x = A[ao + l];
          const y = Bv[bo + l];
          out[o + l] = x >= y ? 1 : x < y ? 0 : NaN;
        }
      };
    default:
      return (v, out, o, lanes) => {
        prepare(v, lanes);
        const A = aV ? v : aB;
        const Bv = bV ? v : bB;
        for (let l = 0; l < lanes; l++) out[o + l] = applyBinary(op, A[ao + l], Bv[bo + l]);
      };
  }
}

/**
 * A lane expression with what a block evaluator needs to skip work: the slots it reads (ascending,
 * without repeats; when every one of them holds the same value in all lanes, so does the
 * expression, which is pure, and it may be evaluated for one lane only), and, when its top node is
 * a conditional, the condition and both arms as programs of their own (a condition on uniform
 * slots, such as `cycle <= duration`, then picks one arm for all lanes).
 */
export type LaneProgram = {
  fn: LaneExpression;
  reads: Int32Array;
  cond: { c: LaneProgram; a: LaneProgram; b: LaneProgram } | null;
};

function slotsRead(ir: Ir): Int32Array {
  const slots = new Set<number>();
  const visit = (x: Ir | string): void => {
    if (typeof x === 'string') return;
    switch (x.t) {
      case 'const':
        return;
      case 'slot':
        slots.add(x.slot);
        return;
      case 'neg':
      case 'not':
        visit(x.a);
        return;
      case 'bin':
        visit(x.a);
        visit(x.b);
        return;
      case 'cond':
        visit(x.c);
        visit(x.a);
        visit(x.b);
        return;
      case 'call':
        x.args.forEach(visit);
        return;
      case 'projected':
      case 'lookup':
        x.keys.forEach(visit);
        return;
    }
  };
  visit(ir);
  return Int32Array.from([...slots].sort((a, b) => a - b));
}

function laneProgram(builder: LaneBuilder, ir: Ir): LaneProgram {
  return {
    fn: builder.writer(ir),
    reads: slotsRead(ir),
    cond: ir.t === 'cond' ? { c: laneProgram(builder, ir.c), a: laneProgram(builder, ir.a), b: laneProgram(builder, ir.b) } : null,
  };
}

/**
 * Compiles an expression into a LaneProgram for blocks of up to `lanes` lanes (values slot-major
 * with stride `lanes`). Throws ExpressionError where compile.ts would (callers compile with
 * compile.ts first).
 */
export function compileLaneProgram(ast: ExpressionAst, ctx: CompileContext, lanes: number): LaneProgram {
  return laneProgram(new LaneBuilder(lanes), lowerExpression(ast, ctx));
}
