// What counts as "the app" for IPC sender checks: pages served from app://renderer/,
// or, in development only, the electron-vite dev server.

export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

export type SenderFrameLike = { readonly url: string; readonly parent: unknown } | null | undefined;

/** Parsed with the URL parser, never by string prefix (app://renderer.evil would pass a prefix test). */
export function isAppUrl(value: string, devServerOrigin: string | null = null): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  if (url.protocol === `${APP_SCHEME}:`) return url.hostname.toLowerCase() === APP_HOST && url.port === '';
  return devServerOrigin !== null && url.origin === devServerOrigin;
}

/** IPC is accepted only from the app's own top-level frame. */
export function isAllowedSender(frame: SenderFrameLike, devServerOrigin: string | null = null): boolean {
  if (!frame) return false;
  if (frame.parent !== null) return false;
  return isAppUrl(frame.url, devServerOrigin);
}

/**
 * The dev server URL electron-vite passes in development. Only loopback http URLs are
 * trusted, and only when the app is not packaged.
 */
export function parseDevServerUrl(value: string | undefined, isPackaged: boolean): URL | null {
  if (isPackaged || !value) return null;
  try {
    const url = new URL(value);
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    return url.protocol === 'http:' && loopback ? url : null;
  } catch {
    return null;
  }
}
