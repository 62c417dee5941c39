/** The published JSON Schema, generated from the zod schema so that the two cannot drift (a test checks the committed file). */
import { z } from 'zod';
import { ModelFile } from './model-file';

export function modelFileJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ModelFile, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://hta-modeller.invalid/schema/model-file-v1.json',
    title: 'HTA Modeller model file (schemaVersion 1)',
    description: 'Decision-tree and Markov cohort cost-effectiveness model. See docs/model-file-format.md.',
  };
}
