import { PsaMergeError, mergePsaShards, stringifyPsaResult } from '../../models/analyses/psa';
import { parseCommandArgs } from '../args';
import { CliError, EXIT, readTextFile } from '../io';
import { formatPsa } from './psa';
import type { Command } from './types';

export const mergeCommand: Command = {
  name: 'merge',
  summary: 'combine PSA shards (psa --draws A-B --json) into the single-run result',
  usage: 'merge <shard.json>... [--text]',
  async run(argv, out) {
    const { values, positionals, help } = parseCommandArgs(argv, { text: { type: 'boolean' } }, { min: 1, max: 10_000, names: 'at least one shard file' });
    if (help) {
      out.stdout(
        `usage: cli ${this.usage}\n\nReads PSA shard files (the JSON of 'psa --draws A-B --json' or '--shard-out FILE'), checks they\n` +
          'come from the same model (hash), seed, n, scenario/subgroup and options, and that their draw\n' +
          'ranges are contiguous without overlap, then prints the merged JSON. Shards covering all draws\n' +
          '0..n-1 give exactly (byte for byte) the JSON of a single run; otherwise the result is a larger shard.\n' +
          '--text  print tables instead of JSON',
      );
      return EXIT.ok;
    }
    const shards = positionals.map((name) => {
      const text = readTextFile(name, 'shard file');
      try {
        return { name, result: JSON.parse(text) as unknown };
      } catch (error) {
        throw new CliError(`${name}: not valid JSON (${error instanceof Error ? error.message : String(error)})`, EXIT.invalidModel);
      }
    });
    let merged;
    try {
      merged = mergePsaShards(shards);
    } catch (error) {
      if (error instanceof PsaMergeError || error instanceof RangeError) throw new CliError(`cannot merge: ${error.message}`, EXIT.invalidModel);
      throw error;
    }
    out.stdout(values.text ? formatPsa(merged) : stringifyPsaResult(merged));
    return EXIT.ok;
  },
};
