// HostApi for a plain browser (e2e tests in headless Chromium, a web build): file input
// for open, download links for saves, localStorage for recovery. Paths are always null
// because a page cannot learn them. Menu commands never fire; a dropped .json file is
// reported through onOpenFile as in the desktop app.
import {
  type HostApi,
  MAX_MODEL_FILE_BYTES,
  type OpenedFile,
  type RecoveredWork,
  type SavedFile,
} from './host-api';

export const RECOVERY_STORAGE_KEY = 'hta-modeller:recovery';

const EXPORT_MIME_TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv',
  png: 'image/png',
} as const;

// Chromium starts the download synchronously, others need the URL a little longer.
const REVOKE_DELAY_MS = 30_000;

export function createBrowserHost(win: Window = window): HostApi {
  const doc = win.document;
  let dirty = false;
  let beforeUnloadInstalled = false;
  const fileListeners = new Set<(file: OpenedFile) => void>();

  function download(blob: Blob, name: string): SavedFile {
    const url = URL.createObjectURL(blob);
    const link = doc.createElement('a');
    link.href = url;
    link.download = name;
    link.rel = 'noopener';
    link.style.display = 'none';
    doc.body.append(link);
    link.click();
    link.remove();
    win.setTimeout(() => URL.revokeObjectURL(url), REVOKE_DELAY_MS);
    return { name, path: null };
  }

  function installBeforeUnload(): void {
    if (beforeUnloadInstalled) return;
    beforeUnloadInstalled = true;
    win.addEventListener('beforeunload', (event) => {
      if (!dirty) return;
      // Both are needed for the browser's own "Leave site?" prompt across browsers.
      event.preventDefault();
      event.returnValue = '';
    });
  }

  function installFileDrop(): void {
    // Only while the UI listens, and only for drops it did not handle itself.
    const wanted = (event: DragEvent) => fileListeners.size > 0 && !event.defaultPrevented && carriesFiles(event);
    win.addEventListener('dragover', (event) => {
      if (wanted(event)) event.preventDefault();
    });
    win.addEventListener('drop', (event) => {
      if (!wanted(event)) return;
      event.preventDefault();
      const file = event.dataTransfer?.files[0];
      if (!file || !/\.json$/i.test(file.name)) return;
      void readPickedFile(file).then(
        (opened) => fileListeners.forEach((listener) => listener(opened)),
        () => undefined,
      );
    });
  }
  installFileDrop();

  return {
    kind: 'browser',

    openModelFile() {
      return new Promise<OpenedFile | null>((resolve, reject) => {
        const input = doc.createElement('input');
        input.type = 'file';
        input.accept = '.json,application/json';
        input.style.display = 'none';
        const finish = () => input.remove();
        input.addEventListener('change', () => {
          const file = input.files?.[0];
          finish();
          if (!file) return resolve(null);
          readPickedFile(file).then(resolve, reject);
        });
        // Fired by Chromium ≥113 and Firefox when the picker is dismissed.
        input.addEventListener('cancel', () => {
          finish();
          resolve(null);
        });
        doc.body.append(input);
        input.click();
      });
    },

    async saveModelFile({ text, suggestedName }) {
      return download(new Blob([text], { type: 'application/json' }), suggestedName);
    },

    async saveExport({ bytes, suggestedName, kind }) {
      // Copy into a fresh ArrayBuffer-backed array: Blob does not take shared memory.
      return download(new Blob([new Uint8Array(bytes)], { type: EXPORT_MIME_TYPES[kind] }), suggestedName);
    },

    async writeRecovery(text) {
      const record: RecoveredWork = { text, savedAt: new Date().toISOString() };
      try {
        win.localStorage.setItem(RECOVERY_STORAGE_KEY, JSON.stringify(record));
      } catch {
        throw new Error('Unsaved work could not be kept: browser storage is full or disabled.');
      }
    },

    async readRecovery() {
      let raw: string | null;
      try {
        raw = win.localStorage.getItem(RECOVERY_STORAGE_KEY);
      } catch {
        return null;
      }
      return raw === null ? null : parseRecoveredWork(raw);
    },

    async clearRecovery() {
      try {
        win.localStorage.removeItem(RECOVERY_STORAGE_KEY);
      } catch {
        // Storage disabled: there is nothing stored to clear.
      }
    },

    async setDirty(value) {
      dirty = value;
      installBeforeUnload();
    },

    onMenuCommand() {
      return () => undefined;
    },

    onOpenFile(listener) {
      const wrapped = (file: OpenedFile) => listener(file);
      fileListeners.add(wrapped);
      return () => void fileListeners.delete(wrapped);
    },
  };
}

async function readPickedFile(file: File): Promise<OpenedFile> {
  if (file.size > MAX_MODEL_FILE_BYTES) {
    const megabytes = (size: number) => `${(size / (1024 * 1024)).toFixed(1)} MB`;
    throw new Error(`"${file.name}" is ${megabytes(file.size)}; model files larger than ${megabytes(MAX_MODEL_FILE_BYTES)} are refused.`);
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (bytes.includes(0)) throw new Error(`"${file.name}" looks like a binary file, not a model file (JSON text).`);
  try {
    return { name: file.name, path: null, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    throw new Error(`"${file.name}" is not UTF-8 text. Save it as UTF-8 JSON and open it again.`);
  }
}

function parseRecoveredWork(raw: string): RecoveredWork | null {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return null;
    const { text, savedAt } = value as Record<string, unknown>;
    return typeof text === 'string' && typeof savedAt === 'string' ? { text, savedAt } : null;
  } catch {
    return null;
  }
}

function carriesFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}
