// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBrowserHost, RECOVERY_STORAGE_KEY } from '../../../renderer/host/browser-host';
import { MAX_MODEL_FILE_BYTES } from '../../../renderer/host/host-api';

beforeEach(() => {
  localStorage.clear();
  document.body.innerHTML = '';
});
afterEach(() => {
  vi.restoreAllMocks();
});

function fileInput(): HTMLInputElement {
  const input = document.querySelector('input[type=file]');
  if (!(input instanceof HTMLInputElement)) throw new Error('no file input');
  return input;
}

function pick(input: HTMLInputElement, files: File[]) {
  Object.defineProperty(input, 'files', { value: files, configurable: true });
  input.dispatchEvent(new Event('change'));
}

describe('browser host: open', () => {
  it('reads the picked file as text with no path', async () => {
    const host = createBrowserHost(window);
    const click = vi.spyOn(HTMLInputElement.prototype, 'click').mockImplementation(() => undefined);
    const opened = host.openModelFile();
    const input = fileInput();
    expect(click).toHaveBeenCalled();
    expect(input.accept).toBe('.json,application/json');
    pick(input, [new File(['{"m":1}'], 'lit.model.json', { type: 'application/json' })]);
    expect(await opened).toEqual({ name: 'lit.model.json', path: null, text: '{"m":1}' });
    expect(document.querySelector('input[type=file]')).toBeNull();
  });

  it('resolves null when the picker is dismissed', async () => {
    vi.spyOn(HTMLInputElement.prototype, 'click').mockImplementation(() => undefined);
    const opened = createBrowserHost(window).openModelFile();
    fileInput().dispatchEvent(new Event('cancel'));
    expect(await opened).toBeNull();
  });

  it('refuses binary, non-UTF-8 and oversized files with readable messages', async () => {
    vi.spyOn(HTMLInputElement.prototype, 'click').mockImplementation(() => undefined);
    const host = createBrowserHost(window);
    const attempt = async (file: File) => {
      const opened = host.openModelFile();
      pick(fileInput(), [file]);
      return opened;
    };
    await expect(attempt(new File([new Uint8Array([1, 0, 2])], 'x.json'))).rejects.toThrow(/binary/);
    await expect(attempt(new File([new Uint8Array([0x7b, 0xe9, 0x7d])], 'x.json'))).rejects.toThrow(/not UTF-8/);
    const big = new File(['x'], 'big.json');
    Object.defineProperty(big, 'size', { value: MAX_MODEL_FILE_BYTES + 1 });
    await expect(attempt(big)).rejects.toThrow(/larger than 50.0 MB are refused/);
  });
});

describe('browser host: save and export', () => {
  it('downloads a Blob under the suggested name', async () => {
    const host = createBrowserHost(window);
    const created: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      created.push(blob as Blob);
      return 'blob:fake';
    });
    const clicks: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this);
    });

    expect(await host.saveModelFile({ text: '{"m":1}', path: null, suggestedName: 'lit.model.json', saveAs: false })).toEqual({
      name: 'lit.model.json',
      path: null,
    });
    expect(await host.saveExport({ bytes: new Uint8Array([80, 75]), suggestedName: 'results.xlsx', kind: 'xlsx' })).toEqual({
      name: 'results.xlsx',
      path: null,
    });
    expect(clicks.map((link) => link.download)).toEqual(['lit.model.json', 'results.xlsx']);
    expect(await created[0]!.text()).toBe('{"m":1}');
    expect(created[1]!.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(new Uint8Array(await created[1]!.arrayBuffer())).toEqual(new Uint8Array([80, 75]));
    expect(document.querySelector('a')).toBeNull();
  });
});

describe('browser host: recovery', () => {
  it('round-trips through localStorage and clears', async () => {
    const host = createBrowserHost(window);
    expect(await host.readRecovery()).toBeNull();
    await host.writeRecovery('{"m":2}');
    const recovered = await host.readRecovery();
    expect(recovered?.text).toBe('{"m":2}');
    expect(Number.isNaN(Date.parse(recovered!.savedAt))).toBe(false);
    await host.clearRecovery();
    expect(await host.readRecovery()).toBeNull();
  });

  it('ignores corrupt stored data', async () => {
    localStorage.setItem(RECOVERY_STORAGE_KEY, '{"text":1}');
    expect(await createBrowserHost(window).readRecovery()).toBeNull();
    localStorage.setItem(RECOVERY_STORAGE_KEY, 'not json');
    expect(await createBrowserHost(window).readRecovery()).toBeNull();
  });

  it('explains a full storage', async () => {
    vi.spyOn(localStorage, 'setItem').mockImplementation(() => {
      throw new DOMException('quota', 'QuotaExceededError');
    });
    await expect(createBrowserHost(window).writeRecovery('x')).rejects.toThrow(/browser storage is full/);
  });
});

describe('browser host: dirty prompt, menus and drops', () => {
  it('asks before unloading only while dirty', async () => {
    const host = createBrowserHost(window);
    await host.setDirty(true);
    const dirtyEvent = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(dirtyEvent);
    expect(dirtyEvent.defaultPrevented).toBe(true);
    await host.setDirty(false);
    const cleanEvent = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(cleanEvent);
    expect(cleanEvent.defaultPrevented).toBe(false);
  });

  it('never fires menu commands', () => {
    const unsubscribe = createBrowserHost(window).onMenuCommand(() => {
      throw new Error('must not fire');
    });
    expect(typeof unsubscribe).toBe('function');
    unsubscribe();
  });

  it('reports a dropped .json file through onOpenFile', async () => {
    const host = createBrowserHost(window);
    const listener = vi.fn();
    host.onOpenFile(listener);
    const drop = new Event('drop', { cancelable: true });
    Object.defineProperty(drop, 'dataTransfer', {
      value: { types: ['Files'], files: [new File(['{"m":3}'], 'dropped.model.json')] },
    });
    window.dispatchEvent(drop);
    expect(drop.defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(listener).toHaveBeenCalledWith({ name: 'dropped.model.json', path: null, text: '{"m":3}' }));
  });
});
