import { validateModel } from '../../models/run/validate-model';
import { parseCommandArgs } from '../args';
import { EXIT, issuesToLines, readTextFile } from '../io';
import type { Command } from './types';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check a model file; prints "valid" or one line per problem (JSON path + message)',
  usage: 'validate <model.json>',
  async run(argv, out) {
    const { positionals, help } = parseCommandArgs(argv, {}, { min: 1, max: 1, names: 'the model file' });
    if (help) {
      out.stdout(`usage: cli ${this.usage}\n\nChecks the schema, every reference and expression, and evaluates the base case of every\nstrategy, scenario and subgroup (probabilities in [0, 1], transition rows summing to 1).\nExit code 0 when valid, 1 when not.`);
      return EXIT.ok;
    }
    const file = positionals[0];
    const result = validateModel(readTextFile(file, 'model file'));
    const warnings = issuesToLines(file, result.issues.filter((i) => i.severity === 'warning'));
    const errors = result.issues.filter((i) => i.severity === 'error');
    if (errors.length === 0) {
      for (const w of warnings) out.stderr(w);
      out.stdout('valid');
      return EXIT.ok;
    }
    for (const line of issuesToLines(file, result.issues)) out.stdout(line);
    return EXIT.invalidModel;
  },
};
