/**
 * Scenario and subgroup analysis. Each named scenario (and each subgroup) is compiled as a variant
 * of the model and evaluated with the one evaluator at base values; the results are the base case
 * of each variant with its incremental analysis and net benefit.
 *
 * Subgroups are also combined into a population-weighted total: weights are normalised to sum to
 * 1, every outcome of every strategy is the weighted mean of the subgroup results, and the
 * incremental analysis is redone on those weighted means (ICERs are not averaged: an average of
 * ratios is not the ratio of the averages).
 */
import type { ModelFile } from '../schema/model-file';
import { ModelError, issue } from '../schema/model-issue';
import { compileModel } from '../engine/compile-model';
import { baseInputs } from '../engine/parameters';
import { baseCaseFromCompiled } from './base-case';
import { type IncrementalRow, computeIncremental } from './incremental';
import { type NetBenefitRow, computeNetBenefits } from './net-benefit';

export type VariantStrategy = { id: string; name: string; cost: number; effect: number; outcomes: Record<string, number> };

export type VariantResult = {
  id: string | null;
  name: string;
  description: string | null;
  strategies: VariantStrategy[];
  incremental: IncrementalRow[];
  netBenefit: NetBenefitRow[];
};

export type ScenarioAnalysisResult = {
  kind: 'scenarios';
  modelName: string;
  /** The model without any scenario or subgroup. */
  base: VariantResult;
  scenarios: (VariantResult & { /** Cost and effect minus the base case, per strategy. */ differenceFromBase: { id: string; cost: number; effect: number }[] })[];
  subgroups: (VariantResult & { weight: number; normalisedWeight: number })[];
  /** Population-weighted total over subgroups; null when the model has no subgroups. */
  weightedTotal: VariantResult | null;
  note: string;
};

function variantResult(model: ModelFile, id: string | null, name: string, description: string | null, variant: { scenario?: string; subgroup?: string }): VariantResult {
  const compiled = compileModel(model, variant);
  let result;
  try {
    result = baseCaseFromCompiled(compiled, baseInputs(model), false);
  } catch (error) {
    if (error instanceof ModelError) {
      const where = variant.scenario ? `scenario '${variant.scenario}'` : variant.subgroup ? `subgroup '${variant.subgroup}'` : 'the base case';
      throw new ModelError([issue(variant.scenario ? ['scenarios'] : variant.subgroup ? ['subgroups'] : [], `${where} cannot be evaluated (see the following problems)`), ...error.issues]);
    }
    throw error;
  }
  return {
    id,
    name,
    description,
    strategies: result.strategies.map((s) => ({ id: s.id, name: s.name, cost: s.cost, effect: s.effect, outcomes: s.outcomes })),
    incremental: result.incremental,
    netBenefit: result.netBenefit,
  };
}

/** Weighted mean of subgroup results (weights already normalised); incremental analysis on the means. */
export function weightedTotal(parts: VariantResult[], weights: number[], wtps: number[]): VariantResult {
  const first = parts[0];
  const strategies: VariantStrategy[] = first.strategies.map((s, k) => {
    const outcomes: Record<string, number> = {};
    for (const id of Object.keys(s.outcomes)) outcomes[id] = 0;
    let cost = 0;
    let effect = 0;
    parts.forEach((part, g) => {
      const ps = part.strategies[k];
      cost += weights[g] * ps.cost;
      effect += weights[g] * ps.effect;
      for (const id of Object.keys(outcomes)) outcomes[id] += weights[g] * ps.outcomes[id];
    });
    return { id: s.id, name: s.name, cost, effect, outcomes };
  });
  const points = strategies.map((s) => ({ id: s.id, cost: s.cost, effect: s.effect }));
  return {
    id: null,
    name: 'Population-weighted total',
    description: 'weighted mean of the subgroup results (weights normalised to sum to 1)',
    strategies,
    incremental: computeIncremental(points),
    netBenefit: computeNetBenefits(points, wtps),
  };
}

export function runScenarioAnalysis(model: ModelFile): ScenarioAnalysisResult {
  const base = variantResult(model, null, 'Base case', null, {});
  const scenarios = model.scenarios.map((s) => {
    const r = variantResult(model, s.id, s.name, s.description ?? null, { scenario: s.id });
    const differenceFromBase = r.strategies.map((st) => {
      const b = base.strategies.find((x) => x.id === st.id)!;
      return { id: st.id, cost: st.cost - b.cost, effect: st.effect - b.effect };
    });
    return { ...r, differenceFromBase };
  });
  let subgroups: ScenarioAnalysisResult['subgroups'] = [];
  let total: VariantResult | null = null;
  if (model.subgroups.length > 0) {
    const sum = model.subgroups.reduce((acc, g) => acc + g.weight, 0);
    if (!(sum > 0)) throw new ModelError([issue(['subgroups'], 'the subgroup weights sum to 0; at least one subgroup needs a positive weight')]);
    const weights = model.subgroups.map((g) => g.weight / sum);
    subgroups = model.subgroups.map((g, i) => ({
      ...variantResult(model, g.id, g.name, g.description ?? null, { subgroup: g.id }),
      weight: g.weight,
      normalisedWeight: weights[i],
    }));
    total = weightedTotal(subgroups, weights, model.settings.wtpThresholds);
  }
  return {
    kind: 'scenarios',
    modelName: model.metadata.name,
    base,
    scenarios,
    subgroups,
    weightedTotal: total,
    note: 'Each scenario and subgroup is evaluated at base parameter values. The weighted total averages every outcome over subgroups with normalised weights; its incremental analysis is on the weighted means.',
  };
}
