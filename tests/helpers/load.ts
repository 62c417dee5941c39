/** Test helpers: load model files and reference cases from disk. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseModelText } from '../../models/schema/parse-model';
import type { ModelFile } from '../../models/schema/model-file';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** ../shared holds the reference cases and evidence (beside the repository). */
export const sharedRoot = fileURLToPath(new URL('../../../shared/', import.meta.url));

export function loadModelFile(relativePath: string): ModelFile {
  const text = readFileSync(repoRoot + relativePath, 'utf8');
  const parsed = parseModelText(text);
  if (!parsed.ok) throw new Error(`${relativePath}: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return parsed.model;
}

export function loadJson<T = any>(absolutePath: string): T {
  return JSON.parse(readFileSync(absolutePath, 'utf8')) as T;
}

/** Relative difference, safe at zero. */
export function relativeDifference(actual: number, expected: number): number {
  if (expected === 0) return Math.abs(actual);
  return Math.abs(actual - expected) / Math.abs(expected);
}
