// Every number the UI shows is formatted here (Intl.NumberFormat), with units and currency.
import type { IncrementalRow } from '../../models/index';

const cache = new Map<string, Intl.NumberFormat>();
function nf(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = locale + JSON.stringify(options);
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    cache.set(key, f);
  }
  return f;
}

export const DASH = '\u2014';

export function formatNumber(value: number | null | undefined, digits = 2, locale = 'en-GB'): string {
  if (value === null || value === undefined || Number.isNaN(value)) return DASH;
  if (!Number.isFinite(value)) return value > 0 ? '\u221e' : '\u2212\u221e';
  return nf(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value).replace('-', '\u2212');
}

/** Significant-figure formatting for parameter values of any magnitude. */
export function formatValue(value: number | null | undefined, locale = 'en-GB'): string {
  if (value === null || value === undefined || Number.isNaN(value)) return DASH;
  if (!Number.isFinite(value)) return value > 0 ? '\u221e' : '\u2212\u221e';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) return value.toExponential(3).replace('-', '\u2212');
  return nf(locale, { maximumSignificantDigits: 6 }).format(value).replace('-', '\u2212');
}

export function formatCurrency(value: number | null | undefined, currency: string, digits = 0, locale = 'en-GB'): string {
  if (value === null || value === undefined || Number.isNaN(value)) return DASH;
  if (!Number.isFinite(value)) return formatNumber(value);
  try {
    return nf(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value).replace('-', '\u2212');
  } catch {
    // Not an ISO 4217 code: number followed by the code.
    return `${formatNumber(value, digits, locale)} ${currency}`;
  }
}

export function formatPercent(value: number | null | undefined, digits = 1, locale = 'en-GB'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return nf(locale, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

export function formatQuantity(value: number | null | undefined, unit: string | null | undefined, digits = 3): string {
  const n = formatNumber(value, digits);
  return unit && n !== DASH ? `${n} ${unit}` : n;
}

export type IcerText = { text: string; kind: 'number' | 'reference' | 'dominated' | 'extended' };

/** ICER cell text: a currency amount per effect unit, or the dominance status in words. */
export function formatIcer(row: Pick<IncrementalRow, 'status' | 'icer' | 'dominatedBy'>, currency: string, effectUnit: string | null): IcerText {
  switch (row.status) {
    case 'reference':
      return { text: '(reference)', kind: 'reference' };
    case 'dominated':
      return { text: 'dominated', kind: 'dominated' };
    case 'extended-dominated':
      return { text: 'extendedly dominated', kind: 'extended' };
    case 'frontier':
      if (row.icer === null || !Number.isFinite(row.icer)) return { text: DASH, kind: 'number' };
      return { text: `${formatCurrency(row.icer, currency)}${effectUnit ? `/${singularUnit(effectUnit)}` : ''}`, kind: 'number' };
  }
}

export function singularUnit(unit: string): string {
  const map: Record<string, string> = { QALYs: 'QALY', years: 'year', 'life-years': 'life-year', LYs: 'LY', days: 'day', months: 'month', weeks: 'week' };
  return map[unit] ?? unit;
}

export function formatDuration(value: number, unit: string): string {
  return `${formatValue(value)} ${value === 1 ? unit.replace(/s$/, '') : unit}`;
}
