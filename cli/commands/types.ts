export type Command = {
  name: string;
  summary: string;
  usage: string;
  /** Returns the exit code. Throws CliError for problems the user can fix. */
  run(argv: string[], out: CommandOutput): Promise<number>;
};

export type CommandOutput = {
  stdout(text: string): void;
  stderr(text: string): void;
  isTTY: boolean;
};
