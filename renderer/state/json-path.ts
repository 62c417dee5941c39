// Immutable get/set on plain JSON by path segments, and JSON-pointer helpers that match the
// engine's ModelIssue.path (RFC 6901).

export type PathSegment = string | number;
export type JsonPath = readonly PathSegment[];

export function getIn(value: unknown, path: JsonPath): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key as string];
  }
  return current;
}

/** Returns a copy of `root` with `path` set to `value`; untouched branches keep their identity. `undefined` deletes an object key. */
export function setIn<T>(root: T, path: JsonPath, value: unknown): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path;
  const container: unknown = root ?? (typeof head === 'number' ? [] : {});
  if (Array.isArray(container)) {
    const copy = container.slice();
    const index = Number(head);
    copy[index] = setIn(copy[index], rest, value);
    return copy as T;
  }
  const copy = { ...(container as Record<string, unknown>) };
  const key = String(head);
  if (FORBIDDEN.has(key)) throw new Error(`refusing to set "${key}"`);
  const next = setIn(copy[key], rest, value);
  if (next === undefined) delete copy[key];
  else copy[key] = next;
  return copy as T;
}

/** Apply `fn` to the value at `path` (immutably). */
export function updateIn<T, V>(root: T, path: JsonPath, fn: (value: V) => unknown): T {
  return setIn(root, path, fn(getIn(root, path) as V));
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

export function toPointer(path: JsonPath): string {
  return path.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

export function fromPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
