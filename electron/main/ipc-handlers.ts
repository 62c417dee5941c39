// One handler per invoke channel. Each one treats its arguments as unknown, checks the
// sender frame, parses with the channel's zod schema, and answers with IpcResult:
// errors travel as data, never as thrown stacks.
import { basename } from 'node:path';
import type { z } from 'zod';
import type { OpenedFile } from '../../renderer/host/host-api';
import { invokeSchemas } from '../ipc/channel-schemas';
import {
  INVOKE_CHANNELS,
  type InvokeChannel,
  type InvokeRequest,
  type InvokeResponse,
  type IpcResult,
} from '../ipc/channels';
import { describeWriteError } from '../node/describe-file-error';
import type { RecoveryStore } from '../node/recovery-store';
import type { WriteFileAtomicOptions } from '../node/write-file-atomic';
import { isModelFileName } from './command-line';
import {
  defaultExportPath,
  defaultModelPath,
  openModelDialogOptions,
  saveExportDialogOptions,
  saveModelDialogOptions,
} from './file-dialogs';
import type { PathGrants } from './path-grants';

type OpenDialogOptions = ReturnType<typeof openModelDialogOptions>;
type SaveDialogOptions = ReturnType<typeof saveModelDialogOptions>;

/** The slice of Electron's dialog module the handlers use (window may be null). */
export type DialogPort<W> = {
  showOpenDialog(window: W | null, options: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(window: W | null, options: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string }>;
};

export type IpcHandlerDeps<W> = {
  dialog: DialogPort<W>;
  readModelFile(path: string): Promise<OpenedFile>;
  writeFileAtomic(path: string, data: string | Uint8Array, options?: WriteFileAtomicOptions): Promise<void>;
  recovery: RecoveryStore;
  grants: PathGrants;
  documentsDir(): string;
  /** Recent-list update; failures must not fail the open or save. */
  addRecent(path: string): Promise<unknown>;
  setDirty(window: W | null, dirty: boolean): void;
  /** Tells the close guard whether a save requested before closing went through. */
  saveFinished(window: W | null, saved: boolean): void;
  /** Reads, grants and pushes 'file:opened'; shows its own error dialog. */
  openPath(window: W | null, path: string): Promise<void>;
};

export type HandlerContext<W> = { window: W | null };

export type IpcHandlers<W> = {
  [C in InvokeChannel]: (request: InvokeRequest<C>, context: HandlerContext<W>) => Promise<InvokeResponse<C>>;
};

export function createIpcHandlers<W>(deps: IpcHandlerDeps<W>): IpcHandlers<W> {
  const { dialog, grants } = deps;
  const remember = (path: string) => {
    grants.grant(path);
    void deps.addRecent(path).catch(() => undefined);
  };

  return {
    async 'model:open'(_request, { window }) {
      const choice = await dialog.showOpenDialog(window, openModelDialogOptions());
      const path = choice.filePaths[0];
      if (choice.canceled || !path) return null;
      const file = await deps.readModelFile(path);
      remember(path);
      return { name: file.name, path, text: file.text };
    },

    async 'model:save'({ text, path, suggestedName, saveAs }, { window }) {
      let saved = false;
      try {
        let target = path !== null && !saveAs && grants.isGranted(path) ? path : null;
        if (target === null) {
          const choice = await dialog.showSaveDialog(
            window,
            saveModelDialogOptions(defaultModelPath(path, suggestedName, deps.documentsDir())),
          );
          if (choice.canceled || !choice.filePath) return null;
          target = choice.filePath;
        }
        try {
          await deps.writeFileAtomic(target, text);
        } catch (error) {
          throw new Error(describeWriteError(error, basename(target)));
        }
        remember(target);
        saved = true;
        return { name: basename(target), path: target };
      } finally {
        deps.saveFinished(window, saved);
      }
    },

    async 'model:open-dropped'({ path }, { window }) {
      if (!isModelFileName(path)) throw new Error(`"${basename(path)}" is not a model file (.json).`);
      await deps.openPath(window, path);
      return null;
    },

    async 'export:save'({ bytes, suggestedName, kind }, { window }) {
      const choice = await dialog.showSaveDialog(
        window,
        saveExportDialogOptions(defaultExportPath(suggestedName, kind, deps.documentsDir()), kind),
      );
      if (choice.canceled || !choice.filePath) return null;
      const target = choice.filePath;
      try {
        // Exports are regenerated from the model, so no .bak is kept.
        await deps.writeFileAtomic(target, bytes, { backup: false });
      } catch (error) {
        throw new Error(describeWriteError(error, basename(target)));
      }
      return { name: basename(target), path: target };
    },

    async 'recovery:write'(text) {
      await deps.recovery.write(text);
      return null;
    },
    async 'recovery:read'() {
      return deps.recovery.read();
    },
    async 'recovery:clear'() {
      await deps.recovery.clear();
      return null;
    },
    async 'window:set-dirty'(dirty, { window }) {
      deps.setDirty(window, dirty);
      return null;
    },
  };
}

/** What an ipcMain.handle listener receives, reduced to what the guard reads. */
export type IpcEventLike = { readonly senderFrame: { readonly url: string; readonly parent: unknown } | null };

export type GuardOptions<W, E extends IpcEventLike> = {
  isAllowedSender(frame: E['senderFrame']): boolean;
  windowOf(event: E): W | null;
  log?(message: string): void;
};

const MAX_ERROR_CHARS = 500;

/** Wraps a handler with the sender check, the schema parse and errors-as-data. */
export function guardHandler<C extends InvokeChannel, W, E extends IpcEventLike>(
  channel: C,
  handler: IpcHandlers<W>[C],
  options: GuardOptions<W, E>,
): (event: E, ...args: unknown[]) => Promise<IpcResult<InvokeResponse<C>>> {
  const schema: z.ZodType<InvokeRequest<C>> = invokeSchemas[channel];
  return async (event, ...args) => {
    if (!options.isAllowedSender(event.senderFrame)) {
      options.log?.(`Refused ${channel} from ${event.senderFrame?.url ?? 'a destroyed frame'}`);
      return failure(`Refused ${channel}: the request did not come from the app.`);
    }
    if (args.length > 1) return failure(`Invalid request for ${channel}: expected at most one argument.`);
    const parsed = schema.safeParse(args[0]);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
        .join('; ');
      return failure(`Invalid request for ${channel}: ${detail}`);
    }
    try {
      return { ok: true, value: await handler(parsed.data, { window: options.windowOf(event) }) };
    } catch (error) {
      return failure(error instanceof Error ? error.message : String(error));
    }
  };
}

export type IpcMainLike<E> = {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => Promise<unknown>): void;
};

export function registerIpcHandlers<W, E extends IpcEventLike>(
  ipcMain: IpcMainLike<E>,
  handlers: IpcHandlers<W>,
  options: GuardOptions<W, E>,
): void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, guardHandler(channel, handlers[channel], options));
  }
}

function failure(message: string): { ok: false; error: string } {
  return { ok: false, error: message.length > MAX_ERROR_CHARS ? `${message.slice(0, MAX_ERROR_CHARS)}…` : message };
}
