// Main-process lifecycle only: security switches, single instance, then on ready the
// app:// protocol, IPC, menu and the window. The logic lives in the modules it wires.
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell } from 'electron';
import type { MenuCommand, OpenedFile } from '../../renderer/host/host-api';
import { readModelFile } from '../node/read-model-file';
import { createRecentFilesStore } from '../node/recent-files';
import { createRecoveryStore } from '../node/recovery-store';
import { writeFileAtomic } from '../node/write-file-atomic';
import { APP_ENTRY_URL, APP_SCHEME, isAllowedSender, parseDevServerUrl } from './app-origin';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './app-protocol';
import { choiceFromResponse, createCloseController, unsavedChangesPrompt, type CloseController } from './close-guard';
import { findModelFileArgument } from './command-line';
import { createIpcHandlers, registerIpcHandlers } from './ipc-handlers';
import { createMainWindow, type MainWindow } from './main-window';
import { buildMenuTemplate } from './menu';
import { applyNavigationGuards } from './navigation-guards';
import { openModelPath } from './open-model-path';
import { createPathGrants } from './path-grants';
import { denyAllPermissions } from './permissions';

type AppWindow = MainWindow & { close: CloseController };

const isDev = !app.isPackaged;
// Only honoured for unpackaged runs and loopback http (see parseDevServerUrl).
const devServerUrl = parseDevServerUrl(process.env['ELECTRON_RENDERER_URL'], app.isPackaged);
const devServerOrigin = devServerUrl?.origin ?? null;
const outDir = join(import.meta.dirname, '..');
const rendererDir = join(outDir, 'renderer');
const preloadPath = join(outDir, 'preload', 'index.cjs');

// Both must happen before 'ready'.
app.enableSandbox();
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

if (app.requestSingleInstanceLock()) {
  start();
} else {
  // Another instance owns the window; it receives our argv via 'second-instance'.
  app.quit();
}

function start(): void {
  const userData = app.getPath('userData');
  const recovery = createRecoveryStore({ dir: join(userData, 'recovery') });
  const recent = createRecentFilesStore({ file: join(userData, 'recent-files.json') });
  const grants = createPathGrants();
  let current: AppWindow | null = null;
  let pendingPath = findModelFileArgument(process.argv, process.cwd());
  let quitting = false;

  const refreshMenu = (paths: readonly string[]) => {
    const template = buildMenuTemplate({
      platform: process.platform,
      appName: app.getName(),
      isDev,
      recent: paths,
      send: sendMenuCommand,
      openRecent: (path) => void openPath(path),
      clearRecent: () => void recent.clear().then(refreshMenu),
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  };
  const addRecent = async (path: string) => {
    refreshMenu(await recent.add(path));
    if (process.platform === 'darwin') app.addRecentDocument(path);
  };
  const removeRecent = async (path: string) => refreshMenu(await recent.remove(path));

  function windowFor(window: BrowserWindow | null): AppWindow | null {
    return current && current.window === window ? current : null;
  }

  function ensureWindow(): AppWindow {
    if (!current || current.window.isDestroyed()) current = createWindow();
    return current;
  }

  function sendMenuCommand(command: MenuCommand): void {
    // With no window (macOS), only New and Open make sense: they bring one up.
    if (!current && command !== 'file:new' && command !== 'file:open') return;
    ensureWindow().push('menu:command', command);
  }

  async function openPath(path: string): Promise<void> {
    const target = ensureWindow();
    if (target.window.isMinimized()) target.window.restore();
    target.window.focus();
    await openModelPath(path, {
      readModelFile,
      grants,
      addRecent,
      removeRecent,
      deliver: (file: OpenedFile) => target.push('file:opened', file),
      showError: (message) =>
        void dialog.showMessageBox(target.window, { type: 'error', message: 'The model could not be opened.', detail: message }),
    });
  }

  function createWindow(): AppWindow {
    const created = createMainWindow({ preloadPath, url: devServerUrl?.href ?? APP_ENTRY_URL, isDev, title: app.getName() });
    const { window } = created;
    const close = createCloseController({
      prompt: async () => choiceFromResponse((await dialog.showMessageBox(window, unsavedChangesPrompt())).response),
      requestSave: () => created.push('menu:command', 'file:save'),
      closeApproved: () => {
        if (quitting) app.quit();
        else if (!window.isDestroyed()) window.close();
      },
      closeCancelled: () => {
        quitting = false;
      },
      clearRecovery: () => recovery.clear(),
    });
    window.on('close', (event) => {
      if (!close.onCloseRequested()) event.preventDefault();
    });
    window.on('closed', () => {
      if (current?.window === window) current = null;
    });
    // A crashed page cannot answer "Save"; its last autosave stays in the recovery file.
    window.webContents.on('render-process-gone', () => close.setDirty(false));
    return { ...created, close };
  }

  app.on('second-instance', (_event, argv, workingDirectory) => {
    const path = findModelFileArgument(argv, workingDirectory);
    if (path) void openPath(path);
    else if (current) {
      if (current.window.isMinimized()) current.window.restore();
      current.window.focus();
    }
  });

  // macOS double-click / drop on the Dock icon; may arrive before 'ready'.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    if (app.isReady()) void openPath(path);
    else pendingPath = path;
  });

  app.on('web-contents-created', (_event, contents) => {
    // openExternal receives only https URLs that passed URL parsing (navigation-guards.ts).
    applyNavigationGuards(contents, (url) => shell.openExternal(url)); // eng-disable OPEN_EXTERNAL_JS_CHECK: https only, URL-parsed
  });

  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (app.isReady() && !current) current = createWindow();
  });

  void app
    .whenReady()
    .then(async () => {
      denyAllPermissions(session.defaultSession);
      protocol.handle(APP_SCHEME, createAppProtocolHandler({ rootDir: rendererDir }));
      registerIpcHandlers(
        ipcMain,
        createIpcHandlers<BrowserWindow>({
          dialog: {
            showOpenDialog: (window, options) => (window ? dialog.showOpenDialog(window, options) : dialog.showOpenDialog(options)),
            showSaveDialog: (window, options) => (window ? dialog.showSaveDialog(window, options) : dialog.showSaveDialog(options)),
          },
          readModelFile,
          writeFileAtomic,
          recovery,
          grants,
          documentsDir: () => app.getPath('documents'),
          addRecent,
          setDirty: (window, dirty) => {
            windowFor(window)?.close.setDirty(dirty);
            if (window && process.platform === 'darwin') window.setDocumentEdited(dirty);
          },
          saveFinished: (window, saved) => windowFor(window)?.close.onSaveFinished(saved),
          openPath: async (_window, path) => openPath(path),
        }),
        {
          isAllowedSender: (frame) => isAllowedSender(frame, devServerOrigin),
          windowOf: (event) => BrowserWindow.fromWebContents(event.sender),
          log: (message) => console.warn(message),
        },
      );
      refreshMenu(await recent.list());
      ensureWindow();
      if (pendingPath) {
        const path = pendingPath;
        pendingPath = null;
        await openPath(path);
      }
    })
    .catch((error: unknown) => {
      dialog.showErrorBox('HTA Modeller could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
}
