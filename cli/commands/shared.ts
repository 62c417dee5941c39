import { ModelError } from '../../models/schema/model-issue';
import { CliError, EXIT, issuesToLines } from '../io';

/** Run an engine call; a ModelError (invalid values found while evaluating) becomes exit code 1. */
export function runWithModelErrors<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ModelError) {
      throw new CliError(`${file}: the model cannot be evaluated (${error.issues.length} problem${error.issues.length === 1 ? '' : 's'}):`, EXIT.invalidModel, issuesToLines(file, error.issues));
    }
    throw error;
  }
}
