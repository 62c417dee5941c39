/**
 * PsaAccumulator internals: the block-wise fold gives bit-identical CEAC wins, EVPI and means to
 * the draw-by-draw fold it replaced; exact intervals by selection equal the sorted type 7
 * percentiles; the exact-interval cap switches to P² with the same estimates as a pure P² stream.
 */
import { describe, expect, it } from 'vitest';
import { EXACT_INTERVAL_DRAWS, P2Quantile, PsaAccumulator, type PsaHeader, exactInterval } from '../../../models/analyses/psa-accumulator';
import { runPsa } from '../../../models/analyses/psa';
import { quantileSorted } from '../../../models/analyses/psa-summary';
import { drawStream } from '../../../models/psa/random';
import { sampleStandardNormal } from '../../../models/psa/distributions';
import { loadModelFile } from '../../helpers/load';

/** Header of a synthetic run: S strategies, outcomes [cost, qaly, other]. */
function header(S: number, n: number, wtps: number[], extra: Partial<PsaHeader> = {}): PsaHeader {
  const ids = Array.from({ length: S }, (_, s) => `s${s}`);
  return {
    modelName: 'synthetic',
    modelHash: '0',
    scenario: null,
    subgroup: null,
    seed: 1,
    n,
    drawRange: [0, n - 1],
    strategyIds: ids,
    strategyNames: ids,
    outcomeIds: ['cost', 'qaly', 'other'],
    costOutcome: 'cost',
    effectOutcome: 'qaly',
    cohortSize: 1,
    currency: 'EUR',
    wtpThresholds: [20000],
    wtps,
    keepDraws: false,
    evppi: [],
    cePlaneMax: 50,
    ...extra,
  };
}

/**
 * Values laid out as PsaEvaluator.evaluateBlock writes them: [(r*S + s)*3 + o]. Costs and
 * effects are rounded to a coarse grid so that exact NMB ties occur at the grid WTPs.
 */
function synthetic(S: number, n: number, seed: number): Float64Array {
  const v = new Float64Array(n * S * 3);
  for (let r = 0; r < n; r++) {
    const u = drawStream(seed, r);
    for (let s = 0; s < S; s++) {
      v[(r * S + s) * 3] = Math.round(1000 + 200 * s + 300 * sampleStandardNormal(u)) * 10;
      v[(r * S + s) * 3 + 1] = Math.round(100 * (1 + 0.05 * s + 0.1 * sampleStandardNormal(u))) / 100;
      v[(r * S + s) * 3 + 2] = u();
    }
  }
  return v;
}

/**
 * The oracle: the draw-by-draw fold of the previous PsaAccumulator.add (copied from it), giving
 * the sums, CEAC wins and EVPI max-NMB sums the new block-wise fold must reproduce bit for bit.
 */
function oracleFold(values: Float64Array, S: number, O: number, n: number, wtps: number[]) {
  const W = wtps.length;
  const sums = new Float64Array(S * O);
  const wins = new Float64Array(W * S);
  const maxNmbSum = new Float64Array(W);
  const nmb = new Float64Array(S);
  const cost = new Float64Array(S);
  const effect = new Float64Array(S);
  for (let r = 0; r < n; r++) {
    const base = r * S * O;
    for (let k = 0; k < S * O; k++) sums[k] += values[base + k];
    for (let s = 0; s < S; s++) {
      cost[s] = values[base + s * O];
      effect[s] = values[base + s * O + 1];
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
      if (nTied === 1) wins[w * S + bestIndex] += 1;
      else for (let s = 0; s < S; s++) if (nmb[s] === best) wins[w * S + s] += 1 / nTied;
    }
  }
  // What result() makes of them (same formulas as PsaAccumulator.result).
  const meanCost = (s: number) => sums[s * O] / n;
  const meanEffect = (s: number) => sums[s * O + 1] / n;
  const ceac = wtps.map((wtp, w) => ({ wtp, probabilities: Object.fromEntries(Array.from({ length: S }, (_, s) => [`s${s}`, wins[w * S + s] / n])) }));
  const evpi = wtps.map((wtp, w) => {
    let bestValue = -Infinity;
    for (let s = 0; s < S; s++) bestValue = Math.max(bestValue, wtp * meanEffect(s) - meanCost(s));
    return { wtp, value: Math.max(0, maxNmbSum[w] / n - bestValue) };
  });
  return { wins, maxNmbSum, ceac, evpi, means: Array.from({ length: S }, (_, s) => [meanCost(s), meanEffect(s)]), ties: wins.some((x) => x % 1 !== 0) };
}

/** Feeds `values` to an accumulator in blocks of `block` draws. */
function fold(h: PsaHeader, values: Float64Array, block: number, cap?: number) {
  const acc = new PsaAccumulator(h, cap);
  const n = h.drawRange[1] - h.drawRange[0] + 1;
  const width = h.strategyIds.length * h.outcomeIds.length;
  for (let from = 0; from < n; from += block) {
    const count = Math.min(block, n - from);
    acc.add(values.subarray(from * width, (from + count) * width), new Float64Array(0), count);
  }
  return acc.result();
}

describe('block-wise fold: bit-identical to the draw-by-draw fold', () => {
  // WTPs at multiples of 1000: with costs on a 10 grid and effects on a 0.01 grid, NMBs tie exactly in some draws.
  const wtps = [0, 1000, 5000, 10000, 20000, 30000, 1e6];
  for (const S of [1, 2, 3, 5]) {
    it(`${S} strategies, blocks of 1, 100 and 3000 draws (ties included)`, () => {
      const n = 3000;
      const values = synthetic(S, n, 17 + S);
      const expected = oracleFold(values, S, 3, n, wtps);
      if (S > 1) expect(expected.ties).toBe(true); // the fixture does exercise the tie rule
      for (const block of [1, 100, 3000]) {
        const r = fold(header(S, n, wtps), values, block);
        // toEqual compares numbers with Object.is: bit-identical (and -0 differs from 0).
        expect(r.ceac).toEqual(expected.ceac);
        expect(r.evpi).toEqual(expected.evpi);
        expect(r.strategies.map((s) => [s.meanCost, s.meanEffect])).toEqual(expected.means);
      }
    });
  }

  it('non-finite values (two strategies) take the general rule, NaN net benefits included', () => {
    const n = 700;
    const values = synthetic(2, n, 5);
    values[(10 * 2 + 1) * 3 + 1] = Infinity; // effect of s1 in draw 10: Infinity * 0 is NaN at WTP 0
    values[(600 * 2 + 0) * 3] = -Infinity; // cost of s0 in draw 600
    values[(650 * 2 + 1) * 3] = NaN;
    const expected = oracleFold(values, 2, 3, n, wtps);
    const acc = new PsaAccumulator(header(2, n, wtps));
    acc.add(values, new Float64Array(0), n);
    // result() rejects non-finite means (computeIncremental), so the sums are read directly.
    const internals = acc as unknown as { wins: Float64Array; maxNmbSum: Float64Array };
    expect(internals.wins).toEqual(expected.wins);
    expect(internals.maxNmbSum).toEqual(expected.maxNmbSum);
  });

  it('finite values whose net benefit overflows to Infinity tie as in the draw-by-draw fold', () => {
    const n = 300;
    const values = synthetic(2, n, 8);
    for (let r = 0; r < n; r += 7) for (let s = 0; s < 2; s++) values[(r * 2 + s) * 3 + 1] = 1e300;
    const big = [0, 20000, 1e10];
    const expected = oracleFold(values, 2, 3, n, big);
    const r = fold(header(2, n, big), values, 64);
    expect(r.ceac).toEqual(expected.ceac);
    expect(r.evpi).toEqual(expected.evpi);
  });
});

describe('exact intervals by selection', () => {
  /** The reference: type 7 on a sorted copy, as summarisePsa and the previous accumulator. */
  const bySort = (x: Float64Array): [number, number] => {
    const sorted = Float64Array.from(x).sort();
    return [quantileSorted(sorted, 0.025), quantileSorted(sorted, 0.975)];
  };

  it('equals the sorted type 7 percentiles on random, tied, constant, signed-zero and infinite inputs', () => {
    const cases: Float64Array[] = [];
    for (let k = 0; k < 300; k++) {
      const u = drawStream(4242, k);
      const n = 1 + Math.floor(u() * (k < 100 ? 12 : 3000));
      const kind = k % 6;
      const x = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const z = sampleStandardNormal(u);
        x[i] =
          kind === 0 ? z
          : kind === 1 ? Math.round(z * 2) // few distinct values, many ties
          : kind === 2 ? 7.5 // constant
          : kind === 3 ? [0, -0, 1, -1][Math.floor(u() * 4)] // signed zeros
          : kind === 4 ? (u() < 0.05 ? (u() < 0.5 ? -Infinity : Infinity) : z)
          : i; // sorted input
      }
      if (kind === 5 && k % 12 === 5) x.reverse();
      cases.push(x);
    }
    for (const x of cases) {
      const before = x.slice();
      expect(exactInterval(x, x.length)).toEqual(bySort(x));
      expect(x).toEqual(before); // works on a copy
    }
  });

  it('uses only the first n values, and falls back to the sort when a value is NaN', () => {
    const x = Float64Array.from([5, 1, 4, 2, 3, 100, -100]);
    expect(exactInterval(x, 5)).toEqual(bySort(x.subarray(0, 5)));
    const withNaN = Float64Array.from([3, NaN, 1, 2, 5, 4]);
    expect(exactInterval(withNaN, 6)).toEqual(bySort(withNaN));
    // Constant inputs take a shortcut; zeros of either sign give +0 like the sorted formula.
    for (const c of [[-0, -0, -0], [0, -0, 0, -0], [2, 2], [-3]]) expect(exactInterval(Float64Array.from(c), c.length)).toEqual(bySort(Float64Array.from(c)));
    expect(exactInterval(Float64Array.from([-0, -0]), 2)).toEqual([0, 0]);
  });
});

describe('exact-interval cap (summary-only runs)', () => {
  const wtps = [0, 20000];
  /** A pure P² stream of every draw, as the accumulator computed intervals before the cap existed. */
  const p2Of = (values: Float64Array, S: number, n: number, s: number, o: number): [number, number] => {
    const lo = new P2Quantile(0.025);
    const hi = new P2Quantile(0.975);
    for (let r = 0; r < n; r++) {
      lo.add(values[(r * S + s) * 3 + o]);
      hi.add(values[(r * S + s) * 3 + o]);
    }
    return [lo.value(), hi.value()];
  };
  const column = (values: Float64Array, S: number, n: number, s: number, o: number) => Float64Array.from({ length: n }, (_, r) => values[(r * S + s) * 3 + o]);

  it('up to the cap: exact percentiles of every draw; one draw more: the P² estimates of the whole stream', () => {
    const S = 2;
    const cap = 1000;
    const values = synthetic(S, cap + 1, 99);
    const atCap = fold(header(S, cap, wtps), values, 256, cap);
    expect(atCap.intervalMethod).toMatch(/exact/);
    expect(atCap.memory).toMatch(/^summary-only: .* up to 1,000 draws/);
    for (let s = 0; s < S; s++) {
      expect(atCap.strategies[s].costInterval).toEqual(exactInterval(column(values, S, cap, s, 0), cap));
      expect(atCap.strategies[s].effectInterval).toEqual(exactInterval(column(values, S, cap, s, 1), cap));
    }
    // Crossing the cap at the start of a block, inside a block, and with one block holding every draw.
    for (const block of [250, 256, cap + 1]) {
      const over = fold(header(S, cap + 1, wtps), values, block, cap);
      expect(over.intervalMethod).toMatch(/^P-square .* more than 1,000 draws/);
      for (let s = 0; s < S; s++) {
        expect(over.strategies[s].costInterval).toEqual(p2Of(values, S, cap + 1, s, 0));
        expect(over.strategies[s].effectInterval).toEqual(p2Of(values, S, cap + 1, s, 1));
      }
    }
  });

  it('a cap of 0 streams P² from the first draw', () => {
    const values = synthetic(3, 40, 3);
    const r = fold(header(3, 40, wtps), values, 16, 0);
    expect(r.intervalMethod).toMatch(/P-square/);
    expect(r.strategies[2].costInterval).toEqual(p2Of(values, 3, 40, 2, 0));
  });

  it('the default cap is 200,000 draws; a summary-only run under it has the kept-draws (exact) intervals', () => {
    expect(EXACT_INTERVAL_DRAWS).toBe(200_000);
    const chancellor = loadModelFile('tests/reference/chancellor-hiv.model.json');
    const summary = runPsa(chancellor, { n: 2000, seed: 5 });
    const kept = runPsa(chancellor, { n: 2000, seed: 5, keepDraws: true });
    expect(summary.strategies).toEqual(kept.strategies);
    expect(summary.intervalMethod).toBe(kept.intervalMethod);
    expect(summary.draws).toBeUndefined();
  });
});

/** The oracle: P2Quantile as it was before the fast path (copied verbatim apart from the name). */
class OldP2Quantile {
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

describe('P2Quantile fast path', () => {
  it('gives the previous implementation\'s estimate after every value, on varied streams', () => {
    const streams: number[][] = [];
    for (let k = 0; k < 60; k++) {
      const u = drawStream(777, k);
      const n = k < 20 ? 1 + k : 2000 + Math.floor(u() * 3000);
      const kind = k % 6;
      streams.push(
        Array.from({ length: n }, (_, i) => {
          const z = sampleStandardNormal(u);
          if (kind === 0) return z;
          if (kind === 1) return Math.round(z * 3); // many ties
          if (kind === 2) return Math.exp(2 * z); // skewed, like costs
          if (kind === 3) return i % 2 === 0 ? i : -i; // alternating, spreading out
          if (kind === 4) return 42; // constant
          return u() < 0.01 ? [NaN, Infinity, -Infinity][Math.floor(u() * 3)] : z; // non-finite values
        }),
      );
    }
    streams.push(Array.from({ length: 3000 }, (_, i) => i), Array.from({ length: 3000 }, (_, i) => -i));
    for (const xs of streams) {
      for (const p of [0.025, 0.975, 0.5, 0.1]) {
        const fast = new P2Quantile(p);
        const old = new OldP2Quantile(p);
        const got: number[] = [];
        const want: number[] = [];
        for (const x of xs) {
          fast.add(x);
          old.add(x);
          got.push(fast.value());
          want.push(old.value());
        }
        expect(got).toEqual(want);
        // The markers' positions as well (the desired positions of the outer two are no longer updated).
        expect((fast as unknown as { pos: Float64Array }).pos).toEqual((old as unknown as { pos: Float64Array }).pos);
      }
    }
  });
});
