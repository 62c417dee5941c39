/**
 * `--out FILE` for run, psa, dsa and budget-impact: writes the result as a workbook (.xlsx) or a
 * single table (.csv). Implemented by the spreadsheet export module (issue: spreadsheet export).
 */
import { CliError, EXIT } from './io';

export type ExportableResult = { kind: string } & Record<string, unknown>;

export async function writeResultFile(path: string, _result: ExportableResult, _context: { modelText: string; modelPath: string }): Promise<void> {
  throw new CliError(`${path}: spreadsheet export is not available yet`, EXIT.usage);
}
