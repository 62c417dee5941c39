/**
 * The PSA JSON layout (2-space indentation, arrays of numbers on one line) is produced by the native
 * serialiser plus a pass that folds number arrays; it must give exactly the text of the reference
 * recursive formatter, on real results (summaries, kept draws, EVPPI, a shard) and on edge values.
 */
import { describe, expect, it } from 'vitest';
import { runPsa, stringifyJson, stringifyPsaResult } from '../../../models/analyses/psa';
import { loadModelFile } from '../../helpers/load';

/** The reference layout, written recursively (what stringifyJson replaced; it must give the same text). */
function stringifyJsonRecursive(value: unknown, indent = ''): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => typeof v === 'number' || v === null)) return '[' + value.map((v) => JSON.stringify(v)).join(', ') + ']';
    return '[\n' + value.map((v) => inner + stringifyJsonRecursive(v, inner)).join(',\n') + '\n' + indent + ']';
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return '{\n' + entries.map(([k, v]) => inner + JSON.stringify(k) + ': ' + stringifyJsonRecursive(v, inner)).join(',\n') + '\n' + indent + '}';
}

describe('stringifyJson', () => {
  const chancellor = loadModelFile('tests/reference/chancellor-hiv.model.json');
  const thr = loadModelFile('tests/reference/thr-briggs.model.json');

  it('gives the reference formatter\'s text on PSA results', () => {
    const results = [
      runPsa(chancellor, { n: 500, seed: 1 }),
      runPsa(chancellor, { n: 300, seed: 2, keepDraws: true, evppi: [['rr_comb']] }),
      runPsa(chancellor, { n: 1000, seed: 3, drawRange: [200, 399] }),
      runPsa(thr, { n: 200, seed: 4, keepDraws: true }),
    ];
    for (const r of results) {
      const text = stringifyPsaResult(r);
      expect(text).toBe(stringifyJsonRecursive(r));
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(r)));
    }
  });

  it('gives the reference formatter\'s text on edge values', () => {
    const values: unknown[] = [
      { a: [], b: {}, c: [1, -0, 1e21, -1.5e-7, NaN, Infinity, null], d: [[1, 2], [3], []], e: 'x\n[1,\n 2]', f: undefined },
      [{ x: [0.1, 0.2] }, [{ y: null }], 'text', 3],
      [[[]]],
      { nested: { deeper: { values: [5, 6, 7], label: 'a "quoted" [1, 2] string' } } },
      42,
      'plain',
      null,
    ];
    for (const v of values) expect(stringifyJson(v)).toBe(stringifyJsonRecursive(v));
  });
});
