import { modelFileJsonSchema } from '../../models/schema/json-schema';
import { parseCommandArgs } from '../args';
import { EXIT } from '../io';
import type { Command } from './types';

export const schemaCommand: Command = {
  name: 'schema',
  summary: 'print the JSON Schema of the model file format (for editor autocompletion)',
  usage: 'schema',
  async run(argv, out) {
    const { help } = parseCommandArgs(argv, {}, { min: 0, max: 0, names: '' });
    if (help) {
      out.stdout(`usage: cli ${this.usage}\n\nPrints the JSON Schema generated from the validator; models/schema/model-file.schema.json is this output.`);
      return EXIT.ok;
    }
    out.stdout(JSON.stringify(modelFileJsonSchema(), null, 2));
    return EXIT.ok;
  },
};
