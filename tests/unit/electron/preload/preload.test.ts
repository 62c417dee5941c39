// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => ({
  exposeInMainWorld: vi.fn(),
  ipcRenderer: { invoke: vi.fn(async () => ({ ok: true, value: null })), on: vi.fn(), removeListener: vi.fn() },
  getPathForFile: vi.fn(() => ''),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: fake.exposeInMainWorld },
  ipcRenderer: fake.ipcRenderer,
  webUtils: { getPathForFile: fake.getPathForFile },
}));

await import('../../../../electron/preload/preload');

describe('preload', () => {
  it('exposes only window.hta, built from functions and never ipcRenderer', () => {
    expect(fake.exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [name, api] = fake.exposeInMainWorld.mock.calls[0]!;
    expect(name).toBe('hta');
    for (const value of Object.values(api as Record<string, unknown>)) {
      expect(value).not.toBe(fake.ipcRenderer);
      expect(typeof value === 'function' || value === 'electron').toBe(true);
    }
    expect(Object.values(api as Record<string, unknown>)).not.toContain(fake.ipcRenderer.invoke);
  });

  it('listens for main pushes of opened files', () => {
    expect(fake.ipcRenderer.on).toHaveBeenCalledWith('file:opened', expect.any(Function));
  });
});
