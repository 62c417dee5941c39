/**
 * Deterministic sensitivity analysis: one-way (tornado data) and two-way grids.
 *
 * Every evaluation goes through the one evaluator (`evaluateStrategy`); DSA only changes the
 * parameter inputs. A numeric parameter's DSA value replaces `values[i]`; an expression parameter's
 * DSA value replaces the whole expression (`replaced[i] = 1`) for every cycle. A parameter that a
 * strategy (or scenario/subgroup) overrides keeps the override in that strategy: the override is
 * part of the strategy's definition, not an uncertain input.
 *
 * Ranges: the parameter's `low`/`high` from the file; a parameter with a PSA distribution but no
 * range gets the distribution's 2.5% and 97.5% quantiles (psa module `quantile`), the usual
 * "95% interval" convention for DSA ranges (Briggs et al. 2012, ISPOR-SMDM good practice, Value
 * Health 15(6):835-842). Parameters with neither are not varied.
 */
import type { ModelFile } from '../schema/model-file';
import { ModelError, issue } from '../schema/model-issue';
import { type CompiledModel, type Variant, compileModel } from '../engine/compile-model';
import { evaluateStrategy } from '../engine/evaluate';
import { FIRST_PARAMETER_SLOT, type ParameterInputs, SLOT, baseInputs, runSteps } from '../engine/parameters';
import { isDistributionError, quantile, resolveDistribution } from '../psa/distributions';

// ---------------------------------------------------------------------------------------------
// Shared helpers (also used by threshold.ts, scenarios.ts and psa.ts).
// ---------------------------------------------------------------------------------------------

/**
 * Value of every base parameter in the base case: numeric parameters as written; expression
 * parameters evaluated at cycle 0 (state_time 1) in the first strategy that does not override
 * them. NaN where the expression cannot be evaluated at cycle 0 or every strategy overrides it.
 */
export function parameterBaseValues(compiled: CompiledModel): Float64Array {
  const model = compiled.model;
  const out = baseInputs(model).values;
  const pending = new Set<number>();
  model.parameters.forEach((p, i) => {
    if (typeof p.value !== 'number') pending.add(i);
  });
  const inputs = baseInputs(model);
  for (const strategy of compiled.strategies) {
    if (pending.size === 0) break;
    const program = strategy.program;
    const slots = new Float64Array(program.slotCount);
    slots[SLOT.cycle] = 0;
    slots[SLOT.time] = 0;
    slots[SLOT.state_time] = 1;
    slots[SLOT.cycle_years] = compiled.settings.cycleYears;
    slots.fill(NaN, FIRST_PARAMETER_SLOT);
    // runSteps stops at the first non-finite value; later steps stay NaN, which is what we report.
    for (const steps of [program.staticSteps, program.cycleSteps, program.stateTimeSteps]) {
      try {
        runSteps(steps, slots, inputs);
      } catch {
        // A lookup table set to reject out-of-range keys: the remaining values stay NaN.
      }
    }
    for (const steps of [program.staticSteps, program.cycleSteps, program.stateTimeSteps]) {
      for (const step of steps) {
        if (!pending.has(step.inputIndex) || !step.replaceable) continue;
        const v = slots[step.slot];
        if (Number.isFinite(v)) {
          out[step.inputIndex] = v;
          pending.delete(step.inputIndex);
        }
      }
    }
  }
  return out;
}

/** Inputs for one evaluation with some parameters set to given values (expression parameters are replaced). */
export function inputsWith(model: ModelFile, base: ParameterInputs, changes: ReadonlyArray<readonly [number, number]>): ParameterInputs {
  const values = Float64Array.from(base.values);
  let replaced = base.replaced ? Uint8Array.from(base.replaced) : null;
  for (const [index, value] of changes) {
    values[index] = value;
    if (typeof model.parameters[index].value !== 'number') {
      replaced ??= new Uint8Array(model.parameters.length);
      replaced[index] = 1;
    }
  }
  return { values, replaced };
}

/** Totals per strategy (compiled order) per outcome, for the reported cohort size. */
export function evaluateTotals(compiled: CompiledModel, inputs: ParameterInputs): Float64Array[] {
  const cohort = compiled.settings.cohortSize;
  return compiled.strategies.map((s) => {
    const totals = evaluateStrategy(compiled, s, inputs, false).totals;
    if (cohort !== 1) for (let o = 0; o < totals.length; o++) totals[o] *= cohort;
    return totals;
  });
}

/** Evaluate with changed parameters; a ModelError is re-thrown with a first issue saying which values caused it. */
export function evaluateWithChanges(
  compiled: CompiledModel,
  base: ParameterInputs,
  changes: ReadonlyArray<readonly [number, number]>,
  context: string,
  path: ReadonlyArray<string | number> = [],
): Float64Array[] {
  try {
    return evaluateTotals(compiled, changes.length === 0 ? base : inputsWith(compiled.model, base, changes));
  } catch (error) {
    if (error instanceof ModelError && changes.length > 0) {
      const params = compiled.model.parameters;
      const what = changes.map(([i, v]) => `${params[i].id} = ${v}`).join(', ');
      throw new ModelError([
        issue(path, `${context}: the model cannot be evaluated with ${what} (see the following problems)`, params[changes[0][0]].id),
        ...error.issues,
      ]);
    }
    throw error;
  }
}

/**
 * What a sensitivity analysis reports. `outcome` is an outcome id ('cost' and 'effect' mean the
 * settings' cost and effect outcomes); with a comparator it is the increment strategy − comparator.
 * 'nmb' is NMB = effect·wtp − cost, or INMB with a comparator; 'icer' needs a comparator.
 */
export type DsaMetric =
  | { kind: 'outcome'; outcome: string; strategy: string; comparator: string | null }
  | { kind: 'nmb'; strategy: string; comparator: string | null; wtp: number }
  | { kind: 'icer'; strategy: string; comparator: string };

export type MetricRequest = { outcome?: string; strategy?: string; comparator?: string | null; wtp?: number };

/**
 * Fill in defaults: outcome 'nmb'; strategy = the second strategy (the first when there is only
 * one); comparator = the first strategy for 'nmb'/'icer' when there are two or more strategies
 * (none for plain outcomes unless asked); wtp = the settings' first threshold.
 */
export function resolveMetric(compiled: CompiledModel, request: MetricRequest = {}): DsaMetric {
  const ids = compiled.strategies.map((s) => s.id);
  const outcome = request.outcome ?? 'nmb';
  const strategy = request.strategy ?? (ids.length > 1 ? ids[1] : ids[0]);
  const check = (id: string, role: string) => {
    if (!ids.includes(id)) throw new ModelError([issue(['strategies'], `unknown ${role} strategy '${id}' (strategies: ${ids.join(', ')})`)]);
  };
  check(strategy, 'the');
  const defaultComparator = ids.length > 1 && ids[0] !== strategy ? ids[0] : null;
  let comparator = request.comparator === undefined ? null : request.comparator;
  if (comparator !== null) check(comparator, 'comparator');
  if (comparator === strategy) throw new ModelError([issue(['strategies'], `the strategy and the comparator are both '${strategy}'`)]);
  const wtp = request.wtp ?? compiled.settings.settings.wtpThresholds[0];
  if (!Number.isFinite(wtp) || wtp < 0) throw new ModelError([issue(['settings', 'wtpThresholds'], `the willingness to pay must be a finite number >= 0 (got ${wtp})`)]);
  if (outcome === 'nmb') return { kind: 'nmb', strategy, comparator: request.comparator === undefined ? defaultComparator : comparator, wtp };
  if (outcome === 'icer') {
    comparator ??= defaultComparator;
    if (comparator === null) throw new ModelError([issue(['strategies'], 'the ICER needs a comparator strategy')]);
    return { kind: 'icer', strategy, comparator };
  }
  const s = compiled.settings.settings;
  const id = outcome === 'cost' ? s.costOutcome : outcome === 'effect' ? s.effectOutcome : outcome;
  if (!compiled.outcomeIds.includes(id)) {
    throw new ModelError([issue(['outcomes'], `unknown outcome '${outcome}' (use nmb, icer, cost, effect or one of: ${compiled.outcomeIds.join(', ')})`)]);
  }
  return { kind: 'outcome', outcome: id, strategy, comparator };
}

export function describeMetric(metric: DsaMetric): string {
  switch (metric.kind) {
    case 'outcome':
      return metric.comparator ? `incremental ${metric.outcome}: ${metric.strategy} − ${metric.comparator}` : `${metric.outcome} of ${metric.strategy}`;
    case 'nmb':
      return metric.comparator
        ? `incremental net monetary benefit of ${metric.strategy} vs ${metric.comparator} at WTP ${metric.wtp}`
        : `net monetary benefit of ${metric.strategy} at WTP ${metric.wtp}`;
    case 'icer':
      return `ICER of ${metric.strategy} vs ${metric.comparator}`;
  }
}

/** The metric's value from per-strategy totals (compiled strategy order). ICER with ΔE = 0 gives ±Infinity or NaN. */
export function metricValue(compiled: CompiledModel, metric: DsaMetric, totals: Float64Array[]): number {
  const index = (id: string) => compiled.strategies.findIndex((s) => s.id === id);
  const { costIndex, effectIndex } = compiled.settings;
  const s = totals[index(metric.strategy)];
  const c = metric.kind === 'icer' || metric.comparator ? totals[index(metric.comparator!)] : null;
  switch (metric.kind) {
    case 'outcome': {
      const o = compiled.outcomeIds.indexOf(metric.outcome);
      return c ? s[o] - c[o] : s[o];
    }
    case 'nmb': {
      const dE = c ? s[effectIndex] - c[effectIndex] : s[effectIndex];
      const dC = c ? s[costIndex] - c[costIndex] : s[costIndex];
      return dE * metric.wtp - dC;
    }
    case 'icer':
      return (s[costIndex] - c![costIndex]) / (s[effectIndex] - c![effectIndex]);
  }
}

// ---------------------------------------------------------------------------------------------
// Ranges.
// ---------------------------------------------------------------------------------------------

export type DsaRange = {
  index: number;
  parameter: string;
  label: string;
  base: number;
  low: number;
  high: number;
  /** 'file': low/high written in the model; 'distribution-95': the PSA distribution's 2.5%/97.5% quantiles. */
  source: 'file' | 'distribution-95';
};

export type DsaSkipped = { parameter: string; reason: string };

/** DSA ranges of every parameter that has one (see the file comment for the default). */
export function dsaRanges(compiled: CompiledModel, baseValues = parameterBaseValues(compiled)): { ranges: DsaRange[]; skipped: DsaSkipped[] } {
  const ranges: DsaRange[] = [];
  const skipped: DsaSkipped[] = [];
  compiled.model.parameters.forEach((p, index) => {
    const base = baseValues[index];
    const label = p.label ?? p.id;
    if (p.low !== undefined && p.high !== undefined) {
      ranges.push({ index, parameter: p.id, label, base, low: p.low, high: p.high, source: 'file' });
      return;
    }
    if (p.low !== undefined || p.high !== undefined) {
      skipped.push({ parameter: p.id, reason: `only ${p.low !== undefined ? 'low' : 'high'} is given; a DSA range needs both` });
      return;
    }
    const d = p.distribution;
    if (!d || d.type === 'fixed') return;
    const resolved = resolveDistribution(d, base, p.id);
    if (isDistributionError(resolved)) {
      skipped.push({ parameter: p.id, reason: `its distribution is invalid: ${resolved.error}` });
      return;
    }
    const low = quantile(resolved, 0.025);
    const high = quantile(resolved, 0.975);
    if (!Number.isFinite(low) || !Number.isFinite(high)) {
      skipped.push({ parameter: p.id, reason: `the distribution's 95% interval is not finite (${low}, ${high})` });
      return;
    }
    ranges.push({ index, parameter: p.id, label, base, low, high, source: 'distribution-95' });
  });
  return { ranges, skipped };
}

function findRange(compiled: CompiledModel, id: string, ranges: DsaRange[], override?: [number, number]): DsaRange {
  const index = compiled.model.parameters.findIndex((p) => p.id === id);
  if (index < 0) throw new ModelError([issue(['parameters'], `unknown parameter '${id}'`, id)]);
  const base = parameterBaseValues(compiled)[index];
  const p = compiled.model.parameters[index];
  if (override) return { index, parameter: id, label: p.label ?? id, base, low: override[0], high: override[1], source: 'file' };
  const r = ranges.find((x) => x.index === index);
  if (!r) throw new ModelError([issue(['parameters', index], `parameter '${id}' has no DSA range (low/high) and no PSA distribution to derive one from`, id)]);
  return r;
}

// ---------------------------------------------------------------------------------------------
// One-way DSA and tornado data.
// ---------------------------------------------------------------------------------------------

export type TornadoRow = {
  parameter: string;
  label: string;
  source: DsaRange['source'];
  /** Input values. */
  base: number;
  low: number;
  high: number;
  /** The metric at the low and high input values. */
  outcomeLow: number;
  outcomeHigh: number;
  /** |outcomeHigh − outcomeLow| (Infinity if either is not finite, so such rows sort first). */
  width: number;
};

export type OneWayDsaResult = {
  kind: 'dsa-one-way';
  modelName: string;
  scenario: string | null;
  subgroup: string | null;
  metric: DsaMetric;
  description: string;
  /** The metric at every parameter's base value. */
  base: number;
  /** Sorted by width, widest first (ties keep model order). */
  rows: TornadoRow[];
  skipped: DsaSkipped[];
  rangeNote: string;
};

export const RANGE_NOTE =
  "ranges are the parameters' low/high from the model file; parameters with a PSA distribution but no range use the distribution's 2.5% and 97.5% quantiles";

export type DsaOptions = MetricRequest & { variant?: Variant; parameters?: string[] };

export function runOneWayDsa(model: ModelFile, options: DsaOptions = {}): OneWayDsaResult {
  const compiled = compileModel(model, options.variant ?? {});
  return oneWayFromCompiled(compiled, options);
}

export function oneWayFromCompiled(compiled: CompiledModel, options: DsaOptions = {}): OneWayDsaResult {
  const metric = resolveMetric(compiled, options);
  const baseValues = parameterBaseValues(compiled);
  const { ranges: all, skipped } = dsaRanges(compiled, baseValues);
  let ranges = all;
  if (options.parameters) ranges = options.parameters.map((id) => findRange(compiled, id, all));
  const inputs = baseInputs(compiled.model);
  const base = metricValue(compiled, metric, evaluateWithChanges(compiled, inputs, [], 'base case'));
  const rows: TornadoRow[] = ranges.map((r) => {
    const at = (v: number, which: 'low' | 'high') =>
      metricValue(
        compiled,
        metric,
        evaluateWithChanges(compiled, inputs, [[r.index, v]], `one-way DSA, ${which} value of '${r.parameter}' (${r.source === 'file' ? 'from the file' : "the distribution's " + (which === 'low' ? '2.5%' : '97.5%') + ' quantile'})`, ['parameters', r.index, r.source === 'file' ? which : 'distribution']),
      );
    const outcomeLow = at(r.low, 'low');
    const outcomeHigh = at(r.high, 'high');
    const width = Number.isFinite(outcomeLow) && Number.isFinite(outcomeHigh) ? Math.abs(outcomeHigh - outcomeLow) : Infinity;
    return { parameter: r.parameter, label: r.label, source: r.source, base: r.base, low: r.low, high: r.high, outcomeLow, outcomeHigh, width };
  });
  // Stable sort: equal widths keep model order.
  const order = rows.map((_, i) => i).sort((a, b) => (rows[b].width - rows[a].width) || a - b);
  return {
    kind: 'dsa-one-way',
    modelName: compiled.model.metadata.name,
    scenario: compiled.scenarioId,
    subgroup: compiled.subgroupId,
    metric,
    description: describeMetric(metric),
    base,
    rows: order.map((i) => rows[i]),
    skipped,
    rangeNote: RANGE_NOTE,
  };
}

// ---------------------------------------------------------------------------------------------
// Two-way DSA.
// ---------------------------------------------------------------------------------------------

export type TwoWayDsaResult = {
  kind: 'dsa-two-way';
  modelName: string;
  metric: DsaMetric;
  description: string;
  parameters: [string, string];
  /** Values of the first parameter (rows) and of the second (columns), evenly spaced low..high inclusive. */
  values1: number[];
  values2: number[];
  /** grid[i][j]: the metric with parameter 1 = values1[i] and parameter 2 = values2[j]. */
  grid: number[][];
  base: number;
};

export type TwoWayOptions = MetricRequest & {
  variant?: Variant;
  parameters: [string, string];
  /** Number of values per parameter (n and m); default 11. */
  steps?: number | [number, number];
  ranges?: [[number, number] | undefined, [number, number] | undefined];
};

export const MAX_TWO_WAY_STEPS = 1000;

function evenly(low: number, high: number, n: number): number[] {
  if (n === 1) return [low];
  return Array.from({ length: n }, (_, k) => (k === n - 1 ? high : low + ((high - low) * k) / (n - 1)));
}

export function runTwoWayDsa(model: ModelFile, options: TwoWayOptions): TwoWayDsaResult {
  const compiled = compileModel(model, options.variant ?? {});
  const metric = resolveMetric(compiled, options);
  const [id1, id2] = options.parameters;
  if (id1 === id2) throw new ModelError([issue(['parameters'], `two-way DSA needs two different parameters (got '${id1}' twice)`, id1)]);
  const [n, m] = Array.isArray(options.steps) ? options.steps : [options.steps ?? 11, options.steps ?? 11];
  for (const k of [n, m]) {
    if (!Number.isInteger(k) || k < 2 || k > MAX_TWO_WAY_STEPS) throw new ModelError([issue([], `two-way DSA steps must be whole numbers from 2 to ${MAX_TWO_WAY_STEPS} (got ${k})`)]);
  }
  const { ranges } = dsaRanges(compiled);
  const r1 = findRange(compiled, id1, ranges, options.ranges?.[0]);
  const r2 = findRange(compiled, id2, ranges, options.ranges?.[1]);
  const values1 = evenly(r1.low, r1.high, n);
  const values2 = evenly(r2.low, r2.high, m);
  const inputs = baseInputs(compiled.model);
  const grid = values1.map((v1) =>
    values2.map((v2) =>
      metricValue(compiled, metric, evaluateWithChanges(compiled, inputs, [[r1.index, v1], [r2.index, v2]], 'two-way DSA', ['parameters', r1.index])),
    ),
  );
  const base = metricValue(compiled, metric, evaluateTotals(compiled, inputs));
  return { kind: 'dsa-two-way', modelName: compiled.model.metadata.name, metric, description: describeMetric(metric), parameters: [id1, id2], values1, values2, grid, base };
}
