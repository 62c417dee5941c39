// The one document window: locked-down web preferences, shown when painted, and a push
// channel that holds messages until the page (and its preload) has loaded.
import { BrowserWindow } from 'electron';
import type { PushChannel, PushChannels } from '../ipc/channels';

export type Push = <C extends PushChannel>(channel: C, payload: PushChannels[C]) => void;

/** Queues pushes until markReady(), then sends straight away. */
export function createPushQueue(send: (channel: PushChannel, payload: unknown) => void) {
  let ready = false;
  const pending: Array<[PushChannel, unknown]> = [];
  const push: Push = (channel, payload) => {
    if (ready) send(channel, payload);
    else pending.push([channel, payload]);
  };
  return {
    push,
    markReady() {
      ready = true;
      for (const [channel, payload] of pending.splice(0)) send(channel, payload);
    },
  };
}

export type MainWindow = { window: BrowserWindow; push: Push };

export function createMainWindow({
  preloadPath,
  url,
  isDev,
  title,
}: {
  preloadPath: string;
  url: string;
  isDev: boolean;
  title: string;
}): MainWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 560,
    title,
    show: false,
    // Written out here rather than built elsewhere so electronegativity can see them.
    // Set explicitly although most are defaults: defaults have changed between versions.
    webPreferences: {
      preload: preloadPath, // eng-disable PRELOAD_JS_CHECK: exposes one function per channel, never ipcRenderer
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // Middle-click would otherwise try to open links in new windows.
      disableBlinkFeatures: 'Auxclick',
      devTools: isDev,
    },
  });
  const queue = createPushQueue((channel, payload) => {
    if (!window.isDestroyed()) window.webContents.send(channel, payload);
  });
  window.once('ready-to-show', () => window.show());
  window.webContents.once('did-finish-load', () => queue.markReady());
  void window.loadURL(url);
  return { window, push: queue.push };
}
