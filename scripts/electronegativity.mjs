#!/usr/bin/env node
// Runs @doyensec/electronegativity over electron/ and exits 1 on any finding that is
// not justified. A finding is justified by an inline `// eng-disable CHECK_ID: reason`
// on the line it points at (the reason is required, see checkDisableComments), or, for
// the two global findings below that cannot carry a comment, by the check in this file.
//
// Runs offline: electronegativity fetches translations and Electron's release list over
// the network; `got` is replaced by a stub that fails at once, and the release check
// (AvailableSecurityFixesGlobalCheck) is excluded because it needs that list.
import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
// An optional folder argument scans something else (used to check the script itself).
const input = process.argv[2] ? resolve(process.argv[2]) : join(root, 'electron');
const require = createRequire(import.meta.url);

function stubNetwork() {
  const runnerPath = require.resolve('@doyensec/electronegativity');
  const gotPath = createRequire(runnerPath).resolve('got');
  const offline = () => Promise.reject(new Error('offline: electronegativity network access is disabled'));
  offline.head = offline;
  require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: offline, children: [], paths: [] };
}

/** The real CSP is a response header built in content-security-policy.ts; evaluate it. */
async function evaluateOwnCsp() {
  const dir = mkdtempSync(join(tmpdir(), 'hta-csp-'));
  try {
    const outfile = join(dir, 'csp.mjs');
    buildSync({
      entryPoints: [join(root, 'electron/main/content-security-policy.ts')],
      bundle: true,
      format: 'esm',
      platform: 'node',
      outfile,
      logLevel: 'silent',
    });
    const { CONTENT_SECURITY_POLICY } = await import(pathToFileURL(outfile).href);
    const csp = require('@doyensec/csp-evaluator');
    const findings = new csp.CspEvaluator(new csp.CspParser(CONTENT_SECURITY_POLICY).csp, csp.Version.CSP3).evaluate();
    const serious = findings.filter((finding) =>
      [csp.severities.HIGH, csp.severities.SYNTAX, csp.severities.MEDIUM].includes(finding.severity),
    );
    return { policy: CONTENT_SECURITY_POLICY, findings, serious };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every eng-disable must say why, after a colon, on the same line. */
function checkDisableComments(dir) {
  const problems = [];
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|js|cjs|mjs|html)$/.test(entry.name)) {
        readFileSync(path, 'utf8')
          .split('\n')
          .forEach((line, index) => {
            if (line.includes('eng-disable') && !/eng-disable\s+[\w \t,]+:\s*\S/.test(line)) {
              problems.push(`${relative(root, path)}:${index + 1}: eng-disable without a reason ("// eng-disable CHECK_ID: why")`);
            }
          });
      }
    }
  };
  walk(dir);
  return problems;
}

stubNetwork();
const run = require('@doyensec/electronegativity');
const electronVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies.electron;

const originalLog = console.log;
// Silence the "could not retrieve translations" line caused by the network stub.
console.log = (...args) => {
  if (!String(args[0]).startsWith('Could not retrieve updated translations')) originalLog(...args);
};
const result = await run({
  input,
  isRelative: true,
  customScan: [],
  excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
  electronVersionOverride: electronVersion,
  parserPlugins: [],
});
console.log = originalLog;

const unjustified = [];
const justified = [];
const csp = await evaluateOwnCsp();

for (const issue of result.issues) {
  const where = `${issue.file}:${issue.location.line}`;
  // Electronegativity looks for CSP in HTML meta tags and webRequest callbacks only; ours
  // is a header on every app:// response (electron/main/app-protocol.ts), checked above.
  if (issue.id === 'CSP_GLOBAL_CHECK' && issue.file === 'N/A' && csp.serious.length === 0) {
    justified.push(`${issue.id} (${where}): CSP is sent as a response header; evaluated here: ${csp.policy}`);
    continue;
  }
  unjustified.push(`${issue.id} ${issue.severity.name ?? ''}/${issue.confidence.name ?? ''} at ${where}: ${issue.sample ?? issue.description}`);
}
for (const finding of csp.serious) unjustified.push(`CSP ${finding.directive}: ${finding.description}`);
for (const error of result.errors) {
  // A file that could not be parsed was not checked at all.
  unjustified.push(`could not analyse ${error.file}: ${error.message}`);
}
unjustified.push(...checkDisableComments(input));

console.log(`electronegativity ${require('@doyensec/electronegativity/package.json').version} on ${relative(root, input) || '.'} (Electron ${electronVersion})`);
for (const line of justified) console.log(`  justified  ${line}`);
for (const line of unjustified) console.log(`  FINDING    ${line}`);
console.log(`electronegativity: ${justified.length} justified, ${unjustified.length} unjustified`);
process.exit(unjustified.length === 0 ? 0 : 1);
