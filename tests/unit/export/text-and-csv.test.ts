import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { neutraliseText, unneutraliseText } from '../../../models/export/text-safety';
import { csvField, sheetToCsv } from '../../../models/export/csv';
import { sha256Hex } from '../../../models/export/sha256';
import { parseCsv } from './libreoffice';

describe('formula-injection neutralisation', () => {
  it.each(['=1+1', '+cmd', '-2+3', '@SUM(A1)', '\tx', '\rx', "=HYPERLINK(\"http://x\")"])('prefixes %j with a single quote', (s) => {
    expect(neutraliseText(s)).toBe(`'${s}`);
    expect(unneutraliseText(neutraliseText(s))).toBe(s);
  });
  it('leaves safe text alone', () => {
    for (const s of ['abc', 'Zidovudine + lamivudine', '1,5', "'quoted", '']) expect(neutraliseText(s)).toBe(s);
    expect(unneutraliseText("'quoted")).toBe("'quoted");
  });
  it('CSV: numbers stay numbers (negative too), text is neutralised and quoted per RFC 4180', () => {
    expect(csvField({ v: -12.5 })).toBe('-12.5');
    expect(csvField({ v: 1e-12 })).toBe('1e-12');
    expect(csvField({ v: '=cmd|"/c calc"!A1' })).toBe(`"'=cmd|""/c calc""!A1"`);
    expect(csvField({ v: 'a,b' })).toBe('"a,b"');
    expect(csvField({ v: 'line\nbreak' })).toBe('"line\nbreak"');
    expect(csvField({ v: 3, f: 'A1+A2' })).toBe('3');
    expect(csvField(null)).toBe('');
  });
  it('sheetToCsv writes the table region with CRLF line ends and parses back', () => {
    const csv = sheetToCsv({
      name: 'T',
      columns: [],
      rows: [[{ v: 'title' }], [{ v: 'id' }, { v: 'value' }], [{ v: 'a' }, { v: 1.25 }], [{ v: '-x' }, { v: -3 }]],
      table: { header: 1, first: 2, last: 3 },
    });
    expect(csv).toBe("id,value\r\na,1.25\r\n'-x,-3\r\n");
    expect(parseCsv(csv)).toEqual([['id', 'value'], ['a', '1.25'], ["'-x", '-3']]);
  });
});

describe('SHA-256', () => {
  it('matches node:crypto on several lengths, including multi-block and non-ASCII input', () => {
    for (const text of ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'é€'.repeat(1000), JSON.stringify({ x: Array.from({ length: 5000 }, (_, i) => i) })]) {
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    }
  });
});
