// Wiring test for electron/main/main.ts with a fake 'electron' module: the real binary
// cannot run here. Checks the security switches, registrations and the close prompt.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS } from '../../../../electron/ipc/channels';

type Listener = (...args: any[]) => unknown;

const fake = vi.hoisted(() => {
  class Emitter {
    listeners = new Map<string, Listener[]>();
    on(name: string, listener: Listener) {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
      return this;
    }
    once(name: string, listener: Listener) {
      return this.on(name, listener);
    }
    emit(name: string, ...args: unknown[]) {
      for (const listener of this.listeners.get(name) ?? []) listener(...args);
    }
  }
  class FakeWebContents extends Emitter {
    send = vi.fn();
    isDestroyed = () => false;
    setWindowOpenHandler = vi.fn();
  }
  const windows: FakeWindow[] = [];
  class FakeWindow extends Emitter {
    webContents = new FakeWebContents();
    loadURL = vi.fn(async () => undefined);
    show = vi.fn();
    focus = vi.fn();
    restore = vi.fn();
    isMinimized = () => false;
    isDestroyed = () => false;
    setDocumentEdited = vi.fn();
    close = vi.fn(() => {
      let prevented = false;
      this.emit('close', { preventDefault: () => (prevented = true) });
      if (!prevented) this.emit('closed');
    });
    constructor(public options: Record<string, any>) {
      super();
      windows.push(this);
    }
    static fromWebContents(contents: unknown) {
      return windows.find((window) => window.webContents === contents) ?? null;
    }
  }
  const app = Object.assign(new Emitter(), {
    isPackaged: true,
    userData: '',
    enableSandbox: vi.fn(),
    requestSingleInstanceLock: vi.fn(() => true),
    quit: vi.fn(),
    exit: vi.fn(),
    getPath: (name: string) => join(app.userData, name),
    getName: () => 'HTA Modeller',
    whenReady: () => Promise.resolve(),
    isReady: () => true,
    addRecentDocument: vi.fn(),
  });
  const electron = {
    app,
    BrowserWindow: FakeWindow,
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    session: { defaultSession: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() } },
    ipcMain: { handle: vi.fn() },
    Menu: { buildFromTemplate: vi.fn((template: unknown) => template), setApplicationMenu: vi.fn() },
    dialog: {
      showMessageBox: vi.fn(async () => ({ response: 2 })),
      showOpenDialog: vi.fn(),
      showSaveDialog: vi.fn(),
      showErrorBox: vi.fn(),
    },
    shell: { openExternal: vi.fn(async () => undefined) },
  };
  return { electron, windows, FakeWebContents };
});

vi.mock('electron', () => fake.electron);

const { app, protocol, session, ipcMain, Menu, dialog, shell } = fake.electron;
const handler = (channel: string) => ipcMain.handle.mock.calls.find(([name]) => name === channel)![1] as Listener;
const appListener = (name: string) => app.listeners.get(name)![0]!;
let workDir: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'hta-main-'));
  app.userData = join(workDir, 'userData');
  const argv = process.argv;
  process.argv = ['electron', '.'];
  await import('../../../../electron/main/main');
  process.argv = argv;
  await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
});
afterAll(() => vi.restoreAllMocks());

describe('main process wiring', () => {
  it('turns on the sandbox and registers app:// as privileged before ready', () => {
    expect(app.enableSandbox).toHaveBeenCalled();
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true }) },
    ]);
    expect(app.requestSingleInstanceLock).toHaveBeenCalled();
  });

  it('serves app://, denies permissions, registers IPC and the menu', () => {
    expect(protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    const request = session.defaultSession.setPermissionRequestHandler.mock.calls[0]![0] as Listener;
    const callback = vi.fn();
    request({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(ipcMain.handle.mock.calls.map(([name]) => name).sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(Menu.setApplicationMenu).toHaveBeenCalled();
  });

  it('opens one locked-down window on app://renderer/', () => {
    const [window] = fake.windows;
    expect(window!.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(window!.options.webPreferences.preload).toMatch(/preload[\\/]index\.cjs$/);
    expect(window!.loadURL).toHaveBeenCalledWith('app://renderer/index.html');
  });

  it('guards every new WebContents', () => {
    const contents = new fake.FakeWebContents();
    appListener('web-contents-created')({}, contents);
    const open = contents.setWindowOpenHandler.mock.calls[0]![0] as Listener;
    expect(open({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(shell.openExternal).not.toHaveBeenCalled();
    const navigate = { preventDefault: vi.fn() };
    contents.emit('will-navigate', navigate, 'https://evil.example/');
    expect(navigate.preventDefault).toHaveBeenCalled();
  });

  it('answers IPC only from the app frame', async () => {
    const window = fake.windows[0]!;
    const evil = { senderFrame: { url: 'https://evil.example/', parent: null }, sender: window.webContents };
    expect(await handler('recovery:read')(evil)).toMatchObject({ ok: false });
    const good = { senderFrame: { url: 'app://renderer/index.html', parent: null }, sender: window.webContents };
    expect(await handler('recovery:read')(good)).toEqual({ ok: true, value: null });
  });

  it('pushes a file from a second instance once the page has loaded', async () => {
    const window = fake.windows[0]!;
    const model = join(workDir, 'second.model.json');
    writeFileSync(model, '{"from":"second instance"}');
    appListener('second-instance')({}, ['hta', model], workDir);
    window.webContents.emit('did-finish-load');
    await vi.waitFor(() =>
      expect(window.webContents.send).toHaveBeenCalledWith('file:opened', {
        name: 'second.model.json',
        path: model,
        text: '{"from":"second instance"}',
      }),
    );
  });

  it('asks before closing a window with unsaved changes', async () => {
    const window = fake.windows[0]!;
    const good = { senderFrame: { url: 'app://renderer/index.html', parent: null }, sender: window.webContents };
    await handler('window:set-dirty')(good, true);
    const closed = vi.fn();
    window.on('closed', closed);

    dialog.showMessageBox.mockResolvedValueOnce({ response: 2 });
    window.close();
    await vi.waitFor(() => expect(dialog.showMessageBox).toHaveBeenCalledTimes(1));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(closed).not.toHaveBeenCalled();

    dialog.showMessageBox.mockResolvedValueOnce({ response: 1 });
    window.close();
    await vi.waitFor(() => expect(dialog.showMessageBox).toHaveBeenCalledTimes(2));
    // "Don't Save" closes for real: the second close() call comes from main itself.
    await vi.waitFor(() => expect(window.close).toHaveBeenCalledTimes(3));
    expect(closed).toHaveBeenCalledTimes(1);
  });
});
