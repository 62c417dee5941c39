/** Cycle length, horizon and discounting. Years are 365.25 days (Julian year) so 12 months = 52.18 weeks = 1 year. */
import type { Settings } from '../schema/model-file';

const YEARS_PER_UNIT = { days: 1 / 365.25, weeks: 7 / 365.25, months: 1 / 12, years: 1 } as const;

export function toYears(duration: { value: number; unit: keyof typeof YEARS_PER_UNIT }): number {
  return duration.value * YEARS_PER_UNIT[duration.unit];
}

/** Number of cycles: horizon / cycle length rounded to the nearest whole cycle (at least 1). */
export function numberOfCycles(settings: Pick<Settings, 'cycleLength' | 'timeHorizon'>): number {
  return Math.max(1, Math.round(toYears(settings.timeHorizon) / toYears(settings.cycleLength) + 1e-9));
}

/**
 * Discount factors at cycle boundaries k = 0..n: d(k) = (1 + r)^-(k · cycle years). This is the
 * annual rate rescaled to the cycle length, (1 + r)^(cycle years) − 1 per cycle, compounded k times.
 */
export function discountFactors(annualRate: number, cycleYears: number, nCycles: number): Float64Array {
  const factors = new Float64Array(nCycles + 1);
  for (let k = 0; k <= nCycles; k++) factors[k] = Math.pow(1 + annualRate, -k * cycleYears);
  return factors;
}
