/**
 * Budget impact analysis (BIA), following the ISPOR good-practice report: Sullivan SD, Mauskopf JA,
 * Augustovski F, et al. Budget impact analysis — principles of good practice: report of the ISPOR
 * 2012 Budget Impact Analysis Good Practice II Task Force. Value Health 2014;17:5–14.
 *
 * Inputs (the model file's `budgetImpact` block): the eligible (treated) population per budget
 * year, and market shares per strategy per year in the world without and with the new technology.
 *
 * Cost per patient comes from the model, UNDISCOUNTED (BIA reports costs as they fall in each
 * budget year; Sullivan et al. 2014 recommend no discounting):
 * - the cost profile of one treated patient by year since treatment, c_s[0], c_s[1], ... : the
 *   decision tree's one-off costs (time 0) go to year 0; the Markov model's undiscounted per-cycle
 *   costs (`perCycleUndiscounted`) go to the year in which the cycle starts (cycle k covers
 *   ((k−1)·L, k·L] years for cycle length L; boundary 0, which only within-cycle corrections such
 *   as trapezoidal use, goes to year 0). The profile is as long as the model's horizon.
 * - each budget year's eligible population is an incident cohort treated that year (treat-once
 *   conditions such as an acute pain episode). A cohort treated in year y costs c_s[t − y] in
 *   budget year t >= y, so long horizons carry costs into later budget years:
 *
 *     cost_world(t) = Σ_s Σ_{y <= t} N(y) · share_world,s(y) · c_s(t − y)
 *     net budget impact(t) = cost_with(t) − cost_without(t);   total = Σ_t.
 *
 *   With a one-year model horizon this reduces to N(t) · Σ_s share_s(t) · (annual cost of s).
 * Every outcome discounted as a cost (discount 'costs') other than the cost outcome itself is
 * broken down the same way (e.g. drugs, procedures, hospitalisations).
 */
import type { BudgetImpactSpec, ModelFile } from '../schema/model-file';
import { ModelError, type ModelIssue, issue } from '../schema/model-issue';
import { type CompiledModel, type Variant, compileModel } from '../engine/compile-model';
import { evaluateStrategy } from '../engine/evaluate';
import { type ParameterInputs, baseInputs } from '../engine/parameters';

const SHARE_TOLERANCE = 1e-6;

export type BudgetImpactStrategy = {
  id: string;
  name: string;
  /** Undiscounted cost of one treated patient by year since treatment (year 0 = the treatment year). */
  costProfile: number[];
  /** Part of costProfile[0] that is the decision tree's one-off (time-0) cost. */
  treeCost: number;
  /** Undiscounted total over the horizon (the sum of costProfile). */
  totalPerPatient: number;
};

export type BudgetImpactYear = {
  year: number;
  eligiblePopulation: number;
  /** Patients newly treated with each strategy in this year, per world. */
  treatedWithout: Record<string, number>;
  treatedWith: Record<string, number>;
  costWithout: number;
  costWith: number;
  netImpact: number;
  /** Net impact per newly eligible patient in this year. */
  netImpactPerPatient: number;
};

export type BudgetImpactBreakdown = {
  outcome: string;
  label: string;
  years: { year: number; costWithout: number; costWith: number; netImpact: number }[];
  totalNetImpact: number;
};

export type BudgetImpactResult = {
  kind: 'budget-impact';
  modelName: string;
  scenario: string | null;
  subgroup: string | null;
  currency: string;
  priceYear: number | null;
  costOutcome: string;
  years: number;
  method: string;
  populationSource: string | null;
  sharesSource: string | null;
  sharesWithout: Record<string, number[]>;
  sharesWith: Record<string, number[]>;
  strategies: BudgetImpactStrategy[];
  yearly: BudgetImpactYear[];
  totalWithout: number;
  totalWith: number;
  totalNetImpact: number;
  breakdown: BudgetImpactBreakdown[];
};

export type BudgetImpactOptions = Variant & {
  /** Use this specification instead of the model file's `budgetImpact` block. */
  spec?: BudgetImpactSpec;
  /** Parameter inputs (default: the base case). */
  inputs?: ParameterInputs;
};

export const BUDGET_IMPACT_METHOD =
  'ISPOR good practice (Sullivan et al., Value Health 2014;17:5–14): undiscounted costs; each year\'s eligible population is an incident cohort ' +
  'treated that year; a cohort\'s cost falls in budget years by time since treatment (decision-tree costs in the treatment year, Markov cycle ' +
  'costs in the year the cycle starts); net budget impact = cost with the new technology − cost without it.';

/** Run the budget impact analysis of a model (base-case parameters unless `options.inputs`). */
export function runBudgetImpact(model: ModelFile, options: BudgetImpactOptions = {}): BudgetImpactResult {
  const spec = options.spec ?? model.budgetImpact;
  if (!spec) throw new ModelError([issue(['budgetImpact'], 'the model has no budgetImpact block (eligible population and market shares per year)')]);
  const compiled = compileModel(model, { scenario: options.scenario ?? null, subgroup: options.subgroup ?? null });
  return budgetImpactFromCompiled(compiled, spec, options.inputs ?? baseInputs(model));
}

export function budgetImpactFromCompiled(compiled: CompiledModel, spec: BudgetImpactSpec, inputs: ParameterInputs): BudgetImpactResult {
  const model = compiled.model;
  const strategyIds = compiled.strategies.map((s) => s.id);
  const shares = checkSpec(spec, strategyIds);
  const settings = compiled.settings;
  const { nCycles, cycleYears } = settings;
  const profileYears = Math.max(1, Math.ceil(nCycles * cycleYears - 1e-9));
  const yearOfBoundary = (k: number) => (k === 0 ? 0 : Math.min(profileYears - 1, Math.floor((k - 1) * cycleYears + 1e-9)));

  const costOutcome = settings.settings.costOutcome;
  const costOutcomes = [costOutcome, ...model.outcomes.filter((o) => o.discount === 'costs' && o.id !== costOutcome).map((o) => o.id)];
  // profiles[outcome][strategy] = per-patient cost by year since treatment
  const profiles = new Map<string, Map<string, number[]>>(costOutcomes.map((o) => [o, new Map()]));
  const treeCosts = new Map<string, number>();
  for (const strategy of compiled.strategies) {
    const evaluation = evaluateStrategy(compiled, strategy, inputs, true);
    for (const outcome of costOutcomes) {
      const o = compiled.outcomeIds.indexOf(outcome);
      const profile = new Array<number>(profileYears).fill(0);
      let markovTotal = 0;
      for (const detail of evaluation.markov ?? []) {
        const perCycle = detail.perCycleUndiscounted[outcome];
        perCycle.forEach((v, k) => {
          profile[yearOfBoundary(k)] += v;
          markovTotal += v;
        });
      }
      const tree = evaluation.undiscounted[o] - markovTotal;
      profile[0] += tree;
      profiles.get(outcome)!.set(strategy.id, profile);
      if (outcome === costOutcome) treeCosts.set(strategy.id, tree);
    }
  }

  const years = spec.years;
  const worldCost = (outcome: string, world: Record<string, number[]>, t: number): number => {
    let total = 0;
    for (const id of strategyIds) {
      const profile = profiles.get(outcome)!.get(id)!;
      for (let y = 0; y <= t; y++) {
        const age = t - y;
        if (age >= profile.length) continue;
        total += spec.eligiblePopulation[y] * world[id][y] * profile[age];
      }
    }
    return total;
  };

  const yearly: BudgetImpactYear[] = [];
  for (let t = 0; t < years; t++) {
    const costWithout = worldCost(costOutcome, shares.without, t);
    const costWith = worldCost(costOutcome, shares.with, t);
    const treatedWithout: Record<string, number> = {};
    const treatedWith: Record<string, number> = {};
    for (const id of strategyIds) {
      treatedWithout[id] = spec.eligiblePopulation[t] * shares.without[id][t];
      treatedWith[id] = spec.eligiblePopulation[t] * shares.with[id][t];
    }
    const population = spec.eligiblePopulation[t];
    yearly.push({
      year: t + 1,
      eligiblePopulation: population,
      treatedWithout,
      treatedWith,
      costWithout,
      costWith,
      netImpact: costWith - costWithout,
      netImpactPerPatient: population > 0 ? (costWith - costWithout) / population : 0,
    });
  }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const breakdown: BudgetImpactBreakdown[] = costOutcomes.slice(1).map((outcome) => {
    const rows = Array.from({ length: years }, (_, t) => {
      const costWithout = worldCost(outcome, shares.without, t);
      const costWith = worldCost(outcome, shares.with, t);
      return { year: t + 1, costWithout, costWith, netImpact: costWith - costWithout };
    });
    const o = model.outcomes.find((x) => x.id === outcome)!;
    return { outcome, label: o.label ?? outcome, years: rows, totalNetImpact: sum(rows.map((r) => r.netImpact)) };
  });

  return {
    kind: 'budget-impact',
    modelName: model.metadata.name,
    scenario: compiled.scenarioId,
    subgroup: compiled.subgroupId,
    currency: settings.settings.currency,
    priceYear: settings.settings.priceYear ?? null,
    costOutcome,
    years,
    method: BUDGET_IMPACT_METHOD,
    populationSource: spec.populationSource ?? null,
    sharesSource: spec.sharesSource ?? null,
    sharesWithout: shares.without,
    sharesWith: shares.with,
    strategies: compiled.strategies.map((s) => {
      const profile = profiles.get(costOutcome)!.get(s.id)!;
      return { id: s.id, name: s.name, costProfile: profile, treeCost: treeCosts.get(s.id)!, totalPerPatient: sum(profile) };
    }),
    yearly,
    totalWithout: sum(yearly.map((y) => y.costWithout)),
    totalWith: sum(yearly.map((y) => y.costWith)),
    totalNetImpact: sum(yearly.map((y) => y.netImpact)),
    breakdown,
  };
}

/** Validate the specification; returns full share tables (0 for strategies it does not name). */
function checkSpec(spec: BudgetImpactSpec, strategyIds: string[]): { without: Record<string, number[]>; with: Record<string, number[]> } {
  const issues: ModelIssue[] = [];
  const years = spec.years;
  if (spec.eligiblePopulation.length < years) {
    issues.push(issue(['budgetImpact', 'eligiblePopulation'], `gives ${spec.eligiblePopulation.length} year(s) but the analysis has ${years}`));
  }
  const table = (world: 'sharesWithout' | 'sharesWith'): Record<string, number[]> => {
    const given = spec[world];
    for (const id of Object.keys(given)) {
      if (!strategyIds.includes(id)) issues.push(issue(['budgetImpact', world, id], `unknown strategy '${id}' (strategies: ${strategyIds.join(', ')})`));
      else if (given[id].length < years) issues.push(issue(['budgetImpact', world, id], `gives ${given[id].length} year(s) of shares but the analysis has ${years}`));
    }
    const out: Record<string, number[]> = {};
    for (const id of strategyIds) out[id] = Array.from({ length: years }, (_, t) => given[id]?.[t] ?? 0);
    for (let t = 0; t < years; t++) {
      const total = strategyIds.reduce((a, id) => a + out[id][t], 0);
      if (Math.abs(total - 1) > SHARE_TOLERANCE) issues.push(issue(['budgetImpact', world], `shares in year ${t + 1} sum to ${total}; they must sum to 1`));
    }
    return out;
  };
  const result = { without: table('sharesWithout'), with: table('sharesWith') };
  if (issues.length > 0) throw new ModelError(issues);
  return result;
}
