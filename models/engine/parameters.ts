/**
 * Parameter programs: the parameter definitions that apply to one strategy (after scenario,
 * subgroup and strategy overrides), ordered by dependency and split by what they depend on, so
 * that a PSA draw re-evaluates only what changes: static parameters once per evaluation,
 * time-dependent ones once per cycle, and state-time-dependent ones once per tunnel position.
 */
import type { ModelFile, Overrides } from '../schema/model-file';
import { type ModelIssue, issue } from '../schema/model-issue';
import {
  type CompileContext,
  type CompiledExpression,
  type CompiledTable,
  type ExpressionAst,
  ExpressionError,
  compileExpression,
  compileTable,
  freeIdentifiers,
  parseExpression,
  referencedTables,
} from '../expression';

/** Slots of the built-in variables in the values array; parameters follow. */
export const SLOT = { cycle: 0, time: 1, state_time: 2, cycle_years: 3 } as const;
export const FIRST_PARAMETER_SLOT = 4;
const BUILTIN_NAMES = new Map<string, number>(Object.entries(SLOT));

export type JsonPath = ReadonlyArray<string | number>;

/** A number or expression written somewhere in the model, compiled for one strategy. */
export type Site = {
  /** Constant value when the site does not depend on anything evaluated per draw. */
  readonly constant: number | undefined;
  readonly fn: CompiledExpression;
  readonly timeDependent: boolean;
  readonly stateTimeDependent: boolean;
  readonly path: JsonPath;
  readonly text: string;
};

type Definition =
  | { kind: 'input'; index: number; path: JsonPath }
  | { kind: 'number'; value: number; path: JsonPath }
  | { kind: 'expression'; ast: ExpressionAst; text: string; path: JsonPath };

export type ProgramStep = {
  readonly slot: number;
  readonly parameter: string;
  /** Index into the inputs vector for base numeric parameters (or replaced expression parameters). */
  readonly inputIndex: number;
  readonly fn: CompiledExpression | null;
  readonly constant: number | undefined;
  readonly path: JsonPath;
  readonly replaceable: boolean;
};

export type ParameterProgram = {
  readonly slotCount: number;
  readonly staticSteps: ProgramStep[];
  readonly cycleSteps: ProgramStep[];
  readonly stateTimeSteps: ProgramStep[];
  readonly context: CompileContext;
  /** Which parameters depend (directly or not) on cycle/time, and on state_time. */
  readonly timeDependent: ReadonlySet<string>;
  readonly stateTimeDependent: ReadonlySet<string>;
};

/** Parsed expressions shared by all strategies of a model (each text is parsed once). */
export class ExpressionCache {
  private readonly asts = new Map<string, ExpressionAst | ExpressionError>();
  parse(text: string): ExpressionAst | ExpressionError {
    let ast = this.asts.get(text);
    if (ast === undefined) {
      try {
        ast = parseExpression(text);
      } catch (error) {
        ast = error instanceof ExpressionError ? error : new ExpressionError(String(error), 0);
      }
      this.asts.set(text, ast);
    }
    return ast;
  }
}

export type OverrideLayer = { overrides: Overrides | undefined; path: JsonPath };

export type ModelSymbols = {
  parameterIndex: Map<string, number>;
  tables: Map<string, CompiledTable>;
};

export function buildSymbols(model: ModelFile, issues: ModelIssue[]): ModelSymbols {
  const parameterIndex = new Map<string, number>();
  model.parameters.forEach((p, i) => {
    if (parameterIndex.has(p.id)) issues.push(issue(['parameters', i, 'id'], `duplicate parameter id '${p.id}'`, p.id));
    else parameterIndex.set(p.id, i);
  });
  const tables = new Map<string, CompiledTable>();
  model.tables.forEach((t, i) => {
    if (parameterIndex.has(t.id)) issues.push(issue(['tables', i, 'id'], `table id '${t.id}' is also a parameter id`));
    if (tables.has(t.id)) {
      issues.push(issue(['tables', i, 'id'], `duplicate table id '${t.id}'`));
      return;
    }
    try {
      tables.set(t.id, compileTable(t));
    } catch (error) {
      issues.push(issue(['tables', i, 'rows'], error instanceof Error ? error.message : String(error)));
    }
  });
  return { parameterIndex, tables };
}

/**
 * Compile the parameter program for one strategy. Layers are applied in order, later ones winning
 * (strategy overrides, then subgroup, then scenario; see docs/model-file-format.md). Problems go to
 * `issues`; a program is returned even then, so that the rest of the model is still checked.
 */
export function compileParameterProgram(
  model: ModelFile,
  symbols: ModelSymbols,
  cache: ExpressionCache,
  layers: OverrideLayer[],
  issues: ModelIssue[],
): ParameterProgram {
  const { parameterIndex, tables } = symbols;
  const definitions: Definition[] = model.parameters.map((p, i) => {
    const path = ['parameters', i, 'value'];
    return typeof p.value === 'number' ? { kind: 'input', index: i, path } : toDefinition(p.value, path, cache, issues, p.id, i);
  });
  for (const layer of layers) {
    if (!layer.overrides) continue;
    for (const [id, value] of Object.entries(layer.overrides)) {
      const index = parameterIndex.get(id);
      const path = [...layer.path, id];
      if (index === undefined) {
        issues.push(issue(path, `overrides unknown parameter '${id}'`, id));
        continue;
      }
      definitions[index] = typeof value === 'number' ? { kind: 'number', value, path } : toDefinition(value, path, cache, issues, id, index);
    }
  }

  const context: CompileContext = {
    slotOf: (name) => BUILTIN_NAMES.get(name) ?? (parameterIndex.has(name) ? FIRST_PARAMETER_SLOT + parameterIndex.get(name)! : undefined),
    table: (id) => tables.get(id),
  };

  // Dependencies, checked for unknown names and reference cycles.
  const ids = model.parameters.map((p) => p.id);
  const deps: number[][] = definitions.map(() => []);
  const usesTime = new Array<boolean>(ids.length).fill(false);
  const usesStateTime = new Array<boolean>(ids.length).fill(false);
  let ok = true;
  definitions.forEach((def, i) => {
    if (def.kind !== 'expression') return;
    for (const name of freeIdentifiers(def.ast)) {
      if (name === 'cycle' || name === 'time') usesTime[i] = true;
      else if (name === 'state_time') usesStateTime[i] = true;
      else if (name === 'cycle_years') continue;
      else if (parameterIndex.has(name)) deps[i].push(parameterIndex.get(name)!);
      else {
        issues.push(issue(def.path, unknownNameMessage(name, tables), ids[i]));
        ok = false;
      }
    }
    for (const t of referencedTables(def.ast)) {
      if (!tables.has(t)) {
        issues.push(issue(def.path, `unknown lookup table '${t}'`, ids[i]));
        ok = false;
      }
    }
  });
  // With a reference cycle there is no valid order; carry on in file order so that structural
  // problems elsewhere (transitions, trees) are still reported in the same pass.
  const order = topologicalOrder(ids, deps, definitions, issues) ?? ids.map((_, i) => i);

  const timeDependent = new Set<string>();
  const stateTimeDependent = new Set<string>();
  const isTime = new Array<boolean>(ids.length).fill(false);
  const isStateTime = new Array<boolean>(ids.length).fill(false);
  for (const i of order) {
    isTime[i] = usesTime[i] || deps[i].some((d) => isTime[d]);
    isStateTime[i] = usesStateTime[i] || deps[i].some((d) => isStateTime[d]);
    if (isTime[i]) timeDependent.add(ids[i]);
    if (isStateTime[i]) stateTimeDependent.add(ids[i]);
  }

  const staticSteps: ProgramStep[] = [];
  const cycleSteps: ProgramStep[] = [];
  const stateTimeSteps: ProgramStep[] = [];
  for (const i of order) {
    const def = definitions[i];
    let step: ProgramStep;
    const base = { slot: FIRST_PARAMETER_SLOT + i, parameter: ids[i], inputIndex: i, path: def.path };
    if (def.kind === 'input') step = { ...base, fn: null, constant: undefined, replaceable: true };
    else if (def.kind === 'number') step = { ...base, fn: null, constant: def.value, replaceable: false };
    else {
      let fn: CompiledExpression;
      try {
        fn = compileExpression(def.ast, context);
      } catch (error) {
        // Reported unknown names fail here again; report only what is new.
        if (ok) issues.push(issue(def.path, expressionMessage(error, def.text), ids[i]));
        fn = () => NaN;
      }
      // An expression written in the base file may still be replaced by a PSA draw or DSA value.
      const replaceable = def.path[0] === 'parameters';
      step = { ...base, fn, constant: undefined, replaceable };
    }
    if (isStateTime[i]) stateTimeSteps.push(step);
    else if (isTime[i]) cycleSteps.push(step);
    else staticSteps.push(step);
  }
  return {
    slotCount: FIRST_PARAMETER_SLOT + ids.length,
    staticSteps,
    cycleSteps,
    stateTimeSteps,
    context,
    timeDependent,
    stateTimeDependent,
  };
}

function toDefinition(
  text: string,
  path: JsonPath,
  cache: ExpressionCache,
  issues: ModelIssue[],
  parameter: string,
  index: number,
): Definition {
  const ast = cache.parse(text);
  if (ast instanceof ExpressionError) {
    issues.push(issue(path, expressionMessage(ast, text), parameter));
    return { kind: 'input', index, path }; // placeholder; compilation fails because an issue was recorded
  }
  return { kind: 'expression', ast, text, path };
}

export function expressionMessage(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  return `in expression "${text.length > 120 ? text.slice(0, 117) + '...' : text}": ${message}`;
}

function unknownNameMessage(name: string, tables: Map<string, CompiledTable>): string {
  if (tables.has(name)) return `'${name}' is a lookup table; use lookup(${name}, ...)`;
  return `unknown name '${name}' (not a parameter or a built-in variable)`;
}

/** Depth-first topological sort; a reference cycle is reported with its members in order. */
function topologicalOrder(ids: string[], deps: number[][], definitions: Definition[], issues: ModelIssue[]): number[] | null {
  const state = new Uint8Array(ids.length); // 0 new, 1 on stack, 2 done
  const order: number[] = [];
  const reported = new Set<string>();
  let ok = true;
  for (let start = 0; start < ids.length; start++) {
    if (state[start] !== 0) continue;
    // Iterative DFS so that long dependency chains cannot overflow the call stack.
    const stack: { node: number; next: number }[] = [{ node: start, next: 0 }];
    state[start] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next < deps[top.node].length) {
        const d = deps[top.node][top.next++];
        if (state[d] === 0) {
          state[d] = 1;
          stack.push({ node: d, next: 0 });
        } else if (state[d] === 1) {
          const members = stack.slice(stack.findIndex((f) => f.node === d)).map((f) => ids[f.node]);
          const key = [...members].sort().join(',');
          if (!reported.has(key)) {
            reported.add(key);
            issues.push(issue(definitions[d].path, `reference cycle: ${[...members, ids[d]].join(' → ')}`, ids[d]));
          }
          ok = false;
        }
      } else {
        state[top.node] = 2;
        order.push(top.node);
        stack.pop();
      }
    }
  }
  return ok ? order : null;
}

/** Compile a number or expression written at `path` (a transition, reward, branch probability...). */
export function compileSite(
  value: number | string,
  path: JsonPath,
  program: ParameterProgram,
  cache: ExpressionCache,
  issues: ModelIssue[],
): Site | null {
  if (typeof value === 'number') return constantSite(value, path);
  const ast = cache.parse(value);
  if (ast instanceof ExpressionError) {
    issues.push(issue(path, expressionMessage(ast, value)));
    return null;
  }
  let timeDependent = false;
  let stateTimeDependent = false;
  let dependsOnParameters = false;
  for (const name of freeIdentifiers(ast)) {
    if (name === 'cycle' || name === 'time') timeDependent = true;
    else if (name === 'state_time') stateTimeDependent = true;
    else {
      // cycle_years is set per evaluation, so it is not a compile-time constant either.
      dependsOnParameters = true;
      if (program.timeDependent.has(name)) timeDependent = true;
      if (program.stateTimeDependent.has(name)) stateTimeDependent = true;
    }
  }
  let fn: CompiledExpression;
  try {
    fn = compileExpression(ast, program.context);
  } catch (error) {
    const name = error instanceof Error ? /unknown name '([^']+)'/.exec(error.message)?.[1] : undefined;
    issues.push(issue(path, expressionMessage(error, value), name));
    return null;
  }
  const constant =
    !timeDependent && !stateTimeDependent && !dependsOnParameters && referencedTables(ast).size === 0
      ? fn(new Float64Array(program.slotCount))
      : undefined;
  return { constant, fn, timeDependent, stateTimeDependent, path, text: value };
}

export function constantSite(value: number, path: JsonPath): Site {
  return { constant: value, fn: () => value, timeDependent: false, stateTimeDependent: false, path, text: String(value) };
}

/**
 * Inputs for one evaluation: the value of every base parameter. Numeric parameters always read
 * their value from here; expression parameters do only when `replaced[i]` is 1 (a PSA draw or a
 * DSA value replacing the expression).
 */
export type ParameterInputs = { values: Float64Array; replaced: Uint8Array | null };

export function baseInputs(model: ModelFile): ParameterInputs {
  const values = new Float64Array(model.parameters.length);
  model.parameters.forEach((p, i) => {
    values[i] = typeof p.value === 'number' ? p.value : NaN;
  });
  return { values, replaced: null };
}

/**
 * Run the steps, writing each parameter's value into its slot. Returns the index of the first step
 * whose value is not finite (so the caller can say where NaN/Infinity arose), or -1.
 */
export function runSteps(steps: ProgramStep[], values: Float64Array, inputs: ParameterInputs): number {
  const replaced = inputs.replaced;
  for (let s = 0; s < steps.length; s++) {
    const step = steps[s];
    let v: number;
    if (step.fn === null) v = step.constant ?? inputs.values[step.inputIndex];
    else if (replaced !== null && step.replaceable && replaced[step.inputIndex] === 1) v = inputs.values[step.inputIndex];
    else v = step.fn(values);
    if (v - v !== 0) return s; // NaN or ±Infinity
    values[step.slot] = v;
  }
  return -1;
}
