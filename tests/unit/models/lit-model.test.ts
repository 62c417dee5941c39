/**
 * Tests that would catch a wrong LIT vs systemic model (models/examples/lit-vs-systemic.model.json):
 * harm scaling by dose ratio, interaction benefit, session costs, validity of probabilities and
 * traces over every DSA extreme and many seeded PSA draws, sources and confidence labels checked
 * against the evidence files, presets and the results report.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runBaseCase, type StrategyResult } from '../../../models/analyses/base-case';
import { buildReport } from '../../../models/analyses/report';
import { compileModel, type CompiledModel } from '../../../models/engine/compile-model';
import { evaluateStrategy } from '../../../models/engine/evaluate';
import { baseInputs, type ParameterInputs } from '../../../models/engine/parameters';
import { parameterBaseValues } from '../../../models/analyses/dsa';
import { drawParameters, preparePsa, type PsaParameterSpec } from '../../../models/psa';
import { applyPreset } from '../../../models/run/apply-preset';
import { checkModel } from '../../../models/run/validate-model';
import type { ModelFile } from '../../../models/schema/model-file';
import { ModelError } from '../../../models/schema/model-issue';
import { loadModelFile, repoRoot, sharedRoot } from '../../helpers/load';

const MODEL_PATH = 'models/examples/lit-vs-systemic.model.json';
const model = loadModelFile(MODEL_PATH);

/** A copy of the model with some parameters' base values replaced. */
function withValues(values: Record<string, number | string>): ModelFile {
  const copy = structuredClone(model);
  for (const [id, value] of Object.entries(values)) {
    const p = copy.parameters.find((x) => x.id === id);
    if (!p) throw new Error(`no parameter ${id}`);
    p.value = value;
  }
  return copy;
}
const byId = (strategies: StrategyResult[]) => Object.fromEntries(strategies.map((s) => [s.id, s]));
const HARMS = ['ugic', 'mve', 'aki', 'ddi_events', 'hospitalisations', 'complication_deaths', 'cost_adverse_events'];

describe('LIT model: structure and validity', () => {
  it('validates (every scenario and subgroup evaluates without problems)', () => {
    expect(checkModel(model).filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('base case is plausible: per-patient costs in tens to hundreds of euros, tiny QALY differences over 1 year', () => {
    const r = byId(runBaseCase(model).strategies);
    for (const s of Object.values(r)) {
      expect(s.cost).toBeGreaterThan(10);
      expect(s.cost).toBeLessThan(1000);
      expect(s.effect).toBeGreaterThan(0.7);
      expect(s.effect).toBeLessThan(1);
    }
    expect(Math.abs(r.lit.effect - r.systemic.effect)).toBeLessThan(0.001);
    // 5 sessions × €40 = €200 for the LIT course itself.
    expect(r.lit.outcomes.cost_course_drugs + r.lit.outcomes.cost_course_procedures).toBeCloseTo(200, 10);
    // Drug amounts of the Costantino protocol.
    expect(r.systemic.outcomes.mg_ketoprofen).toBeCloseTo(1920, 10);
    expect(r.lit.outcomes.mg_ketoprofen).toBeCloseTo(800, 10);
    expect(r.lit.outcomes.mg_methylprednisolone).toBeCloseTo(140, 10);
    expect(r.systemic.outcomes.mg_methylprednisolone).toBeCloseTo(220, 10);
    expect(r.placebo_lit.outcomes.mg_ketoprofen).toBe(0);
  });

  it('responders follow p_response_systemic × RR in each arm (up to complications)', () => {
    const r = byId(runBaseCase(model).strategies);
    expect(r.systemic.outcomes.responders).toBeCloseTo(0.6, 3);
    expect(r.placebo_lit.outcomes.responders).toBeCloseTo(0.6 * 0.85, 3);
  });
});

describe('LIT model: harms scale with systemic exposure', () => {
  it('dose ratio 1, equal efficacy and no PPI difference: LIT and systemic harms are equal', () => {
    // The LIT arm had no gastroprotection in Costantino 2011, so the PPI effect is neutralised too.
    const m = withValues({ dose_ratio: 1, rr_response_lit: 1, rr_ugic_ppi: 1 });
    const r = byId(runBaseCase(m).strategies);
    for (const o of HARMS) {
      expect(r.systemic.outcomes[o]).toBeGreaterThan(0);
      expect(r.lit.outcomes[o]).toBeCloseTo(r.systemic.outcomes[o], 15);
      expect(Math.abs(r.lit.outcomes[o] - r.systemic.outcomes[o]) / r.systemic.outcomes[o]).toBeLessThan(1e-12);
    }
  });

  it('dose ratio 0: LIT harms equal those of drug-free placebo LIT', () => {
    const r = byId(runBaseCase(withValues({ dose_ratio: 0 })).strategies);
    for (const o of HARMS) expect(Math.abs(r.lit.outcomes[o] - r.placebo_lit.outcomes[o])).toBeLessThan(1e-15);
  });

  it('the excess risk on LIT is the dose ratio times the systemic excess (RR_LIT = 1 + (RR − 1) × ratio)', () => {
    // Without PPI and interactions, the NSAID-attributable UGIC excess of LIT / systemic = dose ratio (to first order).
    const m = withValues({ rr_ugic_ppi: 1, share_anticoagulant_adult: 0, share_triple_whammy_adult: 0 });
    const r = byId(runBaseCase(m).strategies);
    const ratio = (r.lit.outcomes.ugic - r.placebo_lit.outcomes.ugic) / (r.systemic.outcomes.ugic - r.placebo_lit.outcomes.ugic);
    expect(ratio).toBeCloseTo(800 / 1920, 3);
  });

  it('harms increase monotonically with the dose ratio', () => {
    let previous = -Infinity;
    for (const ratio of [0, 0.25, 0.5, 0.75, 1]) {
      const lit = byId(runBaseCase(withValues({ dose_ratio: ratio })).strategies).lit;
      expect(lit.outcomes.hospitalisations).toBeGreaterThan(previous);
      previous = lit.outcomes.hospitalisations;
    }
  });
});

describe('LIT model: avoided interactions', () => {
  it('with zero interaction risk the avoided-interaction benefit is zero', () => {
    for (const scenario of ['no_interaction_risk']) {
      const r = byId(runBaseCase(model, { scenario }).strategies);
      for (const s of Object.values(r)) expect(s.outcomes.ddi_events).toBe(0);
      expect(r.systemic.outcomes.ddi_events - r.lit.outcomes.ddi_events).toBe(0);
    }
    // Elderly cohort with no interacting co-medication.
    const m = withValues({ start_age: 75, share_anticoagulant_elderly: 0, share_triple_whammy_elderly: 0 });
    const r = byId(runBaseCase(m).strategies);
    expect(r.systemic.outcomes.ddi_events).toBe(0);
    expect(r.systemic.outcomes.aki).toBe(0);
    // With the anticoagulant interaction multiplier at 1 and no triple whammy: also zero.
    const m2 = withValues({ rr_ugic_anticoag_interaction: 1, share_triple_whammy_adult: 0, share_triple_whammy_elderly: 0 });
    expect(byId(runBaseCase(m2).strategies).systemic.outcomes.ddi_events).toBe(0);
  });

  it('interaction events are avoided by LIT when interaction risk exists, more so in the elderly scenarios', () => {
    const base = byId(runBaseCase(model).strategies);
    const elderly = byId(runBaseCase(model, { scenario: 'avoided_interactions_elderly' }).strategies);
    const avoidedBase = base.systemic.outcomes.ddi_events - base.lit.outcomes.ddi_events;
    const avoidedElderly = elderly.systemic.outcomes.ddi_events - elderly.lit.outcomes.ddi_events;
    expect(avoidedBase).toBeGreaterThan(0);
    expect(avoidedElderly).toBeGreaterThan(avoidedBase);
    for (const scenario of ['interactions_anticoagulant_75', 'interactions_triple_whammy_75']) {
      const r = byId(runBaseCase(model, { scenario }).strategies);
      expect(r.systemic.outcomes.ddi_events).toBeGreaterThan(r.lit.outcomes.ddi_events);
      expect(r.placebo_lit.outcomes.ddi_events).toBe(0);
    }
  });
});

describe('LIT model: sessions and drug sparing', () => {
  it('doubling the session count doubles the LIT session cost (and the placebo session cost); systemic unchanged', () => {
    const three = byId(runBaseCase(model, { scenario: 'sessions_3' }).strategies);
    const six = byId(runBaseCase(model, { scenario: 'sessions_6' }).strategies);
    const course = (s: StrategyResult) => s.outcomes.cost_course_drugs + s.outcomes.cost_course_procedures;
    expect(course(six.lit)).toBeCloseTo(2 * course(three.lit), 10);
    expect(course(three.lit)).toBeCloseTo(3 * 40, 10);
    expect(six.placebo_lit.outcomes.cost_course_procedures).toBeCloseTo(2 * three.placebo_lit.outcomes.cost_course_procedures, 10);
    expect(course(six.systemic)).toBeCloseTo(course(three.systemic), 12);
    expect(six.lit.outcomes.mg_ketoprofen).toBeCloseTo(2 * three.lit.outcomes.mg_ketoprofen, 10);
  });

  it('session scenarios 1–6 give LIT ketoprofen 160 mg per session', () => {
    for (let n = 1; n <= 6; n++) {
      const r = byId(runBaseCase(model, { scenario: `sessions_${n}` }).strategies);
      expect(r.lit.outcomes.mg_ketoprofen).toBeCloseTo(160 * n, 10);
    }
  });

  it('drug-sparing scenarios: low-dose LIT (4 × 100 mg) and ketoprofen-acid equivalents keep the sparing ratio', () => {
    const low = byId(runBaseCase(model, { scenario: 'drug_sparing_low_dose' }).strategies);
    expect(low.lit.outcomes.mg_ketoprofen / low.systemic.outcomes.mg_ketoprofen).toBeCloseTo(400 / 1920, 10);
    const acid = byId(runBaseCase(model, { scenario: 'ketoprofen_acid_equivalent' }).strategies);
    expect(acid.systemic.outcomes.mg_ketoprofen).toBeCloseTo(1200, 10);
    expect(acid.lit.outcomes.mg_ketoprofen).toBeCloseTo(500, 10);
  });

  it('the 5-year horizon scenario runs 60 monthly cycles with the age advancing', () => {
    const r = runBaseCase(model, { scenario: 'horizon_5y' });
    expect(r.settings.nCycles).toBe(60);
    expect(r.settings.withinCycleCorrection).toBe('half-cycle');
    const trace = r.strategies[0].markov![0].trace;
    const dead = r.strategies[0].markov![0].stateIds.indexOf('dead');
    // Background mortality accumulates: 5-year death probability from age 45 is a few per thousand.
    expect(trace[60][dead]).toBeGreaterThan(0.003);
    expect(trace[60][dead]).toBeLessThan(0.03);
  });
});

// ---------------------------------------------------------------------------------------------
// Validity over the PSA range and at every DSA extreme.
// ---------------------------------------------------------------------------------------------

function checkTraces(compiled: CompiledModel, inputs: ParameterInputs, what: string): void {
  for (const strategy of compiled.strategies) {
    let evaluation;
    try {
      evaluation = evaluateStrategy(compiled, strategy, inputs, true);
    } catch (error) {
      if (error instanceof ModelError) throw new Error(`${what}, strategy ${strategy.id}: ${error.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
      throw error;
    }
    for (const detail of evaluation.markov!) {
      for (const row of detail.trace) {
        const sum = row.reduce((a, b) => a + b, 0);
        if (Math.abs(sum - 1) > 1e-9 || row.some((x) => x < -1e-12)) throw new Error(`${what}, strategy ${strategy.id}: invalid trace row ${row}`);
      }
    }
    for (const node of evaluation.tree!) {
      if (!(node.branchProbability >= 0 && node.branchProbability <= 1)) throw new Error(`${what}: branch probability ${node.branchProbability} at ${node.id}`);
    }
  }
}

describe('LIT model: probabilities and traces stay valid over the uncertainty ranges', () => {
  const variants: { scenario?: string; subgroup?: string }[] = [{}, { scenario: 'horizon_5y' }, { scenario: 'avoided_interactions_elderly' }, { subgroup: 'male_75plus' }];

  it('at every DSA extreme (low and high of every parameter with a range)', () => {
    for (const variant of variants) {
      const compiled = compileModel(model, variant);
      const base = parameterBaseValues(compiled);
      model.parameters.forEach((p, i) => {
        if (p.low === undefined || p.high === undefined) return;
        for (const v of [p.low, p.high]) {
          const values = Float64Array.from(base);
          values[i] = v;
          const replaced = new Uint8Array(model.parameters.length);
          replaced[i] = 1;
          checkTraces(compiled, { values, replaced }, `${JSON.stringify(variant)} ${p.id} = ${v}`);
        }
      });
    }
  });

  it('at 300 seeded PSA draws (all distributions drawn together)', () => {
    for (const variant of [{}, { scenario: 'avoided_interactions_elderly' }]) {
      const compiled = compileModel(model, variant);
      const base = parameterBaseValues(compiled);
      const specs: PsaParameterSpec[] = model.parameters.map((p, i) => ({ id: p.id, baseValue: base[i], distribution: p.distribution }));
      const prepared = preparePsa(specs, model.correlations);
      if ('errors' in prepared) throw new Error(JSON.stringify(prepared.errors));
      const replaced = new Uint8Array(model.parameters.length);
      model.parameters.forEach((p, i) => {
        if (typeof p.value === 'string' && p.distribution && p.distribution.type !== 'fixed') replaced[i] = 1;
      });
      const values = new Float64Array(model.parameters.length);
      for (let draw = 0; draw < 300; draw++) {
        drawParameters(prepared, 20251126, draw, values);
        checkTraces(compiled, { values: Float64Array.from(values), replaced }, `draw ${draw}`);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Sources and confidence labels against the evidence files.
// ---------------------------------------------------------------------------------------------

/** Rows of the markdown parameter tables: first cell (name) and last cell (confidence). */
function evidenceRows(file: string): { name: string; confidence: string }[] {
  const text = readFileSync(sharedRoot + 'data/' + file, 'utf8');
  const rows: { name: string; confidence: string }[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('|') || /^\|\s*-/.test(line) || /^\|\s*name\s*\|/.test(line)) continue;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (cells.length < 3) continue;
    rows.push({ name: cells[0], confidence: cells[cells.length - 1] });
  }
  return rows;
}

/**
 * Every evidence row labelled (partly) "assumption", by the start of its name → the model
 * parameters that carry it, or a reason why it is not a parameter.
 */
const ASSUMPTION_MAP: [string, string[] | string][] = [
  ['p_response_systemic', ['p_response_systemic']],
  ['p_still_pain_12m', ['p_still_pain_12m']],
  ['p_recurrence_12m', ['p_recurrence_12m']],
  ['p_serious_AE per LIT course', ['p_serious_ae_lit']],
  ['RR_response_LIT_vs_systemic', ['rr_response_lit']],
  ['Systemic NSAID course duration', ['course_days']],
  ['RR UGIC on PPI co-therapy', ['rr_ugic_ppi']],
  ['Excess major vascular events per 12-day course', ['mve_rate_baseline']],
  ['Share of elderly NSAID candidates on diuretic', ['share_triple_whammy_elderly']],
  ['p_NTM', ['p_ntm_infection']],
  ['Systemic AE risk on LIT', ['dose_ratio']],
  ['PPI (esomeprazole 20 mg) cost', ['cost_ppi_course', 'cost_ppi_per_day']],
  ['Specialist visit', ['cost_specialist_visit']],
  ['Cost per LIT session', ['cost_lit_session', 'cost_lit_drugs_per_session']],
  ['GP visit', ['cost_gp_visit']],
  ['IM injection administration', ['cost_im_injection']],
  ['AKI hospitalisation', ['cost_hosp_aki']],
  ['Major CV event hospitalisation', ['cost_hosp_mve']],
  ['u_LBP_active_pain', ['u_active_pain', 'u_active_placeholder']],
  ['u_recovered', ['u_recovered', 'u_recovered_placeholder']],
  ['u_chronic_LBP', ['u_chronic_placeholder']],
  ['duration of UGIB utility decrement', ['complication_months']],
  ['disutility, local LIT AE', ['disutility_local_ae', 'local_ae_days']],
  ['Time horizon', 'a setting (1 year; scenarios horizon_6m and horizon_5y)'],
  ['Currency / price year', 'a setting (priceYear 2024; costs not inflated: see docs/lit-model.md)'],
  ['Vaccine price per dose', 'vaccine model (models/examples/id-vaccine-dose-sparing.model.json), now sourced from the additions file'],
];

describe('LIT model: every parameter is sourced and labelled', () => {
  it('every parameter has a non-empty source and a confidence; derived values explain their arithmetic or expression', () => {
    for (const p of model.parameters) {
      expect(p.source, p.id).toBeTruthy();
      expect(p.source!.length, p.id).toBeGreaterThan(10);
      expect(['reported', 'derived', 'assumption'], p.id).toContain(p.confidence);
      if (p.confidence === 'derived') expect(typeof p.value === 'string' || Boolean(p.notes), `${p.id} needs its arithmetic in notes`).toBe(true);
    }
    for (const t of model.tables) {
      expect(t.source).toBeTruthy();
      expect(t.confidence).toBeTruthy();
    }
  });

  it('every assumption-labelled row of the evidence files is labelled assumption in the model', () => {
    const rows = [...evidenceRows('lit-evidence.md'), ...evidenceRows('lit-evidence-additions.md')].filter((r) => /assumption/i.test(r.confidence));
    expect(rows.length).toBeGreaterThan(15);
    for (const row of rows) {
      const entry = ASSUMPTION_MAP.find(([prefix]) => row.name.startsWith(prefix));
      expect(entry, `evidence row "${row.name}" (${row.confidence}) is not mapped to a model parameter`).toBeDefined();
      if (typeof entry![1] === 'string') continue;
      // "reported (the Beta n is an assumption)": the value is reported, only its PSA prior is assumed.
      const psaOnly = /^reported \(.*(Beta n|PSA prior)/.test(row.confidence);
      for (const id of entry![1]) {
        const p = model.parameters.find((x) => x.id === id);
        expect(p, id).toBeDefined();
        if (psaOnly) {
          expect(p!.confidence, id).toBe('reported');
          expect(p!.notes ?? '', `${id}: the notes must say that the PSA prior is an assumption`).toMatch(/assumption/);
        } else {
          expect(p!.confidence, `${id} (evidence: "${row.name}", ${row.confidence})`).toBe('assumption');
        }
      }
    }
  });

  it('parameters without any source in the evidence files are labelled assumption ("Not found" in the source)', () => {
    for (const p of model.parameters) {
      if (/^not (found|retrieved|verified)/i.test(p.source ?? '')) expect(p.confidence, p.id).toBe('assumption');
    }
  });
});

describe('presets and the results report', () => {
  it('applyPreset patches the settings and leaves the model unchanged; unknown presets are named', () => {
    const nice = applyPreset(model, 'nice');
    expect(nice.settings.discountRates).toEqual({ costs: 0.035, effects: 0.035 });
    expect(nice.settings.wtpThresholds).toEqual([20000, 30000]);
    expect(nice.settings.withinCycleCorrection).toBe('half-cycle');
    expect(model.settings.discountRates.costs).toBe(0.03);
    expect(applyPreset(model, 'cda_amc').settings.discountRates.effects).toBe(0.015);
    expect(applyPreset(model, 'aifa').settings.wtpThresholds[0]).toBe(33004);
    expect(() => applyPreset(model, 'nope')).toThrow(/nope/);
  });

  it('report: mg per 1,000, drug saved, events avoided and cost per responder follow from the outcomes', () => {
    const report = buildReport(model, { scenarios: ['sessions_3'], dsa: false });
    const base = report.variants[0];
    const sys = base.strategies.find((s) => s.id === 'systemic')!;
    const lit = base.strategies.find((s) => s.id === 'lit')!;
    const keto = lit.drugs.find((d) => d.outcome === 'mg_ketoprofen')!;
    expect(keto.perN).toBeCloseTo(800_000, 6);
    expect(keto.avoidedPerN).toBeCloseTo(1_120_000, 6);
    expect(sys.drugs.map((d) => d.outcome)).toEqual(['mg_ketoprofen', 'mg_methylprednisolone', 'mg_lidocaine', 'mg_esomeprazole']);
    expect(lit.costPerResponder).toBeCloseTo(lit.cost / lit.responders!, 10);
    const hosp = lit.events.find((e) => e.outcome === 'hospitalisations')!;
    expect(hosp.avoidedPerN).toBeCloseTo((sys.events.find((e) => e.outcome === 'hospitalisations')!.perPatient - hosp.perPatient) * 1000, 12);
    expect(lit.nmb[0].incrementalNmb).toBeCloseTo(lit.incrementalEffect! * 33004 - lit.incrementalCost!, 8);
    expect(report.variants.map((v) => v.scenario)).toEqual([null, 'sessions_3']);
    expect(report.populationWeighted).not.toBeNull();
    expect(report.summary).toContain('LIT (mesotherapy)');
  });

  it('report: the population-weighted result is the weighted mean of the subgroup results', () => {
    const report = buildReport(model, { scenarios: [], dsa: false });
    const total = model.subgroups.reduce((a, s) => a + s.weight, 0);
    let expected = 0;
    for (const sg of model.subgroups) {
      const r = byId(runBaseCase(model, { subgroup: sg.id }, { detail: false }).strategies);
      expected += (sg.weight / total) * r.lit.cost;
    }
    expect(report.populationWeighted!.strategies.find((s) => s.id === 'lit')!.cost).toBeCloseTo(expected, 10);
  });

  it('report drivers come from the one-way DSA (top parameters by width)', () => {
    const report = buildReport(model, { scenarios: [], weighted: false });
    expect('rows' in report.drivers).toBe(true);
    if ('rows' in report.drivers) {
      expect(report.drivers.rows.length).toBe(5);
      for (let i = 1; i < report.drivers.rows.length; i++) expect(report.drivers.rows[i - 1].width).toBeGreaterThanOrEqual(report.drivers.rows[i].width);
    }
  });
});

describe('docs/lit-model.md is checked against the model file', () => {
  const doc = readFileSync(repoRoot + 'docs/lit-model.md', 'utf8');
  it('lists every assumption-labelled parameter in its assumptions table', () => {
    const section = doc.slice(doc.indexOf('## 8. Assumptions'), doc.indexOf('## 9.'));
    for (const p of model.parameters.filter((x) => x.confidence === 'assumption')) {
      expect(section, `docs/lit-model.md §8 lacks ${p.id}`).toContain(`| \`${p.id}\` |`);
    }
  });
  it('quotes the current base-case costs and QALYs', () => {
    for (const s of runBaseCase(model).strategies) {
      expect(doc, s.id).toContain(s.cost.toFixed(2));
      expect(doc, s.id).toContain(s.effect.toFixed(5));
    }
  });
});
