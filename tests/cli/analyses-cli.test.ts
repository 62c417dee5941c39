/**
 * CLI contract of the analysis commands: psa, merge, psa-sample, dsa, scenarios (run through
 * `node scripts/cli.mjs` in a child process, as users run it). Exit codes: 0 ok, 1 invalid model
 * or data, 2 usage error.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, beforeAll } from 'vitest';
import { repoRoot } from '../helpers/load';

type Run = { code: number; stdout: string; stderr: string };

function cli(args: string[], timeout = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(repoRoot, 'scripts/cli.mjs'), ...args], { cwd: repoRoot, timeout, maxBuffer: 1 << 28 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const chancellor = 'tests/reference/chancellor-hiv.model.json';
const thr = 'tests/reference/thr-briggs.model.json';
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hta-cli-analyses-'));
  await cli(['--help']); // builds the bundle once
}, 120_000);

describe('psa', () => {
  it('--help exits 0; missing --seed or a bad flag exits 2 without a stack trace', async () => {
    const help = await cli(['psa', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--draws A-B');
    const noSeed = await cli(['psa', chancellor, '--n', '10']);
    expect(noSeed.code).toBe(2);
    expect(noSeed.stderr).toContain('--seed is required');
    const bad = await cli(['psa', chancellor, '--n', '10', '--seed', '1', '--draws', '5-20']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect((await cli(['psa', 'no-such-file.json', '--n', '10', '--seed', '1'])).code).toBe(2);
  });

  it('--json contract: n, seed, strategies, incremental, ceac, evpi', async () => {
    const r = await cli(['psa', chancellor, '--n', '500', '--seed', '9', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.n).toBe(500);
    expect(j.seed).toBe(9);
    expect(j.strategies.map((s: { id: string }) => s.id)).toEqual(['mono', 'comb']);
    for (const s of j.strategies) for (const k of ['meanCost', 'meanEffect', 'costInterval', 'effectInterval']) expect(s).toHaveProperty(k);
    expect(j.incremental[1]).toMatchObject({ id: 'comb', status: 'frontier' });
    expect(typeof j.incremental[1].icer).toBe('number');
    expect(j.ceac[0]).toHaveProperty('wtp');
    expect(Object.keys(j.ceac[0].probabilities)).toEqual(['mono', 'comb']);
    expect(j.evpi[0]).toEqual({ wtp: 0, value: expect.any(Number) });
    expect(r.stderr).toBe(''); // no progress bar when stderr is not a TTY
  });

  it('identical JSON for 0-999 in one go, with 2 workers, and as two merged shards', async () => {
    const base = ['psa', chancellor, '--n', '1000', '--seed', '21', '--json'];
    const single = await cli([...base, '--workers', '1']);
    const two = await cli([...base, '--workers', '2']);
    const a = await cli([...base, '--draws', '0-499']);
    const b = await cli([...base, '--draws', '500-999', '--shard-out', join(dir, 'b.json')]);
    expect([single.code, two.code, a.code, b.code]).toEqual([0, 0, 0, 0]);
    writeFileSync(join(dir, 'a.json'), a.stdout);
    expect(readFileSync(join(dir, 'b.json'), 'utf8')).toBe(b.stdout); // stdout ends with the same newline
    const merged = await cli(['merge', join(dir, 'b.json'), join(dir, 'a.json')]);
    expect(merged.code).toBe(0);
    expect(two.stdout).toBe(single.stdout);
    expect(merged.stdout).toBe(single.stdout);
    // Shards merged with workers on each shard too.
    const a2 = await cli([...base, '--draws', '0-499', '--workers', '2']);
    expect(a2.stdout).toBe(a.stdout);
  });

  it('EVPPI and kept draws are identical with 1 and 2 workers (parameter values come back from the workers)', async () => {
    const base = ['psa', chancellor, '--n', '600', '--seed', '4', '--evppi', 'rr_comb', '--keep-draws', '--json'];
    const one = await cli([...base, '--workers', '1']);
    const two = await cli([...base, '--workers', '2']);
    expect(one.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    const j = JSON.parse(one.stdout);
    expect(j.draws.parameters.rr_comb).toHaveLength(600);
    expect(j.evppi[0].length).toBe(j.wtps.length);
  });

  it('merge: overlapping shards and non-JSON files exit 1 with a clear message', async () => {
    const s = await cli(['psa', chancellor, '--n', '100', '--seed', '1', '--draws', '0-59', '--json']);
    writeFileSync(join(dir, 's.json'), s.stdout);
    const r = await cli(['merge', join(dir, 's.json'), join(dir, 's.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot merge: .*overlaps/);
    writeFileSync(join(dir, 'junk.json'), '{');
    expect((await cli(['merge', join(dir, 'junk.json')])).code).toBe(1);
    expect((await cli(['merge'])).code).toBe(2);
    expect((await cli(['merge', '--help'])).code).toBe(0);
  });

  it('a model whose draws give invalid probabilities exits 1 naming the draw', async () => {
    const model = JSON.parse(readFileSync(join(repoRoot, chancellor), 'utf8'));
    const rr = model.parameters.find((p: { id: string }) => p.id === 'rr_comb');
    rr.distribution = { type: 'normal', mean: 3, sd: 1 }; // rr 3 makes A's exits sum above 1
    writeFileSync(join(dir, 'bad.model.json'), JSON.stringify(model));
    const r = await cli(['psa', join(dir, 'bad.model.json'), '--n', '50', '--seed', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/PSA draw \d+ \(seed 1\)/);
    expect(r.stderr).toMatch(/rr_comb = /);
  });

  it('text output with --evppi on THR', async () => {
    const r = await cli(['psa', thr, '--n', '300', '--seed', '2', '--evppi', 'np1_lnhr;c_revision,rrr']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('EVPPI per person');
    expect(r.stdout).toContain('np1_lnhr');
  });
});

describe('psa-sample', () => {
  it('analyses a CSV and the same draws as .xlsx; errors name row and column', async () => {
    const csv = join(dir, 'sample.csv');
    writeFileSync(csv, 'draw,cost_A,effect_A,cost_B,effect_B\n1,0,1,1000,1.1\n2,0,1,3000,1.1\n');
    const r = await cli(['psa-sample', csv, '--wtp-min', '20000', '--wtp-max', '20000', '--wtp-step', '1000', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.ceac).toEqual([{ wtp: 20000, probabilities: { A: 0.5, B: 0.5 } }]);
    expect(j.evpi[0].value).toBeCloseTo(500, 9); // hand-computed in psa-sample.test.ts
    writeFileSync(csv, 'cost_A,effect_A\n1,x\n');
    const bad = await cli(['psa-sample', csv]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("row 2 (line 2), column B 'effect_A'");
    // The same two draws as an .xlsx sheet "PSA draws" (read by the spreadsheet importer).
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('PSA draws');
    ws.addRow(['draw', 'cost_A', 'effect_A', 'cost_B', 'effect_B']);
    ws.addRow([1, 0, 1, 1000, 1.1]);
    ws.addRow([2, 0, 1, 3000, 1.1]);
    await wb.xlsx.writeFile(join(dir, 'sample.xlsx'));
    const x = await cli(['psa-sample', join(dir, 'sample.xlsx'), '--wtp-min', '20000', '--wtp-max', '20000', '--wtp-step', '1000', '--json']);
    if (existsSync(join(repoRoot, 'models/export/import-parameters.ts'))) {
      expect(x.code).toBe(0);
      const jx = JSON.parse(x.stdout);
      expect(jx.ceac).toEqual(j.ceac);
      expect(jx.evpi).toEqual(j.evpi);
      writeFileSync(join(dir, 'junk.xlsx'), 'not a workbook');
      const junk = await cli(['psa-sample', join(dir, 'junk.xlsx')]);
      expect(junk.code).toBe(1);
      expect(junk.stderr).toMatch(/junk\.xlsx: /);
    } else {
      expect(x.code).toBe(2); // importer not in this build: a clear usage message
      expect(x.stderr).toMatch(/xlsx/);
    }
    expect((await cli(['psa-sample', '--help'])).code).toBe(0);
  });
});

describe('dsa and scenarios', () => {
  it('dsa --json gives tornado rows; --threshold and --two-way work; bad usage exits 2', async () => {
    const r = await cli(['dsa', chancellor, '--outcome', 'icer', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.kind).toBe('dsa-one-way');
    expect(j.rows[0]).toMatchObject({ parameter: 'rr_comb', low: 0.365, high: 0.71 });
    const t = await cli(['dsa', chancellor, '--threshold', 'rr_comb', '--range', '0.3,1', '--wtp', '20000', '--json']);
    expect(t.code).toBe(0);
    expect(JSON.parse(t.stdout).status).toBe('found');
    const none = await cli(['dsa', chancellor, '--threshold', 'rr_comb']);
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/No threshold in range/);
    const tw = await cli(['dsa', thr, '--two-way', 'np1_lnhr,c_np1', '--steps', '3', '--json']);
    expect(tw.code).toBe(0);
    expect(JSON.parse(tw.stdout).grid).toHaveLength(3);
    expect((await cli(['dsa', chancellor, '--two-way', 'rr_comb'])).code).toBe(2);
    expect((await cli(['dsa', chancellor, '--strategy', 'nope'])).code).toBe(1);
    expect((await cli(['dsa', '--help'])).code).toBe(0);
    const text = await cli(['dsa', thr]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Sorted by width');
  });

  it('scenarios prints every scenario and subgroup with the weighted total', async () => {
    const r = await cli(['scenarios', thr, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.scenarios).toHaveLength(2);
    expect(j.subgroups).toHaveLength(2);
    expect(j.weightedTotal.incremental).toHaveLength(2);
    const text = await cli(['scenarios', thr]);
    expect(text.stdout).toContain('Population-weighted total');
    expect((await cli(['scenarios', '--help'])).code).toBe(0);
    expect((await cli(['scenarios'])).code).toBe(2);
  });
});

describe('bench', () => {
  it('--help exits 0 and an unexpected argument exits 2', async () => {
    expect((await cli(['bench', '--help'])).code).toBe(0);
    expect((await cli(['bench', 'extra'])).code).toBe(2);
  });
});
