import { describe, expect, it } from 'vitest';
import { drawStream, drawStreamState, splitMix64, xoshiro128StarStar } from '../../../models/psa/random';

// BigInt reference of the documented construction (independent of the 32-bit emulation).
const MASK = (1n << 64n) - 1n;
const GAMMA = 0x9e3779b97f4a7c15n;
function mix64(z: bigint): bigint {
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
  return z ^ (z >> 31n);
}
function referenceState(seed: number, i: number): number[] {
  const s = mix64((BigInt.asUintN(64, BigInt(seed)) + GAMMA) & MASK);
  const w0 = mix64((s + (2n * BigInt(i) + 1n) * GAMMA) & MASK);
  const w1 = mix64((s + (2n * BigInt(i) + 2n) * GAMMA) & MASK);
  return [w0 & 0xffffffffn, w0 >> 32n, w1 & 0xffffffffn, w1 >> 32n].map(Number);
}

describe('random: reference vectors', () => {
  it('SplitMix64 matches the published outputs for seed 1234567', () => {
    const expected = [6457827717110365317n, 3203168211198807973n, 9817491932198370423n, 4593380528125082431n, 16408922859458223821n];
    expected.forEach((e, k) => {
      const [hi, lo] = splitMix64(1234567, k + 1);
      expect((BigInt(hi) << 32n) | BigInt(lo)).toBe(e);
    });
  });

  it('xoshiro128** (v1.1, scrambles s[1]) matches the reference C code for state [1,2,3,4]', () => {
    // Output of the reference algorithm (prng.di.unimi.it/xoshiro128starstar.c) compiled with gcc.
    const expected = [11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804];
    const g = xoshiro128StarStar([1, 2, 3, 4]);
    expect(expected.map(() => g())).toEqual(expected);
  });

  it('per-draw states equal a BigInt implementation of the construction, including edge seeds and indices', () => {
    const seeds = [0, 1, -1, 42, 123456789, 2 ** 32, -(2 ** 31), Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
    const indices = [0, 1, 2, 999, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 7, Number.MAX_SAFE_INTEGER];
    for (const seed of seeds) for (const i of indices) expect(drawStreamState(seed, i)).toEqual(referenceState(seed, i));
  });

  it('uniforms are bit-identical to golden values from a C reference implementation', () => {
    // Computed by a C program using native uint64/uint32 arithmetic and the documented conversion
    // u = (2^26·(a>>6) + (b>>6) + 0.5) / 2^52, printed with %.17g.
    const golden: [number, number, number[], number[]][] = [
      [20240601, 0, [4236820711, 4184337353, 3446676698, 1186110130], [0.63368502250044945, 0.39885674871825738, 0.096824569647619207]],
      [20240601, 1, [3084920549, 974571577, 685135681, 3895596376], [0.0023347791466908907, 0.82335075970043958, 0.098666201283864496]],
      [-5, 2 ** 40, [2888028961, 4122433405, 3276386810, 1468205335], [0.61402130785952302, 0.74152774541515043, 0.41774557924843536]],
      [0, Number.MAX_SAFE_INTEGER, [3199035722, 2979742847, 772542961, 3745849451], [0.14656327096400623, 0.00037250227490581711]],
    ];
    for (const [seed, i, state, us] of golden) {
      expect(drawStreamState(seed, i)).toEqual(state);
      const u = drawStream(seed, i);
      for (const x of us) expect(u()).toBe(x);
    }
  });
});

describe('random: reproducibility contract', () => {
  it('same seed and index give identical sequences; different index or seed differ', () => {
    const take = (seed: number, i: number) => {
      const u = drawStream(seed, i);
      return Array.from({ length: 50 }, () => u());
    };
    expect(take(7, 3)).toEqual(take(7, 3));
    expect(take(7, 3)).not.toEqual(take(7, 4));
    expect(take(7, 3)).not.toEqual(take(8, 3));
    // Creating other streams in between does not disturb a stream (no shared state).
    const a = drawStream(7, 3);
    const first = a();
    drawStream(7, 4)();
    drawStream(9, 3)();
    const rest = Array.from({ length: 49 }, () => a());
    expect([first, ...rest]).toEqual(take(7, 3));
  });

  it('rejects seeds and indices that are not safe integers', () => {
    expect(() => drawStream(1.5, 0)).toThrow(RangeError);
    expect(() => drawStream(2 ** 53, 0)).toThrow(/seed must be a safe integer/);
    expect(() => drawStream(1, -1)).toThrow(/drawIndex must be a safe integer ≥ 0/);
    expect(() => drawStream(1, 0.5)).toThrow(RangeError);
    expect(() => drawStream(Number.NaN, 0)).toThrow(RangeError);
  });
});

describe('random: statistical sanity', () => {
  it('uniforms lie in (0,1) with mean 1/2 and variance 1/12 (4 standard errors)', () => {
    const n = 1_000_000;
    const u = drawStream(2024, 0);
    let s = 0;
    let s2 = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const x = u();
      s += x;
      s2 += x * x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    expect(min).toBeGreaterThan(0);
    expect(max).toBeLessThan(1);
    const mean = s / n;
    const v = s2 / n - mean * mean;
    // SE(mean) = sqrt(1/12/n); SE(var) = sqrt((μ4 − σ⁴)/n) with μ4 = 1/80, σ⁴ = 1/144.
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(v - 1 / 12)).toBeLessThan(4 * Math.sqrt((1 / 80 - 1 / 144) / n));
  });

  it('streams of neighbouring draw indices are uncorrelated (first and second uniforms)', () => {
    // Sample correlation of U_i and U_{i+1} (first uniform of adjacent draws) and of the first and
    // second uniform within a draw; under independence SE ≈ 1/sqrt(n).
    const n = 200_000;
    const first = new Float64Array(n);
    const second = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const u = drawStream(99, i);
      first[i] = u();
      second[i] = u();
    }
    const corr = (x: Float64Array, y: Float64Array, m: number) => {
      let sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
      for (let i = 0; i < m; i++) {
        sx += x[i]; sy += y[i]; sxx += x[i] * x[i]; syy += y[i] * y[i]; sxy += x[i] * y[i];
      }
      const cov = sxy / m - (sx / m) * (sy / m);
      return cov / Math.sqrt((sxx / m - (sx / m) ** 2) * (syy / m - (sy / m) ** 2));
    };
    expect(Math.abs(corr(first.subarray(0, n - 1), first.subarray(1), n - 1))).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(corr(first, second, n))).toBeLessThan(4 / Math.sqrt(n));
  });
});
