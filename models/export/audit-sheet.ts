/**
 * Audit sheets: one per strategy of a Markov model, recomputing the base-case trace and totals
 * with LIVE Excel formulas that refer to the Inputs sheet (parameters, cycle length, discount
 * rates, cohort size). Cached values are this module's own double-precision evaluation of the
 * same formulas, which agrees with the engine to rounding error (checked by the tests, and shown in
 * the sheet as "engine value" and "difference" cells).
 *
 * Timing is the engine's (models/engine/markov.ts): trace rows k = 0..N; the transition into
 * row k uses parameters at cycle k; state rewards v(k) at cycle k; discount d(k) =
 * (1 + r)^-(k · cycle years); per-cycle value = w(k) · Σ_s n_k[s] v_s(k) (+ transition flows),
 * with w the within-cycle weights (`withinCycleWeights`), or ½ (n_{k-1} + n_k) · v(k) for the
 * half-cycle correction.
 *
 * Not expressible as cell formulas (values are written instead, and the sheet says so): lookup
 * tables, tunnel states (state_time), strategies that start in a decision tree.
 */
import type { ModelFile } from '../schema/model-file';
import type { CompiledModel, CompiledStrategy } from '../engine/compile-model';
import { withinCycleWeights } from '../engine/evaluate';
import type { CompiledMarkov } from '../engine/markov';
import { FIRST_PARAMETER_SLOT, SLOT, type Site, baseInputs, runSteps } from '../engine/parameters';
import { type ExpressionAst, parseExpression } from '../expression';
import { toExcelFormula, UnsupportedInExcel } from './excel-formula';
import { neutraliseText } from './text-safety';
import { type Cell, type SheetSpec, cellRef, columnLetter } from './workbook-types';

/** Largest audit sheet written (cycle rows × columns); larger models get values-only notes. */
export const MAX_AUDIT_CELLS = 1_000_000;
export const MAX_AUDIT_COLUMNS = 2000;
export const MAX_FORMULA_LENGTH = 8000;

export type AuditInputs = {
  /** Reference (defined name or absolute reference) of a parameter's live value on the Inputs sheet; null when it has none (time-dependent). */
  parameterRef(id: string): string | null;
  cycleYears: string;
  discountCosts: string;
  discountEffects: string;
  cohortSize: string;
  /** Number format for an outcome's values. */
  outcomeFormat(outcomeId: string): string;
};

export type AuditResult =
  | { ok: true; sheet: SheetSpec; totals: { outcome: string; discounted: number; undiscounted: number }[]; notes: string[] }
  | { ok: false; reason: string };

type Quantity = {
  label: string;
  /** The expression as written (for the definition column and cell notes). */
  text: string;
  ast: ExpressionAst | null;
  dynamic: boolean;
  /** Set for complements: the sibling quantities. */
  complementOf?: Quantity[];
  /** Engine value at cycle k. */
  values: Float64Array;
  /** Filled by the layout: static cell (absolute ref) or dynamic column. */
  staticRef?: string;
  column?: number;
  /** Written as values, not formulas (lookup tables, formulas too long). */
  valuesOnly?: string;
  /** Only defined from cycle 1 (transition probabilities and transition rewards). */
  fromCycle1?: boolean;
};

const TITLE = (s: string): Cell => ({ v: neutraliseText(s), s: 'title' });
const NOTE = (s: string): Cell => ({ v: neutraliseText(s), s: 'note' });
const HEAD = (s: string): Cell => ({ v: neutraliseText(s), s: 'header' });
const TEXT = (s: string): Cell => ({ v: neutraliseText(s) });

/** The parameter definitions (number or expression) that apply to one strategy after all override layers. */
export function effectiveDefinitions(model: ModelFile, strategyIndex: number, scenarioId: string | null, subgroupId: string | null): Map<string, number | string> {
  const defs = new Map<string, number | string>(model.parameters.map((p) => [p.id, p.value]));
  const strategy = model.strategies[strategyIndex];
  const scenario = scenarioId ? model.scenarios.find((s) => s.id === scenarioId) : undefined;
  const subgroup = subgroupId ? model.subgroups.find((s) => s.id === subgroupId) : undefined;
  for (const layer of [strategy.overrides, subgroup?.overrides, subgroup?.strategyOverrides?.[strategy.id], scenario?.overrides, scenario?.strategyOverrides?.[strategy.id]]) {
    for (const [id, value] of Object.entries(layer ?? {})) if (defs.has(id)) defs.set(id, value);
  }
  return defs;
}

export function buildAuditSheet(compiled: CompiledModel, strategy: CompiledStrategy, sheetName: string, inputs: AuditInputs, engineTotals: Record<string, number>, engineUndiscounted: Record<string, number>): AuditResult {
  const model = compiled.model;
  if (strategy.entry.kind !== 'markov') {
    return { ok: false, reason: `strategy '${strategy.id}' starts in a decision tree; trees feeding Markov models are not written as live formulas (values are on the Markov trace sheet)` };
  }
  const markov: CompiledMarkov = strategy.entry.markov;
  if (markov.expandedState.length !== markov.stateIds.length || markov.usesStateTime) {
    return { ok: false, reason: `Markov model '${markov.id}' has tunnel states (state_time); they are not written as live formulas (values are on the Markov trace sheet)` };
  }
  const N = compiled.settings.nCycles;
  const outcomeIds = compiled.outcomeIds;
  const program = strategy.program;
  const notes: string[] = [];

  // Parameter values per cycle, exactly as the engine computes them.
  const inputsBase = baseInputs(model);
  const slotsAt: Float64Array[] = [];
  for (let k = 0; k <= N; k++) {
    const slots = new Float64Array(program.slotCount);
    slots[SLOT.cycle] = k;
    slots[SLOT.time] = k * compiled.settings.cycleYears;
    slots[SLOT.cycle_years] = compiled.settings.cycleYears;
    slots[SLOT.state_time] = 1;
    for (const steps of [program.staticSteps, program.cycleSteps, program.stateTimeSteps]) runSteps(steps, slots, inputsBase);
    slotsAt.push(slots);
    if (k === 0 && !program.cycleSteps.length) {
      // Nothing varies by cycle: share the same array.
      for (let kk = 1; kk <= N; kk++) slotsAt.push(slots);
      break;
    }
  }
  const paramIndex = compiled.symbols.parameterIndex;
  const defs = effectiveDefinitions(model, strategy.index, compiled.scenarioId, compiled.subgroupId);

  // Which parameters need their own cells on this sheet: overridden ones, time-dependent ones and
  // anything that depends on them. Steps are in dependency order.
  const local = new Map<string, Quantity>();
  const localOrder: Quantity[] = [];
  const allSteps = [...program.staticSteps, ...program.cycleSteps, ...program.stateTimeSteps];
  for (const step of allSteps) {
    const id = step.parameter;
    const base = model.parameters[paramIndex.get(id)!].value;
    const def = defs.get(id)!;
    const timeDependent = program.timeDependent.has(id);
    const ast = typeof def === 'string' ? safeParse(def) : null;
    const usesLocal = ast ? [...identifiersOf(ast)].some((n) => local.has(n)) : false;
    if (def === base && !timeDependent && !usesLocal && inputs.parameterRef(id) !== null) continue;
    if (program.stateTimeDependent.has(id)) return { ok: false, reason: `parameter '${id}' depends on state_time (tunnel states)` };
    const values = new Float64Array(N + 1);
    for (let k = 0; k <= N; k++) values[k] = slotsAt[k][step.slot];
    const q: Quantity = { label: `Parameter ${id}${def !== base ? ' (overridden for this strategy)' : ''}`, text: String(def), ast: typeof def === 'number' ? { kind: 'number', value: def, start: 0, end: 0 } : ast, dynamic: timeDependent, values };
    local.set(id, q);
    localOrder.push(q);
  }

  const siteQuantity = (label: string, site: Site, fromCycle1: boolean): Quantity => {
    const values = new Float64Array(N + 1);
    for (let k = fromCycle1 ? 1 : 0; k <= N; k++) values[k] = site.constant ?? site.fn(slotsAt[k]);
    const ast = site.constant !== undefined && !/[A-Za-z_]/.test(site.text) ? { kind: 'number' as const, value: site.constant, start: 0, end: 0 } : safeParse(site.text);
    return { label, text: site.text, ast, dynamic: site.timeDependent, values, fromCycle1 };
  };

  // Transition probabilities (row by row; "C" complements), initial shares, rewards.
  const nS = markov.stateIds.length;
  const probabilities: { from: number; to: number; q: Quantity }[] = [];
  const transitionRewards: { from: number; to: number; outcome: number; q: Quantity }[] = [];
  markov.rows.forEach((row, i) => {
    const qs: (Quantity | null)[] = row.probabilities.map((site, j) =>
      site === null ? null : siteQuantity(`P(${markov.stateIds[i]} → ${markov.stateIds[markov.expandedState[row.targets[j]]]})`, site, true),
    );
    if (row.complement >= 0) {
      const siblings = qs.filter((q): q is Quantity => q !== null);
      const values = new Float64Array(N + 1);
      for (let k = 1; k <= N; k++) {
        let sum = 0;
        for (const s of siblings) sum += s.values[k];
        values[k] = Math.max(0, 1 - sum);
      }
      qs[row.complement] = {
        label: `P(${markov.stateIds[i]} → ${markov.stateIds[markov.expandedState[row.targets[row.complement]]]}) = complement`,
        text: 'C',
        ast: null,
        dynamic: row.dynamic,
        complementOf: siblings,
        values,
        fromCycle1: true,
      };
    }
    qs.forEach((q, j) => probabilities.push({ from: i, to: markov.expandedState[row.targets[j]], q: q! }));
    row.rewards?.forEach((sites, j) =>
      sites.forEach((site, o) => {
        if (site === null) return;
        transitionRewards.push({ from: i, to: markov.expandedState[row.targets[j]], outcome: o, q: siteQuantity(`${outcomeIds[o]} on ${markov.stateIds[i]} → ${markov.stateIds[markov.expandedState[row.targets[j]]]}`, site, true) });
      }),
    );
  });
  const initial: (Quantity | null)[] = markov.initial!.map((site, s) => (site === null ? null : siteQuantity(`Initial share in ${markov.stateIds[s]}`, site, false)));
  const stateRewards: (Quantity | null)[][] = markov.stateRewards.map((sites, s) =>
    sites.map((site, o) => (site === null ? null : siteQuantity(`${outcomeIds[o]} per cycle in ${markov.stateIds[s]}`, site, false))),
  );

  const allQuantities: Quantity[] = [
    ...localOrder,
    ...initial.filter((q): q is Quantity => q !== null),
    ...probabilities.map((p) => p.q),
    ...stateRewards.flat().filter((q): q is Quantity => q !== null),
    ...transitionRewards.map((t) => t.q),
  ];
  const staticQs = allQuantities.filter((q) => !q.dynamic);
  const dynamicQs = allQuantities.filter((q) => q.dynamic);

  // ---- layout ----------------------------------------------------------------------------
  const discountKinds = [...new Set(model.outcomes.map((o) => o.discount))].filter((d) => d !== 'none') as ('costs' | 'effects')[];
  const halfCycle = compiled.settings.correction === 'half-cycle';
  const weights = withinCycleWeights(compiled.settings.correction, N);
  const nOut = outcomeIds.length;
  // Columns of the cycle table.
  const COL_CYCLE = 0;
  const COL_TIME = 1;
  let col = 2;
  for (const q of dynamicQs) q.column = col++;
  const traceCol = col;
  col += nS;
  const discountCol = new Map<string, number>();
  for (const d of discountKinds) discountCol.set(d, col++);
  const weightCol = halfCycle ? -1 : col++;
  const undiscCol = outcomeIds.map(() => col++);
  const discCol = outcomeIds.map(() => col++);
  const nCols = col;
  if (nCols > MAX_AUDIT_COLUMNS) return { ok: false, reason: `the audit table would need ${nCols} columns (limit ${MAX_AUDIT_COLUMNS})` };
  if (nCols * (N + 1) > MAX_AUDIT_CELLS) return { ok: false, reason: `the audit table would need ${nCols * (N + 1)} cells (limit ${MAX_AUDIT_CELLS})` };

  const rows: (Cell | null)[][] = [];
  rows.push([TITLE(`Audit: ${strategy.name} (${strategy.id}), Markov model '${markov.id}': live formulas`)]);
  rows.push([NOTE('Every value in this sheet is an Excel formula referring to the Inputs sheet. Change a value in Inputs (column C) and the trace and totals below recalculate.')]);
  rows.push([NOTE(`Timing: transitions into row k use parameters at cycle k; rewards at cycle k; discount (1+r)^-(k x cycle years); within-cycle correction: ${compiled.settings.correction}.`)]);
  const noteRow = rows.length;
  rows.push([]); // filled with limitations, if any
  rows.push([]);

  // Totals block.
    rows.push([HEAD('Outcome'), HEAD('Discounted total (live)'), HEAD('Undiscounted total (live)'), HEAD('Engine: discounted'), HEAD('Engine: undiscounted'), HEAD('Difference (live - engine)')]);
  const totalsFirst = rows.length;
  for (let o = 0; o < nOut; o++) rows.push([]);
  rows.push([]);

  // Static block.
  rows.push([HEAD('Quantity'), HEAD('Definition'), HEAD('Value (live)')]);
  const staticFirst = rows.length;
  staticQs.forEach((q, i) => (q.staticRef = cellRef(staticFirst + i, 2, true)));
  for (const q of staticQs) rows.push([TEXT(q.label), TEXT(q.text), null]);
  rows.push([]);

  // Cycle table.
  const tableHeader = rows.length;
  const header: Cell[] = new Array(nCols);
  header[COL_CYCLE] = HEAD('Cycle k');
  header[COL_TIME] = HEAD('Time (years)');
  for (const q of dynamicQs) header[q.column!] = HEAD(q.label);
  markov.stateIds.forEach((s, i) => (header[traceCol + i] = HEAD(`Trace: ${s}`)));
  for (const [d, c] of discountCol) header[c] = HEAD(`Discount factor (${d})`);
  if (weightCol >= 0) header[weightCol] = HEAD('Within-cycle weight w(k)');
  outcomeIds.forEach((o, i) => {
    header[undiscCol[i]] = HEAD(`${o}: undiscounted`);
    header[discCol[i]] = HEAD(`${o}: discounted`);
  });
  rows.push(header);
  const rowOf = (k: number) => tableHeader + 1 + k;
  const lastRow = rowOf(N);

  // ---- formulas --------------------------------------------------------------------------
  const refAt = (q: Quantity, k: number): string => (q.dynamic ? cellRef(rowOf(k), q.column!) : q.staticRef!);
  const resolverAt = (k: number | null) => (name: string): string => {
    if (name === 'cycle' || name === 'time') {
      if (k === null) throw new Error(`internal: '${name}' in a static quantity`);
      return cellRef(rowOf(k), name === 'cycle' ? COL_CYCLE : COL_TIME, false).replace(/^([A-Z]+)/, '$$$1');
    }
    if (name === 'cycle_years') return inputs.cycleYears;
    if (name === 'state_time') throw new UnsupportedInExcel('state_time');
    const q = local.get(name);
    if (q) return refAt(q, k ?? 0);
    const ref = inputs.parameterRef(name);
    if (ref === null) throw new UnsupportedInExcel(`parameter ${name} has no live cell`);
    return ref;
  };
  const quantityCell = (q: Quantity, k: number | null): Cell => {
    const kk = k ?? (q.fromCycle1 ? 1 : 0);
    const v = q.values[kk];
    if (q.valuesOnly) return { v, s: 'warning', note: q.valuesOnly };
    let f: string;
    try {
      if (q.complementOf) f = `MAX(0,1-(${q.complementOf.map((s) => refAt(s, kk)).join('+') || '0'}))`;
      else if (q.ast === null) throw new UnsupportedInExcel(`cannot parse "${q.text}"`);
      else f = toExcelFormula(q.ast, resolverAt(k));
      if (f.length > MAX_FORMULA_LENGTH) throw new UnsupportedInExcel('the formula is longer than Excel allows');
    } catch (error) {
      if (!(error instanceof UnsupportedInExcel)) throw error;
      q.valuesOnly = `engine value, not a live formula: ${error.message}`;
      notes.push(`${q.label}: ${q.valuesOnly}.`);
      return { v, s: 'warning', note: q.valuesOnly };
    }
    return { v, f, note: q.text === f || q.text === 'C' ? undefined : `= ${q.text}` };
  };
  staticQs.forEach((q, i) => (rows[staticFirst + i][2] = quantityCell(q, null)));

  // Trace and per-cycle values, with this module's own evaluation as cached values.
  const trace: Float64Array[] = [];
  const fmtShare = '0.000000';
  const undisc = outcomeIds.map(() => new Float64Array(N + 1));
  const disc = outcomeIds.map(() => new Float64Array(N + 1));
  const cy = compiled.settings.cycleYears;
  const rates = compiled.settings.settings.discountRates;
  for (let k = 0; k <= N; k++) {
    const r = rowOf(k);
    const row: (Cell | null)[] = new Array(nCols).fill(null);
    row[COL_CYCLE] = { v: k, fmt: '0' };
    row[COL_TIME] = { v: k * cy, f: `A${r + 1}*${inputs.cycleYears}`, fmt: '0.0000' };
    for (const q of dynamicQs) row[q.column!] = k === 0 && q.fromCycle1 ? null : quantityCell(q, k);
    // Trace.
    const n = new Float64Array(nS);
    for (let s = 0; s < nS; s++) {
      if (k === 0) {
        const q = initial[s];
        n[s] = q ? q.values[0] : 0;
        row[traceCol + s] = q ? { v: n[s], f: refAt(q, 0), fmt: fmtShare } : { v: 0, fmt: fmtShare };
        continue;
      }
      const terms: string[] = [];
      let sum = 0;
      for (const p of probabilities) {
        if (p.to !== s) continue;
        terms.push(`${cellRef(r - 1, traceCol + p.from)}*${refAt(p.q, k)}`);
        sum += trace[k - 1][p.from] * p.q.values[k];
      }
      n[s] = sum;
      row[traceCol + s] = terms.length ? { v: sum, f: terms.join('+'), fmt: fmtShare } : { v: 0, fmt: fmtShare };
    }
    trace.push(n);
    // Discount factors.
    for (const [d, c] of discountCol) {
      const rate = d === 'costs' ? rates.costs : rates.effects;
      row[c] = { v: Math.pow(1 + rate, -k * cy), f: `(1+${d === 'costs' ? inputs.discountCosts : inputs.discountEffects})^(-${cellRef(r, COL_TIME)})`, fmt: '0.000000' };
    }
    if (weightCol >= 0) row[weightCol] = { v: weights[k], fmt: '0.0000' };
    // Per-cycle values per outcome.
    outcomeIds.forEach((oid, o) => {
      const occupancy = (kk: number, rr: number): { f: string; v: number } => {
        const terms: string[] = [];
        let v = 0;
        for (let s = 0; s < nS; s++) {
          const q = stateRewards[s][o];
          if (!q) continue;
          terms.push(`${cellRef(rr, traceCol + s)}*${refAt(q, k)}`);
          v += trace[kk][s] * q.values[k];
        }
        return { f: terms.length ? terms.join('+') : '0', v };
      };
      let f: string;
      let v: number;
      if (halfCycle) {
        if (k === 0) {
          f = '0*0';
          v = 0;
        } else {
          const a = occupancy(k - 1, r - 1);
          const b = occupancy(k, r);
          f = `0.5*((${a.f})+(${b.f}))`;
          v = 0.5 * (a.v + b.v);
        }
      } else {
        const a = occupancy(k, r);
        f = `${cellRef(r, weightCol)}*(${a.f})`;
        v = weights[k] * a.v;
      }
      if (k > 0) {
        for (const t of transitionRewards) {
          if (t.outcome !== o) continue;
          const p = probabilities.find((pp) => pp.from === t.from && pp.to === t.to)!;
          f += `+${cellRef(r - 1, traceCol + t.from)}*${refAt(p.q, k)}*${refAt(t.q, k)}`;
          v += trace[k - 1][t.from] * p.q.values[k] * t.q.values[k];
        }
      }
      const fmt = inputs.outcomeFormat(oid);
      undisc[o][k] = v;
      row[undiscCol[o]] = { v, f, fmt };
      const kind = model.outcomes[o].discount;
      if (kind === 'none') {
        disc[o][k] = v;
        row[discCol[o]] = { v, f: cellRef(r, undiscCol[o]), fmt };
      } else {
        const rate = kind === 'costs' ? rates.costs : rates.effects;
        disc[o][k] = v * Math.pow(1 + rate, -k * cy);
        row[discCol[o]] = { v: disc[o][k], f: `${cellRef(r, undiscCol[o])}*${cellRef(r, discountCol.get(kind)!)}`, fmt };
      }
    });
    rows.push(row);
  }

  // Totals (cohort size applied, as in the results).
  const cohort = compiled.settings.cohortSize;
  const totals: { outcome: string; discounted: number; undiscounted: number }[] = [];
  outcomeIds.forEach((oid, o) => {
    const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0) * cohort;
    const d = sum(disc[o]);
    const u = sum(undisc[o]);
    totals.push({ outcome: oid, discounted: d, undiscounted: u });
    const fmt = inputs.outcomeFormat(oid);
    const r = totalsFirst + o;
    const range = (c: number) => `${columnLetter(c)}${rowOf(0) + 1}:${columnLetter(c)}${lastRow + 1}`;
    rows[r] = [
      TEXT(oid),
      { v: d, f: `SUM(${range(discCol[o])})*${inputs.cohortSize}`, fmt, s: 'total' },
      { v: u, f: `SUM(${range(undiscCol[o])})*${inputs.cohortSize}`, fmt, s: 'total' },
      { v: engineTotals[oid] ?? null, fmt },
      { v: engineUndiscounted[oid] ?? null, fmt },
      { v: d - (engineTotals[oid] ?? 0), f: `${cellRef(r, 1)}-${cellRef(r, 3)}`, fmt: '0.00E+00' },
    ];
  });
  if (notes.length) rows[noteRow] = [{ v: neutraliseText(`Not live: ${notes.join(' ')}`), s: 'warning' }];

  const columns = Array.from({ length: Math.max(nCols, 6) }, (_, c) => ({ width: c === 0 ? 34 : c === 1 ? 26 : c === 2 ? 16 : 14 }));
  columns[0] = { width: 34 };
  return {
    ok: true,
    notes,
    totals,
    sheet: {
      name: sheetName,
      columns,
      rows,
      freeze: { rows: 0, cols: 1 },
      table: { header: tableHeader, first: rowOf(0), last: lastRow },
    },
  };
}

function safeParse(text: string): ExpressionAst | null {
  try {
    return parseExpression(text);
  } catch {
    return null;
  }
}

function identifiersOf(ast: ExpressionAst): Set<string> {
  const names = new Set<string>();
  const visit = (n: ExpressionAst): void => {
    if (n.kind === 'identifier') names.add(n.name);
    else if (n.kind === 'unary') visit(n.operand);
    else if (n.kind === 'binary') {
      visit(n.left);
      visit(n.right);
    } else if (n.kind === 'conditional') {
      visit(n.test);
      visit(n.consequent);
      visit(n.alternate);
    } else if (n.kind === 'call') n.args.forEach(visit);
  };
  visit(ast);
  return names;
}
