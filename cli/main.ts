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

export async function main(argv: string[], output?: CommandOutput): Promise<number> {
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
