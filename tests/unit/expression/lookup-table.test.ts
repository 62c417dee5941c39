import { describe, it, expect } from 'vitest';
import { compileTable, type CompiledTable } from '../../../models/expression';
import { errorOf, evaluate, seededRandom } from './helpers';

const byAge = (outOfRange: 'clamp' | 'error' = 'clamp') =>
  compileTable({
    id: 'life',
    keys: ['age'],
    outOfRange,
    rows: [
      [40, 0.01],
      [50, 0.02],
      [60, 0.04],
      [70, 0.08],
    ],
  });

describe('floor matching (life tables by age)', () => {
  it('takes the row with the largest key <= the value', () => {
    const life = byAge();
    const at = (age: number) => evaluate('lookup(life, age)', { age }, [life]);
    expect(at(40)).toBe(0.01);
    expect(at(45.7)).toBe(0.01);
    expect(at(50)).toBe(0.02);
    expect(at(69.99)).toBe(0.04);
    expect(at(70)).toBe(0.08);
  });

  it('clamps values outside the range by default', () => {
    const life = byAge();
    expect(evaluate('lookup(life, age)', { age: 85 }, [life])).toBe(0.08);
    expect(evaluate('lookup(life, age)', { age: 30 }, [life])).toBe(0.01);
    expect(evaluate('lookup(life, age)', { age: Infinity }, [life])).toBe(0.08);
  });

  it("reports values outside the range when outOfRange is 'error'", () => {
    const life = byAge('error');
    expect(evaluate('lookup(life, age)', { age: 70 }, [life])).toBe(0.08);
    const err = errorOf(() => evaluate('lookup(life, age)', { age: 85 }, [life]));
    expect(err).toEqual({ name: 'Error', message: "value 85 is outside table life's range 40..70 for key age", position: undefined });
    expect(errorOf(() => evaluate('lookup(life, age)', { age: 39.5 }, [life])).message).toBe(
      "value 39.5 is outside table life's range 40..70 for key age",
    );
  });

  it('gives NaN for a NaN key, for the engine to report', () => {
    expect(evaluate('lookup(life, 0 / 0)', {}, [byAge('error')])).toBeNaN();
  });

  it('agrees with a brute-force search, for evenly and unevenly spaced keys', () => {
    const random = seededRandom(42);
    for (const even of [true, false]) {
      const keys = Array.from({ length: 200 }, (_, i) => (even ? 0.25 * i : i + random() * 0.9));
      const table = compileTable({ id: 't', keys: ['x'], rows: keys.map((k, i) => [k, i]) });
      for (let trial = 0; trial < 2000; trial++) {
        const x = keys[0] + random() * (keys[keys.length - 1] - keys[0]);
        const probe = trial % 10 === 0 ? keys[trial % keys.length] : x; // hit keys exactly too
        let expected = 0;
        for (let i = 0; i < keys.length; i++) if (keys[i] <= probe) expected = i;
        expect(table.lookup([probe])).toBe(expected);
      }
    }
  });
});

describe('exact matching', () => {
  const table = (outOfRange: 'clamp' | 'error' = 'clamp') =>
    compileTable({ id: 'dose', keys: ['k'], match: 'exact', outOfRange, rows: [[1, 10], [2, 20], [3, 30]] });

  it('finds rows whose key equals the value', () => {
    expect(evaluate('lookup(dose, 2)', {}, [table()])).toBe(20);
    expect(evaluate('lookup(dose, k)', { k: 3 }, [table()])).toBe(30);
  });

  it('reports a value between rows', () => {
    expect(errorOf(() => evaluate('lookup(dose, k)', { k: 2.5 }, [table()])).message).toBe('table dose has no row with k = 2.5');
  });

  it('clamps or reports values outside the range', () => {
    expect(evaluate('lookup(dose, k)', { k: 5 }, [table()])).toBe(30);
    expect(errorOf(() => evaluate('lookup(dose, k)', { k: 5 }, [table('error')])).message).toBe(
      "value 5 is outside table dose's range 1..3 for key k",
    );
  });
});

describe('linear interpolation', () => {
  const curve = (outOfRange: 'clamp' | 'error' = 'clamp') =>
    compileTable({ id: 'curve', keys: ['x'], match: 'linear', outOfRange, rows: [[0, 0], [10, 100], [20, 400]] });
  const at = (x: number, table = curve()) => evaluate('lookup(curve, x)', { x }, [table]);

  it('interpolates between rows and hits rows exactly', () => {
    expect(at(5)).toBe(50);
    expect(at(15)).toBe(250);
    expect(at(2.5)).toBe(25);
    expect(at(0)).toBe(0);
    expect(at(10)).toBe(100);
    expect(at(20)).toBe(400);
  });

  it('clamps or reports values outside the range', () => {
    expect(at(25)).toBe(400);
    expect(at(-5)).toBe(0);
    expect(errorOf(() => at(25, curve('error'))).message).toBe("value 25 is outside table curve's range 0..20 for key x");
  });

  it('interpolates on the last numeric key only; earlier numeric keys use floor', () => {
    const table = compileTable({
      id: 'cost',
      keys: ['year', 'age'],
      match: 'linear',
      rows: [
        [2020, 40, 100],
        [2020, 50, 200],
        [2030, 40, 1000],
        [2030, 50, 2000],
      ],
    });
    expect(evaluate('lookup(cost, 2025, 45)', {}, [table])).toBe(150); // year floors to 2020, age interpolates
    expect(evaluate('lookup(cost, year, age)', { year: 2031, age: 42.5 }, [table])).toBe(1250);
  });

  it('interpolates a numeric key that comes before a text key', () => {
    const table = compileTable({
      id: 'util',
      keys: ['age', 'sex'],
      match: 'linear',
      rows: [
        [40, 'female', 0.9],
        [40, 'male', 0.8],
        [60, 'female', 0.7],
        [60, 'male', 0.5],
      ],
    });
    expect(evaluate('lookup(util, age, "female")', { age: 50 }, [table])).toBeCloseTo(0.8, 15);
    expect(evaluate('lookup(util, age, "male")', { age: 45 }, [table])).toBeCloseTo(0.725, 15);
  });
});

describe('text (categorical) keys', () => {
  const bySex = compileTable({ id: 'u', keys: ['sex'], rows: [['female', 0.8], ['male', 0.7]] });

  it('match exactly, with either kind of quote', () => {
    expect(evaluate('lookup(u, "female")', {}, [bySex])).toBe(0.8);
    expect(evaluate("lookup(u, 'male')", {}, [bySex])).toBe(0.7);
  });

  it('reports unknown categories at compile time, with the position of the text', () => {
    expect(errorOf(() => evaluate('1 + lookup(u, "Female")', {}, [bySex]))).toEqual({
      name: 'ExpressionError',
      message: 'table \'u\' has no rows with sex "Female"',
      position: 14,
    });
  });

  it('rejects numbers for text keys and text for numeric keys', () => {
    expect(errorOf(() => evaluate('lookup(u, 1)', {}, [bySex]))).toEqual({
      name: 'ExpressionError',
      message: 'table \'u\' key \'sex\' takes quoted text, e.g. "..."',
      position: 10,
    });
    expect(errorOf(() => evaluate('lookup(life, "old")', {}, [byAge()]))).toEqual({
      name: 'ExpressionError',
      message: 'table \'life\' key \'age\' takes a number, not text "old"',
      position: 13,
    });
  });

  it('treats prototype names as ordinary text', () => {
    const table = compileTable({ id: 'p', keys: ['k'], rows: [['__proto__', 1], ['x', 2]] });
    expect(evaluate('lookup(p, "__proto__")', {}, [table])).toBe(1);
    expect(errorOf(() => evaluate('lookup(p, "constructor")', {}, [table])).message).toBe(
      'table \'p\' has no rows with k "constructor"',
    );
    expect(errorOf(() => table.lookup(['toString'])).message).toBe('table p has no row with k = "toString"');
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('x');
  });
});

describe('two-key life table (age, sex)', () => {
  const rows: (number | string)[][] = [];
  for (let age = 0; age <= 100; age++) {
    rows.push([age, 'female', age / 1000]);
    if (age <= 90) rows.push([age, 'male', age / 500]); // male rows stop at 90
  }
  const life = compileTable({ id: 'mortality', keys: ['age', 'sex'], rows });

  it('looks up by age (floor) within sex', () => {
    const q = (age: number, sex: string) => evaluate(`lookup(mortality, age, "${sex}")`, { age }, [life]);
    expect(q(45.5, 'female')).toBe(0.045);
    expect(q(45.5, 'male')).toBe(0.09);
    expect(q(0, 'male')).toBe(0);
    expect(q(100, 'female')).toBe(0.1);
    expect(q(120, 'female')).toBe(0.1); // clamped to the last female row
    expect(q(95, 'male')).toBe(0.18); // clamped to the last male row (90)
  });

  it('works with a start age plus model time, as in a Markov trace', () => {
    const expr = 'lookup(mortality, age0 + cycle * cycle_years, "female")';
    const values = { age0: 60, cycle: 7, cycle_years: 0.5 };
    expect(evaluate(expr, values, [life])).toBe(0.063);
  });

  it('serves the general lookup() interface', () => {
    expect(life.lookup([45.5, 'female'])).toBe(0.045);
    expect(life.keyCount).toBe(2);
    expect(life.keys).toEqual(['age', 'sex']);
    expect(life.keyKinds).toEqual(['number', 'string']);
    expect(errorOf(() => life.lookup([45])).message).toBe('table mortality takes 2 keys, got 1');
    expect(errorOf(() => life.lookup(['45', 'female'])).message).toBe('table mortality key age takes a number, got "45"');
    expect(errorOf(() => life.lookup([45, 1])).message).toBe('table mortality key sex takes text, got 1');
    expect(errorOf(() => life.lookup([45, 'other'])).message).toBe('table mortality has no row with sex = "other"');
  });

  it('checks the number of keys at compile time', () => {
    expect(errorOf(() => evaluate('lookup(mortality, 45)', {}, [life]))).toEqual({
      name: 'ExpressionError',
      message: "table 'mortality' takes 2 keys (age, sex), but lookup gives 1",
      position: 0,
    });
  });

  it('works with text keys first', () => {
    const swapped = compileTable({ id: 'm2', keys: ['sex', 'age'], rows: rows.map(([a, s, v]) => [s, a, v]) });
    expect(evaluate('lookup(m2, "male", 45.5)', {}, [swapped])).toBe(0.09);
  });

  it('uses the numeric range of the rows matching the text keys', () => {
    const rows = [[40, 'female', 1], [40, 'male', 2], [50, 'female', 3]];
    const ragged = compileTable({ id: 'r', keys: ['age', 'sex'], rows });
    expect(evaluate('lookup(r, age, "male")', { age: 55 }, [ragged])).toBe(2);
    expect(evaluate('lookup(r, age, "female")', { age: 55 }, [ragged])).toBe(3);
    const strict = compileTable({ id: 'r', keys: ['age', 'sex'], outOfRange: 'error', rows });
    expect(errorOf(() => evaluate('lookup(r, age, "male")', { age: 45 }, [strict])).message).toBe(
      "value 45 is outside table r's range 40..40 for key age",
    );
  });

  it('reports a combination of text keys that has no rows', () => {
    const table = compileTable({
      id: 'c',
      keys: ['sex', 'region', 'age'],
      rows: [['female', 'north', 40, 1], ['male', 'south', 40, 2]],
    });
    expect(evaluate('lookup(c, "male", "south", 50)', {}, [table])).toBe(2);
    expect(errorOf(() => evaluate('lookup(c, "female", "south", x)', { x: 1 }, [table]))).toEqual({
      name: 'ExpressionError',
      message: 'table \'c\' has no rows with sex "female" and region "south"',
      position: 10,
    });
    expect(errorOf(() => table.lookup(['female', 'south', 40])).message).toBe(
      'table c has no row with sex = "female" and region = "south"',
    );
  });
});

describe('table validation', () => {
  const cases: [string, Parameters<typeof compileTable>[0], string][] = [
    ['no rows', { id: 't', keys: ['x'], rows: [] }, "table 't' has no rows"],
    ['no keys', { id: 't', keys: [], rows: [[1]] }, "table 't' needs at least one key column name"],
    [
      'short row',
      { id: 't', keys: ['age', 'sex'], rows: [[1, 'f', 2], [2, 3]] },
      "table 't' rows[1] has 2 values; expected 3 (age, sex, value)",
    ],
    ['text value', { id: 't', keys: ['x'], rows: [[1, 2], [2, 'a']] }, "table 't' rows[1]: the value (last entry) must be a finite number"],
    ['infinite value', { id: 't', keys: ['x'], rows: [[1, Infinity]] }, "table 't' rows[0]: the value (last entry) must be a finite number"],
    ['mixed key kinds', { id: 't', keys: ['x'], rows: [[1, 2], [2, 3], ['a', 4]] }, "table 't' rows[2]: key 'x' must be a number, as in rows[0]"],
    ['mixed key kinds (text)', { id: 't', keys: ['s'], rows: [['a', 2], [2, 3]] }, "table 't' rows[1]: key 's' must be text, as in rows[0]"],
    ['NaN key', { id: 't', keys: ['x'], rows: [[1, 2], [NaN, 3]] }, "table 't' rows[1]: key 'x' must be a finite number"],
    ['duplicate keys', { id: 't', keys: ['x', 's'], rows: [[1, 'a', 2], [2, 'a', 3], [1, 'a', 4]] }, "table 't' rows[2] has the same keys as rows[0]"],
    ['bad match', { id: 't', keys: ['x'], match: 'nearest' as 'floor', rows: [[1, 2]] }, "table 't': match must be 'floor', 'exact' or 'linear'"],
    ['bad outOfRange', { id: 't', keys: ['x'], outOfRange: 'wrap' as 'clamp', rows: [[1, 2]] }, "table 't': outOfRange must be 'clamp' or 'error'"],
  ];
  for (const [what, spec, message] of cases) {
    it(`rejects ${what}`, () => {
      const err = errorOf(() => compileTable(spec));
      expect(err.message).toBe(message);
      expect(err.name).toBe('Error');
    });
  }

  it('accepts rows in any order', () => {
    const table = compileTable({ id: 't', keys: ['x'], rows: [[30, 3], [10, 1], [20, 2]] });
    expect(table.lookup([25])).toBe(2);
  });
});

describe('tables from other implementations', () => {
  it('are called through the CompiledTable interface', () => {
    const calls: (number | string)[][] = [];
    const custom: CompiledTable = {
      id: 'custom',
      keyCount: 2,
      lookup: (keys) => {
        calls.push([...keys]);
        return (keys[0] as number) * 2 + (keys[1] === 'b' ? 1 : 0);
      },
    };
    expect(evaluate('lookup(custom, x, "b")', { x: 3 }, [custom])).toBe(7);
    expect(calls).toEqual([[3, 'b']]);
    expect(evaluate('lookup(custom, 4, "a")', {}, [custom])).toBe(8);
    expect(calls).toEqual([[3, 'b'], [4, 'a']]); // not folded at compile time: it may not be immutable
  });

  it('are checked against declared key kinds', () => {
    const custom: CompiledTable = { id: 'c', keyCount: 1, keyKinds: ['number'], lookup: () => 1 };
    expect(errorOf(() => evaluate('lookup(c, "a")', {}, [custom])).message).toBe('table \'c\' key \'1\' takes a number, not text "a"');
  });
});
