// The open model session: document + history, live validation, base case, dirty flag → host,
// autosave to the host's recovery store, recovery offer on start-up, keyboard shortcuts and the
// host's menu commands. Components use it through `useSession()`.
import { createContext, useCallback, useContext, useEffect, useReducer, useRef, useState } from 'react';
import type { BaseCaseResult, ModelFile } from '../../models/index';
import type { HostApi, MenuCommand, RecoveredWork } from '../host/host-api';
import { type IssueIndex, indexIssues } from './issues';
import { type DocumentAction, type ModelDocument, type ModelJson, createDocument, documentReducer, isDirty, serialiseModel } from './model-document';
import { emptyModel, newModel } from './new-model';
import { useDebounced } from './use-debounced';
import { type ValidationUpdate, type Validator, type ValidatorFactory, workerValidator } from './validator';

export const VALIDATE_DEBOUNCE_MS = 150;
export const AUTOSAVE_DEBOUNCE_MS = 1500;
/** Information notices disappear after this long; errors stay until dismissed. */
export const NOTICE_MS = 6000;

export type Validation = {
  /** The model the issues belong to (identity of doc.present when it was checked). */
  checked: ModelJson;
  issues: IssueIndex;
  /** Parsed model with schema defaults, or null if the file does not parse. */
  model: ModelFile | null;
  valid: boolean;
  baseCase: BaseCaseResult | null;
  baseCaseError: string | null;
  /** Time to parse and run the base case, in the validation worker. */
  ms: number;
  /** False until every scenario and subgroup has been checked too. */
  complete: boolean;
  /** True before the first result arrives. */
  stale: boolean;
};

export type Notice = { kind: 'info' | 'error'; text: string } | null;

export type Session = {
  host: HostApi;
  doc: ModelDocument;
  dirty: boolean;
  dispatch: (action: DocumentAction) => void;
  validation: Validation;
  /** True while an edit has not yet been validated. */
  pending: boolean;
  recovery: RecoveredWork | null;
  restoreRecovery(): void;
  discardRecovery(): void;
  openFile(): Promise<void>;
  openText(text: string, fileName: string, filePath: string | null): boolean;
  save(saveAs?: boolean): Promise<void>;
  /** Start a new model: the small starter model (File → New) or an empty one to build from scratch. */
  newDocument(kind: 'starter' | 'empty'): void;
  notice: Notice;
  setNotice(notice: Notice): void;
};

export function emptyValidation(model: ModelJson): Validation {
  return { checked: model, issues: indexIssues([]), model: null, valid: false, baseCase: null, baseCaseError: null, ms: 0, complete: false, stale: true };
}

/** Fold a validator update into the current validation. */
export function applyValidationUpdate(previous: Validation, update: ValidationUpdate): Validation {
  if (update.phase === 'base') {
    const issues = indexIssues(update.issues);
    return {
      checked: update.checked,
      issues,
      model: update.model,
      valid: update.model !== null && issues.errorCount === 0 && update.baseCase !== null,
      baseCase: update.baseCase,
      baseCaseError: update.baseCaseError,
      ms: update.ms,
      complete: update.model === null,
      stale: false,
    };
  }
  if (update.checked !== previous.checked) return previous;
  const issues = indexIssues(update.issues);
  return { ...previous, issues, valid: previous.model !== null && previous.baseCase !== null && issues.errorCount === 0, complete: true };
}

export function suggestedFileName(fileName: string): string {
  return /\.json$/i.test(fileName) ? fileName : `${fileName.replace(/[^\w.-]+/g, '-')}.model.json`;
}

export function useModelSession(host: HostApi, initial: { model: ModelJson; fileName: string }, validatorFactory: ValidatorFactory = workerValidator): Session {
  const [doc, dispatch] = useReducer(documentReducer, initial, (i) => createDocument(i.model, i.fileName, null));
  const [notice, setNotice] = useState<Notice>(null);
  const [recovery, setRecovery] = useState<RecoveredWork | null>(null);
  const dirty = isDirty(doc);
  useEffect(() => {
    if (notice?.kind !== 'info') return;
    const timer = setTimeout(() => setNotice(null), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);

  // Live validation, debounced while typing.
  const toCheck = useDebounced(doc.present, VALIDATE_DEBOUNCE_MS);
  const [validation, setValidation] = useState<Validation>(() => emptyValidation(initial.model));
  const validator = useRef<Validator | null>(null);
  useEffect(() => {
    const v = validatorFactory((update) => setValidation((previous) => applyValidationUpdate(previous, update)));
    validator.current = v;
    return () => {
      v.dispose();
      validator.current = null;
    };
  }, [validatorFactory]);
  useEffect(() => {
    validator.current?.validate(toCheck);
  }, [toCheck, validatorFactory]);
  const pending = toCheck !== doc.present || validation.checked !== doc.present || validation.stale;

  // Dirty flag → host (window title / close prompt).
  useEffect(() => {
    void host.setDirty(dirty).catch(() => undefined);
  }, [host, dirty]);

  // Autosave unsaved work to the recovery store; clear it once clean.
  const recoveryOffered = useRef(false);
  useEffect(() => {
    if (!recoveryOffered.current) return;
    if (!dirty) {
      void host.clearRecovery().catch(() => undefined);
      return;
    }
    const timer = setTimeout(() => {
      const payload = JSON.stringify({ fileName: doc.fileName, filePath: doc.filePath, text: serialiseModel(doc.present) });
      host.writeRecovery(payload).catch((error: unknown) => setNotice({ kind: 'error', text: error instanceof Error ? error.message : String(error) }));
    }, AUTOSAVE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [host, dirty, doc.present, doc.fileName, doc.filePath]);

  // Offer to recover on start-up.
  useEffect(() => {
    let live = true;
    host
      .readRecovery()
      .then((found) => {
        if (!live) return;
        recoveryOffered.current = true;
        if (found) setRecovery(found);
      })
      .catch(() => {
        recoveryOffered.current = true;
      });
    return () => {
      live = false;
    };
  }, [host]);

  const openText = useCallback((text: string, fileName: string, filePath: string | null, markDirty = false): boolean => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      setNotice({ kind: 'error', text: `"${fileName}" is not valid JSON: ${error instanceof Error ? error.message : String(error)}` });
      return false;
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      setNotice({ kind: 'error', text: `"${fileName}" is not a model file (expected a JSON object).` });
      return false;
    }
    dispatch({ type: 'open', model: json as ModelJson, fileName, filePath, dirty: markDirty });
    setNotice({ kind: 'info', text: `Opened ${fileName}` });
    return true;
  }, []);

  const restoreRecovery = useCallback(() => {
    if (!recovery) return;
    try {
      const { fileName, filePath, text } = JSON.parse(recovery.text) as { fileName: string; filePath: string | null; text: string };
      openText(text, fileName, filePath, true);
    } catch {
      openText(recovery.text, 'recovered.model.json', null, true);
    }
    setRecovery(null);
  }, [recovery, openText]);

  const discardRecovery = useCallback(() => {
    setRecovery(null);
    void host.clearRecovery().catch(() => undefined);
  }, [host]);

  const docRef = useRef(doc);
  docRef.current = doc;
  /** Replacing a document with unsaved changes asks first (autosave keeps a recovery copy either way). */
  const mayDiscard = useCallback(
    () => !isDirty(docRef.current) || window.confirm(`Discard the unsaved changes to "${docRef.current.fileName}"?`),
    [],
  );

  const openFile = useCallback(async () => {
    if (!mayDiscard()) return;
    try {
      const file = await host.openModelFile();
      if (file) openText(file.text, file.name, file.path);
    } catch (error) {
      setNotice({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    }
  }, [host, openText, mayDiscard]);

  const save = useCallback(
    async (saveAs = false) => {
      const current = docRef.current;
      try {
        const saved = await host.saveModelFile({
          text: serialiseModel(current.present),
          path: current.filePath,
          suggestedName: suggestedFileName(current.fileName),
          saveAs: saveAs || current.filePath === null,
        });
        if (saved) {
          dispatch({ type: 'saved', fileName: saved.name, filePath: saved.path });
          setNotice({ kind: 'info', text: `Saved ${saved.name}` });
        }
      } catch (error) {
        setNotice({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
      }
    },
    [host],
  );

  // Files opened from outside (command line, drag-and-drop, Open Recent).
  useEffect(
    () =>
      host.onOpenFile((file) => {
        if (mayDiscard()) openText(file.text, file.name, file.path);
      }),
    [host, openText, mayDiscard],
  );

  // Menu commands and keyboard shortcuts.
  const commands = useRef<Partial<Record<MenuCommand, () => void>>>({});
  const newDocument = useCallback(
    (kind: 'starter' | 'empty') => {
      if (!mayDiscard()) return;
      dispatch({ type: 'open', model: kind === 'empty' ? emptyModel() : newModel(), fileName: 'untitled.model.json', filePath: null });
      setNotice({ kind: 'info', text: 'New model' });
    },
    [mayDiscard],
  );
  commands.current = {
    'file:new': () => newDocument('starter'),
    // Closing the window goes through the shell's unsaved-changes prompt.
    'file:close': () => window.close(),
    'help:about': () => setNotice({ kind: 'info', text: 'HTA Modeller: decision trees and Markov cohort models, DSA, PSA, VOI and budget impact.' }),
    'help:docs': () =>
      setNotice({
        kind: 'info',
        text: 'Documentation: docs/model-file-format.md (file format and expressions), docs/lit-model.md (the LIT model), docs/spreadsheets.md (Excel export and import), in the program folder and the project repository.',
      }),
    'file:open': () => void openFile(),
    'file:save': () => void save(false),
    'file:save-as': () => void save(true),
    'edit:undo': () => dispatch({ type: 'undo' }),
    'edit:redo': () => dispatch({ type: 'redo' }),
  };
  useEffect(() => host.onMenuCommand((command) => commands.current[command]?.()), [host]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      if (!mod || event.altKey) return;
      const key = event.key.toLowerCase();
      let command: MenuCommand | null = null;
      if (key === 'z') command = event.shiftKey ? 'edit:redo' : 'edit:undo';
      else if (key === 'y' && !event.shiftKey) command = 'edit:redo';
      else if (key === 's') command = event.shiftKey ? 'file:save-as' : 'file:save';
      else if (key === 'o' && !event.shiftKey) command = 'file:open';
      if (!command) return;
      event.preventDefault();
      // Commit the field being typed in first, so its text is not lost by the undo.
      commands.current[command]?.();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return {
    host,
    doc,
    dirty,
    dispatch,
    validation,
    pending,
    recovery,
    restoreRecovery,
    discardRecovery,
    openFile,
    openText: (text, fileName, filePath) => openText(text, fileName, filePath),
    save,
    newDocument,
    notice,
    setNotice,
  };
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionContext');
  return session;
}
