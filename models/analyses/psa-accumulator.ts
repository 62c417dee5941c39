/**
 * The PSA accumulator (see psa.ts for the analysis): folds per-draw outcome values, in draw
 * order, into means, CEAC wins, EVPI sums, CE-plane points and 95% intervals, and builds the
 * result. Also exact percentiles by selection, the P² streaming quantile estimator (used beyond
 * EXACT_INTERVAL_DRAWS) and the result types.
 *
 * Speed (10,000 Chancellor draws, 2 strategies, 53 WTPs): the fold works on blocks of draws, WTP
 * by WTP, instead of draw by draw, and summary-only runs keep the primary values for exact
 * intervals instead of feeding eight P² estimators per draw; about 3-4x faster than the draw-by-
 * draw fold, with the same sums (tests/unit/analyses/psa-accumulator.test.ts).
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
// Exact percentiles by selection.
// ---------------------------------------------------------------------------------------------

/**
 * Rearranges a[l..r] so that a[k] is the value at sorted position k, with nothing greater before
 * it and nothing smaller after it: Floyd & Rivest's SELECT (CACM 18(3):173, 1975), which first
 * selects within a small sample around the expected position, so that a 2.5% or 97.5% order
 * statistic costs little more than one pass. Equal values split evenly, so constant inputs stay
 * linear. NaN-free input only.
 */
function selectInPlace(a: Float64Array, k: number, l: number, r: number): void {
  while (r > l) {
    if (r - l > 600) {
      const n = r - l + 1;
      const i = k - l + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (i - n / 2 < 0 ? -1 : 1);
      selectInPlace(a, k, Math.max(l, Math.floor(k - (i * s) / n + sd)), Math.min(r, Math.floor(k + ((n - i) * s) / n + sd)));
    }
    const t = a[k];
    let i = l;
    let j = r;
    a[k] = a[l];
    a[l] = t;
    if (a[r] > t) {
      a[l] = a[r];
      a[r] = t;
    }
    while (i < j) {
      const x = a[i];
      a[i] = a[j];
      a[j] = x;
      i++;
      j--;
      while (a[i] < t) i++;
      while (a[j] > t) j--;
    }
    if (a[l] === t) {
      const x = a[l];
      a[l] = a[j];
      a[j] = x;
    } else {
      j++;
      const x = a[j];
      a[j] = a[r];
      a[r] = x;
    }
    if (j <= k) l = j + 1;
    if (k <= j) r = j - 1;
  }
}

/**
 * The type 7 2.5th and 97.5th percentiles of x[0..n-1], equal to quantileSorted of the sorted
 * values (as summarisePsa): selection finds the same order statistics in O(n) instead of a sort.
 * Selection cannot tell -0 from +0, but the type 7 formula gives the same number either way
 * (a zero order statistic only enters as `zero + something`, which is +0 or that something).
 * With a NaN (no order) it falls back to the sort.
 */
export function exactInterval(x: Float64Array, n: number): [number, number] {
  if (n === 0) return [NaN, NaN];
  const a = x.slice(0, n); // a copy (slice copies typed arrays in bulk; Float64Array.from iterates)
  let min = a[0];
  let max = a[0];
  for (let i = 0; i < n; i++) {
    const v = a[i];
    if (v !== v) {
      a.sort();
      return [quantileSorted(a, 0.025), quantileSorted(a, 0.975)];
    }
    if (v < min) min = v;
    else if (v > max) max = v;
  }
  // Type 7 at p interpolates between order statistics lo = floor((n-1)p) and hi = min(lo+1, n-1).
  const h1 = (n - 1) * 0.025;
  const h2 = (n - 1) * 0.975;
  if (min === max) {
    // Every draw gives the same value (e.g. a strategy no drawn parameter reaches): the formula
    // with equal order statistics (which also turns -0 into +0, as quantileSorted does).
    return [min + (h1 - Math.floor(h1)) * (min - min), min + (h2 - Math.floor(h2)) * (min - min)];
  }
  // Lower percentile: select hi, then lo is the largest value before it (a short scan).
  const lo1 = Math.floor(h1);
  const hi1 = Math.min(lo1 + 1, n - 1);
  selectInPlace(a, hi1, 0, n - 1);
  let below = a[hi1];
  if (hi1 > lo1) {
    below = a[lo1];
    for (let i = 0; i < hi1; i++) if (a[i] > below) below = a[i];
  }
  const lower = below + (h1 - lo1) * (a[hi1] - below);
  // Upper percentile: select lo (within hi1..n-1 when it lies there: everything before hi1 is
  // no greater), then hi is the smallest value after it.
  const lo2 = Math.floor(h2);
  const hi2 = Math.min(lo2 + 1, n - 1);
  selectInPlace(a, lo2, lo2 >= hi1 ? hi1 : 0, n - 1);
  let above = a[lo2];
  if (hi2 > lo2) {
    above = a[hi2];
    for (let i = hi2; i < n; i++) if (a[i] < above) above = a[i];
  }
  const upper = a[lo2] + (h2 - lo2) * (above - a[lo2]);
  return [lower, upper];
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
    // The cell of x among the markers, written out (the former loop `k = 0; while (x >= q[k + 1])
    // k++` then `n[i]++` for i > k); the positions move the same way, in fewer steps. `!(x >= q)`
    // rather than `x < q` keeps the loop's behaviour for a NaN.
    if (x < q[0]) {
      q[0] = x;
      n[1]++;
      n[2]++;
      n[3]++;
    } else if (x >= q[4]) {
      q[4] = x;
    } else if (!(x >= q[1])) {
      n[1]++;
      n[2]++;
      n[3]++;
    } else if (!(x >= q[2])) {
      n[2]++;
      n[3]++;
    } else if (!(x >= q[3])) {
      n[3]++;
    }
    n[4]++;
    // Desired positions of the middle markers, by the same repeated additions as before (a closed
    // form would round differently and could move a marker at another step). The outer two are
    // never read after initialisation, so they are not updated.
    const desired = this.desired;
    const inc = this.inc;
    desired[1] += inc[1];
    desired[2] += inc[2];
    desired[3] += inc[3];
    for (let i = 1; i <= 3; i++) {
      const d = desired[i] - n[i];
      // Most steps move no marker: |d| < 1.
      if (d < 1 && d > -1) continue;
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

/**
 * Summary-only runs keep the primary cost and effect of every draw up to this many draws, so
 * that their 95% intervals are exact percentiles (16 bytes per strategy per draw: at most
 * 3.2 MB per strategy). Beyond it the kept values are replayed, in draw order, into P² estimators
 * and released, so memory stays flat from there on and the estimates equal a pure P² stream.
 */
export const EXACT_INTERVAL_DRAWS = 200_000;

/** 200000 -> "200,000" (toLocaleString goes through Intl, which showed up in the profile of result()). */
const thousands = (x: number) => String(x).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const EXACT_INTERVALS = '2.5th and 97.5th percentiles of the draws (exact, Hyndman & Fan type 7)';
const p2Intervals = (cap: number) =>
  `P-square streaming estimates of the 2.5th and 97.5th percentiles (Jain & Chlamtac 1985); more than ${thousands(cap)} draws without keepDraws, so these are estimates, not exact percentiles`;
const summaryMemory = (cap: number) =>
  `summary-only: streaming accumulators, plus the primary cost and effect of each draw up to ${thousands(cap)} draws (for exact intervals); memory bounded, flat in the number of draws beyond that`;

/** True when x[from..to-1] are all finite (x - x is NaN for infinities and NaN). */
function allFinite(x: Float64Array, from: number, to: number): boolean {
  let z = 0;
  for (let i = from; i < to; i++) z += x[i] - x[i];
  return z === 0;
}

/** Draws folded per pass of the WTP loop: the block's costs and effects (S x 2 x 8 bytes per draw) stay in cache. */
const FOLD_BLOCK = 512;

/**
 * CEAC wins and EVPI sums of a block of draws for two strategies with finite values, WTP by WTP
 * over the block's draws (w outer, draws inner on contiguous arrays). Per WTP, every sum still gets
 * its draws added in draw order, so the totals are bit-identical to folding draw by draw.
 *
 * Finite values mean no NaN net benefit, so the general rule (foldStrategies) can be written as
 * selects instead of branches (measured faster: which strategy wins is unpredictable near the
 * ICER). The best NMB is v1 only when strictly larger (a tie keeps v0, as the general rule). Wins
 * are sums of 1s and halves, exact in doubles at any count below 2^53, so adding the block's
 * counts at once gives the same number as adding draw by draw.
 *
 * Small, and a function of its own rather than part of the fold, because V8 optimises a small
 * function much sooner: compiling the whole fold (with four WTPs per pass, 0.5 ms faster once
 * warm) took ~80 ms on a busy machine, during which a cold CLI run folded its draws in the
 * interpreter (measured: cold folding of 10,000 draws about halved).
 */
function foldTwoStrategies(bc: Float64Array, be: Float64Array, m: number, wtps: readonly number[], wins: Float64Array, maxNmbSum: Float64Array): void {
  const W = wtps.length;
  for (let w = 0; w < W; w++) {
    const wtp = wtps[w];
    let maxSum = maxNmbSum[w];
    let won1 = 0;
    let tied = 0;
    for (let r = 0; r < m; r++) {
      const v0 = be[r] * wtp - bc[r];
      const v1 = be[FOLD_BLOCK + r] * wtp - bc[FOLD_BLOCK + r];
      const second = v1 > v0;
      maxSum += second ? v1 : v0;
      won1 += second ? 1 : 0;
      tied += v0 === v1 ? 1 : 0;
    }
    maxNmbSum[w] = maxSum;
    wins[w * 2] += m - won1 - tied + 0.5 * tied;
    wins[w * 2 + 1] += won1 + 0.5 * tied;
  }
}

/** CEAC wins and EVPI sums of a block of draws, any number of strategies (the general rule, ties shared). */
function foldStrategies(bc: Float64Array, be: Float64Array, m: number, S: number, wtps: readonly number[], wins: Float64Array, maxNmbSum: Float64Array, nmb: Float64Array): void {
  const W = wtps.length;
  for (let w = 0; w < W; w++) {
    const wtp = wtps[w];
    let maxSum = maxNmbSum[w];
    const wb = w * S;
    for (let r = 0; r < m; r++) {
      let best = -Infinity;
      let bestIndex = 0;
      let nTied = 0;
      for (let s = 0; s < S; s++) {
        const v = be[s * FOLD_BLOCK + r] * wtp - bc[s * FOLD_BLOCK + r];
        nmb[s] = v;
        if (v > best) {
          best = v;
          bestIndex = s;
          nTied = 1;
        } else if (v === best) nTied++;
      }
      maxSum += best;
      // Exact ties share the draw equally (as computeCeac), so probabilities sum to 1.
      if (nTied === 1) wins[wb + bestIndex] += 1;
      else for (let s = 0; s < S; s++) if (nmb[s] === best) wins[wb + s] += 1 / nTied;
    }
    maxNmbSum[w] = maxSum;
  }
}

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
  /** This block's primary costs and effects, strategy-major: [s * FOLD_BLOCK + r]. */
  private readonly blockCost: Float64Array;
  private readonly blockEffect: Float64Array;
  /** Summary-only runs: the primary cost and effect of each draw (per strategy: cost, effect) until the cap, then null. */
  private primary: Float64Array[] | null;
  private primaryLength = 0;
  private readonly exactCap: number;
  private readonly finiteWtps: boolean;
  private p2: P2Quantile[] | null = null; // per strategy: cost lo, cost hi, effect lo, effect hi (beyond the cap)
  private readonly store: boolean;
  private readonly stored: Float64Array[] = []; // per (s*O + o)
  private storedParams: Float64Array[] = [];
  private storedLength = 0;
  private readonly planeDraws: number[] = [];
  private readonly planeValues: number[] = []; // per kept draw: S costs then S effects
  private planeJ: number;
  private readonly planeM: number;
  private next: number;

  /** `exactIntervalDraws` is EXACT_INTERVAL_DRAWS except in tests of the cap. */
  constructor(readonly header: PsaHeader, exactIntervalDraws = EXACT_INTERVAL_DRAWS) {
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
    this.blockCost = new Float64Array(this.S * FOLD_BLOCK);
    this.blockEffect = new Float64Array(this.S * FOLD_BLOCK);
    const complete = h.drawRange[0] === 0 && h.drawRange[1] === h.n - 1;
    const total = h.drawRange[1] - h.drawRange[0] + 1;
    this.store = h.keepDraws || !complete || h.evppi.length > 0;
    this.exactCap = exactIntervalDraws;
    this.finiteWtps = h.wtps.every((w) => Number.isFinite(w));
    this.primary = this.store ? null : Array.from({ length: this.S * 2 }, () => new Float64Array(Math.min(total, exactIntervalDraws)));
    if (!this.store && exactIntervalDraws === 0) this.releasePrimary();
    for (let k = 0; k < this.S * this.O; k++) this.stored.push(new Float64Array(this.store ? Math.max(16, total) : 0));
    this.storedParams = Array.from({ length: this.P }, () => new Float64Array(this.store ? Math.max(16, total) : 0));
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

  /** Past the exact-interval cap: P² estimators fed the kept values in draw order (as if they had streamed from the start), and the kept values dropped. */
  private releasePrimary(): void {
    const p2 = Array.from({ length: this.S * 4 }, (_, k) => new P2Quantile(k % 2 === 0 ? 0.025 : 0.975));
    const primary = this.primary;
    if (primary) {
      const n = this.primaryLength;
      for (let s = 0; s < this.S; s++) {
        for (let k = 0; k < 4; k++) {
          const xs = primary[s * 2 + (k >> 1)];
          const q = p2[s * 4 + k];
          for (let i = 0; i < n; i++) q.add(xs[i]);
        }
      }
    }
    this.primary = null;
    this.p2 = p2;
  }

  add(values: Float64Array, params: Float64Array, count: number): void {
    if (this.next + count - 1 > this.header.drawRange[1]) throw new RangeError('PsaAccumulator: more draws than the range holds');
    for (let from = 0; from < count; from += FOLD_BLOCK) this.addBlock(values, params, from, Math.min(FOLD_BLOCK, count - from));
  }

  /** Folds draws from..from+m-1 of `values` (m <= FOLD_BLOCK). */
  private addBlock(values: Float64Array, params: Float64Array, from: number, m: number): void {
    const { S, O, P, costIndex: ci, effectIndex: ei } = this;
    const wtps = this.header.wtps;
    // Locals instead of property loads in the hot loops (measured: the WTP loop dominated `add`).
    const sums = this.sums;
    const bc = this.blockCost;
    const be = this.blockEffect;
    const SO = S * O;
    const first = this.next;
    for (let r = 0; r < m; r++) {
      const base = (from + r) * SO;
      for (let k = 0; k < SO; k++) sums[k] += values[base + k];
      for (let s = 0; s < S; s++) {
        bc[s * FOLD_BLOCK + r] = values[base + s * O + ci];
        be[s * FOLD_BLOCK + r] = values[base + s * O + ei];
      }
    }
    if (this.store) {
      const at = this.storedLength;
      for (let k = 0; k < SO; k++) {
        const dst = this.stored[k];
        for (let r = 0; r < m; r++) dst[at + r] = values[(from + r) * SO + k];
      }
      for (let j = 0; j < P; j++) {
        const dst = this.storedParams[j];
        for (let r = 0; r < m; r++) dst[at + r] = params[(from + r) * P + j];
      }
      this.storedLength += m;
    }
    // Summary-only: keep the primary values while under the cap; past it, stream into P².
    let streamFrom = m;
    if (this.primary) {
      const keep = Math.min(m, this.exactCap - this.primaryLength);
      const at = this.primaryLength;
      for (let s = 0; s < S; s++) {
        this.primary[s * 2].set(bc.subarray(s * FOLD_BLOCK, s * FOLD_BLOCK + keep), at);
        this.primary[s * 2 + 1].set(be.subarray(s * FOLD_BLOCK, s * FOLD_BLOCK + keep), at);
      }
      this.primaryLength += keep;
      if (keep < m) {
        this.releasePrimary();
        streamFrom = keep;
      }
    } else if (this.p2) streamFrom = 0;
    const p2 = this.p2;
    if (p2 && streamFrom < m) {
      // Each estimator sees its values in draw order; the estimators are independent.
      for (let s = 0; s < S; s++) {
        const off = s * FOLD_BLOCK;
        const cLo = p2[s * 4], cHi = p2[s * 4 + 1], eLo = p2[s * 4 + 2], eHi = p2[s * 4 + 3];
        for (let r = streamFrom; r < m; r++) {
          cLo.add(bc[off + r]);
          cHi.add(bc[off + r]);
          eLo.add(be[off + r]);
          eHi.add(be[off + r]);
        }
      }
    }
    for (let r = 0; r < m; r++) {
      const draw = first + r;
      if (this.planeJ < this.planeM && this.planeDraw(this.planeJ) === draw) {
        this.planeDraws.push(draw);
        for (let s = 0; s < S; s++) this.planeValues.push(bc[s * FOLD_BLOCK + r]);
        for (let s = 0; s < S; s++) this.planeValues.push(be[s * FOLD_BLOCK + r]);
        this.planeJ++;
      }
    }
    this.next += m;
    // CEAC wins and EVPI sums, WTP by WTP over the block's draws (w outer, draws inner on
    // contiguous arrays). Per WTP, every sum still gets its draws added in draw order, so the
    // totals are bit-identical to folding draw by draw.
    if (S === 2 && this.finiteWtps && allFinite(bc, 0, m) && allFinite(be, 0, m) && allFinite(bc, FOLD_BLOCK, FOLD_BLOCK + m) && allFinite(be, FOLD_BLOCK, FOLD_BLOCK + m)) {
      foldTwoStrategies(bc, be, m, wtps, this.wins, this.maxNmbSum);
    } else foldStrategies(bc, be, m, S, wtps, this.wins, this.maxNmbSum, this.nmb);
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
    // k: 0 for the primary cost, 1 for the primary effect.
    const interval = (s: number, o: number, k: number): [number, number] => {
      if (exact) {
        // Kept draws (all outcomes) or, summary-only under the cap, the primary values: the same numbers.
        return exactInterval(this.primary ? this.primary[s * 2 + k] : this.stored[s * O + o], nDraws);
      }
      return [this.p2![s * 4 + 2 * k].value(), this.p2![s * 4 + 2 * k + 1].value()];
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
        effectInterval: interval(s, ei, 1),
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
      intervalMethod: exact ? EXACT_INTERVALS : p2Intervals(this.exactCap),
      memory: this.store
        ? 'per-draw values kept in memory' + (h.keepDraws ? ' (keepDraws)' : complete ? ' (needed for EVPPI)' : ' (shard: needed for merging)')
        : summaryMemory(this.exactCap),
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
