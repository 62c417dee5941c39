/**
 * Base case: every strategy evaluated at the parameters' point values, with incremental analysis
 * and net benefit at each willingness-to-pay threshold. The result is plain serialisable data.
 */
import type { ModelFile } from '../schema/model-file';
import { type CompiledModel, type Variant, compileModel } from '../engine/compile-model';
import { type MarkovDetail, type TreeNodeDetail, evaluateStrategy } from '../engine/evaluate';
import { type ParameterInputs, baseInputs } from '../engine/parameters';
import { type IncrementalRow, computeIncremental } from './incremental';
import { type NetBenefitRow, computeNetBenefits } from './net-benefit';

export type StrategyResult = {
  id: string;
  name: string;
  /** Discounted cost (the settings' cost outcome) for the reported cohort size. */
  cost: number;
  /** Discounted primary effect. */
  effect: number;
  /** Every outcome, discounted as its definition says. */
  outcomes: Record<string, number>;
  undiscountedOutcomes: Record<string, number>;
  markov: MarkovDetail[] | null;
  tree: TreeNodeDetail[] | null;
};

export type RunSettingsSummary = {
  nCycles: number;
  cycleYears: number;
  cycleLength: { value: number; unit: string };
  timeHorizon: { value: number; unit: string };
  withinCycleCorrection: string;
  discountRates: { costs: number; effects: number };
  currency: string;
  priceYear: number | null;
  perspective: string | null;
  wtpThresholds: number[];
  costOutcome: string;
  effectOutcome: string;
  cohortSize: number;
};

export type BaseCaseResult = {
  kind: 'base-case';
  modelName: string;
  scenario: string | null;
  subgroup: string | null;
  settings: RunSettingsSummary;
  outcomes: { id: string; label: string; unit: string | null; discount: string }[];
  strategies: StrategyResult[];
  incremental: IncrementalRow[];
  netBenefit: NetBenefitRow[];
};

export function summariseSettings(compiled: CompiledModel): RunSettingsSummary {
  const s = compiled.settings.settings;
  return {
    nCycles: compiled.settings.nCycles,
    cycleYears: compiled.settings.cycleYears,
    cycleLength: s.cycleLength,
    timeHorizon: s.timeHorizon,
    withinCycleCorrection: s.withinCycleCorrection,
    discountRates: s.discountRates,
    currency: s.currency,
    priceYear: s.priceYear ?? null,
    perspective: s.perspective ?? null,
    wtpThresholds: s.wtpThresholds,
    costOutcome: s.costOutcome,
    effectOutcome: s.effectOutcome,
    cohortSize: s.cohortSize,
  };
}

/** Evaluate all strategies of a compiled model for the given inputs. */
export function evaluateAllStrategies(compiled: CompiledModel, inputs: ParameterInputs, detail: boolean): StrategyResult[] {
  const { costIndex, effectIndex, cohortSize } = compiled.settings;
  return compiled.strategies.map((strategy) => {
    const evaluation = evaluateStrategy(compiled, strategy, inputs, detail);
    const outcomes: Record<string, number> = {};
    const undiscountedOutcomes: Record<string, number> = {};
    compiled.outcomeIds.forEach((id, o) => {
      outcomes[id] = evaluation.totals[o] * cohortSize;
      undiscountedOutcomes[id] = evaluation.undiscounted[o] * cohortSize;
    });
    return {
      id: strategy.id,
      name: strategy.name,
      cost: evaluation.totals[costIndex] * cohortSize,
      effect: evaluation.totals[effectIndex] * cohortSize,
      outcomes,
      undiscountedOutcomes,
      markov: evaluation.markov,
      tree: evaluation.tree,
    };
  });
}

export function runBaseCase(model: ModelFile, variant: Variant = {}, options: { detail?: boolean } = {}): BaseCaseResult {
  const compiled = compileModel(model, variant);
  return baseCaseFromCompiled(compiled, baseInputs(model), options.detail ?? true);
}

export function baseCaseFromCompiled(compiled: CompiledModel, inputs: ParameterInputs, detail: boolean): BaseCaseResult {
  const strategies = evaluateAllStrategies(compiled, inputs, detail);
  const points = strategies.map((s) => ({ id: s.id, cost: s.cost, effect: s.effect }));
  return {
    kind: 'base-case',
    modelName: compiled.model.metadata.name,
    scenario: compiled.scenarioId,
    subgroup: compiled.subgroupId,
    settings: summariseSettings(compiled),
    outcomes: compiled.model.outcomes.map((o) => ({ id: o.id, label: o.label ?? o.id, unit: o.unit ?? null, discount: o.discount })),
    strategies,
    incremental: computeIncremental(points),
    netBenefit: computeNetBenefits(points, compiled.settings.settings.wtpThresholds),
  };
}
