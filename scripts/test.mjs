#!/usr/bin/env node
// `npm test`: type-check every project, review the Electron security settings, then run the whole vitest suite (unit, reference,
// CLI, end-to-end in headless Chromium) and end with the plain line `N passed, N failed`
// that CI reads. Extra arguments go to vitest (e.g. `npm test -- tests/unit/psa`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const args = process.argv.slice(2);
const run = (cmd, cmdArgs) => spawnSync(cmd, cmdArgs, { stdio: 'inherit', shell: false }).status ?? 1;
let extraPassed = 0;
let extraFailed = 0;

// Whole-project checks that are not vitest tests; each counts as one test in the summary.
const checks = [
  ['type-check: renderer, models, cli, tests', 'npx', ['--no-install', 'tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['type-check: engine without DOM or Node', 'npx', ['--no-install', 'tsc', '--noEmit', '-p', 'models/tsconfig.json']],
  ['type-check: Electron main (no DOM)', 'npx', ['--no-install', 'tsc', '--noEmit', '-p', 'electron/tsconfig.json']],
  ['type-check: Electron preload', 'npx', ['--no-install', 'tsc', '--noEmit', '-p', 'electron/preload/tsconfig.json']],
  ['Electron security review (electronegativity)', 'node', ['scripts/electronegativity.mjs']],
];
if (args.length === 0) {
  for (const [name, cmd, cmdArgs] of checks) {
    console.log(`> ${name}`);
    if (run(cmd, cmdArgs) === 0) extraPassed++;
    else {
      extraFailed++;
      console.log(`FAILED: ${name}`);
    }
  }
}

mkdirSync('artifacts', { recursive: true });

/** One vitest run with the JSON reporter; returns its counts. */
function vitest(name, vitestArgs) {
  const report = `artifacts/vitest-${name}.json`;
  rmSync(report, { force: true });
  const status = run('npx', ['--no-install', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...vitestArgs]);
  if (!existsSync(report)) return { passed: 0, failed: 1, status: status || 1 };
  const r = JSON.parse(readFileSync(report, 'utf8'));
  // A file that fails to load has no failed tests of its own: count it as one failure.
  const brokenFiles = (r.testResults ?? []).filter((f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed')).length;
  let failed = r.numFailedTests + brokenFiles;
  if (status !== 0 && failed === 0) failed = 1; // e.g. a file that failed to load
  return { passed: r.numPassedTests, failed, status };
}

// The end-to-end tests run on their own after the rest: they measure main-thread long tasks,
// which other test files running in parallel on a 2-core machine would distort.
const runs =
  args.length > 0
    ? [vitest('selected', args)]
    : [vitest('unit', ['--exclude', 'tests/e2e/**']), vitest('e2e', ['tests/e2e'])];
const passed = runs.reduce((n, r) => n + r.passed, extraPassed);
const failed = runs.reduce((n, r) => n + r.failed, extraFailed);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || runs.some((r) => r.status !== 0) ? 1 : 0);
