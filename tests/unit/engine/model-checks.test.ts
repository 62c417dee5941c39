/** Checks before and during a run: every problem reported together, each with its JSON path. */
import { describe, expect, it } from 'vitest';
import { checkModel, validateModel } from '../../../models/run/validate-model';
import { buildModel } from '../../helpers/model-builder';

const markovModel = (transitions: unknown[], parameters: unknown[] = []) =>
  buildModel({
    parameters,
    markovModels: [
      {
        id: 'm',
        states: [{ id: 'a', rewards: { cost: 1, qaly: 1 } }, { id: 'b' }],
        transitions,
        initial: { a: 1 },
      },
    ],
    strategies: [{ id: 's', name: 's', entry: { kind: 'markov', model: 'm' } }],
  });

describe('model checks', () => {
  it('reports probabilities outside [0, 1] with path, cycle and value', () => {
    const issues = checkModel(markovModel([{ from: 'a', to: 'b', probability: 1.1 }, { from: 'a', to: 'a', probability: -0.1 }]));
    expect(issues.map((i) => i.path)).toContain('/markovModels/0/transitions/0/probability');
    expect(issues.find((i) => i.path === '/markovModels/0/transitions/0/probability')!.message).toMatch(/1\.1 at cycle 1/);
    expect(issues.some((i) => i.path === '/markovModels/0/transitions/1/probability' && /-0\.1/.test(i.message))).toBe(true);
  });

  it('reports a row that does not sum to 1 with the row, the cycle and the sum', () => {
    const issues = checkModel(markovModel([{ from: 'a', to: 'b', probability: 0.5 }, { from: 'a', to: 'a', probability: 0.48 }]));
    expect(issues).toHaveLength(1);
    expect(issues[0].message).toMatch(/from 'a' sum to 0\.98 at cycle 1/);
    expect(issues[0].path).toBe('/markovModels/0/transitions');
  });

  it('reports a time-dependent row that goes wrong at a later cycle', () => {
    const issues = checkModel(markovModel([{ from: 'a', to: 'b', probability: 'cycle * 0.3' }, { from: 'a', to: 'a', probability: 'C' }]));
    expect(issues[0].message).toMatch(/is 1\.2 at cycle 4/);
    expect(issues.some((i) => /sum to 1\.2 before the complement at cycle 4/.test(i.message))).toBe(true);
  });

  it('reports unknown references and reference cycles, all at once, naming parameters', () => {
    const issues = checkModel(
      markovModel(
        [{ from: 'a', to: 'b', probability: 'p_x' }, { from: 'a', to: 'zz', probability: 'C' }],
        [
          { id: 'p_x', value: 'p_y * 2' },
          { id: 'p_y', value: 'p_x / 2' },
          { id: 'p_z', value: 'p_missing + 1' },
        ],
      ),
    );
    const messages = issues.map((i) => `${i.path} ${i.parameter ?? ''} ${i.message}`);
    expect(messages.some((m) => /reference cycle: p_\w → p_\w → p_\w/.test(m))).toBe(true);
    expect(issues.some((i) => i.parameter === 'p_z' && /unknown name 'p_missing'/.test(i.message) && i.path === '/parameters/2/value')).toBe(true);
    expect(issues.some((i) => i.path === '/markovModels/0/transitions/1/to' && /unknown state 'zz'/.test(i.message))).toBe(true);
  });

  it('reports NaN/Infinity arising during a run and where it arose', () => {
    const issues = checkModel(
      markovModel([{ from: 'a', to: 'b', probability: 'p_bad' }, { from: 'a', to: 'a', probability: 'C' }], [{ id: 'zero', value: 0 }, { id: 'p_bad', value: '1 / zero' }]),
    );
    expect(issues[0].parameter).toBe('p_bad');
    expect(issues[0].message).toMatch(/not a finite number/);
  });

  it('reports wrong types from the schema with JSON paths', () => {
    const result = validateModel(JSON.stringify({ schemaVersion: 1, metadata: { name: 'x' }, settings: { cycleLength: { value: 'one', unit: 'years' } } }));
    expect(result.valid).toBe(false);
    expect(result.issues.some((i) => i.path === '/settings/cycleLength/value')).toBe(true);
    expect(result.issues.some((i) => i.path === '/outcomes')).toBe(true);
  });

  it('refuses prototype-polluting keys without touching Object.prototype', () => {
    const text = '{"schemaVersion":1,"metadata":{"name":"x","__proto__":{"polluted":true}}}';
    const result = validateModel(text);
    expect(result.valid).toBe(false);
    expect(result.issues[0].path).toBe('/metadata/__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('explains a newer schema version instead of listing schema errors', () => {
    const result = validateModel('{"schemaVersion": 99}');
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0].message).toMatch(/newer version/);
  });
});
