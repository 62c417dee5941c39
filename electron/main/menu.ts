// The application menu as data. Document commands go to the renderer as MenuCommand;
// editing and view items use Electron roles.
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../renderer/host/host-api';

export type MenuTemplateOptions = {
  platform: NodeJS.Platform;
  appName: string;
  isDev: boolean;
  recent: readonly string[];
  send: (command: MenuCommand) => void;
  openRecent: (path: string) => void;
  clearRecent: () => void;
};

const separator: MenuItemConstructorOptions = { type: 'separator' };

export function buildMenuTemplate(options: MenuTemplateOptions): MenuItemConstructorOptions[] {
  const { platform, appName, isDev, send } = options;
  const isMac = platform === 'darwin';
  const command = (label: string, name: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => send(name),
  });

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      command('New', 'file:new', 'CmdOrCtrl+N'),
      command('Open…', 'file:open', 'CmdOrCtrl+O'),
      { label: 'Open Recent', submenu: buildRecentSubmenu(options) },
      separator,
      command('Save', 'file:save', 'CmdOrCtrl+S'),
      command('Save As…', 'file:save-as', 'CmdOrCtrl+Shift+S'),
      separator,
      command('Export to Excel…', 'file:export-xlsx', 'CmdOrCtrl+E'),
      separator,
      command('Close', 'file:close', 'CmdOrCtrl+W'),
      // macOS keeps Quit in the app menu.
      ...(isMac ? [] : [separator, { role: 'quit' } as const]),
    ],
  };

  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      // Model-level undo/redo lives in the renderer's document state, not in Chromium.
      command('Undo', 'edit:undo', 'CmdOrCtrl+Z'),
      command('Redo', 'edit:redo', isMac ? 'Shift+CmdOrCtrl+Z' : 'Ctrl+Y'),
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      // Reload would drop unsaved work without the close prompt, so it exists only in development.
      ...(isDev ? [{ role: 'reload' } as const, { role: 'toggleDevTools' } as const, separator] : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
    ],
  };

  const help: MenuItemConstructorOptions = {
    label: '&Help',
    role: 'help',
    submenu: [command(`About ${appName}`, 'help:about'), command('Documentation', 'help:docs', 'F1')],
  };

  return [...(isMac ? [{ role: 'appMenu' } as const] : []), file, edit, view, ...(isMac ? [{ role: 'windowMenu' } as const] : []), help];
}

function buildRecentSubmenu({ recent, openRecent, clearRecent }: MenuTemplateOptions): MenuItemConstructorOptions[] {
  if (recent.length === 0) return [{ label: 'No Recent Files', enabled: false }];
  return [
    // '&' marks a mnemonic on Windows and Linux; double it so paths show as they are.
    ...recent.map((path) => ({ label: path.replaceAll('&', '&&'), click: () => openRecent(path) })),
    separator,
    { label: 'Clear Recent', click: () => clearRecent() },
  ];
}
