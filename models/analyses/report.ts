/**
 * The results a user sees: per strategy and per scenario (and population-weighted over subgroups)
 * cost, effect, cost per unit of effect, ICER and net monetary benefit against a comparator, cost per
 * responder, drug amounts and events per patient and per 1,000, with a plain-language summary and
 * the parameters that drive the result (one-way DSA tornado).
 *
 * It works on any model through a documented mapping of outcomes:
 * - the cost and effect outcomes are the settings' `costOutcome` and `effectOutcome`;
 * - `responders`: the outcome with id 'responders' (option `respondersOutcome`) gives cost per responder;
 * - drug amounts: every outcome whose unit is 'mg' (case-insensitive; option `drugUnits`);
 * - events: every other outcome that is not discounted (discount 'none'), e.g. adverse events,
 *   interaction events, hospitalisations, deaths; reported per patient, per 1,000 (option `perN`)
 *   and as "avoided per 1,000" against the comparator (comparator − strategy; negative = more events);
 * - cost components: every other outcome discounted as a cost.
 * The comparator is option `comparator` or the first strategy in the file.
 */
import type { ModelFile } from '../schema/model-file';
import { type Variant, compileModel } from '../engine/compile-model';
import { baseInputs } from '../engine/parameters';
import { baseCaseFromCompiled, type BaseCaseResult } from './base-case';
import { type IncrementalRow, computeIncremental } from './incremental';
import { oneWayFromCompiled } from './dsa';

export type ReportOptions = {
  /** Scenario ids to report besides the base case; 'all' (default) for every scenario in the file. */
  scenarios?: string[] | 'all';
  /** Subgroup applied to every scenario (default none). */
  subgroup?: string | null;
  comparator?: string;
  /** Strategy whose incremental NMB vs the comparator is explained by the DSA (default: the first non-comparator strategy). */
  focus?: string;
  respondersOutcome?: string;
  drugUnits?: string[];
  perN?: number;
  /** Population-weighted results over subgroups with weight > 0 (base case only). Default true. */
  weighted?: boolean;
  /** Base-case results of every subgroup (default true). */
  perSubgroup?: boolean;
  /** One-way DSA on the base case for the drivers (default true); `dsaTop` rows (default 5). */
  dsa?: boolean;
  dsaTop?: number;
};

export type AmountRow = { outcome: string; label: string; unit: string | null; perPatient: number; perN: number; avoidedPerN: number | null };

export type StrategyReport = {
  id: string;
  name: string;
  cost: number;
  effect: number;
  /** Average cost per unit of effect (cost / effect). */
  costPerEffect: number | null;
  /** Incremental vs the comparator (null for the comparator itself). */
  incrementalCost: number | null;
  incrementalEffect: number | null;
  /** ICER vs the comparator: null when ΔE = 0; see `dominance` for the sign pattern. */
  icerVsComparator: number | null;
  dominance: 'comparator' | 'dominant' | 'dominated' | 'more costly, more effective' | 'less costly, less effective' | 'equal';
  responders: number | null;
  costPerResponder: number | null;
  nmb: { wtp: number; nmb: number; incrementalNmb: number | null }[];
  drugs: AmountRow[];
  events: AmountRow[];
  costComponents: { outcome: string; label: string; value: number; incremental: number | null }[];
};

export type VariantReport = {
  scenario: string | null;
  scenarioName: string;
  subgroup: string | null;
  /** 'population-weighted' when averaged over subgroups. */
  kind: 'single' | 'population-weighted';
  settings: { horizon: string; discountCosts: number; discountEffects: number };
  strategies: StrategyReport[];
  /** Full incremental analysis (frontier, dominance). */
  incremental: IncrementalRow[];
  summary: string;
};

export type DriverRow = { parameter: string; label: string; confidence: string | null; low: number; high: number; outcomeLow: number; outcomeHigh: number; width: number };

export type ModelReport = {
  kind: 'report';
  modelName: string;
  comparator: string;
  focus: string;
  currency: string;
  effectLabel: string;
  perN: number;
  wtpThresholds: number[];
  mapping: string;
  variants: VariantReport[];
  populationWeighted: VariantReport | null;
  /** Base case per subgroup (the file's subgroups, in order), when requested. */
  subgroups: (VariantReport & { weight: number; subgroupName: string })[];
  subgroupWeights: { id: string; name: string; weight: number }[];
  drivers: { description: string; base: number; rows: DriverRow[] } | { note: string };
  summary: string;
};

export const REPORT_MAPPING =
  "cost and effect: the settings' costOutcome and effectOutcome; responders: outcome 'responders'; drug amounts: outcomes with unit 'mg'; " +
  "events: other outcomes with discount 'none' (per patient, per 1,000 and avoided per 1,000 vs the comparator = comparator − strategy); " +
  'cost components: other outcomes discounted as costs.';

type Totals = { id: string; name: string; outcomes: Record<string, number> };

export function buildReport(model: ModelFile, options: ReportOptions = {}): ModelReport {
  const perN = options.perN ?? 1000;
  const ids = model.strategies.map((s) => s.id);
  const comparator = options.comparator ?? ids[0];
  if (!ids.includes(comparator)) throw new Error(`unknown comparator strategy '${comparator}' (strategies: ${ids.join(', ')})`);
  const focus = options.focus ?? ids.find((id) => id !== comparator) ?? comparator;
  const scenarioIds = options.scenarios === undefined || options.scenarios === 'all' ? model.scenarios.map((s) => s.id) : options.scenarios;
  const subgroup = options.subgroup ?? null;
  const ctx = makeContext(model, options, comparator, perN);

  const variants: VariantReport[] = [];
  for (const scenario of [null, ...scenarioIds]) {
    const result = runVariant(model, { scenario, subgroup });
    variants.push(ctx.variantFromTotals(result.strategies.map((s) => ({ id: s.id, name: s.name, outcomes: s.outcomes })), {
      scenario,
      subgroup,
      kind: 'single',
      settings: result,
    }));
  }

  const weights = model.subgroups.filter((s) => s.weight > 0);
  let populationWeighted: VariantReport | null = null;
  if ((options.weighted ?? true) && weights.length > 0 && subgroup === null) {
    const totalWeight = weights.reduce((a, s) => a + s.weight, 0);
    const acc: Totals[] = model.strategies.map((s) => ({ id: s.id, name: s.name, outcomes: Object.fromEntries(model.outcomes.map((o) => [o.id, 0])) }));
    let last: BaseCaseResult | null = null;
    for (const sg of weights) {
      const result = runVariant(model, { subgroup: sg.id });
      last = result;
      result.strategies.forEach((s, i) => {
        for (const o of model.outcomes) acc[i].outcomes[o.id] += (sg.weight / totalWeight) * s.outcomes[o.id];
      });
    }
    populationWeighted = ctx.variantFromTotals(acc, { scenario: null, subgroup: null, kind: 'population-weighted', settings: last! });
  }

  const perSubgroup: ModelReport['subgroups'] = [];
  if ((options.perSubgroup ?? true) && subgroup === null) {
    for (const sg of model.subgroups) {
      const result = runVariant(model, { subgroup: sg.id });
      const v = ctx.variantFromTotals(result.strategies.map((s) => ({ id: s.id, name: s.name, outcomes: s.outcomes })), { scenario: null, subgroup: sg.id, kind: 'single', settings: result });
      perSubgroup.push({ ...v, weight: sg.weight, subgroupName: sg.name });
    }
  }

  let drivers: ModelReport['drivers'];
  if (options.dsa === false) drivers = { note: 'the drivers need a one-way DSA (not run: dsa option false)' };
  else if (focus === comparator) drivers = { note: 'the drivers need two strategies' };
  else {
    try {
      const compiled = compileModel(model, { subgroup });
      const wtp = model.settings.wtpThresholds[0];
      const dsa = oneWayFromCompiled(compiled, { strategy: focus, comparator, wtp });
      const top = options.dsaTop ?? 5;
      drivers = {
        description: dsa.description,
        base: dsa.base,
        rows: dsa.rows.slice(0, top).map((r) => ({
          parameter: r.parameter,
          label: r.label,
          confidence: model.parameters.find((p) => p.id === r.parameter)?.confidence ?? null,
          low: r.low,
          high: r.high,
          outcomeLow: r.outcomeLow,
          outcomeHigh: r.outcomeHigh,
          width: r.width,
        })),
      };
    } catch (error) {
      drivers = { note: `the drivers need a one-way DSA, which failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
    }
  }

  const base = variants[0];
  const effect = model.outcomes.find((o) => o.id === model.settings.effectOutcome);
  const summary = [base.summary, populationWeighted ? `Population-weighted over ${weights.length} subgroups: ${populationWeighted.summary}` : '', driversText(drivers, ctx.currency)]
    .filter(Boolean)
    .join('\n\n');
  return {
    kind: 'report',
    modelName: model.metadata.name,
    comparator,
    focus,
    currency: ctx.currency,
    effectLabel: effect?.label ?? model.settings.effectOutcome,
    perN,
    wtpThresholds: model.settings.wtpThresholds,
    mapping: REPORT_MAPPING,
    variants,
    populationWeighted,
    subgroups: perSubgroup,
    subgroupWeights: model.subgroups.map((s) => ({ id: s.id, name: s.name, weight: s.weight })),
    drivers,
    summary,
  };
}

function runVariant(model: ModelFile, variant: Variant): BaseCaseResult {
  const compiled = compileModel(model, variant);
  return baseCaseFromCompiled(compiled, baseInputs(model), false);
}

function makeContext(model: ModelFile, options: ReportOptions, comparator: string, perN: number) {
  const s = model.settings;
  const currency = s.currency;
  const respondersId = options.respondersOutcome ?? 'responders';
  const drugUnits = (options.drugUnits ?? ['mg']).map((u) => u.toLowerCase());
  const hasResponders = model.outcomes.some((o) => o.id === respondersId);
  const drugOutcomes = model.outcomes.filter((o) => drugUnits.includes((o.unit ?? '').toLowerCase()));
  const eventOutcomes = model.outcomes.filter(
    (o) => o.discount === 'none' && !drugOutcomes.includes(o) && o.id !== respondersId && o.id !== s.costOutcome && o.id !== s.effectOutcome,
  );
  const costComponents = model.outcomes.filter((o) => o.discount === 'costs' && o.id !== s.costOutcome);
  const effect = model.outcomes.find((o) => o.id === s.effectOutcome);
  const effectUnit = effect?.unit ?? s.effectOutcome;
  const scenarioName = (id: string | null) => (id === null ? 'Base case' : (model.scenarios.find((x) => x.id === id)?.name ?? id));

  const variantFromTotals = (
    totals: Totals[],
    meta: { scenario: string | null; subgroup: string | null; kind: VariantReport['kind']; settings: BaseCaseResult },
  ): VariantReport => {
    const comp = totals.find((t) => t.id === comparator)!;
    const wtps = meta.settings.settings.wtpThresholds;
    const strategies: StrategyReport[] = totals.map((t) => {
      const cost = t.outcomes[s.costOutcome];
      const eff = t.outcomes[s.effectOutcome];
      const isComp = t.id === comparator;
      const dC = isComp ? null : cost - comp.outcomes[s.costOutcome];
      const dE = isComp ? null : eff - comp.outcomes[s.effectOutcome];
      const responders = hasResponders ? t.outcomes[respondersId] : null;
      const amount = (o: (typeof model.outcomes)[number]): AmountRow => ({
        outcome: o.id,
        label: o.label ?? o.id,
        unit: o.unit ?? null,
        perPatient: t.outcomes[o.id],
        perN: t.outcomes[o.id] * perN,
        avoidedPerN: isComp ? null : (comp.outcomes[o.id] - t.outcomes[o.id]) * perN,
      });
      return {
        id: t.id,
        name: t.name,
        cost,
        effect: eff,
        costPerEffect: eff !== 0 ? cost / eff : null,
        incrementalCost: dC,
        incrementalEffect: dE,
        icerVsComparator: dC === null || dE === null || dE === 0 ? null : dC / dE,
        dominance: dominance(isComp, dC, dE),
        responders,
        costPerResponder: responders !== null && responders > 0 ? cost / responders : null,
        nmb: wtps.map((wtp) => ({ wtp, nmb: eff * wtp - cost, incrementalNmb: dC === null || dE === null ? null : dE * wtp - dC })),
        drugs: drugOutcomes.map(amount),
        events: eventOutcomes.map(amount),
        costComponents: costComponents.map((o) => ({ outcome: o.id, label: o.label ?? o.id, value: t.outcomes[o.id], incremental: isComp ? null : t.outcomes[o.id] - comp.outcomes[o.id] })),
      };
    });
    const incremental = computeIncremental(totals.map((t) => ({ id: t.id, cost: t.outcomes[s.costOutcome], effect: t.outcomes[s.effectOutcome] })));
    const st = meta.settings.settings;
    const report: VariantReport = {
      scenario: meta.scenario,
      scenarioName: meta.kind === 'population-weighted' ? 'Population-weighted (subgroups)' : scenarioName(meta.scenario),
      subgroup: meta.subgroup,
      kind: meta.kind,
      settings: { horizon: `${st.timeHorizon.value} ${st.timeHorizon.unit}`, discountCosts: st.discountRates.costs, discountEffects: st.discountRates.effects },
      strategies,
      incremental,
      summary: '',
    };
    report.summary = summarise(report, comparator, currency, effectUnit, perN);
    return report;
  };
  return { variantFromTotals, currency };
}

function dominance(isComparator: boolean, dC: number | null, dE: number | null): StrategyReport['dominance'] {
  if (isComparator || dC === null || dE === null) return 'comparator';
  const eps = 1e-12;
  if (Math.abs(dC) <= eps && Math.abs(dE) <= eps) return 'equal';
  if (dC <= eps && dE >= -eps) return 'dominant';
  if (dC >= -eps && dE <= eps) return 'dominated';
  return dC > 0 ? 'more costly, more effective' : 'less costly, less effective';
}

const money = (x: number, currency: string, digits = 2) => `${currency} ${x.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
const num = (x: number, digits = 1) => x.toLocaleString('en-GB', { maximumFractionDigits: digits });
const sig = (x: number) =>
  Math.abs(x) < 0.001 && x !== 0
    ? x.toExponential(2)
    : Math.abs(x) >= 1
      ? x.toLocaleString('en-GB', { maximumFractionDigits: 2 })
      : x.toLocaleString('en-GB', { maximumSignificantDigits: 3 });

function summarise(v: VariantReport, comparator: string, currency: string, effectUnit: string, perN: number): string {
  const comp = v.strategies.find((s) => s.id === comparator)!;
  const parts: string[] = [];
  parts.push(
    `${v.scenarioName} (${v.settings.horizon}, per patient): ${comp.name} costs ${money(comp.cost, currency)} and yields ${comp.effect.toLocaleString('en-GB', { maximumSignificantDigits: 6 })} ${effectUnit}.`,
  );
  for (const s of v.strategies) {
    if (s.id === comparator) continue;
    const dC = s.incrementalCost!;
    const dE = s.incrementalEffect!;
    const verdict =
      s.dominance === 'dominant'
        ? 'it dominates (no more costly, at least as effective)'
        : s.dominance === 'dominated'
          ? 'it is dominated (no cheaper, no more effective)'
          : s.dominance === 'equal'
            ? 'it is equivalent'
            : `ICER ${money(s.icerVsComparator!, currency, 0)} per ${effectUnit}`;
    const inmb = s.nmb[0].incrementalNmb!;
    let line = `${s.name}: ${dC >= 0 ? '+' : '−'}${money(Math.abs(dC), currency)} and ${dE >= 0 ? '+' : '−'}${sig(Math.abs(dE))} ${effectUnit} vs ${comp.name}; ${verdict}; incremental NMB at ${money(s.nmb[0].wtp, currency, 0)}/${effectUnit}: ${money(inmb, currency)}.`;
    const components = s.costComponents.filter((c) => c.incremental !== null && Math.abs(c.incremental) >= 0.005);
    if (components.length > 0) {
      line += ` Cost components vs ${comp.name}: ${components.map((c) => `${c.label} ${c.incremental! >= 0 ? '+' : '−'}${money(Math.abs(c.incremental!), currency)}`).join(', ')} per patient.`;
    }
    const drugs = s.drugs.filter((d) => d.avoidedPerN !== null && Math.abs(d.avoidedPerN) > 1e-9);
    if (drugs.length > 0) {
      line += ` Drug use vs ${comp.name} per patient: ${drugs.map((d) => `${d.label} ${d.avoidedPerN! >= 0 ? '−' : '+'}${num(Math.abs(d.avoidedPerN!) / perN)} mg`).join(', ')}.`;
    }
    const events = s.events.filter((e) => e.avoidedPerN !== null && Math.abs(e.avoidedPerN) > 1e-9);
    if (events.length > 0) {
      line += ` Per ${perN.toLocaleString('en-GB')} patients: ${events.map((e) => `${e.label} ${e.avoidedPerN! >= 0 ? 'avoided' : 'added'} ${sig(Math.abs(e.avoidedPerN!))}`).join('; ')}.`;
    }
    parts.push(line);
  }
  return parts.join(' ');
}

function driversText(drivers: ModelReport['drivers'], currency: string): string {
  if ('note' in drivers) return `What drives the result: ${drivers.note}.`;
  if (drivers.rows.length === 0) return 'What drives the result: no parameter has a DSA range.';
  const rows = drivers.rows.map(
    (r) =>
      `${r.label} [${r.parameter}${r.confidence ? `, ${r.confidence}` : ''}] (${sig(r.low)} to ${sig(r.high)}: ${money(r.outcomeLow, currency)} to ${money(r.outcomeHigh, currency)})`,
  );
  const assumptions = drivers.rows.filter((r) => r.confidence === 'assumption').length;
  return `What drives the result (one-way DSA, ${drivers.description}; base ${money(drivers.base, currency)}): ${rows.join('; ')}. ${assumptions} of the top ${drivers.rows.length} are labelled assumptions.`;
}
