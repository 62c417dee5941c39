/**
 * `--out FILE` for run, psa, dsa, scenarios and budget-impact. The writer (exceljs, chart
 * rendering) loads only when --out is given, so every other command starts fast.
 */
export type ExportableResult = { kind: string } & Record<string, unknown>;

export async function writeResultFile(path: string, result: ExportableResult, context: { modelText: string; modelPath: string }): Promise<void> {
  const { writeResultFileNow } = await import('./output-writer');
  await writeResultFileNow(path, result, context);
}
