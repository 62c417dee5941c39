import { describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => {
  const created: Array<{ options: Record<string, any>; window: any }> = [];
  class FakeWindow {
    private handlers = new Map<string, () => void>();
    webContents = {
      send: vi.fn(),
      once: vi.fn((name: string, listener: () => void) => this.handlers.set(`wc:${name}`, listener)),
    };
    once = vi.fn((name: string, listener: () => void) => this.handlers.set(name, listener));
    loadURL = vi.fn(async () => undefined);
    show = vi.fn();
    isDestroyed = () => false;
    constructor(options: Record<string, any>) {
      created.push({ options, window: this });
    }
    fire(name: string) {
      this.handlers.get(name)?.();
    }
  }
  return { created, FakeWindow };
});

vi.mock('electron', () => ({ BrowserWindow: fake.FakeWindow }));

const { createMainWindow, createPushQueue } = await import('../../../../electron/main/main-window');

describe('createMainWindow', () => {
  it('creates a hidden, locked-down window and shows it when painted', () => {
    const { push } = createMainWindow({ preloadPath: '/app/out/preload/index.cjs', url: 'app://renderer/index.html', isDev: false, title: 'T' });
    const { options, window } = fake.created[0]!;
    expect(options.show).toBe(false);
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: false,
    });
    expect(window.loadURL).toHaveBeenCalledWith('app://renderer/index.html');
    window.fire('ready-to-show');
    expect(window.show).toHaveBeenCalled();

    push('menu:command', 'file:new');
    expect(window.webContents.send).not.toHaveBeenCalled();
    window.fire('wc:did-finish-load');
    expect(window.webContents.send).toHaveBeenCalledWith('menu:command', 'file:new');
  });

  it('allows dev tools only in development', () => {
    createMainWindow({ preloadPath: 'p', url: 'http://localhost:5173/', isDev: true, title: 'T' });
    expect(fake.created.at(-1)!.options.webPreferences.devTools).toBe(true);
  });
});

describe('createPushQueue', () => {
  it('holds pushes until the page is ready, then sends in order', () => {
    const send = vi.fn();
    const queue = createPushQueue(send);
    queue.push('file:opened', { name: 'a.json', path: '/a.json', text: '{}' });
    queue.push('menu:command', 'file:save');
    expect(send).not.toHaveBeenCalled();
    queue.markReady();
    expect(send.mock.calls).toEqual([
      ['file:opened', { name: 'a.json', path: '/a.json', text: '{}' }],
      ['menu:command', 'file:save'],
    ]);
    queue.push('menu:command', 'file:new');
    expect(send).toHaveBeenLastCalledWith('menu:command', 'file:new');
  });
});
