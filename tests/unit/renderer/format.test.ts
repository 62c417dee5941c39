import { describe, expect, test } from 'vitest';
import { DASH, formatCurrency, formatIcer, formatNumber, formatPercent, formatQuantity, formatValue, singularUnit } from '../../../renderer/format/numbers';
import { translate } from '../../../renderer/i18n';

describe('number formatting', () => {
  test('numbers, currency, percent, units', () => {
    expect(formatNumber(1234.567, 2)).toBe('1,234.57');
    expect(formatNumber(-2, 1)).toBe('\u22122.0');
    expect(formatNumber(null)).toBe(DASH);
    expect(formatNumber(Infinity)).toBe('\u221e');
    expect(formatCurrency(6275.96, 'GBP')).toBe('£6,276');
    expect(formatCurrency(92.636, 'EUR', 2)).toBe('€92.64');
    expect(formatCurrency(10, 'XYZ1')).toBe('10 XYZ1');
    expect(formatPercent(0.708, 1)).toBe('70.8%');
    expect(formatQuantity(8.9373, 'years', 2)).toBe('8.94 years');
    expect(formatValue(0.000012345)).toBe('1.234e\u22125');
    expect(formatValue(1920)).toBe('1,920');
    expect(singularUnit('QALYs')).toBe('QALY');
  });

  test('ICER text says dominated and extendedly dominated in words', () => {
    expect(formatIcer({ status: 'frontier', icer: 6275.9556, dominatedBy: null }, 'GBP', 'years').text).toBe('£6,276/year');
    expect(formatIcer({ status: 'dominated', icer: null, dominatedBy: 'a' }, 'EUR', 'QALY')).toEqual({ text: 'dominated', kind: 'dominated' });
    expect(formatIcer({ status: 'extended-dominated', icer: null, dominatedBy: 'a–b' }, 'EUR', 'QALY').text).toBe('extendedly dominated');
    expect(formatIcer({ status: 'reference', icer: null, dominatedBy: null }, 'EUR', 'QALY').kind).toBe('reference');
  });

  test('i18n: Italian is complete, with placeholders', () => {
    expect(translate('en', 'nav.parameters')).toBe('Parameters');
    expect(translate('it', 'nav.parameters')).toBe('Parametri');
    expect(translate('it', 'psa.seed')).toBe('Seme');
    expect(translate('en', 'status.issues', { n: 3 })).toBe('3 issue(s)');
    expect(translate('it', 'status.issues', { n: 3 })).toBe('Problemi: 3');
  });
});
