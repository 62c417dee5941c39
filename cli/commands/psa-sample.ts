import { readFileSync } from 'node:fs';
import { PsaSampleError, analysePsaSample, parsePsaSampleCsv, sampleWtpGrid, MAX_SAMPLE_BYTES } from '../../models/analyses/psa-sample';
import type { OutcomeTable } from '../../models/analyses/outcome-table';
import { stringifyPsaResult } from '../../models/analyses/psa';
import { parseCommandArgs, parseNumberFlag } from '../args';
import { CliError, EXIT, readTextFile, usageError } from '../io';
import { formatPsa } from './psa';
import type { Command } from './types';

export const psaSampleCommand: Command = {
  name: 'psa-sample',
  summary: 'analyse an external PSA sample (CSV/xlsx with cost_<strategy>, effect_<strategy> columns)',
  usage: 'psa-sample <file.csv|file.xlsx> [--wtp-min A --wtp-max B --wtp-step C] [--json]',
  async run(argv, out) {
    const { values, positionals, help } = parseCommandArgs(
      argv,
      { 'wtp-min': { type: 'string' }, 'wtp-max': { type: 'string' }, 'wtp-step': { type: 'string' }, json: { type: 'boolean' } },
      { min: 1, max: 1, names: 'the sample file' },
    );
    if (help) {
      out.stdout(
        `usage: cli ${this.usage}\n\nOne row per draw; columns cost_<strategy> and effect_<strategy> (other columns ignored).\n` +
          'Prints mean cost/effect with exact 95% intervals, incremental analysis on the means, CEAC, CEAF and EVPI.\n' +
          '--wtp-min/--wtp-max/--wtp-step  WTP grid (default 0 to 90000 in 50 steps plus 20000 and 30000)\n' +
          '--json  print one JSON document',
      );
      return EXIT.ok;
    }
    const file = positionals[0];
    let wtps: number[];
    try {
      wtps = sampleWtpGrid(parseNumberFlag(values['wtp-min'], '--wtp-min'), parseNumberFlag(values['wtp-max'], '--wtp-max'), parseNumberFlag(values['wtp-step'], '--wtp-step'));
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw usageError(error instanceof Error ? error.message : String(error));
    }
    let table: OutcomeTable;
    try {
      if (/\.xlsx$/i.test(file)) table = await readWorkbook(file);
      else table = parsePsaSampleCsv(readTextFile(file, 'sample file'));
    } catch (error) {
      if (error instanceof PsaSampleError || error instanceof RangeError) throw new CliError(`${file}: ${error.message}`, EXIT.invalidModel);
      throw error;
    }
    const result = analysePsaSample(table, wtps, { name: file });
    out.stdout(values.json ? stringifyPsaResult(result) : formatPsa(result));
    return EXIT.ok;
  },
};

/**
 * xlsx samples are read by the spreadsheet importer (another engineer's module:
 * `readPsaSampleWorkbook`, exported from models/export/index.ts; older layouts had it in
 * import-xlsx.ts). The glob-style dynamic import lets esbuild bundle whichever exists and still
 * build when none does.
 */
async function readWorkbook(file: string): Promise<OutcomeTable> {
  type Reader = (bytes: Uint8Array) => OutcomeTable | Promise<OutcomeTable>;
  let reader: Reader | undefined;
  for (const name of ['index', 'import-parameters', 'import-xlsx']) {
    try {
      const mod = (await import(`../../models/export/${name}.ts`)) as { readPsaSampleWorkbook?: Reader };
      if (typeof mod.readPsaSampleWorkbook === 'function') {
        reader = mod.readPsaSampleWorkbook;
        break;
      }
    } catch {
      /* not in this build */
    }
  }
  if (!reader) {
    throw new CliError(`${file}: reading .xlsx samples is not available in this build (models/export readPsaSampleWorkbook); save the sheet as CSV`, EXIT.usage);
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new CliError(`${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`, EXIT.usage);
  }
  if (bytes.length > MAX_SAMPLE_BYTES) throw new CliError(`${file}: the file is larger than ${MAX_SAMPLE_BYTES / 1048576} MB`, EXIT.invalidModel);
  try {
    return await reader(bytes);
  } catch (error) {
    // The importer's errors (SpreadsheetImportError: bad cells, not a workbook...) are data problems.
    if (error instanceof Error) throw new CliError(`${file}: ${error.message}`, EXIT.invalidModel);
    throw error;
  }
}
