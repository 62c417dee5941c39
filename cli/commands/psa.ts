import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ModelFile } from '../../models/schema/model-file';
import { ModelError, type ModelIssue } from '../../models/schema/model-issue';
import {
  PsaAccumulator,
  PsaEvaluator,
  type PsaOptions,
  type PsaResult,
  evppiParameters,
  psaHeader,
  runPsa,
  stringifyPsaResult,
  validatePsaOptions,
} from '../../models/analyses/psa';
import { parseCommandArgs, parseIntegerFlag } from '../args';
import { formatNumber, formatQuantity, renderTable } from '../format';
import { CliError, EXIT, loadModel, usageError } from '../io';
import { writeResultFile } from '../output';
import type { Command } from './types';

const HELP = `Probabilistic sensitivity analysis: every parameter with a distribution is drawn (seeded:
draw i depends only on the seed and i), every strategy is evaluated on the same draw.

--n N            number of draws (required)
--seed S         random seed, 0..4294967295 (required)
--workers W      worker threads; the output does not depend on W. Default: up to 4 (the CPUs
                 not busy by the 1-minute load average), used only when the first 256 draws
                 predict more than 1 s of work (starting a worker costs about 0.2 s)
--draws A-B      run only draws A..B (inclusive, 0-based): a shard. Its JSON carries the per-draw
                 values; 'merge' combines shards into exactly the single-run output
--shard-out FILE also write the JSON (with per-draw values) to FILE
--scenario ID    apply a scenario;  --subgroup ID  apply a subgroup
--evppi GROUPS   EVPPI for parameter groups: p1,p2 is one group, ';' separates groups (e.g. "a,b;c")
--keep-draws     keep every draw: exact 95% intervals and per-draw values in the JSON. Without it,
                 only summaries are kept: intervals are exact up to 200,000 draws (16 bytes per
                 strategy per draw), P-square estimates beyond (memory flat in N from there on)
--json           print one JSON document instead of tables
--out FILE       also write the results to a workbook (.xlsx) or table (.csv)

Costs and effects are for the settings' cohort size. CEAC, CEAF and EVPI use a WTP grid from 0 to
3x the largest settings threshold in 50 steps, plus every settings threshold.`;

export const psaCommand: Command = {
  name: 'psa',
  summary: 'probabilistic sensitivity analysis: means, 95% intervals, CEAC, CEAF, EVPI (seeded, shardable)',
  usage: 'psa <model.json> --n N --seed S [--workers W] [--draws A-B] [--evppi p1,p2;p3] [--keep-draws] [--json]',
  async run(argv, out) {
    const { values, positionals, help } = parseCommandArgs(
      argv,
      {
        n: { type: 'string' },
        seed: { type: 'string' },
        workers: { type: 'string' },
        draws: { type: 'string' },
        'shard-out': { type: 'string' },
        scenario: { type: 'string' },
        subgroup: { type: 'string' },
        evppi: { type: 'string' },
        'keep-draws': { type: 'boolean' },
        json: { type: 'boolean' },
        out: { type: 'string' },
      },
      { min: 1, max: 1, names: 'the model file' },
    );
    if (help) {
      out.stdout(`usage: cli ${this.usage}\n\n${HELP}`);
      return EXIT.ok;
    }
    if (values.n === undefined) throw usageError('--n is required (the number of draws)');
    if (values.seed === undefined) throw usageError('--seed is required (so that the run can be reproduced)');
    const n = parseIntegerFlag(values.n, '--n', 0, 1, 10_000_000);
    const seed = parseIntegerFlag(values.seed, '--seed', 0, 0, 2 ** 32 - 1);
    let drawRange: [number, number] | undefined;
    if (values.draws !== undefined) {
      const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(values.draws);
      if (!m) throw usageError(`--draws must look like A-B (e.g. 0-499), not '${values.draws}'`);
      drawRange = [Number(m[1]), Number(m[2])];
      if (drawRange[0] > drawRange[1] || drawRange[1] > n - 1) throw usageError(`--draws ${values.draws}: need A <= B <= n-1 = ${n - 1}`);
    }
    const evppi = values.evppi === undefined ? undefined : parseEvppiGroups(values.evppi);
    const file = positionals[0];
    const { model, text } = loadModel(file);
    const options: PsaOptions = {
      n,
      seed,
      drawRange,
      variant: { scenario: values.scenario ?? null, subgroup: values.subgroup ?? null },
      keepDraws: Boolean(values['keep-draws']),
      evppi,
    };
    try {
      validatePsaOptions(options);
    } catch (error) {
      throw usageError(error instanceof Error ? error.message : String(error));
    }
    // Auto: the CPUs not already busy (1-minute load average), at most 4.
    const idleCpus = Math.max(1, Math.min(64, availableParallelism() - Math.round(loadavg()[0])));
    const auto = values.workers === undefined;
    const workers = auto ? Math.min(4, idleCpus) : parseIntegerFlag(values.workers, '--workers', 1, 1, 64);
    const progress = out.isTTY ? progressBar() : null;
    let result: PsaResult;
    try {
      result = await runPsaParallel(model, text, options, workers, progress?.update, auto);
    } catch (error) {
      progress?.done();
      if (error instanceof ModelError) {
        throw new CliError(`${file}: the PSA cannot be completed (${error.issues.length} problem${error.issues.length === 1 ? '' : 's'}):`, EXIT.invalidModel, error.issues.map((i) => `${file}: ${formatIssueLine(i)}`));
      }
      throw error;
    }
    progress?.done();
    const json = stringifyPsaResult(result);
    if (values['shard-out']) writeFileSync(values['shard-out'], json + '\n');
    if (values.out) await writeResultFile(values.out, result as unknown as { kind: string } & Record<string, unknown>, { modelText: text, modelPath: file });
    if (values.json) out.stdout(json);
    else out.stdout(formatPsa(result));
    return EXIT.ok;
  },
};

function formatIssueLine(i: ModelIssue): string {
  const where = i.path === '' ? '(model)' : i.path;
  return `${where}${i.parameter ? ` [parameter ${i.parameter}]` : ''}: ${i.message}`;
}

export function parseEvppiGroups(text: string): string[][] {
  const groups = text.split(';').map((g) => g.split(',').map((s) => s.trim()).filter(Boolean)).filter((g) => g.length > 0);
  if (groups.length === 0) throw usageError(`--evppi needs parameter ids, e.g. "p1,p2;p3" (got '${text}')`);
  for (const g of groups) {
    if (g.length > 4) throw usageError(`--evppi: a group has at most 4 parameters (got ${g.join(',')})`);
    if (new Set(g).size !== g.length) throw usageError(`--evppi: a parameter appears twice in the group ${g.join(',')}`);
  }
  return groups;
}

/** Progress on stderr, redrawn at most every 100 ms (runPsa and the worker pool already throttle). */
function progressBar(): { update: (done: number, total: number) => void; done: () => void } {
  let shown = false;
  return {
    update(done, total) {
      const width = 30;
      const filled = Math.round((done / total) * width);
      process.stderr.write(`\rPSA [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
      shown = true;
    },
    done() {
      if (shown) process.stderr.write('\r' + ' '.repeat(60) + '\r');
      shown = false;
    },
  };
}

/** The worker bundle next to the bundled CLI (node_modules/.cache/hta-cli/psa-worker.mjs). */
function workerUrl(): URL | null {
  try {
    const url = new URL('./psa-worker.mjs', import.meta.url);
    return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : null;
  } catch {
    return null;
  }
}

/** Start workers only when the rest of the run is estimated to take longer than this (a worker costs ~0.2 s to start). */
const AUTO_WORKERS_MIN_MS = 1000;
/**
 * With automatic workers, draws are first evaluated in-process for about this long: small runs end
 * here, and the estimate of the rest comes from the last block, by then JIT-compiled (a first,
 * cold block runs several times slower and used to start workers a 10,000-draw run did not need).
 */
const AUTO_PROBE_MS = 150;

/**
 * Runs the PSA on up to `workers` threads: the draw range is cut into contiguous chunks handed
 * out in order; results are folded in draw order by one accumulator, so the output is
 * independent of the number of workers (and of the chunk size). At most a few chunks per worker
 * are in flight, so memory stays bounded.
 *
 * The first block of draws is always evaluated in-process; with `auto`, blocks are evaluated
 * in-process for up to AUTO_PROBE_MS, and the time per draw of the last of them decides whether
 * starting workers is worth it (estimated remaining time above AUTO_WORKERS_MIN_MS). With
 * one worker, or without the worker bundle (unbundled runs), everything runs in-process.
 */
export async function runPsaParallel(
  model: ModelFile,
  modelText: string,
  options: PsaOptions,
  workers: number,
  onProgress?: (done: number, total: number) => void,
  auto = false,
): Promise<PsaResult> {
  const range = validatePsaOptions(options);
  const total = range[1] - range[0] + 1;
  if (workers <= 1 && !auto) return runPsa(model, { ...options, onProgress });

  const parameters = evppiParameters(options.evppi);
  const evaluator = new PsaEvaluator(model, options.variant ?? {}, parameters); // validates and builds the header
  const acc = new PsaAccumulator(psaHeader(model, evaluator, options, range));
  const S = evaluator.strategyIds.length;
  const O = evaluator.outcomeIds.length;
  const BLOCK = 256;
  const values = new Float64Array(BLOCK * S * O);
  const params = new Float64Array(BLOCK * parameters.length);
  let lastReport = Date.now();
  const inProcess = (from: number, to: number) => {
    for (let a = from; a <= to; a += BLOCK) {
      const count = Math.min(BLOCK, to - a + 1);
      evaluator.evaluateBlock(options.seed, a, count, values, params);
      acc.add(values, params, count);
      const now = Date.now();
      if (onProgress && now - lastReport >= 100) {
        lastReport = now;
        onProgress(a + count - range[0], total);
      }
    }
  };
  let start = range[0];
  let perDraw = 0;
  const probeStart = performance.now();
  do {
    const end = Math.min(range[1], start + BLOCK - 1);
    const t0 = performance.now();
    inProcess(start, end);
    perDraw = (performance.now() - t0) / (end - start + 1);
    start = end + 1;
  } while (auto && start <= range[1] && performance.now() - probeStart < AUTO_PROBE_MS);
  const remaining = range[1] - start + 1;
  const want = auto ? (perDraw * remaining > AUTO_WORKERS_MIN_MS ? workers : 1) : workers;
  const url = want > 1 && remaining >= 2 * want ? workerUrl() : null;
  if (url === null) {
    if (remaining > 0) inProcess(start, range[1]);
    onProgress?.(total, total);
    return acc.result();
  }
  workers = want;
  const chunk = Math.max(100, Math.min(2000, Math.ceil(remaining / (workers * 8))));
  const window = workers * 3; // chunks in flight or waiting to be folded

  return new Promise<PsaResult>((resolve, reject) => {
    const pool: Worker[] = [];
    const pending = new Map<number, { values: Float64Array; params: Float64Array; count: number }>();
    let nextChunk = start;
    let nextFold = start;
    let inFlight = 0;
    let finished = false;
    let lastReport = 0;
    const idle: Worker[] = [];
    const finish = (error: unknown, result?: PsaResult) => {
      if (finished) return;
      finished = true;
      for (const w of pool) void w.terminate();
      if (error) reject(error);
      else resolve(result!);
    };
    const assign = () => {
      while (idle.length > 0 && nextChunk <= range[1] && (nextChunk - nextFold) / chunk < window) {
        const w = idle.pop()!;
        const count = Math.min(chunk, range[1] - nextChunk + 1);
        w.postMessage({ from: nextChunk, count });
        nextChunk += count;
        inFlight++;
      }
    };
    const fold = () => {
      for (let p = pending.get(nextFold); p !== undefined; p = pending.get(nextFold)) {
        pending.delete(nextFold);
        acc.add(p.values, p.params, p.count);
        nextFold += p.count;
      }
      const now = Date.now();
      if (onProgress && now - lastReport >= 100) {
        lastReport = now;
        onProgress(nextFold - range[0], total);
      }
      if (nextFold > range[1] && inFlight === 0) {
        onProgress?.(total, total);
        try {
          finish(null, acc.result());
        } catch (error) {
          finish(error);
        }
      }
    };
    for (let k = 0; k < Math.min(workers, Math.ceil(remaining / chunk)); k++) {
      const w = new Worker(url, {
        workerData: { modelText, variant: { scenario: options.variant?.scenario ?? null, subgroup: options.variant?.subgroup ?? null }, seed: options.seed, parameters },
      });
      pool.push(w);
      w.on('message', (m: { type: string; from?: number; count?: number; values?: Float64Array; params?: Float64Array; issues?: ModelIssue[]; message?: string }) => {
        if (finished) return;
        if (m.type === 'error') {
          finish(m.issues ? new ModelError(m.issues) : new Error(m.message ?? 'worker failed'));
          return;
        }
        if (m.type === 'result') {
          inFlight--;
          pending.set(m.from!, { values: m.values!, params: m.params!, count: m.count! });
          try {
            fold();
          } catch (error) {
            finish(error);
            return;
          }
        }
        idle.push(w);
        assign();
      });
      w.on('error', (error) => finish(error));
      w.on('exit', (code) => {
        if (!finished && code !== 0) finish(new Error(`a PSA worker stopped with exit code ${code}`));
      });
    }
  });
}

export function formatPsa(r: PsaResult): string {
  const currency = r.settings.currency;
  const lines: string[] = [];
  lines.push(r.modelName);
  const variant = [r.scenario && `scenario ${r.scenario}`, r.subgroup && `subgroup ${r.subgroup}`].filter(Boolean).join(', ');
  lines.push(
    `PSA${variant ? ` (${variant})` : ''}: seed ${r.seed}, draws ${r.drawRange[0]}-${r.drawRange[1]} of ${r.n}${r.complete ? '' : ' (a shard: merge all shards for the full result)'}` +
      `${r.settings.cohortSize !== 1 ? `; cohort of ${r.settings.cohortSize}` : '; per person'}.`,
  );
  lines.push('');
  const names = new Map(r.strategies.map((s) => [s.id, s.name]));
  lines.push(
    renderTable(
      ['Strategy', `Mean cost (${currency})`, '95% interval', 'Mean effect', '95% interval'],
      r.strategies.map((s) => [
        s.name,
        formatNumber(s.meanCost),
        `${formatNumber(s.costInterval[0])} to ${formatNumber(s.costInterval[1])}`,
        formatQuantity(s.meanEffect),
        `${formatQuantity(s.effectInterval[0])} to ${formatQuantity(s.effectInterval[1])}`,
      ]),
      [false, true, true, true, true],
    ),
  );
  lines.push(`Intervals: ${r.intervalMethod}.`);
  lines.push('');
  lines.push('Incremental analysis on the means:');
  lines.push(
    renderTable(
      ['Strategy', 'Inc. cost', 'Inc. effect', `ICER (${currency}/unit)`, 'Status'],
      r.incremental.map((row) => [names.get(row.id) ?? row.id, formatNumber(row.incrementalCost), formatQuantity(row.incrementalEffect), row.icer === null ? '' : formatNumber(row.icer), row.status]),
      [false, true, true, true, false],
    ),
  );
  lines.push('');
  const thresholds = r.settings.wtpThresholds;
  const at = r.ceac.filter((c) => thresholds.includes(c.wtp));
  lines.push('Probability cost-effective (CEAC) and EVPI per person at the settings thresholds:');
  lines.push(
    renderTable(
      ['WTP', ...r.strategies.map((s) => s.name), 'Optimal (CEAF)', `EVPI (${currency})`],
      at.map((c) => {
        const ceaf = r.ceaf.find((x) => x.wtp === c.wtp)!;
        const evpi = r.evpi.find((x) => x.wtp === c.wtp)!;
        return [formatNumber(c.wtp, 0), ...r.strategies.map((s) => formatQuantity(c.probabilities[s.id])), names.get(ceaf.optimal) ?? ceaf.optimal, formatNumber(evpi.value)];
      }),
      [true, ...r.strategies.map(() => true), false, true],
    ),
  );
  if (r.evppi) {
    lines.push('');
    lines.push('EVPPI per person at the settings thresholds:');
    const rows: string[][] = [];
    r.evppi.forEach((group, g) => {
      const ids = r.options.evppiGroups[g].join(', ');
      if (group === null) rows.push([ids, ...thresholds.map(() => 'not estimated (see note)')]);
      else rows.push([ids, ...thresholds.map((w) => {
        const e = group.find((x) => x.wtp === w);
        return e ? `${formatNumber(e.value)} (SE ${formatNumber(e.standardError)})` : '';
      })]);
    });
    lines.push(renderTable(['Parameters', ...thresholds.map((w) => `WTP ${formatNumber(w, 0)}`)], rows));
    if (r.evppiNote) lines.push(`Note: ${r.evppiNote}.`);
  }
  lines.push('');
  lines.push(`Use --json for the full CEAC/CEAF/EVPI over ${r.wtps.length} WTP values and the CE-plane points.`);
  return lines.join('\n');
}

