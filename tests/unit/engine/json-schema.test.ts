import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelFileJsonSchema } from '../../../models/schema/json-schema';
import { repoRoot } from '../../helpers/load';

describe('published JSON Schema', () => {
  it('is the one generated from the validator (regenerate with `npm run --silent cli -- schema > models/schema/model-file.schema.json`)', () => {
    const committed = JSON.parse(readFileSync(repoRoot + 'models/schema/model-file.schema.json', 'utf8'));
    expect(committed).toEqual(modelFileJsonSchema());
  });

  it('describes the recursive tree nodes and the expression-or-number values', () => {
    const text = JSON.stringify(modelFileJsonSchema());
    expect(text).toContain('"terminal"');
    expect(text).toContain('"withinCycleCorrection"');
  });
});
