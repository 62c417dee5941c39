/**
 * Text → validated ModelFile. Every failure becomes a ModelIssue naming the JSON path; nothing
 * here throws for bad input. Order: size limit → JSON.parse → structural guard (depth, forbidden
 * keys, non-finite numbers) → migration to the current schema version → zod schema.
 */
import { z } from 'zod';
import { CURRENT_SCHEMA_VERSION, FORBIDDEN_KEYS, ModelFile } from './model-file';
import { type ModelIssue, issue, toJsonPointer } from './model-issue';
import { migrateModel } from './migrate';

export const MAX_MODEL_TEXT_LENGTH = 50 * 1024 * 1024;
export const MAX_JSON_DEPTH = 200;
const MAX_NODES = 2_000_000;

export type ParseResult = { ok: true; model: ModelFile; warnings: ModelIssue[] } | { ok: false; issues: ModelIssue[] };

export function parseModelText(text: string): ParseResult {
  if (typeof text !== 'string') return { ok: false, issues: [issue('', 'the file is not text')] };
  if (text.length > MAX_MODEL_TEXT_LENGTH) {
    return { ok: false, issues: [issue('', `the file is ${(text.length / 1048576).toFixed(1)} MB; model files are limited to ${MAX_MODEL_TEXT_LENGTH / 1048576} MB`)] };
  }
  if (text.trim() === '') return { ok: false, issues: [issue('', 'the file is empty')] };
  if (text.includes('\u0000')) return { ok: false, issues: [issue('', 'the file contains binary data (NUL bytes); it is not a JSON model file')] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, issues: [issue('', `the file is not valid JSON: ${describeJsonError(error, text)}`)] };
  }
  return parseModelJson(json);
}

export function parseModelJson(json: unknown): ParseResult {
  const guardIssues = guardStructure(json);
  if (guardIssues.length > 0) return { ok: false, issues: guardIssues };
  const migrated = migrateModel(json);
  if (!migrated.ok) return { ok: false, issues: migrated.issues };
  const parsed = ModelFile.safeParse(migrated.value);
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error) };
  return { ok: true, model: parsed.data, warnings: migrated.warnings };
}

/** zod issues → ModelIssues with JSON pointers; union failures are flattened to their most specific branch. */
export function zodIssues(error: z.ZodError): ModelIssue[] {
  const out: ModelIssue[] = [];
  const visit = (zi: z.core.$ZodIssue, prefix: PropertyKey[]) => {
    const path = [...prefix, ...zi.path];
    if (zi.code === 'invalid_union' && 'errors' in zi && Array.isArray(zi.errors) && zi.errors.length > 0) {
      // Report the branch that got furthest (deepest path) – usually the one the user meant.
      const branches = zi.errors as z.core.$ZodIssue[][];
      const best = branches.reduce((a, b) => (depthOf(b) > depthOf(a) ? b : a));
      if (depthOf(best) > 0 || branches.length === 1) {
        for (const sub of best) visit(sub, path);
        return;
      }
    }
    out.push(issue(path.map((p) => (typeof p === 'symbol' ? String(p) : p)) as (string | number)[], zi.message));
  };
  for (const zi of error.issues) visit(zi, []);
  return dedupe(out);
}

function depthOf(issues: z.core.$ZodIssue[]): number {
  return issues.reduce((m, i) => Math.max(m, i.path.length), 0);
}

function dedupe(issues: ModelIssue[]): ModelIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = i.path + '\u0000' + i.message;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Rejects what the schema cannot safely see: prototype-polluting keys (JSON.parse makes `__proto__`
 * an own property, and copying it into a record would change a prototype), excessive nesting and size.
 */
function guardStructure(json: unknown): ModelIssue[] {
  const issues: ModelIssue[] = [];
  let nodes = 0;
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: json, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (++nodes > MAX_NODES) {
      issues.push(issue('', `the file has more than ${MAX_NODES} JSON values; that is too large for a model file`));
      break;
    }
    if (path.length > MAX_JSON_DEPTH) {
      issues.push(issue(path.slice(0, 20), `nesting is deeper than ${MAX_JSON_DEPTH} levels`));
      break;
    }
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
      continue;
    }
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) {
        issues.push(issue([...path, key], `the key '${key}' is not allowed in a model file`));
        if (issues.length >= 50) return issues;
        continue;
      }
      stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return issues;
}

function describeJsonError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const match = /position (\d+)/.exec(message);
  if (match) {
    const pos = Number(match[1]);
    const before = text.slice(0, pos);
    const line = before.split('\n').length;
    const column = pos - before.lastIndexOf('\n');
    return `${message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '')} at line ${line}, column ${column}`;
  }
  return message;
}

export { toJsonPointer, CURRENT_SCHEMA_VERSION };
