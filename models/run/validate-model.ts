/**
 * Full validation: schema, references and expressions for every scenario and subgroup, then a
 * base-case evaluation of each so that run-time checks (probabilities, row sums, non-finite
 * values) are reported too. All problems are returned together.
 */
import { startCompileSession, tryCompileModel } from '../engine/compile-model';
import { evaluateStrategy } from '../engine/evaluate';
import { baseInputs } from '../engine/parameters';
import type { ModelFile } from '../schema/model-file';
import { type ModelIssue, ModelError } from '../schema/model-issue';
import { parseModelText } from '../schema/parse-model';

export type ValidationResult = { valid: boolean; issues: ModelIssue[]; model: ModelFile | null };

export function validateModel(text: string): ValidationResult {
  const parsed = parseModelText(text);
  if (!parsed.ok) return { valid: false, issues: parsed.issues, model: null };
  const issues = [...parsed.warnings, ...checkModel(parsed.model)];
  return { valid: !issues.some((i) => i.severity === 'error'), issues, model: parsed.model };
}

/** Compile and evaluate the base case, every scenario and every subgroup; collect every issue. */
export function checkModel(model: ModelFile): ModelIssue[] {
  const variants: { scenario?: string; subgroup?: string }[] = [
    {},
    ...model.scenarios.map((s) => ({ scenario: s.id })),
    ...model.subgroups.map((s) => ({ subgroup: s.id })),
  ];
  const issues: ModelIssue[] = [];
  const seen = new Set<string>();
  const add = (list: ModelIssue[]) => {
    for (const i of list) {
      const key = `${i.path}\u0000${i.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        issues.push(i);
      }
    }
  };
  const inputs = baseInputs(model);
  const session = startCompileSession(model);
  for (const variant of variants) {
    const compiled = tryCompileModel(model, variant, session);
    if (!compiled.ok) {
      add(compiled.issues);
      continue;
    }
    for (const strategy of compiled.compiled.strategies) {
      try {
        evaluateStrategy(compiled.compiled, strategy, inputs, false);
      } catch (error) {
        if (error instanceof ModelError) add(error.issues);
        else throw error;
      }
    }
    if (issues.length > 200) break;
  }
  return issues;
}
