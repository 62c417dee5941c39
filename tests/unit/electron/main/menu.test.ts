import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate, type MenuTemplateOptions } from '../../../../electron/main/menu';

function template(overrides: Partial<MenuTemplateOptions> = {}) {
  const options: MenuTemplateOptions = {
    platform: 'win32',
    appName: 'HTA Modeller',
    isDev: false,
    recent: [],
    send: vi.fn(),
    openRecent: vi.fn(),
    clearRecent: vi.fn(),
    ...overrides,
  };
  return { options, menu: buildMenuTemplate(options) };
}

const submenu = (menu: MenuItemConstructorOptions[], label: string) => {
  const item = menu.find((entry) => entry.label === label);
  if (!item || !Array.isArray(item.submenu)) throw new Error(`no menu ${label}`);
  return item.submenu as MenuItemConstructorOptions[];
};
const item = (items: MenuItemConstructorOptions[], label: string) => {
  const found = items.find((entry) => entry.label === label);
  if (!found) throw new Error(`no item ${label}`);
  return found;
};
const click = (entry: MenuItemConstructorOptions) => (entry.click as () => void)();

describe('buildMenuTemplate', () => {
  it('has File, Edit, View and Help with the expected accelerators and commands', () => {
    const { menu, options } = template();
    expect(menu.map((entry) => entry.label ?? entry.role)).toEqual(['&File', '&Edit', '&View', '&Help']);
    const file = submenu(menu, '&File');
    const edit = submenu(menu, '&Edit');
    const help = submenu(menu, '&Help');
    const expected: Array<[MenuItemConstructorOptions[], string, string | undefined, string]> = [
      [file, 'New', 'CmdOrCtrl+N', 'file:new'],
      [file, 'Open…', 'CmdOrCtrl+O', 'file:open'],
      [file, 'Save', 'CmdOrCtrl+S', 'file:save'],
      [file, 'Save As…', 'CmdOrCtrl+Shift+S', 'file:save-as'],
      [file, 'Export to Excel…', 'CmdOrCtrl+E', 'file:export-xlsx'],
      [file, 'Close', 'CmdOrCtrl+W', 'file:close'],
      [edit, 'Undo', 'CmdOrCtrl+Z', 'edit:undo'],
      [edit, 'Redo', 'Ctrl+Y', 'edit:redo'],
      [help, 'About HTA Modeller', undefined, 'help:about'],
      [help, 'Documentation', 'F1', 'help:docs'],
    ];
    for (const [items, label, accelerator, command] of expected) {
      const entry = item(items, label);
      expect(entry.accelerator, label).toBe(accelerator);
      click(entry);
      expect(options.send).toHaveBeenLastCalledWith(command);
    }
    expect(edit.filter((entry) => entry.role).map((entry) => entry.role)).toEqual(['cut', 'copy', 'paste', 'selectAll']);
    expect(file.at(-1)?.role).toBe('quit');
  });

  it('offers reload and dev tools only in development', () => {
    const roles = (isDev: boolean) => submenu(template({ isDev }).menu, '&View').map((entry) => entry.role);
    expect(roles(false)).not.toContain('reload');
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(false)).toEqual(expect.arrayContaining(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']));
    expect(roles(true)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });

  it('follows macOS conventions', () => {
    const { menu } = template({ platform: 'darwin' });
    expect(menu[0]?.role).toBe('appMenu');
    expect(submenu(menu, '&File').some((entry) => entry.role === 'quit')).toBe(false);
    expect(item(submenu(menu, '&Edit'), 'Redo').accelerator).toBe('Shift+CmdOrCtrl+Z');
  });

  it('lists recent files, escapes mnemonics, and can clear them', () => {
    const { menu, options } = template({ recent: ['/m/R&D.model.json', '/m/b.json'] });
    const recent = submenu(submenu(menu, '&File'), 'Open Recent');
    expect(recent.map((entry) => entry.label ?? entry.type)).toEqual(['/m/R&&D.model.json', '/m/b.json', 'separator', 'Clear Recent']);
    click(recent[1]!);
    expect(options.openRecent).toHaveBeenCalledWith('/m/b.json');
    click(item(recent, 'Clear Recent'));
    expect(options.clearRecent).toHaveBeenCalled();
  });

  it('shows a disabled placeholder when there are no recent files', () => {
    const recent = submenu(submenu(template().menu, '&File'), 'Open Recent');
    expect(recent).toEqual([{ label: 'No Recent Files', enabled: false }]);
  });
});
