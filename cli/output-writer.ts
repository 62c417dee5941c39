/**
 * `--out FILE` for run, psa, dsa and budget-impact: writes the result as a workbook (.xlsx) or a
 * single table (.csv, the main summary table of the result kind). See docs/spreadsheets.md.
 */
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import packageJson from '../package.json';
import { parseModelText } from '../models/schema/parse-model';
import { buildWorkbookSpec, type ChartKey, type ExportableResult as SpecResult } from '../models/export/workbook-spec';
import { chartConfigs, whiteBackground } from '../models/export/chart-configs';
import { summaryCsv } from '../models/export/csv';
import { CliError, EXIT } from './io';

export type ExportableResult = { kind: string } & Record<string, unknown>;

export async function writeResultFileNow(path: string, result: ExportableResult, context: { modelText: string; modelPath: string }): Promise<void> {
  const ext = extname(path).toLowerCase();
  if (ext !== '.xlsx' && ext !== '.csv') {
    throw new CliError(`${path}: --out must end in .xlsx (workbook) or .csv (summary table)\nRun with --help for usage.`, EXIT.usage);
  }
  const parsed = parseModelText(context.modelText);
  const options = {
    model: parsed.ok ? parsed.model : undefined,
    modelText: context.modelText,
    modelPath: context.modelPath,
    appVersion: (packageJson as { version: string }).version,
    date: new Date(),
  };
  let bytes: Uint8Array;
  if (ext === '.csv') {
    bytes = new TextEncoder().encode(summaryCsv(buildWorkbookSpec(result as SpecResult, { ...options, audit: false })));
  } else {
    const charts = await renderChartsInNode(result);
    const spec = buildWorkbookSpec(result as SpecResult, { ...options, charts });
    const { writeXlsx } = await import('../models/export/write-xlsx');
    bytes = await writeXlsx(spec);
  }
  try {
    writeFileSync(path, bytes);
  } catch (error) {
    throw new CliError(`${path}: cannot write the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`, EXIT.usage);
  }
}

/**
 * Charts as PNG with chart.js on @napi-rs/canvas (an optional dependency). Without it, or on any
 * rendering problem, the workbook is written without charts.
 */
export async function renderChartsInNode(result: ExportableResult): Promise<Partial<Record<ChartKey, Uint8Array>>> {
  const configs = chartConfigs(result as SpecResult);
  if (Object.keys(configs).length === 0) return {};
  let canvasModule: { createCanvas(w: number, h: number): { getContext(kind: '2d'): unknown; encode(format: 'png'): Promise<Uint8Array> } };
  let chartModule: { Chart: { new (ctx: unknown, config: unknown): { destroy(): void }; register(...items: unknown[]): void }; registerables: unknown[] };
  try {
    const canvasName = '@napi-rs/canvas';
    canvasModule = (await import(/* @vite-ignore */ canvasName)) as typeof canvasModule;
    chartModule = (await import('chart.js')) as unknown as typeof chartModule;
  } catch {
    return {};
  }
  const out: Partial<Record<ChartKey, Uint8Array>> = {};
  try {
    chartModule.Chart.register(...chartModule.registerables);
    for (const [key, config] of Object.entries(configs)) {
      const canvas = canvasModule.createCanvas(960, 540);
      const chart = new chartModule.Chart(canvas.getContext('2d'), { ...config, plugins: [whiteBackground] });
      out[key as ChartKey] = new Uint8Array(await canvas.encode('png'));
      chart.destroy();
    }
  } catch {
    return out;
  }
  return out;
}
