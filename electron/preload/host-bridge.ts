// Builds the HostApi the page sees as window.hta: one function per channel, results
// unwrapped from IpcResult, listeners wrapped so the page never sees the
// IpcRendererEvent (whose sender could be used to send on any channel).
import type { HostApi, MenuCommand, OpenedFile } from '../../renderer/host/host-api';
import { MENU_COMMANDS } from '../../renderer/host/host-api';
import type { InvokeChannel, InvokeRequest, InvokeResponse, IpcResult } from '../ipc/channels';

export type IpcRendererPort = {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
};

const MAX_QUEUED_FILES = 8;

export function createHostBridge(ipc: IpcRendererPort) {
  async function invoke<C extends InvokeChannel>(channel: C, request?: InvokeRequest<C>): Promise<InvokeResponse<C>> {
    const result = (await ipc.invoke(channel, request)) as IpcResult<InvokeResponse<C>>;
    if (!result.ok) throw new Error(result.error);
    return result.value;
  }

  // Files opened from outside (command line, Open Recent, drop) can arrive before the
  // UI has subscribed; keep them until the first listener comes.
  const fileListeners = new Set<(file: OpenedFile) => void>();
  const queuedFiles: OpenedFile[] = [];
  ipc.on('file:opened', (_event, file) => {
    const opened = file as OpenedFile;
    if (fileListeners.size === 0) {
      if (queuedFiles.length < MAX_QUEUED_FILES) queuedFiles.push(opened);
      return;
    }
    for (const listener of fileListeners) listener(opened);
  });

  const api = {
    kind: 'electron',
    openModelFile: () => invoke('model:open'),
    saveModelFile: (args) =>
      invoke('model:save', { text: args.text, path: args.path, suggestedName: args.suggestedName, saveAs: args.saveAs }),
    saveExport: (args) => invoke('export:save', { bytes: args.bytes, suggestedName: args.suggestedName, kind: args.kind }),
    writeRecovery: async (text) => {
      await invoke('recovery:write', text);
    },
    readRecovery: () => invoke('recovery:read'),
    clearRecovery: async () => {
      await invoke('recovery:clear');
    },
    setDirty: async (dirty) => {
      await invoke('window:set-dirty', dirty);
    },
    onMenuCommand(listener) {
      const wrapped = (_event: unknown, command: unknown) => {
        if (isMenuCommand(command)) listener(command);
      };
      ipc.on('menu:command', wrapped);
      return () => void ipc.removeListener('menu:command', wrapped);
    },
    onOpenFile(listener) {
      const wrapped = (file: OpenedFile) => listener(file);
      fileListeners.add(wrapped);
      for (const file of queuedFiles.splice(0)) wrapped(file);
      return () => void fileListeners.delete(wrapped);
    },
  } satisfies HostApi;

  return {
    api,
    /** For the drop handler only; not part of the page's API. */
    openDroppedPath: (path: string) => invoke('model:open-dropped', { path }),
  };
}

function isMenuCommand(value: unknown): value is MenuCommand {
  return typeof value === 'string' && (MENU_COMMANDS as readonly string[]).includes(value);
}
