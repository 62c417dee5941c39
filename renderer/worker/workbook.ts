// Excel export in the worker: the engine's workbook specification (models/export/workbook-spec)
// written by its exceljs writer (models/export/write-xlsx), with the charts the UI rendered.
import type { AnalysisRequest } from './analysis-protocol';
import { type ChartKey, buildWorkbookSpec, parseModelText, writeXlsx } from './engine';
import packageJson from '../../package.json';

type ExportRequest = Extract<AnalysisRequest, { kind: 'export' }>;

/** UI chart names → the workbook's chart slots. */
export const CHART_SLOTS: Record<string, ChartKey> = {
  'markov-trace': 'trace',
  'dsa-tornado': 'tornado',
  'psa-ce-plane': 'ce-plane',
  'psa-ceac': 'ceac',
  'psa-evpi': 'evpi',
};

export async function writeWorkbook(request: ExportRequest): Promise<Uint8Array> {
  if (request.results.length !== 1) throw new Error('Export one result at a time.');
  const parsed = parseModelText(request.modelText);
  const charts: Partial<Record<ChartKey, Uint8Array>> = {};
  for (const chart of request.charts) {
    const slot = CHART_SLOTS[chart.name];
    if (slot) charts[slot] = chart.png;
  }
  const spec = buildWorkbookSpec(request.results[0], {
    model: parsed.ok ? parsed.model : undefined,
    modelText: request.modelText,
    // The Manifest sheet names the program version that made the numbers.
    appVersion: `${packageJson.version} (desktop/web UI)`,
    charts,
  });
  return writeXlsx(spec);
}
