/**
 * The PSA accumulator (see psa.ts for the analysis): folds per-draw outcome values, in draw
 * order, into means, CEAC wins, EVPI sums, CE-plane points and 95% intervals, and builds the
 * result. Also the P² streaming quantile estimator and the result types.
 */
import { type IncrementalRow, computeIncremental } from './incremental';
import type { OutcomeTable } from './outcome-table';
import { quantileSorted } from './psa-summary';
import { type EvppiResult, computeEvppi } from './voi';

export const PSA_FORMAT_VERSION = 1;


/** Unique EVPPI parameter ids in first-appearance order (the order PsaEvaluator reports them). */
export function evppiParameters(groups: string[][] | undefined): string[] {
  return [...new Set((groups ?? []).flat())];
}

// ---------------------------------------------------------------------------------------------
// Streaming quantiles (P², Jain & Chlamtac 1985).
// ---------------------------------------------------------------------------------------------

/** P² estimate of one quantile from a stream, O(1) memory. Exact (type 7) for fewer than 5 values. */
export class P2Quantile {
  private readonly q = new Float64Array(5);
  private readonly pos = new Float64Array(5);
  private readonly desired = new Float64Array(5);
  private readonly inc: Float64Array;
  private count = 0;
  constructor(readonly p: number) {
    this.inc = Float64Array.from([0, p / 2, p, (1 + p) / 2, 1]);
  }
  add(x: number): void {
    const q = this.q;
    const n = this.pos;
    if (this.count < 5) {
      q[this.count++] = x;
      if (this.count === 5) {
        q.sort();
        for (let i = 0; i < 5; i++) n[i] = i + 1;
        const p = this.p;
        this.desired.set([1, 1 + 2 * p, 1 + 4 * p, 3 + 2 * p, 5]);
      }
      return;
    }
    this.count++;
    let k: number;
    if (x < q[0]) {
      q[0] = x;
      k = 0;
    } else if (x >= q[4]) {
      q[4] = x;
      k = 3;
    } else {
      k = 0;
      while (x >= q[k + 1]) k++;
    }
    for (let i = k + 1; i < 5; i++) n[i]++;
    for (let i = 0; i < 5; i++) this.desired[i] += this.inc[i];
    for (let i = 1; i <= 3; i++) {
      const d = this.desired[i] - n[i];
      if ((d >= 1 && n[i + 1] - n[i] > 1) || (d <= -1 && n[i - 1] - n[i] < -1)) {
        const ds = d > 0 ? 1 : -1;
        const qp = q[i] + (ds / (n[i + 1] - n[i - 1])) * ((n[i] - n[i - 1] + ds) * (q[i + 1] - q[i]) / (n[i + 1] - n[i]) + (n[i + 1] - n[i] - ds) * (q[i] - q[i - 1]) / (n[i] - n[i - 1]));
        q[i] = q[i - 1] < qp && qp < q[i + 1] ? qp : q[i] + (ds * (q[i + ds] - q[i])) / (n[i + ds] - n[i]);
        n[i] += ds;
      }
    }
  }
  value(): number {
    if (this.count >= 5) return this.q[2];
    return quantileSorted(Float64Array.from(this.q.subarray(0, this.count)).sort(), this.p);
  }
}

// ---------------------------------------------------------------------------------------------
// The accumulator and the result.
// ---------------------------------------------------------------------------------------------

export type PsaHeader = {
  modelName: string;
  modelHash: string;
  scenario: string | null;
  subgroup: string | null;
  seed: number;
  n: number;
  drawRange: [number, number];
  strategyIds: string[];
  strategyNames: string[];
  outcomeIds: string[];
  costOutcome: string;
  effectOutcome: string;
  cohortSize: number;
  currency: string;
  wtpThresholds: number[];
  wtps: number[];
  keepDraws: boolean;
  evppi: string[][];
  cePlaneMax: number;
};

export type PsaStrategySummary = {
  id: string;
  name: string;
  meanCost: number;
  meanEffect: number;
  costInterval: [number, number];
  effectInterval: [number, number];
  /** Mean of every outcome over draws. */
  outcomeMeans: Record<string, number>;
};

export type PsaDraws = {
  strategies: { id: string; cost: number[]; effect: number[]; outcomes: Record<string, number[]> }[];
  parameters: Record<string, number[]>;
};

export type PsaResult = {
  kind: 'psa';
  formatVersion: number;
  modelName: string;
  modelHash: string;
  scenario: string | null;
  subgroup: string | null;
  seed: number;
  n: number;
  /** Draws summarised here (inclusive); [0, n-1] for a complete run. */
  drawRange: [number, number];
  nDraws: number;
  complete: boolean;
  /** Options that change the output; shards must agree on them to be merged. */
  options: { keepDraws: boolean; evppiGroups: string[][]; cePlanePoints: number };
  settings: { costOutcome: string; effectOutcome: string; cohortSize: number; currency: string; wtpThresholds: number[] };
  strategies: PsaStrategySummary[];
  intervalMethod: string;
  memory: string;
  /** Incremental analysis (dominance, ICERs) on the mean costs and effects. */
  incremental: IncrementalRow[];
  wtps: number[];
  wtpGrid: string;
  ceac: { wtp: number; probabilities: Record<string, number> }[];
  ceaf: { wtp: number; optimal: string; probability: number }[];
  evpi: { wtp: number; value: number }[];
  evpiMethod: string;
  cePlane: { comparator: string; maxPoints: number; series: { id: string; points: { draw: number; incrementalCost: number; incrementalEffect: number }[] }[] };
  evppi: (EvppiResult[] | null)[] | null;
  evppiNote: string | null;
  /** Per-draw values: present with keepDraws and in every shard (incomplete range), so shards can be merged. */
  draws?: PsaDraws;
};

const EXACT_INTERVALS = '2.5th and 97.5th percentiles of the draws (exact, Hyndman & Fan type 7)';
const P2_INTERVALS = 'P-square streaming estimates of the 2.5th and 97.5th percentiles (Jain & Chlamtac 1985); draws were not kept, so these are estimates, not exact percentiles';

/**
 * Folds draws in draw order into every summary. `add` takes the next `count` draws (values laid
 * out as PsaEvaluator.evaluateBlock writes them).
 */
export class PsaAccumulator {
  private readonly S: number;
  private readonly O: number;
  private readonly P: number;
  private readonly W: number;
  private readonly costIndex: number;
  private readonly effectIndex: number;
  private readonly sums: Float64Array; // S*O
  private readonly wins: Float64Array; // W*S
  private readonly maxNmbSum: Float64Array; // W
  private readonly nmb: Float64Array; // scratch S
  private readonly cost: Float64Array; // scratch S: this draw's costs
  private readonly effect: Float64Array; // scratch S
  private readonly p2: P2Quantile[] | null; // per strategy: cost lo, cost hi, effect lo, effect hi
  private readonly store: boolean;
  private readonly stored: Float64Array[] = []; // per (s*O + o), grown by chunks
  private storedParams: Float64Array[] = [];
  private storedLength = 0;
  private readonly planeDraws: number[] = [];
  private readonly planeValues: number[] = []; // per kept draw: S costs then S effects
  private planeJ: number;
  private readonly planeM: number;
  private next: number;

  constructor(readonly header: PsaHeader) {
    const h = header;
    this.S = h.strategyIds.length;
    this.O = h.outcomeIds.length;
    this.P = [...new Set(h.evppi.flat())].length;
    this.W = h.wtps.length;
    this.costIndex = h.outcomeIds.indexOf(h.costOutcome);
    this.effectIndex = h.outcomeIds.indexOf(h.effectOutcome);
    this.sums = new Float64Array(this.S * this.O);
    this.wins = new Float64Array(this.W * this.S);
    this.maxNmbSum = new Float64Array(this.W);
    this.nmb = new Float64Array(this.S);
    this.cost = new Float64Array(this.S);
    this.effect = new Float64Array(this.S);
    const complete = h.drawRange[0] === 0 && h.drawRange[1] === h.n - 1;
    this.store = h.keepDraws || !complete || h.evppi.length > 0;
    this.p2 = this.store ? null : Array.from({ length: this.S * 4 }, (_, k) => new P2Quantile(k % 2 === 0 ? 0.025 : 0.975));
    for (let k = 0; k < this.S * this.O; k++) this.stored.push(new Float64Array(this.store ? Math.max(16, h.drawRange[1] - h.drawRange[0] + 1) : 0));
    this.storedParams = Array.from({ length: this.P }, () => new Float64Array(this.store ? Math.max(16, h.drawRange[1] - h.drawRange[0] + 1) : 0));
    this.planeM = Math.min(h.cePlaneMax, h.n);
    // First kept CE-plane draw index j with floor(j*n/m) >= from.
    this.planeJ = 0;
    while (this.planeJ < this.planeM && this.planeDraw(this.planeJ) < h.drawRange[0]) this.planeJ++;
    this.next = h.drawRange[0];
  }

  private planeDraw(j: number): number {
    return this.planeM === this.header.n ? j : Math.floor((j * this.header.n) / this.planeM);
  }

  /** Number of draws folded so far. */
  get count(): number {
    return this.next - this.header.drawRange[0];
  }

  add(values: Float64Array, params: Float64Array, count: number): void {
    const { S, O, P, W, costIndex: ci, effectIndex: ei } = this;
    const wtps = this.header.wtps;
    if (this.next + count - 1 > this.header.drawRange[1]) throw new RangeError('PsaAccumulator: more draws than the range holds');
    // Locals instead of property loads in the hot loops (measured: the WTP loop dominated `add`).
    const sums = this.sums;
    const wins = this.wins;
    const maxNmbSum = this.maxNmbSum;
    const nmb = this.nmb;
    const cost = this.cost;
    const effect = this.effect;
    const p2 = this.p2;
    const SO = S * O;
    for (let r = 0; r < count; r++) {
      const draw = this.next++;
      const base = r * SO;
      for (let k = 0; k < SO; k++) sums[k] += values[base + k];
      for (let s = 0; s < S; s++) {
        cost[s] = values[base + s * O + ci];
        effect[s] = values[base + s * O + ei];
      }
      if (this.store) {
        const at = this.storedLength++;
        for (let k = 0; k < SO; k++) this.stored[k][at] = values[base + k];
        for (let j = 0; j < P; j++) this.storedParams[j][at] = params[r * P + j];
      }
      if (p2) {
        for (let s = 0; s < S; s++) {
          p2[s * 4].add(cost[s]);
          p2[s * 4 + 1].add(cost[s]);
          p2[s * 4 + 2].add(effect[s]);
          p2[s * 4 + 3].add(effect[s]);
        }
      }
      for (let w = 0; w < W; w++) {
        const wtp = wtps[w];
        let best = -Infinity;
        let bestIndex = 0;
        let nTied = 0;
        for (let s = 0; s < S; s++) {
          const v = effect[s] * wtp - cost[s];
          nmb[s] = v;
          if (v > best) {
            best = v;
            bestIndex = s;
            nTied = 1;
          } else if (v === best) nTied++;
        }
        maxNmbSum[w] += best;
        // Exact ties share the draw equally (as computeCeac), so probabilities sum to 1.
        if (nTied === 1) wins[w * S + bestIndex] += 1;
        else for (let s = 0; s < S; s++) if (nmb[s] === best) wins[w * S + s] += 1 / nTied;
      }
      if (this.planeJ < this.planeM && this.planeDraw(this.planeJ) === draw) {
        this.planeDraws.push(draw);
        for (let s = 0; s < S; s++) this.planeValues.push(cost[s]);
        for (let s = 0; s < S; s++) this.planeValues.push(effect[s]);
        this.planeJ++;
      }
    }
  }

  result(): PsaResult {
    const h = this.header;
    const { S, O, W } = this;
    const nDraws = this.count;
    const expected = h.drawRange[1] - h.drawRange[0] + 1;
    if (nDraws !== expected) throw new RangeError(`PsaAccumulator: ${nDraws} draws folded, the range holds ${expected}`);
    const complete = h.drawRange[0] === 0 && h.drawRange[1] === h.n - 1;
    const ci = this.costIndex;
    const ei = this.effectIndex;
    const mean = (s: number, o: number) => this.sums[s * O + o] / nDraws;
    const exact = this.p2 === null;
    const interval = (s: number, o: number, k: number): [number, number] => {
      if (exact) {
        const sorted = Float64Array.from(this.stored[s * O + o].subarray(0, nDraws)).sort();
        return [quantileSorted(sorted, 0.025), quantileSorted(sorted, 0.975)];
      }
      return [this.p2![s * 4 + k].value(), this.p2![s * 4 + k + 1].value()];
    };
    const strategies: PsaStrategySummary[] = h.strategyIds.map((id, s) => {
      const outcomeMeans: Record<string, number> = {};
      h.outcomeIds.forEach((oid, o) => (outcomeMeans[oid] = mean(s, o)));
      return {
        id,
        name: h.strategyNames[s],
        meanCost: mean(s, ci),
        meanEffect: mean(s, ei),
        costInterval: interval(s, ci, 0),
        effectInterval: interval(s, ei, 2),
        outcomeMeans,
      };
    });
    const incremental = computeIncremental(strategies.map((s) => ({ id: s.id, cost: s.meanCost, effect: s.meanEffect })));
    const ceac = h.wtps.map((wtp, w) => {
      const probabilities: Record<string, number> = {};
      h.strategyIds.forEach((id, s) => (probabilities[id] = this.wins[w * S + s] / nDraws));
      return { wtp, probabilities };
    });
    const ceaf: PsaResult['ceaf'] = [];
    const evpi: PsaResult['evpi'] = [];
    for (let w = 0; w < W; w++) {
      const wtp = h.wtps[w];
      let best = 0;
      let bestValue = -Infinity;
      for (let s = 0; s < S; s++) {
        const v = wtp * strategies[s].meanEffect - strategies[s].meanCost;
        if (v > bestValue) {
          bestValue = v;
          best = s;
        }
      }
      ceaf.push({ wtp, optimal: h.strategyIds[best], probability: this.wins[w * S + best] / nDraws });
      // EVPI = E[max_s NMB] − max_s E[NMB]; ≥ 0 in exact arithmetic, clamped at 0 against rounding.
      evpi.push({ wtp, value: Math.max(0, this.maxNmbSum[w] / nDraws - bestValue) });
    }
    const comparator = h.strategyIds[0];
    const kept = this.planeDraws.length;
    const series = h.strategyIds.slice(1).map((id, k) => {
      const s = k + 1;
      return {
        id,
        points: this.planeDraws.map((draw, j) => {
          const b = j * 2 * S;
          return { draw, incrementalCost: this.planeValues[b + s] - this.planeValues[b], incrementalEffect: this.planeValues[b + S + s] - this.planeValues[b + S] };
        }),
      };
    });
    let evppi: PsaResult['evppi'] = null;
    let evppiNote: string | null = null;
    if (h.evppi.length > 0) {
      if (!complete) {
        evppiNote = 'EVPPI is computed when all draws are available (after merging shards)';
      } else {
        const table = this.table();
        const unique = [...new Set(h.evppi.flat())];
        const notes: string[] = [];
        evppi = h.evppi.map((group) => {
          const inputs = group.map((id) => this.storedParams[unique.indexOf(id)].subarray(0, nDraws));
          const varies = inputs.some((x) => x.some((v) => v !== x[0]));
          if (!varies) {
            notes.push(`${group.join(',')}: null, the parameters do not vary across draws (no distribution)`);
            return null;
          }
          try {
            return computeEvppi(table, inputs, group, h.wtps);
          } catch (error) {
            // e.g. too few draws for the regression: reported, not fatal for the rest of the PSA.
            if (!(error instanceof RangeError)) throw error;
            notes.push(`${group.join(',')}: null, ${error.message}`);
            return null;
          }
        });
        evppiNote = notes.length > 0 ? notes.join('; ') : null;
      }
    }
    const result: PsaResult = {
      kind: 'psa',
      formatVersion: PSA_FORMAT_VERSION,
      modelName: h.modelName,
      modelHash: h.modelHash,
      scenario: h.scenario,
      subgroup: h.subgroup,
      seed: h.seed,
      n: h.n,
      drawRange: [h.drawRange[0], h.drawRange[1]],
      nDraws,
      complete,
      options: { keepDraws: h.keepDraws, evppiGroups: h.evppi.map((g) => g.slice()), cePlanePoints: h.cePlaneMax },
      settings: { costOutcome: h.costOutcome, effectOutcome: h.effectOutcome, cohortSize: h.cohortSize, currency: h.currency, wtpThresholds: h.wtpThresholds },
      strategies,
      intervalMethod: exact ? EXACT_INTERVALS : P2_INTERVALS,
      memory: this.store
        ? 'per-draw values kept in memory' + (h.keepDraws ? ' (keepDraws)' : complete ? ' (needed for EVPPI)' : ' (shard: needed for merging)')
        : 'summary-only: streaming accumulators, memory flat in the number of draws',
      incremental,
      wtps: h.wtps,
      wtpGrid: 'the given WTP values, or by default 0 to 3x the largest settings threshold in 50 equal steps plus every settings threshold',
      ceac,
      ceaf,
      evpi,
      evpiMethod: 'mean over draws of the maximum NMB minus the maximum mean NMB (per reported cohort; clamped at 0 against rounding)',
      cePlane: { comparator, maxPoints: h.cePlaneMax, series: kept > 0 ? series : [] },
      evppi,
      evppiNote,
    };
    if (h.keepDraws || !complete) result.draws = this.drawsData(nDraws);
    return result;
  }

  /** The kept draws as an OutcomeTable of primary cost and effect (only when draws are stored). */
  table(): OutcomeTable {
    if (!this.store) throw new RangeError('PsaAccumulator: draws were not kept');
    const n = this.count;
    return {
      strategyIds: this.header.strategyIds.slice(),
      costs: this.header.strategyIds.map((_, s) => this.stored[s * this.O + this.costIndex].subarray(0, n)),
      effects: this.header.strategyIds.map((_, s) => this.stored[s * this.O + this.effectIndex].subarray(0, n)),
    };
  }

  private drawsData(n: number): PsaDraws {
    const h = this.header;
    const unique = [...new Set(h.evppi.flat())];
    const parameters: Record<string, number[]> = {};
    unique.forEach((id, j) => (parameters[id] = Array.from(this.storedParams[j].subarray(0, n))));
    return {
      strategies: h.strategyIds.map((id, s) => {
        const outcomes: Record<string, number[]> = {};
        h.outcomeIds.forEach((oid, o) => {
          if (o !== this.costIndex && o !== this.effectIndex) outcomes[oid] = Array.from(this.stored[s * this.O + o].subarray(0, n));
        });
        return {
          id,
          cost: Array.from(this.stored[s * this.O + this.costIndex].subarray(0, n)),
          effect: Array.from(this.stored[s * this.O + this.effectIndex].subarray(0, n)),
          outcomes,
        };
      }),
      parameters,
    };
  }
}
