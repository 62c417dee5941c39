import { describe, expect, it, vi } from 'vitest';
import {
  applyNavigationGuards,
  decideNavigation,
  decideWindowOpen,
  type GuardedContents,
  toExternalHttpsUrl,
} from '../../../../electron/main/navigation-guards';

describe('toExternalHttpsUrl', () => {
  it('passes parsed https URLs', () => {
    expect(toExternalHttpsUrl('https://doi.org/10.1016/j.jval.2020.01.001')).toBe('https://doi.org/10.1016/j.jval.2020.01.001');
    expect(toExternalHttpsUrl('HTTPS://Docs.Example/a b')).toBe('https://docs.example/a%20b');
  });

  it.each([
    'http://docs.example/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'app://renderer/index.html',
    'smb://share/x',
    'ms-msdt:/id PCWDiagnostic',
    'https://docs.example@evil.example/',
    'https://user:pw@docs.example/',
    'https://',
    'docs.example',
    '',
  ])('refuses %s', (url) => {
    expect(toExternalHttpsUrl(url)).toBeNull();
  });
});

describe('navigation decisions', () => {
  it('never allows in-window navigation or new windows', () => {
    for (const url of ['app://renderer/other.html', 'https://docs.example/', 'file:///tmp/model.json']) {
      expect(decideNavigation(url).allow).toBe(false);
      expect(decideWindowOpen(url).allow).toBe(false);
    }
    expect(decideWindowOpen('https://docs.example/').openExternally).toBe('https://docs.example/');
    expect(decideNavigation('file:///tmp/model.json').openExternally).toBeNull();
  });
});

describe('applyNavigationGuards', () => {
  function fakeContents() {
    const listeners = new Map<string, (event: { preventDefault(): void }, url?: string) => void>();
    let windowOpen: ((details: { url: string }) => { action: 'deny' }) | null = null;
    const contents: GuardedContents = {
      on: ((name: string, listener: (event: { preventDefault(): void }, url?: string) => void) => {
        listeners.set(name, listener);
      }) as GuardedContents['on'],
      setWindowOpenHandler: (handler) => {
        windowOpen = handler;
      },
    };
    return { contents, listeners, windowOpen: () => windowOpen! };
  }

  it('prevents navigation, redirects and webviews, and opens only https externally', () => {
    const { contents, listeners, windowOpen } = fakeContents();
    const openExternal = vi.fn();
    applyNavigationGuards(contents, openExternal);

    for (const [name, url] of [
      ['will-navigate', 'file:///home/u/dropped.model.json'],
      ['will-navigate', 'https://docs.example/guide'],
      ['will-redirect', 'https://elsewhere.example/'],
      ['will-attach-webview', undefined],
    ] as const) {
      const event = { preventDefault: vi.fn() };
      listeners.get(name)!(event, url);
      expect(event.preventDefault, name).toHaveBeenCalled();
    }
    expect(openExternal.mock.calls).toEqual([['https://docs.example/guide']]);

    expect(windowOpen()({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(windowOpen()({ url: 'https://doi.org/10.1/x' })).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls.at(-1)).toEqual(['https://doi.org/10.1/x']);
    expect(openExternal).toHaveBeenCalledTimes(2);
  });
});
