import { describe, expect, it } from 'vitest';
import { isAllowedSender, parseDevServerUrl } from '../../../../electron/main/app-origin';

const top = (url: string) => ({ url, parent: null });

describe('isAllowedSender', () => {
  it('accepts the app top frame', () => {
    expect(isAllowedSender(top('app://renderer/index.html'))).toBe(true);
    expect(isAllowedSender(top('app://renderer/'))).toBe(true);
  });

  it.each([
    'https://evil.example/',
    'file:///home/user/evil.html',
    'app://evil/index.html',
    'app://renderer.evil.example/index.html',
    'app://user:pw@renderer/index.html',
    'app://renderer:1234/index.html',
    'http://localhost:5173/',
    'about:blank',
    'data:text/html,hi',
    '',
  ])('refuses %s', (url) => {
    expect(isAllowedSender(top(url))).toBe(false);
  });

  it('refuses subframes and destroyed frames', () => {
    expect(isAllowedSender({ url: 'app://renderer/index.html', parent: {} })).toBe(false);
    expect(isAllowedSender(null)).toBe(false);
    expect(isAllowedSender(undefined)).toBe(false);
  });

  it('accepts the dev server only when given its origin', () => {
    expect(isAllowedSender(top('http://localhost:5173/'), 'http://localhost:5173')).toBe(true);
    expect(isAllowedSender(top('http://localhost:5174/'), 'http://localhost:5173')).toBe(false);
    expect(isAllowedSender(top('http://localhost:5173.evil.example/'), 'http://localhost:5173')).toBe(false);
  });
});

describe('parseDevServerUrl', () => {
  it('trusts loopback http only when unpackaged', () => {
    expect(parseDevServerUrl('http://localhost:5173', false)?.origin).toBe('http://localhost:5173');
    expect(parseDevServerUrl('http://127.0.0.1:5173/', false)?.origin).toBe('http://127.0.0.1:5173');
    expect(parseDevServerUrl('http://localhost:5173', true)).toBeNull();
    expect(parseDevServerUrl('https://evil.example', false)).toBeNull();
    expect(parseDevServerUrl('http://192.168.1.2:5173', false)).toBeNull();
    expect(parseDevServerUrl('nonsense', false)).toBeNull();
    expect(parseDevServerUrl(undefined, false)).toBeNull();
  });
});
