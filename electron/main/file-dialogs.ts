// Options for the open/save dialogs, as plain data for the IPC handlers.
import { extname, isAbsolute, join } from 'node:path';
import type { ExportKind } from '../../renderer/host/host-api';

const MODEL_FILTERS = [
  { name: 'HTA model', extensions: ['json'] },
  { name: 'All files', extensions: ['*'] },
];

const EXPORT_FILTERS: Record<ExportKind, { name: string; extensions: string[] }> = {
  xlsx: { name: 'Excel workbook', extensions: ['xlsx'] },
  csv: { name: 'CSV (comma-separated values)', extensions: ['csv'] },
  png: { name: 'PNG image', extensions: ['png'] },
};

export function openModelDialogOptions() {
  return { title: 'Open model', filters: MODEL_FILTERS, properties: ['openFile' as const] };
}

export function saveModelDialogOptions(defaultPath: string) {
  return { title: 'Save model', defaultPath, filters: MODEL_FILTERS, properties: ['showOverwriteConfirmation' as const] };
}

export function saveExportDialogOptions(defaultPath: string, kind: ExportKind) {
  return { title: 'Export', defaultPath, filters: [EXPORT_FILTERS[kind]], properties: ['showOverwriteConfirmation' as const] };
}

/** Where a Save dialog starts: the current file if there is one, else Documents/<name>. */
export function defaultModelPath(currentPath: string | null, suggestedName: string, documentsDir: string): string {
  if (currentPath && isAbsolute(currentPath)) return currentPath;
  return join(documentsDir, suggestedName.toLowerCase().endsWith('.json') ? suggestedName : `${suggestedName}.model.json`);
}

export function defaultExportPath(suggestedName: string, kind: ExportKind, documentsDir: string): string {
  const name = extname(suggestedName).toLowerCase() === `.${kind}` ? suggestedName : `${suggestedName}.${kind}`;
  return join(documentsDir, name);
}
