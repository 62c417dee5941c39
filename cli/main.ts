/**
 * Command-line interface over the engine: `npm run --silent cli -- <command> ...`.
 * Exit codes: 0 success, 1 invalid model (or a model that cannot be evaluated), 2 usage error
 * (bad flag, missing file), 3 internal error. Messages never include stack traces.
 */
import { EXIT, isCliError } from './errors';
import type { CommandEntry, CommandOutput } from './commands/types';
import { commandEntries } from './commands/registry';

/** Every command, in help order. Each command's module is imported only when it runs. */
export const commands: CommandEntry[] = commandEntries;

export function helpText(): string {
  return [
    'HTA Modeller command line: decision-tree and Markov cost-effectiveness models.',
    '',
    'usage: npm run --silent cli -- <command> [options]',
    '',
    'commands:',
    ...commands.flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]),
    '',
    "Run 'cli <command> --help' for a command's options.",
    'Exit codes: 0 success; 1 invalid model or evaluation error; 2 usage error (bad flag, missing file); 3 internal error.',
  ].join('\n');
}

/**
 * A reader that stops early (`cli psa ... | head`) closes the pipe: stop quietly, as Unix tools do,
 * rather than dying on an unhandled EPIPE with a stack trace. Any other write error is said in
 * one line on the other stream, with the internal-error exit code.
 */
function handleStreamErrors(): void {
  const streams = [process.stdout, process.stderr];
  streams.forEach((stream, i) =>
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok);
      process.exitCode = EXIT.internal;
      try {
        streams[1 - i].write(`error: cannot write the ${i === 0 ? 'output' : 'messages'} (${error.code ?? error.message})\n`);
      } catch {
        /* nowhere left to say it */
      }
    }),
  );
}

export async function main(argv: string[], output?: CommandOutput): Promise<number> {
  if (output === undefined) handleStreamErrors();
  const out: CommandOutput = output ?? {
    stdout: (text) => process.stdout.write(text + '\n'),
    stderr: (text) => process.stderr.write(text + '\n'),
    isTTY: Boolean(process.stderr.isTTY),
  };
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    out.stdout(helpText());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    out.stderr(`unknown command '${name}'.\n\n${helpText()}`);
    return EXIT.usage;
  }
  try {
    return await (await command.load()).run(rest, out);
  } catch (error) {
    if (isCliError(error)) {
      out.stderr(`error: ${error.message}`);
      for (const line of error.details) out.stderr(line);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    out.stderr(`internal error: ${message.split('\n')[0]}\nThis is a bug in the program, not in your model; please report it with the command you ran.`);
    return EXIT.internal;
  }
}
