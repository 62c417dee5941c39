// Serves the built renderer (out/renderer) over app://renderer/ instead of file://,
// so the page has a real origin for CSP, fetch and module workers, and can read
// nothing outside its own folder.
import { readFile as readFileFromDisk } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, sep } from 'node:path';
import { APP_HOST, APP_SCHEME } from './app-origin';
import { SECURITY_HEADERS } from './content-security-policy';

/** Pass to protocol.registerSchemesAsPrivileged before the app is ready. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  // standard: real origin and relative URLs; secure: counts as a secure context;
  // supportFetchAPI: fetch() and module workers can load from it.
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
} as const;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Maps app://renderer/<path> to a file inside rootDir, or null when the URL is not
 * ours or the path would leave rootDir (../, %2e%2e, encoded slashes, drive letters).
 */
export function resolveAppUrl(requestUrl: string, rootDir: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.hostname.toLowerCase() !== APP_HOST) return null;
  if (url.port !== '' || url.username !== '' || url.password !== '') return null;

  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  // Backslashes and colons are path syntax on Windows; no built asset uses them.
  if (pathname.includes('\0') || pathname.includes('\\') || pathname.includes(':')) return null;
  if (pathname === '' || pathname === '/') pathname = '/index.html';

  const candidate = join(rootDir, pathname);
  const fromRoot = relative(rootDir, candidate);
  const inside = fromRoot !== '' && fromRoot !== '..' && !fromRoot.startsWith(`..${sep}`) && !isAbsolute(fromRoot);
  return inside ? candidate : null;
}

export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

export type AppProtocolDeps = {
  rootDir: string;
  readFile?: (path: string) => Promise<Uint8Array>;
};

/** The protocol.handle callback. Every response, errors included, carries the CSP. */
export function createAppProtocolHandler({ rootDir, readFile = readFileFromDisk }: AppProtocolDeps) {
  return async (request: Request): Promise<Response> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Method not allowed');
    const filePath = resolveAppUrl(request.url, rootDir);
    // Same answer for "outside the folder" and "missing": nothing to learn by probing.
    if (filePath === null) return textResponse(404, 'Not found');
    let body: Uint8Array;
    try {
      body = await readFile(filePath);
    } catch {
      return textResponse(404, 'Not found');
    }
    const headers = { ...SECURITY_HEADERS, 'Content-Type': contentTypeFor(filePath) };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}

function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}
