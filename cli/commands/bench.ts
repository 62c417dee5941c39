/**
 * `npm run bench`: timings of the engine on the reference models and of the PSA (in-process and
 * end-to-end through the CLI), against a plain hand-written typed-array loop of the Chancellor
 * model, plus heap use of summary-only PSA runs. Prints a table and writes artifacts/bench.json.
 * Timings are medians of repeated runs after warm-up; they depend on the machine and its load.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseModelText } from '../../models/schema/parse-model';
import type { ModelFile } from '../../models/schema/model-file';
import { compileModel } from '../../models/engine/compile-model';
import { baseInputs } from '../../models/engine/parameters';
import { evaluateAllStrategies } from '../../models/analyses/base-case';
import { EXACT_INTERVAL_DRAWS, PsaEvaluator, runPsa } from '../../models/analyses/psa';
import { preparePsa, drawParameters } from '../../models/psa/draw-parameters';
import { parseCommandArgs } from '../args';
import { renderTable } from '../format';
import { CliError, EXIT } from '../io';
import type { Command } from './types';

function findRoot(): string {
  const candidates = [process.cwd()];
  try {
    candidates.push(resolve(fileURLToPath(new URL('../../../', import.meta.url))));
  } catch {
    /* not a file URL */
  }
  for (const c of candidates) if (existsSync(join(c, 'tests', 'reference')) && existsSync(join(c, 'scripts', 'cli.mjs'))) return c;
  throw new CliError('bench: run it from the repository root (npm run bench)', EXIT.usage);
}

function load(path: string): ModelFile {
  const parsed = parseModelText(readFileSync(path, 'utf8'));
  if (!parsed.ok) throw new CliError(`${path}: not a valid model`, EXIT.invalidModel);
  return parsed.model;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** CPU time (user + system) of this process in ms for the last `time` call's median run; less sensitive to machine load than wall time. */
let lastCpuMs = 0;

/** Median wall time in ms of `fn` over `runs` runs after `warmup` runs (the median CPU time is left in lastCpuMs). */
function time(fn: () => void, runs: number, warmup: number): number {
  for (let i = 0; i < warmup; i++) fn();
  const t: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
    const dc = process.cpuUsage(c0);
    c.push((dc.user + dc.system) / 1000);
  }
  lastCpuMs = median(c);
  return median(t);
}

function gcFunction(): (() => void) | null {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return null;
  }
}

/**
 * The Chancellor model (Briggs et al. 2006, Example 2.5) as a plain loop over typed arrays, with
 * the same PSA draws of rr_comb as the engine. Writes what the engine's PSA evaluator writes: per
 * draw r, strategy s (mono, comb) and outcome o (the model's order: cost, cost_health, cost_drugs,
 * ly) the value at out[(r * 2 + s) * 4 + o]. Like the engine, it evaluates monotherapy once, since
 * no drawn parameter affects it; so both do the same work per draw.
 */
export function chancellorHandLoop(model: ModelFile, n: number, seed: number, out: Float64Array = new Float64Array(n * 8)): Float64Array {
  const specs = model.parameters.map((p) => ({ id: p.id, baseValue: typeof p.value === 'number' ? p.value : 0, distribution: p.distribution }));
  const prepared = preparePsa(specs, model.correlations);
  if ('errors' in prepared) throw new Error(prepared.errors[0].message);
  const ids = model.outcomes.map((o) => o.id).join(',');
  if (ids !== 'cost,cost_health,cost_drugs,ly') throw new Error(`chancellorHandLoop: unexpected outcomes ${ids}`);
  const idx = model.parameters.findIndex((p) => p.id === 'rr_comb');
  const value = (id: string) => model.parameters.find((p) => p.id === id)!.value as number;
  const tpAB = 350 / 1734, tpAC = 116 / 1734, tpAD = 17 / 1734, tpBC = 512 / 1258, tpBD = 15 / 1258, tpCD = 437 / 1749;
  const cA = value('cost_A'), cB = value('cost_B'), cC = value('cost_C'), zido = value('cost_zido'), lami = value('cost_lami');
  const years = value('treatment_years');
  const cycles = 20;
  const disc = new Float64Array(cycles + 1);
  for (let k = 0; k <= cycles; k++) disc[k] = Math.pow(1.06, -k);
  const x = new Float64Array(model.parameters.length);
  const mono = new Float64Array(4);
  // i = -1: monotherapy, once (no drawn parameter affects it); i >= 0: draw i of combination
  // therapy. All in one plain loop (a closure per cohort run measured 1.6x slower).
  for (let i = -1; i < n; i++) {
    const comb = i >= 0;
    let rrComb = 1;
    if (comb) {
      drawParameters(prepared, seed, i, x);
      rrComb = x[idx];
    }
    let a = 1, b = 0, c = 0, health = 0, drugs = 0, ly = 0;
    for (let k = 1; k <= cycles; k++) {
      const on = comb && k <= years;
      const rr = on ? rrComb : 1;
      const pAB = tpAB * rr, pAC = tpAC * rr, pAD = tpAD * rr, pBC = tpBC * rr, pBD = tpBD * rr, pCD = tpCD * rr;
      const na = a * (1 - pAB - pAC - pAD);
      const nb = a * pAB + b * (1 - pBC - pBD);
      const nc = a * pAC + b * pBC + c * (1 - pCD);
      a = na;
      b = nb;
      c = nc;
      const alive = a + b + c;
      health += (a * cA + b * cB + c * cC) * disc[k];
      drugs += alive * (zido + (on ? lami : 0)) * disc[k];
      ly += alive;
    }
    const target = comb ? out : mono;
    const at = comb ? i * 8 + 4 : 0;
    target[at] = health + drugs;
    target[at + 1] = health;
    target[at + 2] = drugs;
    target[at + 3] = ly;
    if (comb) out.set(mono, i * 8);
  }
  return out;
}

/** The engine's part of a PSA without the summaries: compile, draw and evaluate n draws (per-draw outcome values, laid out as chancellorHandLoop's). */
export function engineEvaluation(model: ModelFile, n: number, seed: number, out?: Float64Array): Float64Array {
  const evaluator = new PsaEvaluator(model);
  const width = evaluator.strategyIds.length * evaluator.outcomeIds.length;
  const values = out ?? new Float64Array(n * width);
  const params = new Float64Array(0);
  for (let from = 0; from < n; from += 256) {
    const count = Math.min(256, n - from);
    evaluator.evaluateBlock(seed, from, count, values.subarray(from * width, (from + count) * width), params);
  }
  return values;
}

export const benchCommand: Command = {
  name: 'bench',
  summary: 'performance benchmark (base case, PSA in-process and end-to-end, memory); writes artifacts/bench.json',
  usage: 'bench [--quick]',
  async run(argv, out) {
    const { values, help } = parseCommandArgs(argv, { quick: { type: 'boolean' } }, { min: 0, max: 0, names: '' });
    if (help) {
      out.stdout(`usage: cli ${this.usage}\n\nRun from the repository root (npm run bench). --quick uses fewer repetitions and skips the 100,000-draw memory run.`);
      return EXIT.ok;
    }
    const quick = Boolean(values.quick);
    const root = findRoot();
    const gc = gcFunction();
    const report: Record<string, unknown> = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: `${availableParallelism()} x ${cpus()[0]?.model ?? 'unknown'}`,
      note: 'median wall-clock times in ms after warm-up; machine-dependent, and noisy when the machine is busy',
    };
    const rows: string[][] = [];
    const log = (name: string, ms: number | string, target: string, pass: boolean | null) => {
      rows.push([name, typeof ms === 'number' ? ms.toFixed(3) : ms, target, pass === null ? '' : pass ? 'ok' : 'MISSED']);
      out.stderr(`bench: ${name}: ${typeof ms === 'number' ? ms.toFixed(3) + ' ms' : ms}`);
    };

    // 1. Base case per reference model.
    const files = ['tests/reference', 'models/examples']
      .filter((d) => existsSync(join(root, d)))
      .flatMap((d) => readdirSync(join(root, d)).filter((f) => f.endsWith('.model.json')).sort().map((f) => join(d, f)));
    const baseCase: Record<string, { evaluateMs: number; compileAndEvaluateMs: number }> = {};
    for (const f of files) {
      const model = load(join(root, f));
      const compiled = compileModel(model);
      const inputs = baseInputs(model);
      const evaluateMs = time(() => evaluateAllStrategies(compiled, inputs, false), quick ? 50 : 500, quick ? 20 : 200);
      const compileAndEvaluateMs = time(() => evaluateAllStrategies(compileModel(model), baseInputs(model), false), quick ? 20 : 100, 10);
      baseCase[f] = { evaluateMs, compileAndEvaluateMs };
      const isChancellor = f.endsWith('chancellor-hiv.model.json');
      log(`base case ${f} (evaluate all strategies)`, evaluateMs, isChancellor ? '<< 10 ms' : '', isChancellor ? evaluateMs < 10 : null);
      log(`base case ${f} (compile + evaluate)`, compileAndEvaluateMs, '', null);
    }
    report.baseCase = baseCase;

    // 2. PSA of Chancellor in-process; the engine's evaluation of the draws alone; and the
    // hand-written loop doing the same work (same draws, same per-draw values), in the same run.
    const chancellorPath = join(root, 'tests/reference/chancellor-hiv.model.json');
    const chancellor = load(chancellorPath);
    runPsa(chancellor, { n: 2000, seed: 7 }); // warm-up
    const psaRuns = quick ? 3 : 7;
    const psaMs = time(() => runPsa(chancellor, { n: 10_000, seed: 1 }), psaRuns, 1);
    const psaCpuMs = lastCpuMs;
    const engineValues = new Float64Array(10_000 * 8);
    const handValues = new Float64Array(10_000 * 8);
    engineEvaluation(chancellor, 2000, 7, engineValues.subarray(0, 2000 * 8));
    chancellorHandLoop(chancellor, 2000, 7, handValues.subarray(0, 2000 * 8));
    // Engine and hand loop alternate, and the ratio is the median of the pairs' ratios: this
    // machine's speed drifts by up to 2x between seconds (CPU sharing), which moves both members
    // of a pair alike.
    const pairs = quick ? 9 : 21;
    const engineTimes: number[] = [];
    const handTimes: number[] = [];
    const engineCpu: number[] = [];
    const handCpu: number[] = [];
    const pairRatios: number[] = [];
    for (let i = 0; i < pairs; i++) {
      const engineMsOne = time(() => engineEvaluation(chancellor, 10_000, 1, engineValues), 1, 0);
      engineCpu.push(lastCpuMs);
      const handMsOne = time(() => chancellorHandLoop(chancellor, 10_000, 1, handValues), 1, 0);
      handCpu.push(lastCpuMs);
      engineTimes.push(engineMsOne);
      handTimes.push(handMsOne);
      pairRatios.push(engineMsOne / handMsOne);
    }
    const engineMs = median(engineTimes);
    const engineCpuMs = median(engineCpu);
    const handMs = median(handTimes);
    const handCpuMs = median(handCpu);
    let maxRel = 0;
    for (let i = 0; i < engineValues.length; i++) {
      const v = engineValues[i];
      maxRel = Math.max(maxRel, Math.abs(v - handValues[i]) / Math.max(Math.abs(v), 1e-300));
    }
    log('PSA Chancellor 10,000 draws, in-process (draws, model, means, intervals, CEAC, CEAF, EVPI)', psaMs, '< 500 ms', psaMs < 500);
    log('  (CPU time of the same run)', psaCpuMs, '', null);
    log('engine evaluation of the same draws (compile, draw, evaluate; per-draw values)', engineMs, '', null);
    log('  (CPU time of the same run)', engineCpuMs, '', null);
    log('hand-written typed-array loop, same draws and per-draw values', handMs, '', null);
    log('  (CPU time of the same run)', handCpuMs, '', null);
    const ratio = median(pairRatios);
    log(`ratio engine evaluation / hand loop (median of ${pairs} alternating pairs)`, `${ratio.toFixed(2)}x`, 'within 3x', ratio <= 3);
    const psaRatio = psaMs / handMs;
    log('ratio whole PSA (with the summaries the hand loop lacks) / hand loop', `${psaRatio.toFixed(2)}x`, '', null);
    log('hand loop vs engine, per-draw values (max relative difference)', maxRel.toExponential(2), '< 1e-9', maxRel < 1e-9);
    report.psaChancellor = {
      draws: 10_000,
      inProcessMs: psaMs,
      inProcessCpuMs: psaCpuMs,
      engineEvaluationMs: engineMs,
      engineEvaluationCpuMs: engineCpuMs,
      handLoopMs: handMs,
      handLoopCpuMs: handCpuMs,
      ratio,
      wholePsaRatio: psaRatio,
      handLoopMaxRelativeDifference: maxRel,
    };

    // 3. End-to-end through the CLI (a child process; the bundle is built beforehand).
    const cli = join(root, 'scripts', 'cli.mjs');
    const args = [cli, 'psa', chancellorPath, '--n', '10000', '--seed', '1', '--json'];
    execFileSync(process.execPath, [cli, '--help'], { stdio: 'ignore' });
    const e2e: number[] = [];
    for (let i = 0; i < (quick ? 2 : 5); i++) {
      const t0 = performance.now();
      execFileSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 1 << 28 });
      e2e.push(performance.now() - t0);
    }
    const e2eMs = median(e2e);
    log('PSA Chancellor 10,000 draws, end-to-end CLI (node scripts/cli.mjs psa --json)', e2eMs, '< 500 ms', e2eMs < 500);
    // The fixed cost of starting the CLI (node, bundle check, loading the bundle and its packages).
    const startup: number[] = [];
    for (let i = 0; i < (quick ? 2 : 5); i++) {
      const t0 = performance.now();
      execFileSync(process.execPath, [cli, '--help'], { stdio: 'ignore' });
      startup.push(performance.now() - t0);
    }
    const startupMs = median(startup);
    log('  of which CLI start-up (node scripts/cli.mjs --help)', startupMs, '', null);
    report.psaChancellorEndToEnd = { draws: 10_000, ms: e2eMs, runs: e2e, cliStartupMs: startupMs };

    // 4. 5-state, 60-cycle time-dependent model.
    const thrPath = join(root, 'tests/reference/thr-briggs.model.json');
    if (existsSync(thrPath)) {
      const thr = load(thrPath);
      runPsa(thr, { n: 500, seed: 7 });
      const thrMs = time(() => runPsa(thr, { n: 10_000, seed: 1 }), quick ? 2 : 3, 0);
      log('PSA THR (5 states, 60 cycles, time-dependent) 10,000 draws, in-process', thrMs, '< 1000 ms', thrMs < 1000);
      log('  (CPU time of the same run)', lastCpuMs, '', null);
      report.psaThr = { draws: 10_000, ms: thrMs, cpuMs: lastCpuMs };
    }

    // 5. Memory of summary-only runs: live memory (after a garbage collection) of the JS heap plus
    // typed-array storage (which heapUsed leaves out), at each progress report, the last of which
    // comes after every draw is folded. Up to EXACT_INTERVAL_DRAWS draws the primary cost and
    // effect of each draw are kept for exact intervals (16 bytes per strategy per draw); beyond,
    // P² estimates take over and memory no longer grows.
    const used = () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const heap = (n: number) => {
      gc?.();
      const before = used();
      let peak = before;
      runPsa(chancellor, {
        n,
        seed: 3,
        onProgress: () => {
          gc?.();
          peak = Math.max(peak, used());
        },
      });
      gc?.();
      const after = used();
      return { draws: n, beforeMB: before / 1048576, peakMB: peak / 1048576, afterMB: after / 1048576 };
    };
    const memory = [heap(10_000), heap(100_000), ...(quick ? [] : [heap(1_000_000)])];
    for (const m of memory) {
      log(`live memory (heap + typed arrays), summary-only PSA ${m.draws.toLocaleString('en-GB')} draws (before / peak / after, MB)`, `${m.beforeMB.toFixed(1)} / ${m.peakMB.toFixed(1)} / ${m.afterMB.toFixed(1)}`, 'bounded', null);
    }
    const first = memory[0];
    const last = memory[memory.length - 1];
    const growth = last.peakMB - first.peakMB;
    // What the exact-interval values may add (2 strategies), plus 2 MB for everything else.
    const bound = (16 * 2 * (Math.min(last.draws, EXACT_INTERVAL_DRAWS) - first.draws)) / 1048576 + 2;
    log(`  growth of the peak from ${first.draws.toLocaleString('en-GB')} to ${last.draws.toLocaleString('en-GB')} draws (MB)`, growth.toFixed(1), `< ${bound.toFixed(1)}`, gc === null ? null : growth < bound);
    report.memory = { gcAvailable: gc !== null, measure: 'heapUsed + arrayBuffers after gc, at each progress report', exactIntervalDraws: EXACT_INTERVAL_DRAWS, runs: memory, growthMB: growth, boundMB: bound };

    // 6. A 10,000-draw PSA workbook (the spreadsheet writer loads only here).
    const { benchWorkbook } = await import('../../models/export/bench-workbook');
    await benchWorkbook(500);
    const workbook = await benchWorkbook(10_000);
    log('PSA workbook, 10,000 draws: build + write .xlsx', workbook.totalMs, '< 5000 ms', workbook.totalMs < 5000);
    log('  workbook size (MB)', (workbook.bytes / 1048576).toFixed(2), '', null);
    report.psaWorkbook = { draws: 10_000, totalMs: workbook.totalMs, specMs: workbook.specMs, writeMs: workbook.writeMs, bytes: workbook.bytes };

    out.stdout(renderTable(['Benchmark', 'ms', 'Target', ''], rows, [false, true, false, false]));
    mkdirSync(join(root, 'artifacts'), { recursive: true });
    writeFileSync(join(root, 'artifacts', 'bench.json'), JSON.stringify(report, null, 2) + '\n');
    out.stdout('written: artifacts/bench.json');
    return EXIT.ok;
  },
};
