/**
 * Exit codes and the user-facing error type. Kept free of engine imports so that the entry point
 * (cli/main.ts) can load without the model schema; cli/io.ts re-exports these.
 */
export const EXIT = { ok: 0, invalidModel: 1, usage: 2, internal: 3 } as const;

/** A problem the user can fix; printed as one paragraph, never with a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError(`${message}\nRun with --help for usage.`, EXIT.usage);
