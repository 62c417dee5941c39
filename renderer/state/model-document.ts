// The open model as an immutable document with an undo/redo history and a dirty flag.
// Every edit goes through `documentReducer`; components never mutate the model.
import type { ModelFileInput } from '../../models/index';
import { type JsonPath, setIn, toPointer } from './json-path';

/** The model as the user edits it: the file's JSON, possibly invalid while being edited. */
export type ModelJson = ModelFileInput;

export type HistoryEntry = { model: ModelJson; label: string };

export type ModelDocument = {
  present: ModelJson;
  /** Label of the edit that produced `present` (shown as "Undo <label>"). */
  presentLabel: string;
  past: HistoryEntry[];
  future: HistoryEntry[];
  /** The model as last saved or opened: dirty = present !== saved (identity, so undoing back is clean). */
  saved: ModelJson;
  fileName: string;
  filePath: string | null;
  /** Coalescing: consecutive edits of the same field within this window form one undo step. */
  lastEdit: { key: string; at: number } | null;
};

export const MAX_HISTORY = 200;
export const COALESCE_MS = 1000;

export type DocumentAction =
  | { type: 'open'; model: ModelJson; fileName: string; filePath: string | null; dirty?: boolean }
  | { type: 'set'; path: JsonPath; value: unknown; label: string; at?: number }
  | { type: 'replace'; model: ModelJson; label: string; at?: number }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'saved'; fileName: string; filePath: string | null };

export function createDocument(model: ModelJson, fileName: string, filePath: string | null = null): ModelDocument {
  return { present: model, presentLabel: '', past: [], future: [], saved: model, fileName, filePath, lastEdit: null };
}

export function isDirty(doc: ModelDocument): boolean {
  return doc.present !== doc.saved;
}

export function canUndo(doc: ModelDocument): boolean {
  return doc.past.length > 0;
}

export function canRedo(doc: ModelDocument): boolean {
  return doc.future.length > 0;
}

function commit(doc: ModelDocument, model: ModelJson, label: string, key: string | null, at: number): ModelDocument {
  if (model === doc.present) return doc;
  const coalesce = key !== null && doc.lastEdit !== null && doc.lastEdit.key === key && at - doc.lastEdit.at < COALESCE_MS && doc.past.length > 0;
  const past = coalesce ? doc.past : [...doc.past, { model: doc.present, label: doc.presentLabel }].slice(-MAX_HISTORY);
  return { ...doc, present: model, presentLabel: label, past, future: [], lastEdit: key === null ? null : { key, at } };
}

export function documentReducer(doc: ModelDocument, action: DocumentAction): ModelDocument {
  switch (action.type) {
    case 'open': {
      const next = createDocument(action.model, action.fileName, action.filePath);
      // A recovered document is dirty: its saved state is unknown.
      return action.dirty ? { ...next, saved: {} as ModelJson } : next;
    }
    case 'set':
      return commit(doc, setIn(doc.present, action.path, action.value), action.label, toPointer(action.path), action.at ?? Date.now());
    case 'replace':
      return commit(doc, action.model, action.label, null, action.at ?? Date.now());
    case 'undo': {
      const previous = doc.past[doc.past.length - 1];
      if (!previous) return doc;
      return {
        ...doc,
        present: previous.model,
        presentLabel: previous.label,
        past: doc.past.slice(0, -1),
        future: [{ model: doc.present, label: doc.presentLabel }, ...doc.future],
        lastEdit: null,
      };
    }
    case 'redo': {
      const next = doc.future[0];
      if (!next) return doc;
      return {
        ...doc,
        present: next.model,
        presentLabel: next.label,
        past: [...doc.past, { model: doc.present, label: doc.presentLabel }],
        future: doc.future.slice(1),
        lastEdit: null,
      };
    }
    case 'saved':
      return { ...doc, saved: doc.present, fileName: action.fileName, filePath: action.filePath, lastEdit: null };
  }
}

/** Text written to disk and to the recovery store. */
export function serialiseModel(model: ModelJson): string {
  return JSON.stringify(model, null, 2) + '\n';
}

/** "12" → 12, "1.5e-3" → 0.0015, anything else stays an expression string. */
export function parseNumberOrExpression(text: string): number | string {
  const trimmed = text.trim();
  if (trimmed !== '' && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) {
    const n = Number(trimmed);
    if (Number.isFinite(n)) return n;
  }
  return text;
}
