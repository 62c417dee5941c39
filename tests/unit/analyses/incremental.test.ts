import { describe, expect, it } from 'vitest';
import { computeIncremental } from '../../../models/analyses/incremental';

const pt = (id: string, cost: number, effect: number) => ({ id, cost, effect });

describe('computeIncremental (dampack calculate_icers semantics)', () => {
  it('returns [] for no strategies and a lone reference for one', () => {
    expect(computeIncremental([])).toEqual([]);
    expect(computeIncremental([pt('A', 5, 1)])).toEqual([
      { id: 'A', cost: 5, effect: 1, status: 'reference', comparator: null, incrementalCost: null, incrementalEffect: null, icer: null, dominatedBy: null },
    ]);
  });

  it('computes ICERs along the frontier vs the previous frontier strategy', () => {
    // Hand computation: B vs A = (300-100)/(3-1) = 100; C vs B = (900-300)/(5-3) = 300.
    const rows = computeIncremental([pt('C', 900, 5), pt('A', 100, 1), pt('B', 300, 3)]);
    expect(rows.map((r) => [r.id, r.status, r.comparator, r.incrementalCost, r.incrementalEffect, r.icer])).toEqual([
      ['A', 'reference', null, null, null, null],
      ['B', 'frontier', 'A', 200, 2, 100],
      ['C', 'frontier', 'B', 600, 2, 300],
    ]);
  });

  it('tie: exactly equal cost and effect keeps the first in input order, the others dominated by it', () => {
    const rows = computeIncremental([pt('X', 10, 1), pt('Y', 10, 1), pt('Z', 10, 1)]);
    expect(rows.map((r) => [r.id, r.status, r.dominatedBy])).toEqual([
      ['X', 'reference', null],
      ['Y', 'dominated', 'X'],
      ['Z', 'dominated', 'X'],
    ]);
    const reversed = computeIncremental([pt('Y', 10, 1), pt('X', 10, 1)]);
    expect(reversed.map((r) => [r.id, r.status, r.dominatedBy])).toEqual([
      ['Y', 'reference', null],
      ['X', 'dominated', 'Y'],
    ]);
  });

  it('tie: equal cost, different effect -> the less effective is dominated', () => {
    const rows = computeIncremental([pt('A', 10, 1), pt('B', 10, 2)]);
    expect(rows.map((r) => [r.id, r.status, r.dominatedBy])).toEqual([
      ['B', 'reference', null],
      ['A', 'dominated', 'B'],
    ]);
  });

  it('tie: equal effect, different cost -> the costlier is dominated', () => {
    const rows = computeIncremental([pt('B', 20, 1), pt('A', 10, 1)]);
    expect(rows.map((r) => [r.id, r.status, r.dominatedBy])).toEqual([
      ['A', 'reference', null],
      ['B', 'dominated', 'A'],
    ]);
  });

  it('strong dominance names the cheapest dominating strategy', () => {
    // C (30, 4) is dominated by A (10, 5) and by B (20, 6); A is the cheapest.
    const rows = computeIncremental([pt('A', 10, 5), pt('B', 20, 6), pt('C', 30, 4)]);
    expect(rows.find((r) => r.id === 'C')).toMatchObject({ status: 'dominated', dominatedBy: 'A', icer: null });
  });

  it('removes several extendedly dominated strategies in a row, one per pass', () => {
    // O(0,0) and Z(100,10) span the frontier. A, B, C lie above the line O-Z:
    // pass 1 ICERs: A 30, B 40, C 60, Z 2.5 -> only C (60 > 2.5) is ED;
    // pass 2: A 30, B 40, Z (100-50)/(10-1.5) = 5.88 -> B is ED;
    // pass 3: A 30, Z (100-30)/(10-1) = 7.78 -> A is ED. Frontier O, Z with ICER 100/10 = 10.
    const rows = computeIncremental([pt('Z', 100, 10), pt('C', 80, 2), pt('B', 50, 1.5), pt('A', 30, 1), pt('O', 0, 0)]);
    expect(rows.map((r) => [r.id, r.status, r.dominatedBy])).toEqual([
      ['O', 'reference', null],
      ['Z', 'frontier', null],
      ['A', 'extended-dominated', 'O\u2013Z'],
      ['B', 'extended-dominated', 'O\u2013Z'],
      ['C', 'extended-dominated', 'O\u2013Z'],
    ]);
    expect(rows[1].icer).toBe(10);
  });

  it('keeps collinear strategies (equal ICERs are not extended dominance, as in dampack)', () => {
    const rows = computeIncremental([pt('O', 0, 0), pt('A', 10, 1), pt('B', 20, 2)]);
    expect(rows.map((r) => [r.id, r.status, r.icer])).toEqual([
      ['O', 'reference', null],
      ['A', 'frontier', 10],
      ['B', 'frontier', 10],
    ]);
  });

  it('orders frontier, then extended-dominated, then dominated, each by ascending cost', () => {
    const rows = computeIncremental([
      pt('D2', 60, 0.5), // dominated; cheapest dominator is ED (30, 1.2), itself extendedly dominated
      pt('E', 40, 2),
      pt('ED', 30, 1.2), // ICER vs O 25 > ICER of E vs ED 10/0.8 = 12.5 -> ED
      pt('O', 0, 0),
      pt('D1', 45, 1.9),
    ]);
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      ['O', 'reference'],
      ['E', 'frontier'],
      ['ED', 'extended-dominated'],
      ['D1', 'dominated'],
      ['D2', 'dominated'],
    ]);
    expect(rows.find((r) => r.id === 'D1')!.dominatedBy).toBe('E');
    expect(rows.find((r) => r.id === 'D2')!.dominatedBy).toBe('ED');
    expect(rows.find((r) => r.id === 'ED')!.dominatedBy).toBe('O\u2013E');
  });

  it('does not depend on input order when there are no exact ties', () => {
    const pts = [pt('a', 1, 0.1), pt('b', 5, 0.9), pt('c', 3, 0.2), pt('d', 9, 1.4), pt('e', 7, 1.0), pt('f', 8, 1.6)];
    const base = computeIncremental(pts);
    const shuffled = computeIncremental([pts[3], pts[0], pts[5], pts[2], pts[4], pts[1]]);
    expect(shuffled).toEqual(base);
  });

  it('validates input', () => {
    expect(() => computeIncremental([pt('A', 1, 1), pt('A', 2, 2)])).toThrow(/duplicate/);
    expect(() => computeIncremental([pt('A', NaN, 1)])).toThrow(/non-finite/);
    expect(() => computeIncremental([pt('A', 1, Infinity)])).toThrow(/non-finite/);
  });
});
