/**
 * Migration of saved model files to the current schema version. Every version ever written keeps
 * loading: each step takes version n to n + 1 and says what it changed. Today there is one
 * version, so the chain is empty, but files with a missing, newer or malformed version get a clear
 * answer rather than a wall of schema errors.
 */
import { CURRENT_SCHEMA_VERSION } from './model-file';
import { type ModelIssue, issue } from './model-issue';

type MigrationStep = (model: Record<string, unknown>) => { model: Record<string, unknown>; notes: string[] };

/** MIGRATIONS[n] migrates a version-n file to version n + 1. */
const MIGRATIONS: Record<number, MigrationStep> = {};

export type MigrationResult =
  | { ok: true; value: unknown; warnings: ModelIssue[]; fromVersion: number }
  | { ok: false; issues: ModelIssue[] };

export function migrateModel(json: unknown): MigrationResult {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return { ok: false, issues: [issue('', 'a model file must be a JSON object')] };
  }
  const record = json as Record<string, unknown>;
  const version = record.schemaVersion;
  if (version === undefined) {
    return { ok: false, issues: [issue(['schemaVersion'], `missing; this program reads model files with schemaVersion 1 to ${CURRENT_SCHEMA_VERSION}`)] };
  }
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, issues: [issue(['schemaVersion'], `must be a whole number from 1 to ${CURRENT_SCHEMA_VERSION}, not ${JSON.stringify(version)}`)] };
  }
  if (version > CURRENT_SCHEMA_VERSION) {
    return {
      ok: false,
      issues: [issue(['schemaVersion'], `this file was written by a newer version (schemaVersion ${version}); this program reads up to ${CURRENT_SCHEMA_VERSION}. Update the program; the file has not been changed.`)],
    };
  }
  let model = record;
  const warnings: ModelIssue[] = [];
  for (let v = version; v < CURRENT_SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) return { ok: false, issues: [issue(['schemaVersion'], `no migration from version ${v}`)] };
    const result = step(model);
    model = { ...result.model, schemaVersion: v + 1 };
    for (const note of result.notes) warnings.push({ ...issue('', `migrated from version ${v}: ${note}`), severity: 'warning' });
  }
  return { ok: true, value: model, warnings, fromVersion: version };
}
