import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { MAX_EXPORT_BYTES, MAX_MODEL_FILE_BYTES } from '../../../../renderer/host/host-api';
import { pushSchemas } from '../../../../electron/ipc/channel-schemas';
import { INVOKE_CHANNELS } from '../../../../electron/ipc/channels';
import { isAllowedSender } from '../../../../electron/main/app-origin';
import {
  createIpcHandlers,
  guardHandler,
  type IpcEventLike,
  type IpcHandlerDeps,
  registerIpcHandlers,
} from '../../../../electron/main/ipc-handlers';
import { createPathGrants } from '../../../../electron/main/path-grants';

type Win = { id: number };
const WINDOW: Win = { id: 1 };
const DOCS = resolve('/home/u/Documents');
const MODEL = resolve('/home/u/models/lit.model.json');

function makeDeps(overrides: Partial<IpcHandlerDeps<Win>> = {}) {
  const deps = {
    dialog: {
      showOpenDialog: vi.fn(async () => ({ canceled: false, filePaths: [MODEL] })),
      showSaveDialog: vi.fn(async () => ({ canceled: false, filePath: join(DOCS, 'chosen.model.json') })),
    },
    readModelFile: vi.fn(async (path: string) => ({ name: 'lit.model.json', path, text: '{"m":1}' })),
    writeFileAtomic: vi.fn(async () => undefined),
    recovery: {
      write: vi.fn(async () => undefined),
      read: vi.fn(async () => ({ text: 'r', savedAt: '2025-01-01T00:00:00.000Z' })),
      clear: vi.fn(async () => undefined),
    },
    grants: createPathGrants(),
    documentsDir: () => DOCS,
    addRecent: vi.fn(async () => undefined),
    setDirty: vi.fn(),
    saveFinished: vi.fn(),
    openPath: vi.fn(async () => undefined),
    ...overrides,
  } satisfies IpcHandlerDeps<Win>;
  return deps;
}

function makeGuarded(deps = makeDeps()) {
  const handlers = createIpcHandlers<Win>(deps);
  const registered = new Map<string, (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>>();
  registerIpcHandlers<Win, IpcEventLike>(
    { handle: (channel, listener) => void registered.set(channel, listener) },
    handlers,
    { isAllowedSender: (frame) => isAllowedSender(frame), windowOf: () => WINDOW },
  );
  const call = (channel: string, event: IpcEventLike, ...args: unknown[]) => registered.get(channel)!(event, ...args);
  return { deps, registered, call };
}

const fromApp: IpcEventLike = { senderFrame: { url: 'app://renderer/index.html', parent: null } };
const saveArgs = { text: '{"m":2}', path: null, suggestedName: 'lit.model.json', saveAs: false };

describe('registerIpcHandlers', () => {
  it('registers every invoke channel once', () => {
    const { registered } = makeGuarded();
    expect([...registered.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
  });
});

describe('sender check', () => {
  it.each([
    ['https://evil.example/', null],
    ['file:///home/u/evil.html', null],
    ['app://evil/index.html', null],
    ['app://renderer/index.html', {}],
  ])('refuses every channel from %s (parent %o) without running the handler', async (url, parent) => {
    const { call, deps } = makeGuarded();
    const event = { senderFrame: { url, parent } };
    for (const channel of INVOKE_CHANNELS) {
      const result = await call(channel, event, channel === 'model:save' ? saveArgs : undefined);
      expect(result).toEqual({ ok: false, error: `Refused ${channel}: the request did not come from the app.` });
    }
    expect(deps.dialog.showOpenDialog).not.toHaveBeenCalled();
    expect(deps.recovery.clear).not.toHaveBeenCalled();
    expect(deps.writeFileAtomic).not.toHaveBeenCalled();
  });

  it('refuses a destroyed frame', async () => {
    const { call } = makeGuarded();
    expect(await call('recovery:read', { senderFrame: null })).toMatchObject({ ok: false });
  });
});

describe('payload validation', () => {
  const cases: Array<[string, unknown[], RegExp]> = [
    ['model:save', [{ ...saveArgs, text: 42 }], /text/],
    ['model:save', [{ ...saveArgs, saveAs: 'yes' }], /saveAs/],
    ['model:save', [{ ...saveArgs, extra: true }], /extra/i],
    ['model:save', [{ ...saveArgs, path: 'relative/model.json' }], /path/],
    ['model:save', [{ ...saveArgs, suggestedName: '../../etc/passwd' }], /suggestedName/],
    ['model:save', [{ text: 'x' }], /path|suggestedName|saveAs/],
    ['model:save', [null], /Invalid request/],
    ['model:save', [saveArgs, 'second argument'], /at most one argument/],
    ['model:save', [{ ...saveArgs, text: 'x'.repeat(MAX_MODEL_FILE_BYTES + 1) }], /text/],
    // Fits in characters but not in UTF-8 bytes (3 bytes each).
    ['model:save', [{ ...saveArgs, text: '€'.repeat(MAX_MODEL_FILE_BYTES / 2) }], /larger than 50 MB/],
    ['export:save', [{ bytes: 'not bytes', suggestedName: 'r.xlsx', kind: 'xlsx' }], /bytes/],
    ['export:save', [{ bytes: new Uint8Array(1), suggestedName: 'r.xlsx', kind: 'exe' }], /kind/],
    ['export:save', [{ bytes: new Uint8Array(MAX_EXPORT_BYTES + 1), suggestedName: 'r.xlsx', kind: 'xlsx' }], /larger than 200 MB/],
    ['recovery:write', [{ text: 'x' }], /Invalid request/],
    ['recovery:write', ['x'.repeat(MAX_MODEL_FILE_BYTES + 1)], /Invalid request/],
    ['window:set-dirty', ['true'], /Invalid request/],
    ['model:open', [{ path: '/etc/passwd' }], /Invalid request/],
    ['model:open-dropped', [{ path: 'relative.json' }], /path/],
    ['model:open-dropped', [{ path: MODEL, text: 'x' }], /Invalid request/],
  ];

  it.each(cases)('%s refuses %#', async (channel, args, message) => {
    const { call, deps } = makeGuarded();
    const result = (await call(channel, fromApp, ...args)) as { ok: boolean; error: string };
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(message);
    expect(result.error.length).toBeLessThanOrEqual(501);
    expect(deps.writeFileAtomic).not.toHaveBeenCalled();
    expect(deps.recovery.write).not.toHaveBeenCalled();
    expect(deps.setDirty).not.toHaveBeenCalled();
  });
});

describe('model:open', () => {
  it('returns the chosen file and grants its path for saving', async () => {
    const { call, deps } = makeGuarded();
    expect(await call('model:open', fromApp)).toEqual({ ok: true, value: { name: 'lit.model.json', path: MODEL, text: '{"m":1}' } });
    expect(deps.grants.isGranted(MODEL)).toBe(true);
    expect(deps.addRecent).toHaveBeenCalledWith(MODEL);
    expect(deps.dialog.showOpenDialog).toHaveBeenCalledWith(WINDOW, expect.objectContaining({ properties: ['openFile'] }));
  });

  it('returns null when cancelled', async () => {
    const { call } = makeGuarded(makeDeps({ dialog: { ...makeDeps().dialog, showOpenDialog: async () => ({ canceled: true, filePaths: [] }) } }));
    expect(await call('model:open', fromApp)).toEqual({ ok: true, value: null });
  });

  it('returns read errors as data', async () => {
    const { call } = makeGuarded(
      makeDeps({
        readModelFile: async () => {
          throw new Error('"lit.model.json" is not UTF-8 text.');
        },
      }),
    );
    expect(await call('model:open', fromApp)).toEqual({ ok: false, error: '"lit.model.json" is not UTF-8 text.' });
  });
});

describe('model:save', () => {
  it('writes straight to a granted path', async () => {
    const { call, deps } = makeGuarded();
    deps.grants.grant(MODEL);
    const result = await call('model:save', fromApp, { ...saveArgs, path: MODEL });
    expect(result).toEqual({ ok: true, value: { name: 'lit.model.json', path: MODEL } });
    expect(deps.dialog.showSaveDialog).not.toHaveBeenCalled();
    expect(deps.writeFileAtomic).toHaveBeenCalledWith(MODEL, '{"m":2}');
    expect(deps.saveFinished).toHaveBeenCalledWith(WINDOW, true);
  });

  it('asks where to save when the page names a path the user never chose', async () => {
    const { call, deps } = makeGuarded();
    const result = await call('model:save', fromApp, { ...saveArgs, path: resolve('/home/u/.bashrc.json') });
    expect(deps.dialog.showSaveDialog).toHaveBeenCalled();
    expect(deps.writeFileAtomic).toHaveBeenCalledWith(join(DOCS, 'chosen.model.json'), '{"m":2}');
    expect(result).toEqual({ ok: true, value: { name: 'chosen.model.json', path: join(DOCS, 'chosen.model.json') } });
    expect(deps.grants.isGranted(join(DOCS, 'chosen.model.json'))).toBe(true);
  });

  it('Save As always asks, starting in Documents for a new model', async () => {
    const { call, deps } = makeGuarded();
    deps.grants.grant(MODEL);
    await call('model:save', fromApp, { ...saveArgs, path: MODEL, saveAs: true });
    await call('model:save', fromApp, { ...saveArgs, suggestedName: 'Untitled' });
    expect(vi.mocked(deps.dialog.showSaveDialog).mock.calls.map(([, options]) => options.defaultPath)).toEqual([
      MODEL,
      join(DOCS, 'Untitled.model.json'),
    ]);
  });

  it('returns null and reports an unsaved close when the dialog is cancelled', async () => {
    const base = makeDeps();
    const { call, deps } = makeGuarded(makeDeps({ dialog: { ...base.dialog, showSaveDialog: async () => ({ canceled: true, filePath: '' }) } }));
    expect(await call('model:save', fromApp, saveArgs)).toEqual({ ok: true, value: null });
    expect(deps.writeFileAtomic).not.toHaveBeenCalled();
    expect(deps.saveFinished).toHaveBeenCalledWith(WINDOW, false);
  });

  it('explains a failed write in words', async () => {
    const { call, deps } = makeGuarded(
      makeDeps({
        writeFileAtomic: async () => {
          throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
        },
      }),
    );
    deps.grants.grant(MODEL);
    expect(await call('model:save', fromApp, { ...saveArgs, path: MODEL })).toEqual({
      ok: false,
      error: '"lit.model.json" could not be saved: you do not have permission to write there.',
    });
    expect(deps.saveFinished).toHaveBeenCalledWith(WINDOW, false);
  });
});

describe('export:save', () => {
  it('asks for a place with the right filter and writes without a backup', async () => {
    const exportPath = join(DOCS, 'results.xlsx');
    const base = makeDeps();
    const { call, deps } = makeGuarded(
      makeDeps({ dialog: { ...base.dialog, showSaveDialog: vi.fn(async () => ({ canceled: false, filePath: exportPath })) } }),
    );
    const bytes = new Uint8Array([80, 75, 3, 4]);
    expect(await call('export:save', fromApp, { bytes, suggestedName: 'results', kind: 'xlsx' })).toEqual({
      ok: true,
      value: { name: 'results.xlsx', path: exportPath },
    });
    expect(deps.dialog.showSaveDialog).toHaveBeenCalledWith(
      WINDOW,
      expect.objectContaining({ defaultPath: exportPath, filters: [{ name: 'Excel workbook', extensions: ['xlsx'] }] }),
    );
    expect(deps.writeFileAtomic).toHaveBeenCalledWith(exportPath, bytes, { backup: false });
    // An export path is not a model path the page may later write to.
    expect(deps.grants.isGranted(exportPath)).toBe(false);
  });
});

describe('recovery, dirty flag and dropped files', () => {
  it('passes through to the stores and the window', async () => {
    const { call, deps } = makeGuarded();
    expect(await call('recovery:write', fromApp, '{"m":3}')).toEqual({ ok: true, value: null });
    expect(deps.recovery.write).toHaveBeenCalledWith('{"m":3}');
    expect(await call('recovery:read', fromApp)).toEqual({ ok: true, value: { text: 'r', savedAt: '2025-01-01T00:00:00.000Z' } });
    expect(await call('recovery:clear', fromApp)).toEqual({ ok: true, value: null });
    expect(await call('window:set-dirty', fromApp, true)).toEqual({ ok: true, value: null });
    expect(deps.setDirty).toHaveBeenCalledWith(WINDOW, true);
  });

  it('opens a dropped .json file through main and refuses other files', async () => {
    const { call, deps } = makeGuarded();
    expect(await call('model:open-dropped', fromApp, { path: MODEL })).toEqual({ ok: true, value: null });
    expect(deps.openPath).toHaveBeenCalledWith(WINDOW, MODEL);
    const result = await call('model:open-dropped', fromApp, { path: resolve('/home/u/.ssh/id_rsa') });
    expect(result).toEqual({ ok: false, error: '"id_rsa" is not a model file (.json).' });
    expect(deps.openPath).toHaveBeenCalledTimes(1);
  });
});

describe('guardHandler', () => {
  it('turns a thrown non-Error into a message', async () => {
    const guarded = guardHandler('recovery:clear', async () => {
      throw 'disk gone';
    }, { isAllowedSender: () => true, windowOf: () => null });
    expect(await guarded(fromApp)).toEqual({ ok: false, error: 'disk gone' });
  });
});

describe('push payload schemas', () => {
  it('accept what main sends and refuse anything else', () => {
    expect(pushSchemas['menu:command'].safeParse('file:save').success).toBe(true);
    expect(pushSchemas['menu:command'].safeParse('shell:exec').success).toBe(false);
    expect(pushSchemas['file:opened'].safeParse({ name: 'a.json', path: MODEL, text: '{}' }).success).toBe(true);
    expect(pushSchemas['file:opened'].safeParse({ name: 'a.json', path: MODEL, text: '{}', extra: 1 }).success).toBe(false);
  });
});
