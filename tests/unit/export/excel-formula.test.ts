import { describe, expect, it } from 'vitest';
import { parseExpression } from '../../../models/expression';
import { toExcelFormula, UnsupportedInExcel } from '../../../models/export/excel-formula';

const tr = (text: string) => toExcelFormula(parseExpression(text), (n) => `in_${n}`);

describe('expression → Excel formula', () => {
  it('parenthesises fully, so Excel precedence never matters', () => {
    expect(tr('a + b * c')).toBe('(in_a+(in_b*in_c))');
    expect(tr('-a ^ 2')).toBe('(-(in_a^2))');
    expect(tr('2 ^ -1')).toBe('(2^(-1))');
    expect(tr('-0.5 * x')).toBe('((-0.5)*in_x)');
  });
  it('comparisons, logic and conditionals give 1/0 through IF', () => {
    expect(tr('a < b')).toBe('IF(in_a<in_b,1,0)');
    expect(tr('a == b')).toBe('IF(in_a=in_b,1,0)');
    expect(tr('a != b')).toBe('IF(in_a<>in_b,1,0)');
    expect(tr('a && b')).toBe('IF(AND(in_a<>0,in_b<>0),1,0)');
    expect(tr('a || !b')).toBe('IF(OR(in_a<>0,IF(in_b=0,1,0)<>0),1,0)');
    expect(tr('c ? x : y')).toBe('IF(in_c<>0,in_x,in_y)');
    expect(tr('if(c, x, y)')).toBe('IF(in_c<>0,in_x,in_y)');
  });
  it('expands the HTA functions', () => {
    expect(tr('rate_to_prob(r)')).toBe('(1-EXP(-in_r*1))');
    expect(tr('rate_to_prob(r, t)')).toBe('(1-EXP(-in_r*in_t))');
    expect(tr('prob_to_rate(p, t)')).toBe('(-LN(1-in_p)/in_t)');
    expect(tr('rescale_prob(p, 5, 1)')).toBe('(1-(1-in_p)^(1/5))');
    expect(tr('apply_hr(p, hr)')).toBe('(1-(1-in_p)^in_hr)');
    expect(tr('apply_rr(p, rr)')).toBe('(in_p*in_rr)');
    expect(tr('apply_or(p, or1)')).toBe('(in_p*in_or1/(1-in_p+in_p*in_or1))');
    expect(tr('odds(p)')).toBe('(in_p/(1-in_p))');
    expect(tr('odds_to_prob(o)')).toBe('(in_o/(1+in_o))');
    expect(tr('floor(x) + ceil(x) + round(x)')).toBe('((INT(in_x)+(-INT(-in_x)))+ROUND(in_x,0))');
    expect(tr('clamp(x, 0, 1)')).toBe('MIN(MAX(in_x,0),1)');
    expect(tr('log(x) + ln(x) + log10(x) + exp(x) + sqrt(x) + abs(x) + pow(x, 2) + min(x, 1, 2) + max(x, 1)')).toContain('LN(in_x)');
  });
  it('lookup tables are not translated', () => {
    expect(() => tr('lookup(t, age)')).toThrow(UnsupportedInExcel);
  });
});
