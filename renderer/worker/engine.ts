// The worker's view of the engine: the engine's public API (models/index.ts) and the
// spreadsheet module's (models/export/index.ts, kept apart so that exceljs loads only where
// a workbook is written).
export { parseModelText, ModelError, runBudgetImpact, runPsa, runOneWayDsa, runTwoWayDsa, findThreshold, runScenarioAnalysis } from '../../models/index';
export type { ModelFile, ModelIssue, BudgetImpactResult, PsaResult, OneWayDsaResult, TwoWayDsaResult, ThresholdResult, ScenarioAnalysisResult } from '../../models/index';
export { buildWorkbookSpec, writeXlsx } from '../../models/export/index';
export type { ChartKey } from '../../models/export/index';
