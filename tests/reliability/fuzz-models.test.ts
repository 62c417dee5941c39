/**
 * Seeded fuzzing: mutate the valid example models many times (numbers to odd values, strings to
 * broken expressions, keys deleted, prototype keys inserted, arrays shuffled…). Every mutant must
 * end in either valid finite results or a clear error naming a JSON path — never an exception
 * escaping, a hang or a polluted prototype. Seeds are fixed so any failure is reproducible.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runBaseCase } from '../../models/analyses/base-case';
import { ModelError } from '../../models/schema/model-issue';
import { validateModel } from '../../models/run/validate-model';
import { repoRoot } from '../helpers/load';
import { mulberry32 as rng } from '../helpers/seeded-random';

const sources = [
  'tests/reference/chancellor-hiv.model.json',
  'tests/reference/evans-migraine.model.json',
  'models/examples/lit-vs-systemic.model.json',
  'models/examples/id-vaccine-dose-sparing.model.json',
].filter((p) => existsSync(repoRoot + p));

const MUTANTS_PER_RUN = 1200;


const ODD_NUMBERS = [-0.1, 1.1, 0, -1, 1e308, -1e308, 1e-320, 0.98, 2, 1e6, 0.5, Number.MAX_SAFE_INTEGER];
const ODD_STRINGS = ['C', '', '1/0', 'log(0)', 'sqrt(-1)', '((((', 'x +', '__proto__', 'constructor', 'toString()', 'p ^ 1e9', 'cycle * 1e300', 'if(1,2)', 'lookup(nope, 1)', '"text"', 'NaN', 'Infinity', 'state_time', '1e999', 'a'.repeat(3000)];
const ODD_KEYS = ['__proto__', 'constructor', 'prototype', 'extra', ''];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function collectPaths(value: Json, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(path);
  if (Array.isArray(value)) value.forEach((v, i) => collectPaths(v, [...path, i], out));
  else if (value && typeof value === 'object') for (const k of Object.keys(value)) collectPaths(value[k], [...path, k], out);
  return out;
}

function mutate(root: Json, r: () => number): string {
  const copy = JSON.parse(JSON.stringify(root)) as Json;
  const paths = collectPaths(copy).filter((p) => p.length > 0);
  const edits = 1 + Math.floor(r() * 3);
  for (let e = 0; e < edits; e++) {
    const path = paths[Math.floor(r() * paths.length)];
    let parent: any = copy;
    for (const seg of path.slice(0, -1)) parent = parent?.[seg];
    if (parent === null || typeof parent !== 'object') continue;
    const key = path[path.length - 1];
    const current = parent[key];
    const op = Math.floor(r() * 8);
    if (op === 0) Array.isArray(parent) ? parent.splice(Number(key), 1) : delete parent[key];
    else if (op === 1) parent[key] = ODD_NUMBERS[Math.floor(r() * ODD_NUMBERS.length)];
    else if (op === 2) parent[key] = ODD_STRINGS[Math.floor(r() * ODD_STRINGS.length)];
    else if (op === 3) parent[key] = typeof current === 'number' ? current * (r() < 0.5 ? -1 : 10) : null;
    else if (op === 4 && !Array.isArray(parent)) parent[ODD_KEYS[Math.floor(r() * ODD_KEYS.length)]] = { polluted: true };
    else if (op === 5 && Array.isArray(current)) current.push(JSON.parse(JSON.stringify(current[0] ?? null)));
    else if (op === 6 && typeof current === 'string') parent[key] = current + (r() < 0.5 ? ' * 2' : ' + ');
    else parent[key] = Array.isArray(current) ? [] : typeof current === 'object' ? {} : [current];
  }
  let text = JSON.stringify(copy);
  // Some mutants also get raw-text damage: truncation or an invalid byte.
  if (r() < 0.05) text = text.slice(0, Math.floor(r() * text.length));
  if (r() < 0.02) text = text.replace(/:/, ':\u0000');
  // JSON.stringify drops a '__proto__' own key's special meaning; write it literally sometimes.
  if (r() < 0.05) text = text.replace(/^\{/, '{"__proto__":{"polluted":true},');
  return text;
}

describe('fuzzing the example models', () => {
  it(`${MUTANTS_PER_RUN} seeded mutants give finite results or clear errors`, () => {
    expect(sources.length).toBeGreaterThan(0);
    const roots = sources.map((p) => JSON.parse(readFileSync(repoRoot + p, 'utf8')) as Json);
    const r = rng(20261126);
    let valid = 0;
    let invalid = 0;
    let slowest = 0;
    for (let i = 0; i < MUTANTS_PER_RUN; i++) {
      const text = mutate(roots[i % roots.length], r);
      const started = performance.now();
      let result;
      try {
        result = validateModel(text);
      } catch (error) {
        throw new Error(`mutant ${i} threw from validateModel: ${error instanceof Error ? error.stack : error}\n${text.slice(0, 2000)}`);
      }
      if (result.valid) {
        try {
          const run = runBaseCase(result.model!, {}, { detail: false });
          for (const s of run.strategies) for (const v of Object.values(s.outcomes)) expect(Number.isFinite(v), `mutant ${i}: non-finite outcome`).toBe(true);
          valid++;
        } catch (error) {
          // validateModel evaluated this model already: a valid model must run.
          const detail = error instanceof ModelError ? error.message : error instanceof Error ? error.stack : String(error);
          throw new Error(`mutant ${i} was valid but runBaseCase threw: ${detail}`);
        }
      } else {
        invalid++;
        for (const issue of result.issues) {
          expect(typeof issue.path).toBe('string');
          expect(issue.message.length).toBeGreaterThan(0);
          expect(issue.message).not.toMatch(/\n\s+at /);
        }
      }
      slowest = Math.max(slowest, performance.now() - started);
      expect(Object.prototype).not.toHaveProperty('polluted');
    }
    expect(valid + invalid).toBe(MUTANTS_PER_RUN);
    // Both outcomes must occur, or the mutations are not exercising anything.
    expect(valid).toBeGreaterThan(10);
    expect(invalid).toBeGreaterThan(10);
    expect(slowest).toBeLessThan(5000);
  });
});
