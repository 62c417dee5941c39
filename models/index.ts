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
export { runOneWayDsa, oneWayFromCompiled, runTwoWayDsa, dsaRanges, resolveMetric, metricValue, describeMetric, parameterBaseValues, RANGE_NOTE, MAX_TWO_WAY_STEPS } from './analyses/dsa';
export type { DsaMetric, MetricRequest, DsaRange, DsaSkipped, TornadoRow, OneWayDsaResult, TwoWayDsaResult, DsaOptions, TwoWayOptions } from './analyses/dsa';
export { findThreshold, brent, THRESHOLD_METHOD } from './analyses/threshold';
export type { ThresholdOptions, ThresholdPoint, ThresholdResult } from './analyses/threshold';
export { runScenarioAnalysis, weightedTotal } from './analyses/scenarios';
export type { ScenarioAnalysisResult, VariantResult, VariantStrategy } from './analyses/scenarios';
export {
  runPsa,
  PsaEvaluator,
  PsaAccumulator,
  PsaCancelledError,
  PsaMergeError,
  P2Quantile,
  EXACT_INTERVAL_DRAWS,
  mergePsaShards,
  stringifyPsaResult,
  psaResultTable,
  defaultWtpGrid,
  modelHash,
  psaHeader,
  validatePsaOptions,
  evppiParameters,
  drawDependentStrategies,
  DEFAULT_CE_PLANE_POINTS,
  DEFAULT_WTP_STEPS,
  MAX_PSA_DRAWS,
  PSA_FORMAT_VERSION,
} from './analyses/psa';
export type { PsaOptions, PsaResult, PsaHeader, PsaStrategySummary, PsaDraws } from './analyses/psa';
export { analysePsaSample, parsePsaSampleCsv, sampleWtpGrid, PsaSampleError, MAX_SAMPLE_BYTES, MAX_SAMPLE_ROWS, MAX_SAMPLE_STRATEGIES } from './analyses/psa-sample';
export { buildReport, REPORT_MAPPING } from './analyses/report';
export type { ReportOptions, ModelReport, StrategyReport, VariantReport, DriverRow, AmountRow } from './analyses/report';
export { applyPreset } from './run/apply-preset';
