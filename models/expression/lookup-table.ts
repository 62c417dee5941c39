/**
 * Lookup tables (`lookup(table, key1, ...)` in expressions), e.g. life tables by age and sex.
 *
 * Rows are pre-indexed into a trie, one level per key column: numeric columns hold sorted key
 * arrays searched by bisection (or direct indexing when evenly spaced, as ages usually are),
 * text columns hold a Map. Because expressions can only pass text keys as literals, the compiler
 * resolves text keys once ("projects" the trie) and at run time only numeric levels are searched.
 *
 * Matching of numeric keys:
 * - `floor`: the row with the largest key <= the value (ages: 45.7 uses the row for 45);
 * - `exact`: the value must equal a row key;
 * - `linear`: linear interpolation on the last numeric key column; earlier numeric columns use floor.
 * Text keys match exactly and select rows first; a numeric key's range is that of the selected
 * rows. Values outside it are clamped to the first/last row (`clamp`) or rejected (`error`).
 * A NaN key gives NaN (the engine reports non-finite results). Validation errors name the row as
 * `rows[i]` (0-based, as in the model file).
 */

export type KeyKind = 'number' | 'string';

export type CompiledTable = {
  id: string;
  keyCount: number;
  lookup(keys: ReadonlyArray<number | string>): number;
  /** Key column names; optional so that other implementations may omit them. Used in messages. */
  readonly keys?: ReadonlyArray<string>;
  /** Kind of each key column; when present the compiler checks arguments against it. */
  readonly keyKinds?: ReadonlyArray<KeyKind>;
};

export type LookupTableSpec = {
  id: string;
  keys: string[];
  match?: 'floor' | 'exact' | 'linear';
  outOfRange?: 'clamp' | 'error';
  rows: (number | string)[][];
};

// --- trie over all key columns ---------------------------------------------------------------

type Trie =
  | { kind: 'number'; keys: Float64Array; children: Trie[] }
  | { kind: 'string'; column: number; children: Map<string, Trie> }
  | { kind: 'value'; value: number };

// --- trie with the text columns resolved: only numeric levels remain --------------------------

const NUM = 0;
const VALUE = 1;
const MISSING = 2;
const FLOOR = 0;
const EXACT = 1;
const LINEAR = 2;

type NumericLevel = {
  kind: typeof NUM;
  mode: number;
  clamp: boolean;
  keys: Float64Array;
  /** > 0 when keys are evenly spaced: the first guess of an index is then (x - keys[0]) / step. */
  step: number;
  children: Projected[];
  /** Set when every child is a plain value (the last level), to skip a hop. */
  values: Float64Array | null;
  tableId: string;
  keyName: string;
};
export type Projected = NumericLevel | { kind: typeof VALUE; value: number } | { kind: typeof MISSING; message: string };

function evenStep(keys: Float64Array): number {
  const n = keys.length;
  if (n < 3) return 0;
  const step = (keys[n - 1] - keys[0]) / (n - 1);
  if (!(step > 0) || !Number.isFinite(step)) return 0;
  for (let i = 1; i < n - 1; i++) {
    if (Math.abs(keys[i] - (keys[0] + i * step)) > step * 1e-6) return 0;
  }
  return step;
}

/** Largest i with keys[i] <= x, for keys[0] <= x <= keys[last]. */
function floorIndex(level: NumericLevel, x: number): number {
  const keys = level.keys;
  const n = keys.length;
  if (level.step > 0) {
    let i = Math.floor((x - keys[0]) / level.step);
    if (i >= n) i = n - 1;
    else if (i < 0) i = 0;
    while (i > 0 && keys[i] > x) i--;
    while (i + 1 < n && keys[i + 1] <= x) i++;
    return i;
  }
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (keys[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function child(level: NumericLevel, i: number, nums: ArrayLike<number>, k: number): number {
  const values = level.values;
  if (values !== null) return values[i];
  return evaluateProjected(level.children[i], nums, k + 1);
}

/** The reason a projection has no rows, or undefined if it has some. */
export function projectionProblem(node: Projected): string | undefined {
  return node.kind === MISSING ? node.message : undefined;
}

/** Value of a projected table for the numeric keys `nums[k]`, `nums[k + 1]`, ... */
export function evaluateProjected(node: Projected, nums: ArrayLike<number>, k = 0): number {
  if (node.kind !== NUM) {
    if (node.kind === VALUE) return node.value;
    throw new Error(node.message);
  }
  let x = nums[k];
  const keys = node.keys;
  const last = keys.length - 1;
  if (!(x >= keys[0] && x <= keys[last])) {
    if (x !== x) return NaN;
    if (!node.clamp) {
      throw new Error(`value ${x} is outside table ${node.tableId}'s range ${keys[0]}..${keys[last]} for key ${node.keyName}`);
    }
    x = x < keys[0] ? keys[0] : keys[last];
  }
  const i = floorIndex(node, x);
  if (keys[i] === x || node.mode === FLOOR) return child(node, i, nums, k);
  if (node.mode === EXACT) throw new Error(`table ${node.tableId} has no row with ${node.keyName} = ${x}`);
  // LINEAR, strictly between keys[i] and keys[i + 1].
  const t = (x - keys[i]) / (keys[i + 1] - keys[i]);
  const a = child(node, i, nums, k);
  const b = child(node, i + 1, nums, k);
  return a + t * (b - a);
}

function describeRow(id: string, index: number): string {
  return `table '${id}' rows[${index}]`;
}

class LookupTableImpl implements CompiledTable {
  readonly id: string;
  readonly keyCount: number;
  readonly keys: ReadonlyArray<string>;
  readonly keyKinds: ReadonlyArray<KeyKind>;
  /** Text values present in each text column (empty sets for numeric columns). */
  readonly categories: ReadonlyArray<ReadonlySet<string>>;
  readonly numericKeyCount: number;
  private readonly modes: number[];
  private readonly clamp: boolean;
  private readonly root: Trie;
  private readonly projections = new Map<string, Projected>();
  private readonly scratch: Float64Array;

  constructor(spec: LookupTableSpec) {
    if (spec === null || typeof spec !== 'object') throw new Error('table must be an object');
    const id = spec.id;
    if (typeof id !== 'string' || id === '') throw new Error('table id must be non-empty text');
    if (!Array.isArray(spec.keys) || spec.keys.length === 0 || !spec.keys.every((k) => typeof k === 'string')) {
      throw new Error(`table '${id}' needs at least one key column name`);
    }
    const match = spec.match ?? 'floor';
    if (match !== 'floor' && match !== 'exact' && match !== 'linear') {
      throw new Error(`table '${id}': match must be 'floor', 'exact' or 'linear'`);
    }
    const outOfRange = spec.outOfRange ?? 'clamp';
    if (outOfRange !== 'clamp' && outOfRange !== 'error') {
      throw new Error(`table '${id}': outOfRange must be 'clamp' or 'error'`);
    }
    const rows = spec.rows;
    if (!Array.isArray(rows) || rows.length === 0) throw new Error(`table '${id}' has no rows`);

    const keyCount = spec.keys.length;
    const kinds: KeyKind[] = [];
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      if (!Array.isArray(row) || row.length !== keyCount + 1) {
        const got = Array.isArray(row) ? `${row.length} values` : 'no list of values';
        throw new Error(`${describeRow(id, r)} has ${got}; expected ${keyCount + 1} (${spec.keys.join(', ')}, value)`);
      }
      const value = row[keyCount];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new Error(`${describeRow(id, r)}: the value (last entry) must be a finite number`);
      }
      for (let c = 0; c < keyCount; c++) {
        const key = row[c];
        const kind = typeof key;
        if (kind !== 'number' && kind !== 'string') {
          throw new Error(`${describeRow(id, r)}: key '${spec.keys[c]}' must be a number or text`);
        }
        if (r === 0) kinds.push(kind as KeyKind);
        else if (kind !== kinds[c]) {
          throw new Error(
            `${describeRow(id, r)}: key '${spec.keys[c]}' must be ${kinds[c] === 'number' ? 'a number' : 'text'}, as in rows[0]`,
          );
        }
        if (kind === 'number' && !Number.isFinite(key)) {
          throw new Error(`${describeRow(id, r)}: key '${spec.keys[c]}' must be a finite number`);
        }
      }
    }

    this.id = id;
    this.keyCount = keyCount;
    this.keys = Object.freeze([...spec.keys]);
    this.keyKinds = Object.freeze(kinds);
    this.clamp = outOfRange === 'clamp';
    const lastNumeric = kinds.lastIndexOf('number');
    this.modes = kinds.map((_, c) => (match === 'exact' ? EXACT : match === 'linear' && c === lastNumeric ? LINEAR : FLOOR));
    this.numericKeyCount = kinds.filter((k) => k === 'number').length;
    this.scratch = new Float64Array(this.numericKeyCount);
    this.categories = kinds.map((kind, c) => new Set(kind === 'string' ? rows.map((row) => row[c] as string) : []));
    this.root = this.build(rows, rows.map((_, i) => i), 0);
  }

  private build(rows: (number | string)[][], indices: number[], column: number): Trie {
    if (column === this.keyCount) {
      if (indices.length > 1) throw new Error(`${describeRow(this.id, indices[1])} has the same keys as rows[${indices[0]}]`);
      return { kind: 'value', value: rows[indices[0]][column] as number };
    }
    if (this.keyKinds[column] === 'string') {
      const groups = new Map<string, number[]>();
      for (const i of indices) {
        const key = rows[i][column] as string;
        const group = groups.get(key);
        if (group) group.push(i);
        else groups.set(key, [i]);
      }
      const children = new Map<string, Trie>();
      for (const [key, group] of groups) children.set(key, this.build(rows, group, column + 1));
      return { kind: 'string', column, children };
    }
    const groups = new Map<number, number[]>();
    for (const i of indices) {
      const key = rows[i][column] as number;
      const group = groups.get(key);
      if (group) group.push(i);
      else groups.set(key, [i]);
    }
    const keys = Float64Array.from(groups.keys()).sort();
    return { kind: 'number', keys, children: Array.from(keys, (k) => this.build(rows, groups.get(k)!, column + 1)) };
  }

  /**
   * The table restricted to the rows whose text columns equal `text[c]` (for each text column c),
   * leaving a trie over the numeric columns: numeric ranges are then those of the matching rows
   * (e.g. a male life table ending at 90 clamps at 90 even if the female one goes to 100).
   * Memoised: expressions share projections.
   */
  project(text: ReadonlyArray<string | undefined>): Projected {
    const memoKey = JSON.stringify(text);
    const memoised = this.projections.get(memoKey);
    if (memoised !== undefined) return memoised;
    let projected = this.projectNode(this.root, text, 0);
    if (projected === null) {
      const given = this.keys.flatMap((name, c) => (this.keyKinds[c] === 'string' ? [`${name} = "${text[c] ?? ''}"`] : []));
      projected = { kind: MISSING, message: `table ${this.id} has no row with ${given.join(' and ')}` };
    }
    // Bounded so that arbitrary keys passed to lookup() cannot grow memory without limit.
    if (this.projections.size < 1000) this.projections.set(memoKey, projected);
    return projected;
  }

  /** null when no row matches the text keys. */
  private projectNode(node: Trie, text: ReadonlyArray<string | undefined>, column: number): Projected | null {
    switch (node.kind) {
      case 'value':
        return { kind: VALUE, value: node.value };
      case 'string': {
        const next = node.children.get(text[node.column] ?? '');
        return next === undefined ? null : this.projectNode(next, text, column + 1);
      }
      case 'number': {
        const keys: number[] = [];
        const children: Projected[] = [];
        node.children.forEach((c, i) => {
          const projected = this.projectNode(c, text, column + 1);
          if (projected !== null) {
            keys.push(node.keys[i]);
            children.push(projected);
          }
        });
        if (children.length === 0) return null;
        const keyArray = keys.length === node.keys.length ? node.keys : Float64Array.from(keys);
        const allValues = children.every((c) => c.kind === VALUE);
        return {
          kind: NUM,
          mode: this.modes[column],
          clamp: this.clamp,
          keys: keyArray,
          step: evenStep(keyArray),
          children,
          values: allValues ? Float64Array.from(children, (c) => (c as { value: number }).value) : null,
          tableId: this.id,
          keyName: this.keys[column],
        };
      }
    }
  }

  lookup(keys: ReadonlyArray<number | string>): number {
    if (!Array.isArray(keys) || keys.length !== this.keyCount) {
      throw new Error(`table ${this.id} takes ${this.keyCount} key${this.keyCount === 1 ? '' : 's'}, got ${Array.isArray(keys) ? keys.length : 0}`);
    }
    const text: (string | undefined)[] = [];
    let k = 0;
    for (let c = 0; c < this.keyCount; c++) {
      const key = keys[c];
      if (this.keyKinds[c] === 'string') {
        if (typeof key !== 'string') throw new Error(`table ${this.id} key ${this.keys[c]} takes text, got ${String(key)}`);
        text.push(key);
      } else {
        if (typeof key !== 'number') throw new Error(`table ${this.id} key ${this.keys[c]} takes a number, got "${String(key)}"`);
        text.push(undefined);
        this.scratch[k++] = key;
      }
    }
    return evaluateProjected(this.project(text), this.scratch, 0);
  }
}

export type { LookupTableImpl };

/** Validates and indexes a table. Throws a plain Error naming the offending row (0-based `rows[i]`). */
export function compileTable(table: LookupTableSpec): CompiledTable {
  return new LookupTableImpl(table);
}

/** The indexed implementation behind a table made by compileTable, for the compiler's fast path. */
export function tableInternals(table: CompiledTable): LookupTableImpl | undefined {
  return table instanceof LookupTableImpl ? table : undefined;
}
