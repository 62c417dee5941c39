import {
  compileExpression,
  parseExpression,
  type CompileContext,
  type CompiledTable,
  type CompileOptions,
} from '../../../models/expression';
import { mulberry32 } from '../../helpers/seeded-random';
export { mulberry32 as seededRandom };

/** A compile context over named values and tables, backed by Maps (as a careful engine would). */
export function contextFor(
  values: Record<string, number> = {},
  tables: CompiledTable[] = [],
): { ctx: CompileContext; values: Float64Array } {
  const names = Object.keys(values);
  const slots = new Map(names.map((name, i) => [name, i]));
  const tableMap = new Map(tables.map((t) => [t.id, t]));
  return {
    ctx: { slotOf: (name) => slots.get(name), table: (id) => tableMap.get(id) },
    values: Float64Array.from(names.map((n) => values[n])),
  };
}

/** Parse, compile and evaluate in one go. */
export function evaluate(
  text: string,
  values: Record<string, number> = {},
  tables: CompiledTable[] = [],
  options?: CompileOptions,
): number {
  const { ctx, values: array } = contextFor(values, tables);
  return compileExpression(parseExpression(text), ctx, options)(array);
}

/** The ExpressionError (or other error) thrown by `run`, for checking message and position. */
export function errorOf(run: () => unknown): { message: string; position?: number; name: string } {
  try {
    run();
  } catch (e) {
    const err = e as Error & { position?: number };
    return { message: err.message, position: err.position, name: err.name };
  }
  throw new Error('expected an error, but none was thrown');
}

