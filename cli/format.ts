/** Plain-text tables and number formats for the terminal. */

export function formatNumber(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined) return '';
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Significant-figure format for small quantities such as QALYs or probabilities. */
export function formatQuantity(value: number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && abs < 0.001) return value.toExponential(3);
  return value.toLocaleString('en-GB', { maximumFractionDigits: abs >= 100 ? 2 : 5 });
}

export function renderTable(headers: string[], rows: string[][], alignRight: boolean[] = headers.map((_, i) => i > 0)): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (alignRight[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
