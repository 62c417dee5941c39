/** Argument parsing on node:util parseArgs; every mistake becomes a usage error (exit 2). */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from './io';

export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
  positionals: { min: number; max: number; names: string },
) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(error instanceof Error ? error.message.replace(/\. To specify.*$/s, '') : String(error));
  }
  const help = Boolean((parsed.values as Record<string, unknown>).help);
  if (!help && (parsed.positionals.length < positionals.min || parsed.positionals.length > positionals.max)) {
    throw usageError(
      parsed.positionals.length < positionals.min ? `missing ${positionals.names}` : `unexpected argument '${parsed.positionals[positionals.max]}'`,
    );
  }
  return { values: parsed.values as { [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string } & { help?: boolean }, positionals: parsed.positionals, help };
}

export function parseIntegerFlag(value: string | undefined, flag: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value.trim())) throw usageError(`${flag} must be a whole number, not '${value}'`);
  const n = Number(value);
  if (n < min || n > max) throw usageError(`${flag} must be between ${min} and ${max}, not ${n}`);
  return n;
}

export function parseNumberFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw usageError(`${flag} must be a number, not '${value}'`);
  return n;
}
