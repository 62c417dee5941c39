/**
 * Formula-injection neutralisation for exported text (OWASP "CSV injection").
 *
 * A spreadsheet may run text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a
 * formula (or DDE command) when a CSV is opened or a cell is edited. Every exported text cell that
 * is not meant to be a formula goes through `neutraliseText`: such text gets a leading single
 * quote (`'=cmd` stays visible as text; Excel/LibreOffice treat a leading quote as "this is text").
 * Numbers are never touched: they are written as numbers. On import, `unneutraliseText` removes
 * the quote again when it precedes one of those characters.
 */
const DANGEROUS_START = /^[=+\-@\t\r]/;

export function needsNeutralising(text: string): boolean {
  return DANGEROUS_START.test(text);
}

export function neutraliseText(text: string): string {
  return DANGEROUS_START.test(text) ? `'${text}` : text;
}

/** Inverse of neutraliseText for values read back from our own files. */
export function unneutraliseText(text: string): string {
  return text.length > 1 && text[0] === "'" && DANGEROUS_START.test(text.slice(1)) ? text.slice(1) : text;
}
