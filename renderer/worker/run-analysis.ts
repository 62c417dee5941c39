// Request → result, for the worker (and for unit tests, which call it directly in Node).
import type { AnalysisRequest } from './analysis-protocol';
import { ModelError, type ModelFile, findThreshold, parseModelText, runBudgetImpact, runOneWayDsa, runPsa, runScenarioAnalysis, runTwoWayDsa } from './engine';
import { writeWorkbook } from './workbook';

export function parseOrThrow(text: string): ModelFile {
  const parsed = parseModelText(text);
  if (!parsed.ok) throw new ModelError(parsed.issues);
  return parsed.model;
}

export async function runAnalysis(request: AnalysisRequest, onProgress: (done: number, total: number) => void): Promise<unknown> {
  switch (request.kind) {
    case 'psa': {
      const model = parseOrThrow(request.modelText);
      return runPsa(model, {
        n: request.n,
        seed: request.seed,
        variant: { scenario: request.scenario ?? null, subgroup: request.subgroup ?? null },
        cePlanePoints: request.cePlanePoints,
        onProgress,
      });
    }
    case 'dsa-one-way':
      return runOneWayDsa(parseOrThrow(request.modelText), { ...request.metric });
    case 'dsa-two-way':
      return runTwoWayDsa(parseOrThrow(request.modelText), { ...request.metric, parameters: request.parameters, steps: request.steps });
    case 'threshold':
      return findThreshold(parseOrThrow(request.modelText), { parameter: request.parameter, strategy: request.strategy, comparator: request.comparator, wtp: request.wtp });
    case 'scenarios':
      return runScenarioAnalysis(parseOrThrow(request.modelText));
    case 'budget-impact':
      return runBudgetImpact(parseOrThrow(request.modelText));
    case 'export':
      return writeWorkbook(request);
  }
}
