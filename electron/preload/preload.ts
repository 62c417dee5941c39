// Sandboxed preload, bundled to one CommonJS file (out/preload/index.cjs): a sandboxed
// preload can only require Electron's renderer modules. Exposes window.hta and nothing
// else; never ipcRenderer itself.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { installFileDrop } from './file-drop';
import { createHostBridge } from './host-bridge';

const bridge = createHostBridge(ipcRenderer);

contextBridge.exposeInMainWorld('hta', bridge.api);

installFileDrop(window, {
  pathForFile: (file) => webUtils.getPathForFile(file),
  openDroppedPath: bridge.openDroppedPath,
});
