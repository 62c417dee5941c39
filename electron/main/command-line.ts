// Finds a model file among launch arguments (first launch, second-instance, file
// association). Flags, the executable and the app folder are skipped.
import { resolve } from 'node:path';

export function isModelFileName(name: string): boolean {
  return /\.json$/i.test(name);
}

/** The last argument that names a .json file, resolved against the caller's cwd. */
export function findModelFileArgument(args: readonly string[], cwd: string): string | null {
  for (let index = args.length - 1; index >= 0; index -= 1) {
    const arg = args[index];
    if (!arg || arg.startsWith('-') || arg.includes('\0')) continue;
    if (isModelFileName(arg)) return resolve(cwd, arg);
  }
  return null;
}
