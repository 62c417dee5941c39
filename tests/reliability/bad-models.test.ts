/**
 * A corpus of hand-written broken model files (tests/fixtures/bad-models, expectations.json):
 * each must end in a clear error that names where the problem is — never a crash, a hang, a stack
 * trace or a polluted prototype — in the engine and in the CLI (exit code 1).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateModel } from '../../models/run/validate-model';
import { main } from '../../cli/main';
import { repoRoot } from '../helpers/load';

const dir = repoRoot + 'tests/fixtures/bad-models/';
const cases: { file: string; expect: { path?: string; message?: string } }[] = JSON.parse(readFileSync(dir + 'expectations.json', 'utf8'));
const STACK = /\n\s+at |\.ts:\d+|\.js:\d+|node:internal/;

async function runCli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('bad model corpus', () => {
  for (const c of cases) {
    it(`${c.file}: a clear error naming where the problem is`, async () => {
      const text = readFileSync(dir + c.file, 'utf8');
      const started = Date.now();
      const result = validateModel(text);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(result.valid).toBe(false);
      const errors = result.issues.filter((i) => i.severity === 'error');
      expect(errors.length).toBeGreaterThan(0);
      for (const i of errors) {
        expect(typeof i.path).toBe('string');
        expect(i.message).not.toMatch(STACK);
      }
      if (c.expect.path !== undefined || c.expect.message !== undefined) {
        const match = errors.find(
          (i) => (c.expect.path === undefined || i.path === c.expect.path) && (c.expect.message === undefined || i.message.includes(c.expect.message)),
        );
        expect(match, `expected an issue ${JSON.stringify(c.expect)}; got ${JSON.stringify(errors)}`).toBeDefined();
      }
      expect(Object.prototype).not.toHaveProperty('polluted');
      expect(Object.prototype).not.toHaveProperty('isAdmin');

      const cli = await runCli(['validate', dir + c.file]);
      expect(cli.code).toBe(1);
      expect(cli.stdout + cli.stderr).not.toMatch(STACK);
      expect(cli.stdout.split('\n')[0]).toContain(c.file);
      const run = await runCli(['run', dir + c.file]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^error: /);
      expect(run.stdout + run.stderr).not.toMatch(STACK);
    });
  }
});

describe('CLI usage errors', () => {
  it('exit 2 for a missing file, an unknown command, a bad flag, a missing argument', async () => {
    expect((await runCli(['run', dir + 'does-not-exist.json'])).code).toBe(2);
    expect((await runCli(['frobnicate'])).code).toBe(2);
    expect((await runCli(['run', '--no-such-flag', dir + 'empty.json'])).code).toBe(2);
    expect((await runCli(['run'])).code).toBe(2);
    expect((await runCli(['validate', repoRoot + 'tests'])).code).toBe(2);
  });

  it('--help documents every command and exits 0', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const name of ['validate', 'run', 'schema']) expect(help.stdout).toContain(name);
  });
});
