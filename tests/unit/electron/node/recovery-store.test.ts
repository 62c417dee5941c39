import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRecoveryStore } from '../../../../electron/node/recovery-store';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hta-recovery-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('recovery store', () => {
  it('round-trips text with the time it was saved, creating its folder', async () => {
    const store = createRecoveryStore({ dir: join(dir, 'recovery'), now: () => new Date('2025-03-04T05:06:07.000Z') });
    expect(await store.read()).toBeNull();
    await store.write('{"model":1}');
    expect(await store.read()).toEqual({ text: '{"model":1}', savedAt: '2025-03-04T05:06:07.000Z' });
    await store.write('{"model":2}');
    expect((await store.read())?.text).toBe('{"model":2}');
    expect(await readdir(join(dir, 'recovery'))).toEqual(['unsaved-model.json']);
  });

  it('clears, and clearing twice is fine', async () => {
    const store = createRecoveryStore({ dir });
    await store.write('x');
    await store.clear();
    await store.clear();
    expect(await store.read()).toBeNull();
  });

  it('ignores a corrupt or foreign recovery file', async () => {
    const store = createRecoveryStore({ dir });
    for (const content of ['{not json', '[]', '{"version":2,"savedAt":"2025-01-01T00:00:00Z","text":"x"}', '{"version":1,"savedAt":"yesterday","text":"x"}']) {
      await writeFile(join(dir, 'unsaved-model.json'), content);
      expect(await store.read()).toBeNull();
    }
  });
});
