/**
 * LibreOffice headless helper for the export tests: recalculates workbooks (OOXMLRecalcMode = 0,
 * "always recalculate", set in a private profile) and converts every sheet to CSV.
 * `sofficePath()` is null when LibreOffice is not installed; the tests then skip with a message.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export function sofficePath(): string | null {
  for (const candidate of ['soffice', 'libreoffice']) {
    const r = spawnSync('sh', ['-c', `command -v ${candidate}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return null;
}

const RECALC_ALWAYS = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`;

/** Workbook files → per file, sheet name → rows of CSV fields (recalculated by LibreOffice). */
export function recalcToCsv(files: string[]): Map<string, Map<string, string[][]>> {
  const soffice = sofficePath();
  if (!soffice) throw new Error('LibreOffice (soffice) is not installed');
  const work = mkdtempSync(join(tmpdir(), 'hta-lo-'));
  const profile = join(work, 'profile');
  mkdirSync(join(profile, 'user'), { recursive: true });
  writeFileSync(join(profile, 'user', 'registrymodifications.xcu'), RECALC_ALWAYS);
  const out = join(work, 'out');
  mkdirSync(out);
  const r = spawnSync(
    soffice,
    ['--headless', '--norestore', `-env:UserInstallation=file://${profile}`, '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,false,false,false,-1', '--outdir', out, ...files],
    { encoding: 'utf8', timeout: 240_000 },
  );
  if (r.status !== 0) throw new Error(`soffice failed (${r.status}): ${r.stderr}`);
  const result = new Map<string, Map<string, string[][]>>();
  for (const file of files) {
    const stem = basename(file).replace(/\.xlsx$/, '');
    const sheets = new Map<string, string[][]>();
    for (const name of readdirSync(out)) {
      if (name.startsWith(stem + '-') && name.endsWith('.csv')) sheets.set(name.slice(stem.length + 1, -4), parseCsv(readFileSync(join(out, name), 'utf8')));
    }
    if (sheets.size === 0 && existsSync(join(out, stem + '.csv'))) sheets.set('', parseCsv(readFileSync(join(out, stem + '.csv'), 'utf8')));
    result.set(file, sheets);
  }
  return result;
}

/** Minimal RFC 4180 parser. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
