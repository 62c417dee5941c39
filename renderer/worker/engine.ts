// The worker's view of the engine. Everything comes from models/index.ts except the analyses
// that index.ts does not export yet (psa, dsa, threshold, scenarios): those are imported from
// their modules here, in this one file, until the engine's public API re-exports them.
export { parseModelText, ModelError, runBudgetImpact } from '../../models/index';
export type { ModelFile, ModelIssue, BudgetImpactResult } from '../../models/index';
export { runPsa } from '../../models/analyses/psa';
export type { PsaResult } from '../../models/analyses/psa';
export { runOneWayDsa, runTwoWayDsa } from '../../models/analyses/dsa';
export type { OneWayDsaResult, TwoWayDsaResult } from '../../models/analyses/dsa';
export { findThreshold } from '../../models/analyses/threshold';
export type { ThresholdResult } from '../../models/analyses/threshold';
export { runScenarioAnalysis } from '../../models/analyses/scenarios';
export type { ScenarioAnalysisResult } from '../../models/analyses/scenarios';
export { buildWorkbookSpec } from '../../models/export/workbook-spec';
export type { ChartKey } from '../../models/export/workbook-spec';
export { writeXlsx } from '../../models/export/write-xlsx';
