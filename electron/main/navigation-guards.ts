// The page may never navigate away or open windows. Links to https pages (documentation,
// cited sources) open in the user's browser, but only after URL parsing.

/** Returns the normalised https URL to hand to the OS browser, or null. */
export function toExternalHttpsUrl(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  // No credentials: https://docs.example@evil.example reads like docs but goes to evil.
  if (url.protocol !== 'https:' || url.hostname === '' || url.username !== '' || url.password !== '') return null;
  return url.href;
}

export type GuardDecision = { allow: false; openExternally: string | null };

/** will-navigate / will-redirect: in-window navigation is always refused. */
export function decideNavigation(url: string): GuardDecision {
  return { allow: false, openExternally: toExternalHttpsUrl(url) };
}

/** setWindowOpenHandler: new windows are always refused. */
export function decideWindowOpen(url: string): GuardDecision {
  return { allow: false, openExternally: toExternalHttpsUrl(url) };
}

type PreventableEvent = { preventDefault(): void };
export type GuardedContents = {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
};

/** Applied from app 'web-contents-created', so every WebContents gets the guards. */
export function applyNavigationGuards(contents: GuardedContents, openExternal: (url: string) => unknown): void {
  const deny = (event: PreventableEvent, url: string, decision: GuardDecision) => {
    event.preventDefault();
    if (decision.openExternally) void Promise.resolve(openExternal(decision.openExternally)).catch(() => undefined);
  };
  contents.on('will-navigate', (event, url) => deny(event, url, decideNavigation(url)));
  // Redirects are refused without opening anything: the user did not choose that URL.
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    if (decision.openExternally) void Promise.resolve(openExternal(decision.openExternally)).catch(() => undefined);
    return { action: 'deny' };
  });
}
