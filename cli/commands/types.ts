export type Command = {
  name: string;
  summary: string;
  usage: string;
  /** Returns the exit code. Throws CliError for problems the user can fix. */
  run(argv: string[], out: CommandOutput): Promise<number>;
};

/**
 * A command as the registry knows it before it runs: what `--help` prints, and how to import the
 * command's module (which loads the engine code that command needs, and nothing else).
 */
export type CommandEntry = Pick<Command, 'name' | 'summary' | 'usage'> & {
  load(): Promise<Command>;
};

export type CommandOutput = {
  stdout(text: string): void;
  stderr(text: string): void;
  isTTY: boolean;
};
