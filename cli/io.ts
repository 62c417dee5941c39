/** Console and file helpers for the CLI: messages without stack traces; exit codes and CliError (cli/errors.ts) re-exported. */
import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { parseModelText } from '../models/schema/parse-model';
import type { ModelFile } from '../models/schema/model-file';
import { type ModelIssue, formatIssue } from '../models/schema/model-issue';
import { CliError, EXIT } from './errors';

export { CliError, EXIT, usageError } from './errors';

// A command parses a model once or a few times: zod's interpreted validation is faster for that
// than generating and compiling its validators first (measured: a cold parse of the LIT model
// 27-48 ms instead of 47-91 ms; of Chancellor 15-19 instead of 22-28). The same checks run.
z.config({ jitless: true });

const MAX_FILE_BYTES = 50 * 1024 * 1024;

export function readTextFile(path: string, what = 'file'): string {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new CliError(`${path}: not a file`, EXIT.usage);
    size = stat.size;
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `${path}: no such ${what}` : `${path}: cannot read the ${what} (${code ?? String(error)})`, EXIT.usage);
  }
  if (size > MAX_FILE_BYTES) throw new CliError(`${path}: the ${what} is ${(size / 1048576).toFixed(1)} MB; the limit is 50 MB`, EXIT.invalidModel);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`${path}: cannot read the ${what} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, EXIT.usage);
  }
}

export function issuesToLines(file: string, issues: ModelIssue[]): string[] {
  return issues.map((i) => `${file}: ${i.severity === 'warning' ? 'warning: ' : ''}${formatIssue(i)}`);
}

export function loadModel(path: string): { model: ModelFile; text: string } {
  const text = readTextFile(path, 'model file');
  const parsed = parseModelText(text);
  if (!parsed.ok) {
    throw new CliError(`${path}: the model is not valid (${parsed.issues.length} problem${parsed.issues.length === 1 ? '' : 's'}):`, EXIT.invalidModel, issuesToLines(path, parsed.issues));
  }
  return { model: parsed.model, text };
}
