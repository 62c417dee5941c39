/**
 * The lazy command registry and the CLI bundle: `--help` lists every command from metadata alone,
 * each entry loads a command that matches it, and the bundled CLI (node scripts/cli.mjs) can load
 * and run every command's bundle, with or without a usable V8 code cache. The bundle directory is
 * cleaned on rebuild without removing files that a CLI process started on the previous build may
 * still load.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { commands, helpText, main } from '../../cli/main';
import { repoRoot } from '../helpers/load';

type Run = { code: number; stdout: string; stderr: string };

function node(args: string[], timeout = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: repoRoot, timeout, maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const cli = (args: string[]) => node([join(repoRoot, 'scripts/cli.mjs'), ...args]);

async function inProcess(argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const names = ['validate', 'run', 'psa', 'psa-sample', 'dsa', 'merge', 'scenarios', 'bench', 'budget-impact', 'report', 'schema'];

describe('command registry', () => {
  it('lists every command, in help order, with unique names', () => {
    expect(commands.map((c) => c.name)).toEqual(names);
    const help = helpText();
    for (const c of commands) expect(help).toContain(`  ${c.usage}\n      ${c.summary}`);
  });

  it("each entry's name, summary and usage are exactly those of the command it loads", async () => {
    for (const entry of commands) {
      const command = await entry.load();
      expect({ name: command.name, summary: command.summary, usage: command.usage }).toEqual({ name: entry.name, summary: entry.summary, usage: entry.usage });
    }
  });

  it('every command runs --help with exit code 0 (in-process)', async () => {
    for (const { name, usage } of commands) {
      const r = await inProcess([name, '--help']);
      expect(r.code, name).toBe(0);
      expect(r.stdout, name).toContain(`usage: cli ${usage}`);
    }
  });

  it('no command, help and an unknown command keep their exit codes', async () => {
    expect((await inProcess([])).code).toBe(2);
    expect((await inProcess(['--help'])).code).toBe(0);
    const unknown = await inProcess(['nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'nope'");
  });
});

describe('bundled CLI', () => {
  beforeAll(async () => {
    await cli(['--help']); // builds the bundle once
  }, 120_000);

  it('loads every command from its bundle: each --help exits 0 and prints its usage', async () => {
    const runs = await Promise.all(commands.map((c) => cli([c.name, '--help'])));
    runs.forEach((r, i) => {
      expect(r.code, commands[i].name).toBe(0);
      expect(r.stdout, commands[i].name).toContain(`usage: cli ${commands[i].usage}`);
      expect(r.stderr, commands[i].name).toBe('');
    });
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(helpText() + '\n');
  });

  it('a rebuild cleans the output folder but keeps files superseded within the grace time', async () => {
    const out = mkdtempSync(join(tmpdir(), 'hta-cli-build-'));
    const hourAgo = Date.now() - 2 * 60 * 60 * 1000;
    writeFileSync(join(out, 'chunk-OLDOLDOL.mjs'), 'export {};\n'); // superseded two hours ago: deleted
    writeFileSync(join(out, 'chunk-RECENT00.mjs'), 'export {};\n'); // superseded just now: kept
    writeFileSync(join(out, 'chunk-UNKNOWN0.mjs'), 'export {};\n'); // not in the manifest: superseded from now, kept
    mkdirSync(join(out, 'chunks')); // the older layout's folder, superseded two hours ago: deleted
    writeFileSync(join(out, 'chunks', 'chunk-X.mjs'), 'export {};\n');
    const superseded = { 'chunk-OLDOLDOL.mjs': hourAgo, 'chunk-RECENT00.mjs': Date.now() - 60_000, chunks: hourAgo };
    writeFileSync(join(out, 'manifest.json'), JSON.stringify({ files: [], superseded }));
    const script = `import(${JSON.stringify(join(repoRoot, 'scripts/cli-build.mjs'))}).then((m) => m.buildCli(${JSON.stringify(repoRoot)}, ${JSON.stringify(out)}))`;
    const r = await node(['--input-type=module', '-e', script], 120_000);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const files = readdirSync(out);
    expect(files).toContain('cli.mjs');
    expect(files).toContain('psa-worker.mjs');
    expect(files).not.toContain('chunk-OLDOLDOL.mjs');
    expect(files).not.toContain('chunks');
    expect(files).toContain('chunk-RECENT00.mjs');
    expect(files).toContain('chunk-UNKNOWN0.mjs');
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.superseded).sort()).toEqual(['chunk-RECENT00.mjs', 'chunk-UNKNOWN0.mjs']);
    for (const f of manifest.files) expect(existsSync(join(out, f))).toBe(true);
    // The folder is a working CLI. The first run of a command writes its bundle's code cache; a
    // cache that V8 rejects (here: garbage) is ignored, the output is the same, and it is rewritten.
    const run = (argv: string[]) =>
      node(['--input-type=module', '-e', `import(${JSON.stringify(join(out, 'cli.mjs'))}).then(async (m) => { process.exitCode = await m.main(${JSON.stringify(argv)}); })`]);
    const help = await run(['validate', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: cli validate');
    const argv = ['run', join(repoRoot, 'tests/reference/chancellor-hiv.model.json'), '--json'];
    const first = await run(argv);
    expect(first.code).toBe(0);
    const commandsBundle = manifest.files.find((f: string) => /^commands-\w+\.cjs$/.test(f));
    const cache = join(out, `${commandsBundle}.run.cache`);
    expect(existsSync(cache)).toBe(true);
    const cached = await run(argv);
    expect(cached).toEqual(first);
    writeFileSync(cache, 'not a code cache');
    const rejected = await run(argv);
    expect(rejected).toEqual(first);
    expect(readFileSync(cache, 'utf8')).not.toBe('not a code cache');
    const bad = await run(['run', 'no-such-file.json']);
    expect(bad.code).toBe(2); // a CliError thrown in the command bundle is recognised by the entry point
    expect(bad.stderr).toBe('error: no-such-file.json: no such model file\n');
    rmSync(out, { recursive: true, force: true });
  }, 120_000);
});
