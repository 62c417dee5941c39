/**
 * Audit sheets: one per strategy, recomputing the base case with LIVE Excel formulas that refer to
 * the Inputs sheet (parameters, cycle length, discount rates, cohort size) and the Tables sheet
 * (lookup tables). Cached values are this module's own double-precision evaluation of the same
 * formulas, which agrees with the engine to rounding error (checked by the tests, and shown in the
 * sheet as "engine value" and "difference" cells).
 *
 * Timing is the engine's (models/engine/markov.ts): trace rows k = 0..N; the transition into
 * row k uses parameters at cycle k; state rewards v(k) at cycle k; discount d(k) =
 * (1 + r)^-(k · cycle years); per-cycle value = w(k) · Σ_s n_k[s] v_s(k) (+ transition flows),
 * with w the within-cycle weights (`withinCycleWeights`), or ½ (n_{k-1} + n_k) · v(k) for the
 * half-cycle correction. Tunnel states get one trace column per position (state_time = 1..L).
 * A decision tree in front of the Markov models is written as a node table: branch and path
 * probabilities, one-off rewards at time 0, and the Markov initial shares as sums of path
 * probabilities.
 *
 * Not expressible as cell formulas (engine values are written instead, and the sheet says so):
 * lookup tables with more than one numeric key, or text keys that are not literals; formulas longer
 * than Excel allows; very large models (see the limits below).
 */
import type { CompiledModel, CompiledStrategy } from '../engine/compile-model';
import { withinCycleWeights } from '../engine/evaluate';
import type { CompiledMarkov } from '../engine/markov';
import type { CompiledTreeNode } from '../engine/tree';
import { SLOT, type Site, baseInputs, runSteps } from '../engine/parameters';
import { type ExpressionAst, parseExpression } from '../expression';
import { type LookupTranslator, toExcelFormula, UnsupportedInExcel } from './excel-formula';
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
  /** Lookup-table translation (Tables sheet), if the workbook has one. */
  lookup?: LookupTranslator;
};

export type AuditResult =
  | { ok: true; sheet: SheetSpec; totals: { outcome: string; discounted: number; undiscounted: number }[]; notes: string[]; /** 0-based row of the first outcome's totals (column B discounted, C undiscounted), in outcome order. */ totalsRow: number }
  | { ok: false; reason: string };

type Quantity = {
  label: string;
  /** The expression as written (for the definition column and cell notes). */
  text: string;
  ast: ExpressionAst | null;
  dynamic: boolean;
  /** state_time for quantities evaluated in a tunnel position (1 elsewhere). */
  stateTime: number;
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
  /** Evaluated at cycle 0 only (decision-tree quantities). */
  atCycle0?: boolean;
};

const TITLE = (s: string): Cell => ({ v: neutraliseText(s), s: 'title' });
const NOTE = (s: string): Cell => ({ v: neutraliseText(s), s: 'note' });
const HEAD = (s: string): Cell => ({ v: neutraliseText(s), s: 'header' });
const TEXT = (s: string): Cell => ({ v: neutraliseText(s) });

/** The parameter definitions (number or expression) that apply to one strategy after all override layers. */
export function effectiveDefinitions(model: CompiledModel['model'], strategyIndex: number, scenarioId: string | null, subgroupId: string | null): Map<string, number | string> {
  const defs = new Map<string, number | string>(model.parameters.map((p) => [p.id, p.value]));
  const strategy = model.strategies[strategyIndex];
  const scenario = scenarioId ? model.scenarios.find((s) => s.id === scenarioId) : undefined;
  const subgroup = subgroupId ? model.subgroups.find((s) => s.id === subgroupId) : undefined;
  for (const layer of [strategy.overrides, subgroup?.overrides, subgroup?.strategyOverrides?.[strategy.id], scenario?.overrides, scenario?.strategyOverrides?.[strategy.id]]) {
    for (const [id, value] of Object.entries(layer ?? {})) if (defs.has(id)) defs.set(id, value);
  }
  return defs;
}

type TreeRow = { node: CompiledTreeNode; depth: number; parentRow: number | null; prob: Quantity | null; branchRewards: (Quantity | null)[] | null; terminalRewards: (Quantity | null)[] | null; path: number; row?: number };

export function buildAuditSheet(compiled: CompiledModel, strategy: CompiledStrategy, sheetName: string, inputs: AuditInputs, engineTotals: Record<string, number>, engineUndiscounted: Record<string, number>): AuditResult {
  const model = compiled.model;
  const entry = strategy.entry;
  const markovs: CompiledMarkov[] = entry.kind === 'markov' ? [entry.markov] : entry.markovs;
  const N = compiled.settings.nCycles;
  const outcomeIds = compiled.outcomeIds;
  const nOut = outcomeIds.length;
  const program = strategy.program;
  const notes: string[] = [];
  const cy = compiled.settings.cycleYears;

  // Parameter values per cycle (and tunnel position), exactly as the engine computes them.
  const inputsBase = baseInputs(model);
  const slotCache = new Map<string, Float64Array>();
  const slotsFor = (k: number, t: number): Float64Array => {
    const key = program.cycleSteps.length ? `${k}:${t}` : `0:${t}`;
    let slots = slotCache.get(key);
    if (!slots) {
      slots = new Float64Array(program.slotCount);
      slots[SLOT.cycle] = k;
      slots[SLOT.time] = k * cy;
      slots[SLOT.cycle_years] = cy;
      slots[SLOT.state_time] = t;
      for (const steps of [program.staticSteps, program.cycleSteps, program.stateTimeSteps]) runSteps(steps, slots, inputsBase);
      slotCache.set(key, slots);
    }
    // The slot array is only valid for time-independent values when shared across k.
    if (!program.cycleSteps.length) {
      slots[SLOT.cycle] = k;
      slots[SLOT.time] = k * cy;
    }
    return slots;
  };
  const tunnelTimes = new Set<number>([1]);
  for (const m of markovs) for (const t of m.expandedStateTime) tunnelTimes.add(t);

  // Parameters that need their own cells here: overridden ones, time- or state-time-dependent ones,
  // and anything that depends on them. Steps are in dependency order.
  const paramIndex = compiled.symbols.parameterIndex;
  const defs = effectiveDefinitions(model, strategy.index, compiled.scenarioId, compiled.subgroupId);
  const local = new Map<string, Map<number, Quantity>>();
  const localOrder: Quantity[] = [];
  for (const step of [...program.staticSteps, ...program.cycleSteps, ...program.stateTimeSteps]) {
    const id = step.parameter;
    const base = model.parameters[paramIndex.get(id)!].value;
    const def = defs.get(id)!;
    const timeDependent = program.timeDependent.has(id);
    const stateDependent = program.stateTimeDependent.has(id);
    const ast = typeof def === 'string' ? safeParse(def) : ({ kind: 'number', value: def, start: 0, end: 0 } as ExpressionAst);
    const usesLocal = ast ? [...identifiersOf(ast)].some((n) => local.has(n)) : false;
    if (def === base && !timeDependent && !stateDependent && !usesLocal && inputs.parameterRef(id) !== null) continue;
    const copies = new Map<number, Quantity>();
    for (const t of stateDependent ? [...tunnelTimes].sort((a, b) => a - b) : [1]) {
      const values = new Float64Array(N + 1);
      for (let k = 0; k <= N; k++) values[k] = slotsFor(k, t)[step.slot];
      const q: Quantity = { label: `Parameter ${id}${def !== base ? ' (overridden for this strategy)' : ''}${stateDependent ? ` [state_time ${t}]` : ''}`, text: String(def), ast, dynamic: timeDependent, stateTime: t, values };
      copies.set(t, q);
      localOrder.push(q);
    }
    local.set(id, copies);
  }

  // Quantities for sites (transition probabilities, rewards, initial shares, tree branches), shared when equal.
  const siteCache = new Map<Site, Map<string, Quantity>>();
  const siteQuantity = (label: string, site: Site, fromCycle1: boolean, t: number, atCycle0 = false): Quantity => {
    const tt = site.stateTimeDependent ? t : 1;
    const key = `${tt}:${fromCycle1}:${atCycle0}`;
    let bySite = siteCache.get(site);
    if (!bySite) siteCache.set(site, (bySite = new Map()));
    const cached = bySite.get(key);
    if (cached) return cached;
    const values = new Float64Array(N + 1);
    for (let k = fromCycle1 ? 1 : 0; k <= (atCycle0 ? 0 : N); k++) values[k] = site.constant ?? site.fn(slotsFor(k, tt));
    if (atCycle0) values.fill(values[0]);
    const ast = site.constant !== undefined && !/[A-Za-z_]/.test(site.text) ? ({ kind: 'number', value: site.constant, start: 0, end: 0 } as ExpressionAst) : safeParse(site.text);
    const q: Quantity = { label: `${label}${tt > 1 ? ` [state_time ${tt}]` : ''}`, text: site.text, ast, dynamic: site.timeDependent && !atCycle0, stateTime: tt, values, fromCycle1, atCycle0 };
    bySite.set(key, q);
    return q;
  };

  // ---- Markov models: expanded states, transitions, rewards ----------------------------------
  type MarkovParts = {
    markov: CompiledMarkov;
    names: string[];
    probabilities: { from: number; to: number; q: Quantity }[];
    transitionRewards: { from: number; to: number; outcome: number; p: Quantity; q: Quantity }[];
    stateRewards: (Quantity | null)[][];
    initial: (Quantity | null)[];
    traceCol: number;
    aggregateCol: number;
    trace: Float64Array[];
  };
  const multi = markovs.length > 1;
  const parts: MarkovParts[] = markovs.map((markov) => {
    const nE = markov.expandedState.length;
    const tunnel = (s: number) => markov.expandedState.filter((x) => x === s).length > 1;
    const names = Array.from({ length: nE }, (_, e) => {
      const s = markov.expandedState[e];
      return `${multi ? markov.id + '/' : ''}${markov.stateIds[s]}${tunnel(s) ? ` (tunnel ${markov.expandedStateTime[e]})` : ''}`;
    });
    const probabilities: MarkovParts['probabilities'] = [];
    const transitionRewards: MarkovParts['transitionRewards'] = [];
    markov.rows.forEach((row, e) => {
      const t = markov.expandedStateTime[e];
      const label = (j: number) => `P(${names[e]} → ${names[row.targets[j]]})`;
      const qs: (Quantity | null)[] = row.probabilities.map((site, j) => (site === null ? null : siteQuantity(label(j), site, true, t)));
      if (row.complement >= 0) {
        const siblings = qs.filter((q): q is Quantity => q !== null);
        const values = new Float64Array(N + 1);
        for (let k = 1; k <= N; k++) values[k] = Math.max(0, 1 - siblings.reduce((a, q) => a + q.values[k], 0));
        qs[row.complement] = { label: `${label(row.complement)} = complement`, text: 'C', ast: null, dynamic: siblings.some((q) => q.dynamic), stateTime: t, complementOf: siblings, values, fromCycle1: true };
      }
      qs.forEach((q, j) => probabilities.push({ from: e, to: row.targets[j], q: q! }));
      row.rewards?.forEach((sites, j) =>
        sites.forEach((site, o) => {
          if (site !== null) transitionRewards.push({ from: e, to: row.targets[j], outcome: o, p: qs[j]!, q: siteQuantity(`${outcomeIds[o]} on ${names[e]} → ${names[row.targets[j]]}`, site, true, t) });
        }),
      );
    });
    const stateRewards = markov.stateRewards.map((sites, e) => sites.map((site, o) => (site === null ? null : siteQuantity(`${outcomeIds[o]} per cycle in ${names[e]}`, site, false, markov.expandedStateTime[e]))));
    const initial: (Quantity | null)[] =
      entry.kind === 'markov' ? markov.initial!.map((site, e) => (site === null ? null : siteQuantity(`Initial share in ${names[e]}`, site, false, 1, true))) : Array.from(markov.expandedState, () => null);
    return { markov, names, probabilities, transitionRewards, stateRewards, initial, traceCol: 0, aggregateCol: 0, trace: [] };
  });

  // ---- Decision tree ---------------------------------------------------------------------------
  const treeRows: TreeRow[] = [];
  if (entry.kind === 'tree') {
    const visit = (node: CompiledTreeNode, depth: number, parentRow: number | null, prob: Quantity | null, branchRewards: (Quantity | null)[] | null, path: number): void => {
      const terminalRewards = node.kind === 'terminal' ? node.rewards.map((site, o) => (site === null ? null : siteQuantity(`${outcomeIds[o]} at ${node.id}`, site, false, 1, true))) : null;
      const index = treeRows.length;
      treeRows.push({ node, depth, parentRow, prob, branchRewards, terminalRewards, path });
      if (node.kind === 'decision') visit(node.chosen, depth + 1, index, null, null, path);
      else if (node.kind === 'chance') {
        const qs = node.branches.map((b, i) => (b.probability === null ? null : siteQuantity(`P(${node.id} → ${b.node.id})`, b.probability, false, 1, true)));
        if (node.complement >= 0) {
          const siblings = qs.filter((q): q is Quantity => q !== null);
          const v = Math.max(0, 1 - siblings.reduce((a, q) => a + q.values[0], 0));
          qs[node.complement] = { label: `P(${node.id} → ${node.branches[node.complement].node.id}) = complement`, text: 'C', ast: null, dynamic: false, stateTime: 1, complementOf: siblings, values: new Float64Array(N + 1).fill(v), atCycle0: true };
        }
        node.branches.forEach((b, i) => {
          const rewards = b.rewards ? b.rewards.map((site, o) => (site === null ? null : siteQuantity(`${outcomeIds[o]} on branch to ${b.node.id}`, site, false, 1, true))) : null;
          visit(b.node, depth + 1, index, qs[i], rewards, path * qs[i]!.values[0]);
        });
      }
    };
    visit(entry.root, 0, null, null, null, 1);
    for (const r of treeRows) {
      if (r.node.kind !== 'terminal' || !r.node.markov) continue;
      const m = markovs.findIndex((mm) => mm.index === (r.node as { markov: { model: number } }).markov.model);
      const e = markovs[m].entryIndex[r.node.markov.state];
      void e; // initial shares of tree strategies are sums of path probabilities (below)
    }
  }

  const allQuantities: Quantity[] = [];
  const seen = new Set<Quantity>();
  const add = (q: Quantity | null | undefined) => {
    if (q && !seen.has(q)) {
      seen.add(q);
      allQuantities.push(q);
    }
  };
  localOrder.forEach(add);
  for (const p of parts) {
    p.initial.forEach(add);
    p.probabilities.forEach((x) => add(x.q));
    p.stateRewards.flat().forEach(add);
    p.transitionRewards.forEach((x) => add(x.q));
  }
  const staticQs = allQuantities.filter((q) => !q.dynamic);
  const dynamicQs = allQuantities.filter((q) => q.dynamic);
  const treeQs: Quantity[] = [];
  for (const r of treeRows) [r.prob, ...(r.branchRewards ?? []), ...(r.terminalRewards ?? [])].forEach((q) => q && !seen.has(q) && (seen.add(q), treeQs.push(q)));

  // ---- layout ------------------------------------------------------------------------------
  const discountKinds = [...new Set(model.outcomes.map((o) => o.discount))].filter((d) => d !== 'none') as ('costs' | 'effects')[];
  const halfCycle = compiled.settings.correction === 'half-cycle';
  const weights = withinCycleWeights(compiled.settings.correction, N);
  const COL_CYCLE = 0;
  const COL_TIME = 1;
  let col = 2;
  for (const q of dynamicQs) q.column = col++;
  for (const p of parts) {
    p.traceCol = col;
    col += p.markov.expandedState.length;
  }
  for (const p of parts) {
    p.aggregateCol = col;
    if (p.markov.expandedState.length !== p.markov.stateIds.length) col += p.markov.stateIds.length;
    else p.aggregateCol = -1;
  }
  const discountCol = new Map<string, number>();
  for (const d of discountKinds) discountCol.set(d, col++);
  const weightCol = halfCycle ? -1 : col++;
  const undiscCol = outcomeIds.map(() => col++);
  const discCol = outcomeIds.map(() => col++);
  const nCols = col;
  if (nCols > MAX_AUDIT_COLUMNS) return { ok: false, reason: `the audit table would need ${nCols} columns (limit ${MAX_AUDIT_COLUMNS})` };
  if (nCols * (N + 1) > MAX_AUDIT_CELLS) return { ok: false, reason: `the audit table would need ${nCols * (N + 1)} cells (limit ${MAX_AUDIT_CELLS})` };

  const rows: (Cell | null)[][] = [];
  rows.push([TITLE(`Audit: ${strategy.name} (${strategy.id}), ${entry.kind === 'tree' ? 'decision tree and ' : ''}Markov model${multi ? 's' : ''} ${markovs.map((m) => `'${m.id}'`).join(', ')}: live formulas`)]);
  rows.push([NOTE('Every value in this sheet is an Excel formula referring to the Inputs sheet. Change a value in Inputs (column C for numbers, column D for expressions) and the trace and totals below recalculate.')]);
  rows.push([NOTE(`Timing: transitions into row k use parameters at cycle k; rewards at cycle k; discount (1+r)^-(k x cycle years); within-cycle correction: ${compiled.settings.correction}.${entry.kind === 'tree' ? ' Tree values accrue at time 0, undiscounted.' : ''}`)]);
  const noteRow = rows.length;
  rows.push([]); // limitations, if any
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

  // Tree block: node | kind | definition | branch probability | path probability | per outcome: branch reward, terminal reward, contribution.
  let treeFirst = -1;
  let treeTotalRow = -1;
  const treeRewardCol = (o: number) => 5 + o;
  if (treeRows.length) {
    rows.push([TITLE('Decision tree (evaluated at cycle 0; one-off values at time 0, undiscounted)')]);
    rows.push([HEAD('Node'), HEAD('Kind'), HEAD('Branch probability: definition'), HEAD('Branch probability (live)'), HEAD('Path probability (live)'), ...outcomeIds.map((o) => HEAD(`${o}: path x (branch + terminal value)`))]);
    treeFirst = rows.length;
    treeRows.forEach((r, i) => (r.row = treeFirst + i));
    for (const r of treeRows) rows.push([]);
    rows.push([]);
    rows.push([HEAD('Tree values (live, per outcome)'), HEAD('Definition'), HEAD('Value (live)')]);
    const treeQFirst = rows.length;
    treeQs.forEach((q, i) => (q.staticRef = cellRef(treeQFirst + i, 2, true)));
    for (const q of treeQs) rows.push([TEXT(q.label), TEXT(q.text), null]);
    treeTotalRow = rows.length;
    rows.push([]);
    rows.push([]);
  }

  // Cycle table.
  const tableHeader = rows.length;
  const header: Cell[] = new Array(nCols);
  header[COL_CYCLE] = HEAD('Cycle k');
  header[COL_TIME] = HEAD('Time (years)');
  for (const q of dynamicQs) header[q.column!] = { ...HEAD(q.label), note: q.text === 'C' ? 'complement: 1 - sum of the other probabilities of the row' : `= ${q.text}` };
  for (const p of parts) {
    const expanded = p.aggregateCol >= 0;
    p.names.forEach((n, e) => (header[p.traceCol + e] = HEAD(expanded ? `Occupancy: ${n}` : `Trace: ${n}`)));
    if (expanded) p.markov.stateIds.forEach((s, i) => (header[p.aggregateCol + i] = HEAD(`Trace: ${multi ? p.markov.id + '/' : ''}${s}`)));
  }
  for (const [d, c] of discountCol) header[c] = HEAD(`Discount factor (${d})`);
  if (weightCol >= 0) header[weightCol] = HEAD('Within-cycle weight w(k)');
  outcomeIds.forEach((o, i) => {
    header[undiscCol[i]] = HEAD(`${o}: undiscounted`);
    header[discCol[i]] = HEAD(`${o}: discounted`);
  });
  rows.push(header);
  const rowOf = (k: number) => tableHeader + 1 + k;
  const lastRow = rowOf(N);

  // ---- formulas ----------------------------------------------------------------------------
  const refAt = (q: Quantity, k: number): string => (q.dynamic ? cellRef(rowOf(k), q.column!) : q.staticRef!);
  const resolverAt = (k: number, t: number) => (name: string): string => {
    if (name === 'cycle' || name === 'time') return `$${columnLetter(name === 'cycle' ? COL_CYCLE : COL_TIME)}${rowOf(k) + 1}`;
    if (name === 'cycle_years') return inputs.cycleYears;
    if (name === 'state_time') return String(t);
    const copies = local.get(name);
    if (copies) return refAt(copies.get(t) ?? copies.get(1)!, k);
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
      else f = toExcelFormula(q.ast, resolverAt(q.atCycle0 ? 0 : kk, q.stateTime), inputs.lookup);
      if (f.length > MAX_FORMULA_LENGTH) throw new UnsupportedInExcel('the formula is longer than Excel allows');
    } catch (error) {
      if (!(error instanceof UnsupportedInExcel)) throw error;
      q.valuesOnly = `engine value, not a live formula: ${error.message}`;
      notes.push(`${q.label}: ${q.valuesOnly}.`);
      return { v, s: 'warning', note: q.valuesOnly };
    }
    // Dynamic columns carry the expression once, on their header; static cells on themselves.
    return { v, f, note: q.dynamic || q.text === f || q.text === 'C' ? undefined : `= ${q.text}` };
  };
  staticQs.forEach((q, i) => (rows[staticFirst + i][2] = quantityCell(q, null)));

  // Tree formulas and the tree's contribution to the totals.
  const treeTotals = new Float64Array(nOut);
  const treeInitialTerms = parts.map((p) => Array.from(p.markov.expandedState, () => [] as { ref: string; v: number }[]));
  if (treeRows.length) {
    treeQs.forEach((q) => {
      const r = Number(q.staticRef!.replace(/^\$[A-Z]+\$/, '')) - 1;
      rows[r][2] = quantityCell(q, 0);
    });
    for (const r of treeRows) {
      const i = r.row!;
      const pathRef = cellRef(i, 4);
      const row: (Cell | null)[] = [TEXT(`${'  '.repeat(r.depth)}${r.node.id}`), TEXT(r.node.kind), TEXT(r.prob ? r.prob.text : r.parentRow === null ? '(root)' : '(chosen)'), r.prob ? { v: r.prob.values[0], f: r.prob.staticRef!, fmt: '0.000000' } : { v: 1, fmt: '0.000000' }];
      row[4] = r.parentRow === null ? { v: 1, fmt: '0.000000' } : { v: r.path, f: `${cellRef(treeRows[r.parentRow].row!, 4)}*${r.prob ? cellRef(i, 3) : '1'}`, fmt: '0.000000' };
      outcomeIds.forEach((oid, o) => {
        const terms: string[] = [];
        let v = 0;
        for (const q of [r.branchRewards?.[o], r.terminalRewards?.[o]]) {
          if (!q) continue;
          terms.push(q.staticRef!);
          v += q.values[0];
        }
        row[treeRewardCol(o)] = terms.length ? { v: r.path * v, f: `${pathRef}*(${terms.join('+')})`, fmt: inputs.outcomeFormat(oid) } : null;
        treeTotals[o] += terms.length ? r.path * v : 0;
      });
      rows[i] = row;
      if (r.node.kind === 'terminal' && r.node.markov) {
        const mk = r.node.markov;
        const m = markovs.findIndex((mm) => mm.index === mk.model);
        treeInitialTerms[m][markovs[m].entryIndex[mk.state]].push({ ref: cellRef(i, 4, true), v: r.path });
      }
    }
    rows[treeTotalRow] = [TEXT('Tree total (time 0)', ), null, null, null, null, ...outcomeIds.map((oid, o) => ({ v: treeTotals[o], f: `SUM(${columnLetter(treeRewardCol(o))}${treeFirst + 1}:${columnLetter(treeRewardCol(o))}${treeFirst + treeRows.length})`, fmt: inputs.outcomeFormat(oid), s: 'total' as const }))];
  }

  const undisc = outcomeIds.map(() => new Float64Array(N + 1));
  const disc = outcomeIds.map(() => new Float64Array(N + 1));
  const rates = compiled.settings.settings.discountRates;
  const fmtShare = '0.000000';
  for (let k = 0; k <= N; k++) {
    const r = rowOf(k);
    const row: (Cell | null)[] = new Array(nCols).fill(null);
    row[COL_CYCLE] = { v: k, fmt: '0' };
    row[COL_TIME] = { v: k * cy, f: `A${r + 1}*${inputs.cycleYears}`, fmt: '0.0000' };
    for (const q of dynamicQs) row[q.column!] = k === 0 && q.fromCycle1 ? null : quantityCell(q, k);
    parts.forEach((p, m) => {
      const nE = p.markov.expandedState.length;
      const n = new Float64Array(nE);
      for (let e = 0; e < nE; e++) {
        if (k === 0) {
          const q = p.initial[e];
          if (q) {
            n[e] = q.values[0];
            row[p.traceCol + e] = { v: n[e], f: refAt(q, 0), fmt: fmtShare };
          } else if (treeInitialTerms[m][e].length) {
            n[e] = treeInitialTerms[m][e].reduce((a, x) => a + x.v, 0);
            row[p.traceCol + e] = { v: n[e], f: treeInitialTerms[m][e].map((x) => x.ref).join('+'), fmt: fmtShare };
          } else row[p.traceCol + e] = { v: 0, fmt: fmtShare };
          continue;
        }
        const terms: string[] = [];
        let sum = 0;
        for (const x of p.probabilities) {
          if (x.to !== e) continue;
          terms.push(`${cellRef(r - 1, p.traceCol + x.from)}*${refAt(x.q, k)}`);
          sum += p.trace[k - 1][x.from] * x.q.values[k];
        }
        n[e] = sum;
        row[p.traceCol + e] = terms.length ? { v: sum, f: terms.join('+'), fmt: fmtShare } : { v: 0, fmt: fmtShare };
      }
      p.trace.push(n);
      if (p.aggregateCol >= 0) {
        p.markov.stateIds.forEach((_, s) => {
          const members: number[] = [];
          p.markov.expandedState.forEach((x, e) => x === s && members.push(e));
          row[p.aggregateCol + s] = { v: members.reduce((a, e) => a + n[e], 0), f: members.map((e) => cellRef(r, p.traceCol + e)).join('+'), fmt: fmtShare };
        });
      }
    });
    for (const [d, c] of discountCol) {
      const rate = d === 'costs' ? rates.costs : rates.effects;
      row[c] = { v: Math.pow(1 + rate, -k * cy), f: `(1+${d === 'costs' ? inputs.discountCosts : inputs.discountEffects})^(-${cellRef(r, COL_TIME)})`, fmt: '0.000000' };
    }
    if (weightCol >= 0) row[weightCol] = { v: weights[k], fmt: '0.0000' };
    outcomeIds.forEach((oid, o) => {
      const fs: string[] = [];
      let v = 0;
      for (const p of parts) {
        const occupancy = (kk: number, rr: number): { f: string; v: number } => {
          const terms: string[] = [];
          let x = 0;
          p.stateRewards.forEach((qs, e) => {
            const q = qs[o];
            if (!q) return;
            terms.push(`${cellRef(rr, p.traceCol + e)}*${refAt(q, k)}`);
            x += p.trace[kk][e] * q.values[k];
          });
          return { f: terms.join('+'), v: x };
        };
        if (halfCycle) {
          if (k > 0) {
            const a = occupancy(k - 1, r - 1);
            const b = occupancy(k, r);
            if (a.f) {
              fs.push(`0.5*((${a.f})+(${b.f}))`);
              v += 0.5 * (a.v + b.v);
            }
          }
        } else {
          const a = occupancy(k, r);
          if (a.f) {
            fs.push(`${cellRef(r, weightCol)}*(${a.f})`);
            v += weights[k] * a.v;
          }
        }
        if (k > 0) {
          for (const t of p.transitionRewards) {
            if (t.outcome !== o) continue;
            fs.push(`${cellRef(r - 1, p.traceCol + t.from)}*${refAt(t.p, k)}*${refAt(t.q, k)}`);
            v += p.trace[k - 1][t.from] * t.p.values[k] * t.q.values[k];
          }
        }
      }
      const fmt = inputs.outcomeFormat(oid);
      undisc[o][k] = v;
      row[undiscCol[o]] = fs.length ? { v, f: fs.join('+'), fmt } : { v: 0, fmt };
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
    const sum = (a: Float64Array) => (a.reduce((x, y) => x + y, 0) + treeTotals[o]) * cohort;
    const d = sum(disc[o]);
    const u = sum(undisc[o]);
    totals.push({ outcome: oid, discounted: d, undiscounted: u });
    const fmt = inputs.outcomeFormat(oid);
    const r = totalsFirst + o;
    const range = (c: number) => `${columnLetter(c)}${rowOf(0) + 1}:${columnLetter(c)}${lastRow + 1}`;
    const tree = treeRows.length ? `${cellRef(treeTotalRow, treeRewardCol(o))}+` : '';
    rows[r] = [
      TEXT(oid),
      { v: d, f: `(${tree}SUM(${range(discCol[o])}))*${inputs.cohortSize}`, fmt, s: 'total' },
      { v: u, f: `(${tree}SUM(${range(undiscCol[o])}))*${inputs.cohortSize}`, fmt, s: 'total' },
      { v: engineTotals[oid] ?? null, fmt },
      { v: engineUndiscounted[oid] ?? null, fmt },
      { v: d - (engineTotals[oid] ?? 0), f: `${cellRef(r, 1)}-${cellRef(r, 3)}`, fmt: '0.00E+00' },
    ];
  });
  if (notes.length) rows[noteRow] = [{ v: neutraliseText(`Not live: ${notes.join(' ')}`), s: 'warning' }];
  // Excel refuses formulas longer than 8,192 characters (models with hundreds of states).
  for (const row of rows) {
    for (const c of row ?? []) {
      if (c?.f && c.f.length > MAX_FORMULA_LENGTH) return { ok: false, reason: `a trace or per-cycle formula would be ${c.f.length} characters long (Excel's limit is 8,192); the model has too many states or transitions for a cell-by-cell audit` };
    }
  }

  const columns = Array.from({ length: Math.max(nCols, 6 + nOut) }, (_, c) => ({ width: c === 0 ? 34 : c === 1 ? 26 : c === 2 ? 16 : 14 }));
  return {
    ok: true,
    notes,
    totals,
    totalsRow: totalsFirst,
    sheet: { name: sheetName, columns, rows, freeze: { rows: 0, cols: 1 }, table: { header: tableHeader, first: rowOf(0), last: lastRow } },
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
