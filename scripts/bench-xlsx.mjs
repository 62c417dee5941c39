#!/usr/bin/env node
// Bench case for the spreadsheet export: a 10,000-draw PSA workbook built and written to .xlsx
// (models/export/bench-workbook.ts). Target: under 5 s. Usage:
//   node scripts/bench-xlsx.mjs [--draws N] [--runs R] [--out FILE.xlsx] [--json]
// To hook into `npm run bench`, the bench command can `await benchWorkbook()` from
// models/export/bench-workbook.ts directly (it is bundled with the CLI) and report totalMs/bytes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { draws: { type: 'string', default: '10000' }, runs: { type: 'string', default: '3' }, out: { type: 'string' }, json: { type: 'boolean' } } });
const outDir = join(root, 'node_modules', '.cache', 'hta-bench-xlsx');
mkdirSync(outDir, { recursive: true });
const { build } = await import('esbuild');
await build({
  absWorkingDir: root,
  entryPoints: { 'bench-workbook': 'models/export/bench-workbook.ts' },
  outdir: outDir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'error',
  banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
});
const { benchWorkbook } = await import(pathToFileURL(join(outDir, 'bench-workbook.mjs')).href);
const draws = Number(values.draws);
const runs = [];
let last;
for (let i = 0; i < Number(values.runs); i++) {
  last = await benchWorkbook(draws);
  runs.push({ specMs: Math.round(last.specMs), writeMs: Math.round(last.writeMs), totalMs: Math.round(last.totalMs), bytes: last.bytes });
}
if (values.out) writeFileSync(values.out, last.workbook);
const best = Math.min(...runs.map((r) => r.totalMs));
const summary = { case: 'psa-workbook', draws, runs, bestMs: best, megabytes: +(last.bytes / 1048576).toFixed(2), targetMs: 5000, pass: best < 5000 };
if (values.json) console.log(JSON.stringify(summary));
else console.log(`psa-workbook: ${draws} draws, best of ${runs.length}: ${best} ms (target < 5000 ms), ${summary.megabytes} MB; runs: ${runs.map((r) => r.totalMs).join(', ')} ms`);
process.exitCode = summary.pass ? 0 : 1;
