import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentTypeFor, createAppProtocolHandler, resolveAppUrl } from '../../../../electron/main/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../../../electron/main/content-security-policy';

const root = resolve('/opt/hta/out/renderer');

describe('resolveAppUrl', () => {
  it('maps app://renderer/ paths into the renderer folder', () => {
    expect(resolveAppUrl('app://renderer/index.html', root)).toBe(join(root, 'index.html'));
    expect(resolveAppUrl('app://renderer/', root)).toBe(join(root, 'index.html'));
    expect(resolveAppUrl('app://renderer', root)).toBe(join(root, 'index.html'));
    expect(resolveAppUrl('app://renderer/assets/analysis.worker-ab12.js?v=1#x', root)).toBe(
      join(root, 'assets', 'analysis.worker-ab12.js'),
    );
    expect(resolveAppUrl('app://RENDERER/assets/a%20b.css', root)).toBe(join(root, 'assets', 'a b.css'));
  });

  it.each([
    // The URL parser folds ../ and %2e%2e/ away before we see them; what is left stays inside.
    ['app://renderer/../../etc/passwd', join(root, 'etc', 'passwd')],
    ['app://renderer/%2e%2e/%2e%2e/etc/passwd', join(root, 'etc', 'passwd')],
    // Encoded slashes survive the parser and are refused after decoding.
    ['app://renderer/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd', null],
    ['app://renderer/assets/..%2f..%2f..%2fetc%2fpasswd', null],
    ['app://renderer/..%5c..%5cwindows%5cwin.ini', null],
    ['app://renderer/..\\..\\windows\\win.ini', null],
    ['app://renderer/C:%5cwindows%5cwin.ini', null],
    ['app://renderer/index.html%00.png', null],
    ['app://renderer/%E0%A4%A', null],
  ])('keeps %s inside the renderer folder', (url, expected) => {
    expect(resolveAppUrl(url, root)).toBe(expected);
  });

  it.each([
    'app://evil/index.html',
    'app://renderer.evil.example/index.html',
    'app://renderer:8080/index.html',
    'app://user@renderer/index.html',
    'file:///opt/hta/out/renderer/index.html',
    'https://renderer/index.html',
    'not a url',
  ])('refuses foreign URL %s', (url) => {
    expect(resolveAppUrl(url, root)).toBeNull();
  });
});

describe('app protocol handler', () => {
  const files: Record<string, string> = {
    [join(root, 'index.html')]: '<!doctype html>',
    [join(root, 'assets', 'main.js')]: 'console.log(1)',
  };
  const handler = createAppProtocolHandler({
    rootDir: root,
    readFile: async (path) => {
      const content = files[path];
      if (content === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
      return new TextEncoder().encode(content);
    },
  });

  it('serves files with their type and the CSP', async () => {
    const response = await handler(new Request('app://renderer/assets/main.js'));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('console.log(1)');
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers 404 with the CSP for missing files and traversal attempts alike', async () => {
    for (const url of ['app://renderer/nope.js', 'app://renderer/%2e%2e%2f%2e%2e%2fetc%2fpasswd']) {
      const response = await handler(new Request(url));
      expect(response.status).toBe(404);
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('refuses methods other than GET and HEAD', async () => {
    const response = await handler(new Request('app://renderer/index.html', { method: 'POST', body: 'x' }));
    expect(response.status).toBe(405);
    const head = await handler(new Request('app://renderer/index.html', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('knows the content types the build emits', () => {
    expect(contentTypeFor('a.HTML')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('a.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('a.wasm')).toBe('application/wasm');
    expect(contentTypeFor('a.unknown')).toBe('application/octet-stream');
  });
});
