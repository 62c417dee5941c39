/**
 * ModelFile → CompiledModel: every expression parsed once and compiled to closures, every
 * reference resolved, every structural problem reported together with its JSON path. A compiled
 * model is specific to a scenario and subgroup (they change parameter definitions and settings);
 * evaluation then only needs parameter inputs (base values, a DSA value or a PSA draw).
 */
import type { ModelFile, Scenario, Settings, Subgroup } from '../schema/model-file';
import { type ModelIssue, ModelError, issue } from '../schema/model-issue';
import { type CompiledMarkov, compileMarkov } from './markov';
import {
  ExpressionCache,
  type ModelSymbols,
  type OverrideLayer,
  type ParameterProgram,
  buildSymbols,
  compileParameterProgram,
} from './parameters';
import { type CompiledTreeNode, compileTree } from './tree';
import { discountFactors, numberOfCycles, toYears } from './timing';

export type CompiledSettings = {
  nCycles: number;
  cycleYears: number;
  correction: Settings['withinCycleCorrection'];
  /** Discount factor per outcome at each cycle boundary 0..N. */
  discount: Float64Array[];
  costIndex: number;
  effectIndex: number;
  cohortSize: number;
  settings: Settings;
};

export type CompiledStrategy = {
  id: string;
  name: string;
  index: number;
  program: ParameterProgram;
  entry:
    | { kind: 'markov'; markov: CompiledMarkov }
    | { kind: 'tree'; root: CompiledTreeNode; markovs: CompiledMarkov[] };
};

export type CompiledModel = {
  model: ModelFile;
  scenarioId: string | null;
  subgroupId: string | null;
  outcomeIds: string[];
  settings: CompiledSettings;
  strategies: CompiledStrategy[];
  symbols: ModelSymbols;
  /** The parsed expressions (for evaluators that compile them again in another form). */
  expressions: ExpressionCache;
};

export type Variant = { scenario?: string | null; subgroup?: string | null };

/** Effective settings for a scenario (scenario settings patch the model's). */
export function effectiveSettings(model: ModelFile, scenario: Scenario | undefined): Settings {
  return scenario?.settings ? ({ ...model.settings, ...scenario.settings } as Settings) : model.settings;
}

/** Compile, or throw ModelError listing every problem found. */
export function compileModel(model: ModelFile, variant: Variant = {}): CompiledModel {
  const result = tryCompileModel(model, variant);
  if (!result.ok) throw new ModelError(result.issues);
  return result.compiled;
}

/** What compiling the same model for several variants can share: parsed expressions and lookup tables. */
export type CompileSession = { model: ModelFile; cache: ExpressionCache; symbols: ModelSymbols; symbolIssues: ModelIssue[] };

export function startCompileSession(model: ModelFile): CompileSession {
  const symbolIssues: ModelIssue[] = [];
  return { model, cache: new ExpressionCache(), symbols: buildSymbols(model, symbolIssues), symbolIssues };
}

export function tryCompileModel(
  model: ModelFile,
  variant: Variant = {},
  session: CompileSession = startCompileSession(model),
): { ok: true; compiled: CompiledModel } | { ok: false; issues: ModelIssue[] } {
  if (session.model !== model) throw new Error('compile session belongs to another model');
  const issues: ModelIssue[] = [...session.symbolIssues];
  const scenarioIndex = variant.scenario ? model.scenarios.findIndex((s) => s.id === variant.scenario) : -1;
  const subgroupIndex = variant.subgroup ? model.subgroups.findIndex((s) => s.id === variant.subgroup) : -1;
  if (variant.scenario && scenarioIndex < 0) {
    return { ok: false, issues: [issue(['scenarios'], `no scenario '${variant.scenario}' (scenarios: ${model.scenarios.map((s) => s.id).join(', ') || 'none'})`)] };
  }
  if (variant.subgroup && subgroupIndex < 0) {
    return { ok: false, issues: [issue(['subgroups'], `no subgroup '${variant.subgroup}' (subgroups: ${model.subgroups.map((s) => s.id).join(', ') || 'none'})`)] };
  }
  const scenario: Scenario | undefined = scenarioIndex >= 0 ? model.scenarios[scenarioIndex] : undefined;
  const subgroup: Subgroup | undefined = subgroupIndex >= 0 ? model.subgroups[subgroupIndex] : undefined;
  const settings = effectiveSettings(model, scenario);

  checkUniqueIds(model, issues);
  const outcomeIds = model.outcomes.map((o) => o.id);
  const costIndex = outcomeIds.indexOf(settings.costOutcome);
  const effectIndex = outcomeIds.indexOf(settings.effectOutcome);
  if (costIndex < 0) issues.push(issue(['settings', 'costOutcome'], `unknown outcome '${settings.costOutcome}' (outcomes are: ${outcomeIds.join(', ')})`));
  if (effectIndex < 0) issues.push(issue(['settings', 'effectOutcome'], `unknown outcome '${settings.effectOutcome}' (outcomes are: ${outcomeIds.join(', ')})`));

  const cycleYears = toYears(settings.cycleLength);
  const nCycles = numberOfCycles(settings);
  if (nCycles > 100_000) issues.push(issue(['settings', 'timeHorizon'], `the horizon is ${nCycles} cycles; the limit is 100000`));
  const costRate = discountFactors(settings.discountRates.costs, cycleYears, Math.min(nCycles, 100_000));
  const effectRate = discountFactors(settings.discountRates.effects, cycleYears, Math.min(nCycles, 100_000));
  const none = new Float64Array(costRate.length).fill(1);
  const discount = model.outcomes.map((o) => (o.discount === 'costs' ? costRate : o.discount === 'effects' ? effectRate : none));

  const { symbols, cache } = session;
  const strategies: CompiledStrategy[] = [];
  const strategyIds = new Set(model.strategies.map((s) => s.id));
  for (const [layerName, layerOwner] of [['scenarios', scenarioIndex], ['subgroups', subgroupIndex]] as const) {
    const owner = layerOwner >= 0 ? (layerName === 'scenarios' ? scenario : subgroup) : undefined;
    for (const key of Object.keys(owner?.strategyOverrides ?? {})) {
      if (!strategyIds.has(key)) issues.push(issue([layerName, layerOwner, 'strategyOverrides', key], `unknown strategy '${key}'`));
    }
  }

  model.strategies.forEach((strategy, s) => {
    const layers: OverrideLayer[] = [
      { overrides: strategy.overrides, path: ['strategies', s, 'overrides'] },
      { overrides: subgroup?.overrides, path: ['subgroups', subgroupIndex, 'overrides'] },
      { overrides: subgroup?.strategyOverrides?.[strategy.id], path: ['subgroups', subgroupIndex, 'strategyOverrides', strategy.id] },
      { overrides: scenario?.overrides, path: ['scenarios', scenarioIndex, 'overrides'] },
      { overrides: scenario?.strategyOverrides?.[strategy.id], path: ['scenarios', scenarioIndex, 'strategyOverrides', strategy.id] },
    ];
    const program = compileParameterProgram(model, symbols, cache, layers, issues);
    const entry = strategy.entry;
    if (entry.kind === 'markov') {
      const m = model.markovModels.findIndex((mm) => mm.id === entry.model);
      if (m < 0) {
        issues.push(issue(['strategies', s, 'entry', 'model'], `unknown Markov model '${entry.model}'`));
        return;
      }
      if (!model.markovModels[m].initial) {
        issues.push(issue(['markovModels', m, 'initial'], `strategy '${strategy.id}' starts in Markov model '${entry.model}', which needs an initial distribution`));
        return;
      }
      const markov = compileMarkov(model, m, program, cache, issues);
      if (markov) strategies.push({ id: strategy.id, name: strategy.name, index: s, program, entry: { kind: 'markov', markov } });
    } else {
      const t = model.trees.findIndex((tr) => tr.id === entry.tree);
      if (t < 0) {
        issues.push(issue(['strategies', s, 'entry', 'tree'], `unknown decision tree '${entry.tree}'`));
        return;
      }
      const links = { markovIndices: new Set<number>() };
      const root = compileTree(model, t, entry.choices, ['strategies', s, 'entry', 'choices'], program, cache, issues, links);
      const markovs = [...links.markovIndices].sort((a, b) => a - b).map((m) => compileMarkov(model, m, program, cache, issues));
      if (root && markovs.every((m) => m !== null)) {
        strategies.push({ id: strategy.id, name: strategy.name, index: s, program, entry: { kind: 'tree', root, markovs: markovs as CompiledMarkov[] } });
      }
    }
  });

  if (issues.length > 0) return { ok: false, issues: dedupeIssues(issues) };
  return {
    ok: true,
    compiled: {
      model,
      scenarioId: scenario?.id ?? null,
      subgroupId: subgroup?.id ?? null,
      outcomeIds,
      settings: { nCycles, cycleYears, correction: settings.withinCycleCorrection, discount, costIndex, effectIndex, cohortSize: settings.cohortSize, settings },
      strategies,
      symbols,
      expressions: cache,
    },
  };
}

function checkUniqueIds(model: ModelFile, issues: ModelIssue[]): void {
  const check = (items: { id: string }[], kind: string, field: string) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (seen.has(item.id)) issues.push(issue([field, i, 'id'], `duplicate ${kind} id '${item.id}'`));
      seen.add(item.id);
    });
  };
  check(model.outcomes, 'outcome', 'outcomes');
  check(model.strategies, 'strategy', 'strategies');
  check(model.markovModels, 'Markov model', 'markovModels');
  check(model.trees, 'tree', 'trees');
  check(model.scenarios, 'scenario', 'scenarios');
  check(model.subgroups, 'subgroup', 'subgroups');
}

/** The same expression shared by several strategies would otherwise be reported once per strategy. */
function dedupeIssues(issues: ModelIssue[]): ModelIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
