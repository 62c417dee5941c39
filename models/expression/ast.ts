/**
 * Syntax tree of the expression language (see parse.ts for the grammar).
 *
 * Every node carries `start` (inclusive) and `end` (exclusive) 0-based character offsets into the
 * source text, so errors found later (unknown names, tables) can point at the right place.
 * The constants `true`, `false`, `pi` and `e` are parsed straight into `number` nodes.
 */

export type UnaryOperator = '-' | '+' | '!';
export type BinaryOperator = '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '^';

type Span = { start: number; end: number };

export type NumberNode = Span & { kind: 'number'; value: number };
/** Quoted text; only valid as a key argument of `lookup`. */
export type StringNode = Span & { kind: 'string'; value: string };
export type IdentifierNode = Span & { kind: 'identifier'; name: string };
/** `!` also stands for the keyword `not`. */
export type UnaryNode = Span & { kind: 'unary'; operator: UnaryOperator; operand: ExpressionAst };
/** `&&`/`||` also stand for the keywords `and`/`or`. */
export type BinaryNode = Span & { kind: 'binary'; operator: BinaryOperator; left: ExpressionAst; right: ExpressionAst };
export type ConditionalNode = Span & {
  kind: 'conditional';
  test: ExpressionAst;
  consequent: ExpressionAst;
  alternate: ExpressionAst;
};
/** A function call; for `lookup`, `args[0]` is an identifier node naming the table. */
export type CallNode = Span & { kind: 'call'; callee: string; args: ExpressionAst[] };

export type ExpressionAst = NumberNode | StringNode | IdentifierNode | UnaryNode | BinaryNode | ConditionalNode | CallNode;

/** A problem with an expression, located at a 0-based character offset. */
export class ExpressionError extends Error {
  readonly position: number;
  constructor(message: string, position: number) {
    super(message);
    this.name = 'ExpressionError';
    this.position = position;
  }
}

/** Human-readable location used in syntax-error messages: 1-based, like an editor column. */
export function atCharacter(position: number): string {
  return `at character ${position + 1}`;
}

export const MAX_EXPRESSION_LENGTH = 2000;
export const MAX_EXPRESSION_DEPTH = 64;

/** Names that stand for numbers; the parser turns them into `number` nodes. */
export const NAMED_CONSTANTS: ReadonlyMap<string, number> = new Map([
  ['true', 1],
  ['false', 0],
  ['pi', Math.PI],
  ['e', Math.E],
]);

/** Visits every node, parents before children. */
export function walk(ast: ExpressionAst, visit: (node: ExpressionAst) => void): void {
  visit(ast);
  switch (ast.kind) {
    case 'unary':
      walk(ast.operand, visit);
      break;
    case 'binary':
      walk(ast.left, visit);
      walk(ast.right, visit);
      break;
    case 'conditional':
      walk(ast.test, visit);
      walk(ast.consequent, visit);
      walk(ast.alternate, visit);
      break;
    case 'call':
      for (const arg of ast.args) walk(arg, visit);
      break;
    default:
      break;
  }
}

/** The table-name argument of a lookup call is a name, but not a variable. */
function isTableArgument(call: CallNode, arg: ExpressionAst, index: number): boolean {
  return call.callee === 'lookup' && index === 0 && arg.kind === 'identifier';
}

/** Variable names the expression reads, in order of first use. */
export function freeIdentifiers(ast: ExpressionAst): Set<string> {
  const names = new Set<string>();
  const tableArgs = new Set<ExpressionAst>();
  walk(ast, (node) => {
    if (node.kind === 'call') node.args.forEach((arg, i) => isTableArgument(node, arg, i) && tableArgs.add(arg));
    else if (node.kind === 'identifier' && !tableArgs.has(node) && !NAMED_CONSTANTS.has(node.name)) names.add(node.name);
  });
  return names;
}

/** Ids of the tables the expression looks up, in order of first use. */
export function referencedTables(ast: ExpressionAst): Set<string> {
  const tables = new Set<string>();
  walk(ast, (node) => {
    if (node.kind === 'call' && node.callee === 'lookup' && node.args.length > 0 && node.args[0].kind === 'identifier') {
      tables.add(node.args[0].name);
    }
  });
  return tables;
}

/** True when the value does not depend on any name or table, so it can be computed once. */
export function isConstantExpression(ast: ExpressionAst): boolean {
  let constant = true;
  walk(ast, (node) => {
    if ((node.kind === 'identifier' && !NAMED_CONSTANTS.has(node.name)) || (node.kind === 'call' && node.callee === 'lookup')) {
      constant = false;
    }
  });
  return constant;
}
