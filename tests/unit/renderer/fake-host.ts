/** A HostApi double for UI tests: records calls, and `fire` plays a menu command as the shell would. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';
import type { HostApi, MenuCommand, RecoveredWork } from '../../../renderer/host/host-api';

export const CHANCELLOR_MODEL = JSON.parse(readFileSync(join(__dirname, '..', '..', 'reference', 'chancellor-hiv.model.json'), 'utf8'));

export function fakeHost(recovery: RecoveredWork | null = null) {
  const menu = new Set<(c: MenuCommand) => void>();
  const host = {
    kind: 'browser' as const,
    openModelFile: vi.fn(async () => null),
    saveModelFile: vi.fn(async ({ suggestedName }: { suggestedName: string }) => ({ name: suggestedName, path: null })),
    saveExport: vi.fn(async () => null),
    writeRecovery: vi.fn(async (_text: string) => undefined),
    readRecovery: vi.fn(async () => recovery),
    clearRecovery: vi.fn(async () => undefined),
    setDirty: vi.fn(async () => undefined),
    onMenuCommand: vi.fn((listener: (c: MenuCommand) => void) => {
      menu.add(listener);
      return () => void menu.delete(listener);
    }),
    onOpenFile: vi.fn(() => () => undefined),
  };
  return { host: host as unknown as HostApi & typeof host, fire: (c: MenuCommand) => menu.forEach((l) => l(c)) };
}
