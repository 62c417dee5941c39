#!/usr/bin/env node
// `npm test`: type-check every project, then run the whole vitest suite (unit, reference,
// CLI, end-to-end in headless Chromium) and end with the plain line `N passed, N failed`
// that CI reads. Extra arguments go to vitest (e.g. `npm test -- tests/unit/psa`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const args = process.argv.slice(2);
const run = (cmd, cmdArgs) => spawnSync(cmd, cmdArgs, { stdio: 'inherit', shell: false }).status ?? 1;
let extraPassed = 0;
let extraFailed = 0;

if (args.length === 0) {
  console.log('> type-check (tsc --noEmit, all projects)');
  const status = run('npx', ['--no-install', 'tsc', '--noEmit', '-p', 'tsconfig.json']) || run('npx', ['--no-install', 'tsc', '--noEmit', '-p', 'electron/tsconfig.json']);
  if (status === 0) extraPassed++;
  else {
    extraFailed++;
    console.log('type-check FAILED');
  }
}

mkdirSync('artifacts', { recursive: true });
const report = 'artifacts/vitest.json';
rmSync(report, { force: true });
const vitestStatus = run('npx', ['--no-install', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args]);
let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
  if (vitestStatus !== 0 && failed === 0) failed = 1; // e.g. a file that failed to load
} else {
  failed = 1;
}
passed += extraPassed;
failed += extraFailed;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || vitestStatus !== 0 ? 1 : 0);
