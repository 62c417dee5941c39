import { describe, expect, test } from 'vitest';
import { fromPointer, getIn, setIn, toPointer } from '../../../renderer/state/json-path';

describe('json-path', () => {
  test('setIn copies only the changed path and deletes on undefined', () => {
    const root = { a: [{ x: 1 }, { x: 2 }], b: { c: 1 } };
    const next = setIn(root, ['a', 1, 'x'], 3);
    expect(next.a[1].x).toBe(3);
    expect(root.a[1].x).toBe(2);
    expect(next.b).toBe(root.b);
    expect(next.a[0]).toBe(root.a[0]);
    const removed = setIn(root, ['b', 'c'], undefined);
    expect('c' in removed.b).toBe(false);
    expect(getIn(next, ['a', 1, 'x'])).toBe(3);
    expect(getIn(next, ['nope', 0])).toBeUndefined();
  });

  test('refuses prototype keys', () => {
    expect(() => setIn({}, ['__proto__', 'x'], 1)).toThrow();
  });

  test('JSON pointers match the engine (RFC 6901 escaping)', () => {
    expect(toPointer(['markovModels', 0, 'transitions', 3, 'probability'])).toBe('/markovModels/0/transitions/3/probability');
    expect(toPointer(['a/b', 'c~d'])).toBe('/a~1b/c~0d');
    expect(fromPointer('/a~1b/c~0d')).toEqual(['a/b', 'c~d']);
    expect(fromPointer('')).toEqual([]);
  });
});
