import { describe, expect, it, vi } from 'vitest';
import { createHostBridge, type IpcRendererPort } from '../../../../electron/preload/host-bridge';
import type { HostApi } from '../../../../renderer/host/host-api';

type Listener = (event: unknown, ...args: unknown[]) => void;

function fakeIpc(reply: (channel: string, args: unknown[]) => unknown) {
  const listeners = new Map<string, Set<Listener>>();
  const ipc = {
    invoke: vi.fn(async (channel: string, ...args: unknown[]) => reply(channel, args)),
    on: vi.fn((channel: string, listener: Listener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    }),
    removeListener: vi.fn((channel: string, listener: Listener) => {
      listeners.get(channel)?.delete(listener);
    }),
  } satisfies IpcRendererPort;
  const emit = (channel: string, ...args: unknown[]) => {
    const event = { sender: { send: () => 'the page must never get this' }, senderId: 0 };
    for (const listener of listeners.get(channel) ?? []) listener(event, ...args);
  };
  return { ipc, emit, listeners };
}

describe('createHostBridge', () => {
  it('exposes exactly the HostApi members', () => {
    const { api } = createHostBridge(fakeIpc(() => ({ ok: true, value: null })).ipc);
    const expected: Array<keyof HostApi> = [
      'kind',
      'openModelFile',
      'saveModelFile',
      'saveExport',
      'writeRecovery',
      'readRecovery',
      'clearRecovery',
      'setDirty',
      'onMenuCommand',
      'onOpenFile',
    ];
    expect(Object.keys(api).sort()).toEqual([...expected].sort());
    expect(api.kind).toBe('electron');
  });

  it('invokes one channel per function and unwraps results', async () => {
    const { ipc } = fakeIpc((channel) =>
      channel === 'model:open' ? { ok: true, value: { name: 'a.json', path: '/a.json', text: '{}' } } : { ok: true, value: null },
    );
    const { api } = createHostBridge(ipc);
    expect(await api.openModelFile()).toEqual({ name: 'a.json', path: '/a.json', text: '{}' });
    await api.saveModelFile({ text: 't', path: null, suggestedName: 'a.json', saveAs: true });
    await api.saveExport({ bytes: new Uint8Array([1]), suggestedName: 'r.xlsx', kind: 'xlsx' });
    await api.writeRecovery('w');
    await api.readRecovery();
    await api.clearRecovery();
    await api.setDirty(true);
    expect(ipc.invoke.mock.calls).toEqual([
      ['model:open', undefined],
      ['model:save', { text: 't', path: null, suggestedName: 'a.json', saveAs: true }],
      ['export:save', { bytes: new Uint8Array([1]), suggestedName: 'r.xlsx', kind: 'xlsx' }],
      ['recovery:write', 'w'],
      ['recovery:read', undefined],
      ['recovery:clear', undefined],
      ['window:set-dirty', true],
    ]);
  });

  it('copies only the known fields of arguments, so page objects with extras do not fail validation', async () => {
    const { ipc } = fakeIpc(() => ({ ok: true, value: null }));
    const { api } = createHostBridge(ipc);
    const args = Object.assign({ text: 't', path: null, suggestedName: 'a.json', saveAs: false }, { selection: [1, 2] });
    await api.saveModelFile(args);
    expect(ipc.invoke).toHaveBeenLastCalledWith('model:save', { text: 't', path: null, suggestedName: 'a.json', saveAs: false });
  });

  it('rejects with the message of an error result', async () => {
    const { api } = createHostBridge(fakeIpc(() => ({ ok: false, error: '"a.json" is not UTF-8 text.' })).ipc);
    await expect(api.openModelFile()).rejects.toThrow('"a.json" is not UTF-8 text.');
  });

  it('wraps menu listeners so the page never sees the IPC event', () => {
    const { ipc, emit, listeners } = fakeIpc(() => undefined);
    const { api } = createHostBridge(ipc);
    const listener = vi.fn();
    const unsubscribe = api.onMenuCommand(listener);
    emit('menu:command', 'file:save');
    emit('menu:command', 'shell:exec');
    expect(listener.mock.calls).toEqual([['file:save']]);
    unsubscribe();
    emit('menu:command', 'file:new');
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listeners.get('menu:command')?.size).toBe(0);
  });

  it('keeps files opened before the UI subscribed, then delivers new ones directly', () => {
    const { ipc, emit } = fakeIpc(() => undefined);
    const { api } = createHostBridge(ipc);
    const early = { name: 'early.json', path: '/early.json', text: '{}' };
    emit('file:opened', early);
    const listener = vi.fn();
    const unsubscribe = api.onOpenFile(listener);
    expect(listener.mock.calls).toEqual([[early]]);
    const later = { name: 'later.json', path: '/later.json', text: '{}' };
    emit('file:opened', later);
    expect(listener.mock.calls).toEqual([[early], [later]]);
    unsubscribe();
    emit('file:opened', later);
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it('asks main to open a dropped path on its own channel', async () => {
    const { ipc } = fakeIpc(() => ({ ok: true, value: null }));
    await createHostBridge(ipc).openDroppedPath('/m/a.json');
    expect(ipc.invoke).toHaveBeenCalledWith('model:open-dropped', { path: '/m/a.json' });
  });
});
