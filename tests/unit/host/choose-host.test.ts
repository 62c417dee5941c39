// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { chooseHost } from '../../../renderer/host/choose-host';
import { createElectronHost } from '../../../renderer/host/electron-host';
import type { HostApi } from '../../../renderer/host/host-api';

function fakeBridge(): HostApi {
  return {
    kind: 'electron',
    openModelFile: vi.fn(async () => ({ name: 'a.json', path: '/a.json', text: '{}' })),
    saveModelFile: vi.fn(async () => ({ name: 'a.json', path: '/a.json' })),
    saveExport: vi.fn(async () => null),
    writeRecovery: vi.fn(async () => undefined),
    readRecovery: vi.fn(async () => null),
    clearRecovery: vi.fn(async () => undefined),
    setDirty: vi.fn(async () => undefined),
    onMenuCommand: vi.fn(() => () => undefined),
    onOpenFile: vi.fn(() => () => undefined),
  };
}

describe('chooseHost', () => {
  it('uses the browser host without window.hta', () => {
    expect(chooseHost(window).kind).toBe('browser');
  });

  it('uses the Electron bridge when the preload exposed window.hta', async () => {
    const bridge = fakeBridge();
    Object.defineProperty(window, 'hta', { value: bridge, configurable: true });
    try {
      const host = chooseHost(window);
      expect(host.kind).toBe('electron');
      expect(await host.openModelFile()).toEqual({ name: 'a.json', path: '/a.json', text: '{}' });
      expect(bridge.openModelFile).toHaveBeenCalled();
    } finally {
      Reflect.deleteProperty(window, 'hta');
    }
  });
});

describe('createElectronHost', () => {
  it('delegates every member to the bridge', async () => {
    const bridge = fakeBridge();
    const host = createElectronHost(bridge);
    const args = { text: 't', path: null, suggestedName: 'a.json', saveAs: false };
    await host.saveModelFile(args);
    await host.saveExport({ bytes: new Uint8Array(), suggestedName: 'r.csv', kind: 'csv' });
    await host.writeRecovery('w');
    await host.readRecovery();
    await host.clearRecovery();
    await host.setDirty(true);
    const menuListener = () => undefined;
    host.onMenuCommand(menuListener);
    host.onOpenFile(menuListener);
    expect(bridge.saveModelFile).toHaveBeenCalledWith(args);
    expect(bridge.writeRecovery).toHaveBeenCalledWith('w');
    expect(bridge.setDirty).toHaveBeenCalledWith(true);
    expect(bridge.onMenuCommand).toHaveBeenCalledWith(menuListener);
    expect(bridge.onOpenFile).toHaveBeenCalledWith(menuListener);
    for (const member of ['saveExport', 'readRecovery', 'clearRecovery'] as const) expect(bridge[member]).toHaveBeenCalled();
  });
});
