/**
 * Public API of the engine: the only import path for renderer/, electron/ and cli/.
 * Pure TypeScript: no DOM, no Node, no Electron.
 */
export * from './schema/model-file';
export * from './schema/model-issue';
export { parseModelText, parseModelJson, zodIssues, MAX_MODEL_TEXT_LENGTH } from './schema/parse-model';
export { migrateModel } from './schema/migrate';
export { compileModel, tryCompileModel, effectiveSettings, startCompileSession } from './engine/compile-model';
export type { CompiledModel, CompiledStrategy, CompiledSettings, Variant, CompileSession } from './engine/compile-model';
export { evaluateStrategy, withinCycleWeights } from './engine/evaluate';
export type { StrategyEvaluation, MarkovDetail, TreeNodeDetail } from './engine/evaluate';
export { baseInputs } from './engine/parameters';
export type { ParameterInputs } from './engine/parameters';
export { toYears, numberOfCycles, discountFactors } from './engine/timing';
export { runBaseCase, baseCaseFromCompiled, evaluateAllStrategies, summariseSettings } from './analyses/base-case';
export type { BaseCaseResult, StrategyResult, RunSettingsSummary } from './analyses/base-case';
export { validateModel, checkModel } from './run/validate-model';
export type { ValidationResult } from './run/validate-model';
export * from './analyses/outcome-table';
export * from './analyses/incremental';
export * from './analyses/net-benefit';
export * from './analyses/acceptability';
export * from './analyses/voi';
export * from './analyses/psa-summary';
export * from './analyses/budget-impact';
