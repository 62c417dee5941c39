// Every IPC channel, listed once, with the payload and reply types both sides use.
// Dependency-free on purpose: the sandboxed preload bundles this file, so the zod
// schemas live beside it in channel-schemas.ts (main only) and are checked against
// these types there.
import type {
  MenuCommand,
  OpenedFile,
  RecoveredWork,
  SavedFile,
  SaveExportArgs,
  SaveModelFileArgs,
} from '../../renderer/host/host-api';

/** Renderer → main, answered (ipcRenderer.invoke / ipcMain.handle). */
export type InvokeChannels = {
  'model:open': { request: undefined; response: OpenedFile | null };
  'model:save': { request: SaveModelFileArgs; response: SavedFile | null };
  /** A file dropped onto the window; only the preload's trusted drop handler sends it. */
  'model:open-dropped': { request: { path: string }; response: null };
  'export:save': { request: SaveExportArgs; response: SavedFile | null };
  'recovery:write': { request: string; response: null };
  'recovery:read': { request: undefined; response: RecoveredWork | null };
  'recovery:clear': { request: undefined; response: null };
  'window:set-dirty': { request: boolean; response: null };
};

/** Main → renderer pushes (webContents.send / ipcRenderer.on). */
export type PushChannels = {
  'menu:command': MenuCommand;
  'file:opened': OpenedFile;
};

export type InvokeChannel = keyof InvokeChannels;
export type PushChannel = keyof PushChannels;
export type InvokeRequest<C extends InvokeChannel> = InvokeChannels[C]['request'];
export type InvokeResponse<C extends InvokeChannel> = InvokeChannels[C]['response'];

/** Errors cross IPC as data: Electron would keep only the message of a thrown error. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: string };

export const INVOKE_CHANNELS = [
  'model:open',
  'model:save',
  'model:open-dropped',
  'export:save',
  'recovery:write',
  'recovery:read',
  'recovery:clear',
  'window:set-dirty',
] as const satisfies readonly InvokeChannel[];

export const PUSH_CHANNELS = ['menu:command', 'file:opened'] as const satisfies readonly PushChannel[];

// Compile-time proof that the lists above name every channel (a missing one fails here).
type AssertTrue<T extends true> = T;
type AllListed<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : false;
export type InvokeChannelsListed = AssertTrue<AllListed<InvokeChannel, (typeof INVOKE_CHANNELS)[number]>>;
export type PushChannelsListed = AssertTrue<AllListed<PushChannel, (typeof PUSH_CHANNELS)[number]>>;
