// The one place that decides which platform the UI runs on.
import { createBrowserHost } from './browser-host';
import { createElectronHost } from './electron-host';
import type { HostApi } from './host-api';

export function chooseHost(win: Window = window): HostApi {
  return win.hta ? createElectronHost(win.hta) : createBrowserHost(win);
}
