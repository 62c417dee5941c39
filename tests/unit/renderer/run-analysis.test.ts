// The worker's request handler, called directly in Node: same numbers as the engine, and a
// real .xlsx for the export request.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseModelText, runBaseCase } from '../../../models/index';
import { runPsa } from '../../../models/analyses/psa';
import { runAnalysis } from '../../../renderer/worker/run-analysis';
import { validateBasePhase, validateFullPhase } from '../../../renderer/worker/validate-model-text';

const TEXT = readFileSync(join(__dirname, '..', '..', 'reference', 'chancellor-hiv.model.json'), 'utf8');

describe('analysis worker handler', () => {
  test('PSA through the worker protocol equals runPsa for the same seed, with progress', async () => {
    const progress: number[] = [];
    const result = (await runAnalysis({ kind: 'psa', modelText: TEXT, n: 300, seed: 11 }, (done) => progress.push(done))) as ReturnType<typeof runPsa>;
    const parsed = parseModelText(TEXT);
    if (!parsed.ok) throw new Error('model');
    const direct = runPsa(parsed.model, { n: 300, seed: 11 });
    expect(result.strategies).toEqual(direct.strategies);
    expect(progress.at(-1)).toBe(300);
  });

  test('an invalid model fails with issues that name the field', async () => {
    const model = JSON.parse(TEXT);
    model.markovModels[0].transitions[1].probability = 1.5;
    await expect(runAnalysis({ kind: 'dsa-one-way', modelText: JSON.stringify(model), metric: {} }, () => undefined)).rejects.toMatchObject({
      issues: expect.arrayContaining([expect.objectContaining({ path: '/markovModels/0/transitions/1/probability' })]),
    });
  });

  test('export writes an .xlsx workbook', async () => {
    const parsed = parseModelText(TEXT);
    if (!parsed.ok) throw new Error('model');
    const base = runBaseCase(parsed.model);
    const bytes = (await runAnalysis({ kind: 'export', modelText: TEXT, modelName: 'x', results: [base as never], charts: [] }, () => undefined)) as Uint8Array;
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(String.fromCharCode(bytes[0], bytes[1])).toBe('PK');
  });

  test('live validation: base phase gives the base case, full phase every variant', () => {
    const base = validateBasePhase(TEXT);
    expect(base.baseCase?.strategies).toHaveLength(2);
    expect(validateFullPhase(base.model!)).toEqual([]);
    const broken = validateBasePhase('{"schemaVersion": 1}');
    expect(broken.model).toBeNull();
    expect(broken.issues.length).toBeGreaterThan(0);
  });
});

describe('PSA form → request', async () => {
  const { psaRequest } = await import('../../../renderer/worker/psa-request');
  test('valid draws and seed give a request with the chosen variant; invalid give null', () => {
    expect(psaRequest({ draws: '500', seed: '7', variant: 's:horizon' }, '{}')).toEqual({ kind: 'psa', modelText: '{}', n: 500, seed: 7, scenario: 'horizon', subgroup: null });
    expect(psaRequest({ draws: '500', seed: '7', variant: 'g:elderly' }, '{}')?.subgroup).toBe('elderly');
    expect(psaRequest({ draws: '0', seed: '7', variant: '' }, '{}')).toBeNull();
    expect(psaRequest({ draws: '10', seed: '-1', variant: '' }, '{}')).toBeNull();
    expect(psaRequest({ draws: '1.5', seed: '1', variant: '' }, '{}')).toBeNull();
  });
});
