// HostApi in the desktop app: the preload's window.hta bridge (electron/preload).
import type { HostApi } from './host-api';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a plain browser. */
    readonly hta?: HostApi;
  }
}

/**
 * Copies the bridge's members into a plain object: the bridge is a contextBridge proxy,
 * and the UI should hold an ordinary HostApi (spreadable, mockable).
 */
export function createElectronHost(bridge: HostApi): HostApi {
  return {
    kind: 'electron',
    openModelFile: () => bridge.openModelFile(),
    saveModelFile: (args) => bridge.saveModelFile(args),
    saveExport: (args) => bridge.saveExport(args),
    writeRecovery: (text) => bridge.writeRecovery(text),
    readRecovery: () => bridge.readRecovery(),
    clearRecovery: () => bridge.clearRecovery(),
    setDirty: (dirty) => bridge.setDirty(dirty),
    onMenuCommand: (listener) => bridge.onMenuCommand(listener),
    onOpenFile: (listener) => bridge.onOpenFile(listener),
  };
}
