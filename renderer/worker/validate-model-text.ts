// Validation in two phases, shared by the validation worker and unit tests:
// 1. parse + schema + base case (tens of ms) → results and the base case's own problems;
// 2. checkModel over every scenario and subgroup (can take a second on large models).
import { type BaseCaseResult, type ModelFile, type ModelIssue, ModelError, checkModel, parseModelText, runBaseCase } from '../../models/index';

export type BasePhase = { model: ModelFile | null; issues: ModelIssue[]; baseCase: BaseCaseResult | null; baseCaseError: string | null };

export function validateBasePhase(text: string): BasePhase {
  const parsed = parseModelText(text);
  if (!parsed.ok) return { model: null, issues: parsed.issues, baseCase: null, baseCaseError: null };
  try {
    return { model: parsed.model, issues: parsed.warnings, baseCase: runBaseCase(parsed.model), baseCaseError: null };
  } catch (error) {
    if (error instanceof ModelError) return { model: parsed.model, issues: [...parsed.warnings, ...error.issues], baseCase: null, baseCaseError: null };
    return { model: parsed.model, issues: parsed.warnings, baseCase: null, baseCaseError: error instanceof Error ? error.message : String(error) };
  }
}

export function validateFullPhase(model: ModelFile, warnings: ModelIssue[] = []): ModelIssue[] {
  try {
    return [...warnings, ...checkModel(model)];
  } catch (error) {
    return [...warnings, { path: '', message: `validation failed: ${error instanceof Error ? error.message : String(error)}`, severity: 'error' }];
  }
}
