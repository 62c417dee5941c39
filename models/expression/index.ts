/** Public API of the expression language; the grammar is documented in parse.ts, functions in functions.ts. */
export {
  ExpressionError,
  MAX_EXPRESSION_DEPTH,
  MAX_EXPRESSION_LENGTH,
  NAMED_CONSTANTS,
  freeIdentifiers,
  isConstantExpression,
  referencedTables,
  walk,
} from './ast';
export type {
  BinaryNode,
  BinaryOperator,
  CallNode,
  ConditionalNode,
  ExpressionAst,
  IdentifierNode,
  NumberNode,
  StringNode,
  UnaryNode,
  UnaryOperator,
} from './ast';
export { parseExpression } from './parse';
export { compileExpression, evaluateConstant } from './compile';
export type { CompileContext, CompileOptions, CompiledExpression } from './compile';
export { compileTable } from './lookup-table';
export type { CompiledTable, KeyKind, LookupTableSpec } from './lookup-table';
export { BUILTIN_FUNCTIONS } from './functions';
export type { BuiltinFunction } from './functions';
