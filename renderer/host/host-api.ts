// The port between the React UI and the platform. The UI reaches files, menus and
// window state only through this type; electron/preload and browser-host implement it.

export type OpenedFile = { name: string; path: string | null; text: string };
export type SavedFile = { name: string; path: string | null };

export const MENU_COMMANDS = [
  'file:new',
  'file:open',
  'file:save',
  'file:save-as',
  'file:export-xlsx',
  'file:close',
  'edit:undo',
  'edit:redo',
  'help:about',
  'help:docs',
] as const;

export type MenuCommand = (typeof MENU_COMMANDS)[number];

export type ExportKind = 'xlsx' | 'csv' | 'png';

export type SaveModelFileArgs = { text: string; path: string | null; suggestedName: string; saveAs: boolean };
export type SaveExportArgs = { bytes: Uint8Array; suggestedName: string; kind: ExportKind };
export type RecoveredWork = { text: string; savedAt: string };

export type HostApi = {
  readonly kind: 'electron' | 'browser';
  /** Resolves null when the user cancels. Rejects with a readable message on failure. */
  openModelFile(): Promise<OpenedFile | null>;
  saveModelFile(args: SaveModelFileArgs): Promise<SavedFile | null>;
  saveExport(args: SaveExportArgs): Promise<SavedFile | null>;
  /** Autosave of unsaved work; survives a crash. */
  writeRecovery(text: string): Promise<void>;
  readRecovery(): Promise<RecoveredWork | null>;
  clearRecovery(): Promise<void>;
  /** Main uses it for the unsaved-changes prompt on close/quit. */
  setDirty(dirty: boolean): Promise<void>;
  /** Returns an unsubscribe function. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
  /** Files opened from outside the UI: command line, double-click, Open Recent, drag-and-drop. */
  onOpenFile(listener: (file: OpenedFile) => void): () => void;
};

/** Shared by both hosts so the browser refuses what the desktop app refuses. */
export const MAX_MODEL_FILE_BYTES = 50 * 1024 * 1024;
export const MAX_EXPORT_BYTES = 200 * 1024 * 1024;

export const MODEL_FILE_EXTENSIONS = ['.model.json', '.htamodel.json', '.json'] as const;
