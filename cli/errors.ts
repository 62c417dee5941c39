/**
 * Exit codes and the user-facing error type. Kept free of engine imports so that the entry point
 * (cli/main.ts) can load without the model schema; cli/io.ts re-exports these.
 */
export const EXIT = { ok: 0, invalidModel: 1, usage: 2, internal: 3 } as const;

/** Marks a CliError across separately bundled copies of this module (each command is its own bundle). */
const CLI_ERROR = Symbol.for('hta-modeller.cli-error');

/** A problem the user can fix; printed as one paragraph, never with a stack trace. */
export class CliError extends Error {
  readonly [CLI_ERROR] = true;
  constructor(
    message: string,
    readonly exitCode: number,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

/** `instanceof CliError`, also for a CliError thrown by a command bundle with its own copy of the class. */
export function isCliError(error: unknown): error is CliError {
  return error instanceof CliError || (typeof error === 'object' && error !== null && (error as { [CLI_ERROR]?: unknown })[CLI_ERROR] === true);
}

export const usageError = (message: string) => new CliError(`${message}\nRun with --help for usage.`, EXIT.usage);
