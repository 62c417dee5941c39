import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addRecentFile, createRecentFilesStore, parseRecentFiles } from '../../../../electron/node/recent-files';

const abs = (name: string) => resolve('/models', name);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hta-recent-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('addRecentFile', () => {
  it('puts the newest first, removes the duplicate and caps the list', () => {
    const start = Array.from({ length: 10 }, (_, i) => abs(`m${i}.json`));
    const next = addRecentFile(start, abs('m5.json'), 10);
    expect(next[0]).toBe(abs('m5.json'));
    expect(next.filter((p) => p === abs('m5.json'))).toHaveLength(1);
    expect(next).toHaveLength(10);
    const capped = addRecentFile(start, abs('new.json'), 10);
    expect(capped).toHaveLength(10);
    expect(capped).not.toContain(abs('m9.json'));
  });
});

describe('parseRecentFiles', () => {
  it('returns nothing for corrupt or foreign content', () => {
    for (const raw of ['', '{', 'null', '[]', '{"version":2,"paths":[]}', '{"paths":"x"}']) {
      expect(parseRecentFiles(raw)).toEqual([]);
    }
  });

  it('keeps only usable absolute paths, without duplicates, up to the cap', () => {
    const raw = JSON.stringify({
      version: 1,
      paths: [abs('a.json'), 'relative.json', 42, null, '', 'x\u0000y', abs('a.json'), abs('b.json'), abs('c.json')],
    });
    expect(parseRecentFiles(raw, 2)).toEqual([abs('a.json'), abs('b.json')]);
  });
});

describe('recent files store', () => {
  it('persists additions, removals and clearing', async () => {
    const file = join(dir, 'sub', 'recent.json');
    const store = createRecentFilesStore({ file, max: 3 });
    expect(await store.list()).toEqual([]);
    await store.add(abs('a.json'));
    await store.add(abs('b.json'));
    await store.add(abs('c.json'));
    expect(await store.add(abs('d.json'))).toEqual([abs('d.json'), abs('c.json'), abs('b.json')]);
    expect(await createRecentFilesStore({ file, max: 3 }).list()).toEqual([abs('d.json'), abs('c.json'), abs('b.json')]);
    expect(await store.remove(abs('c.json'))).toEqual([abs('d.json'), abs('b.json')]);
    expect(await store.clear()).toEqual([]);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ version: 1, paths: [] });
  });

  it('does not lose entries when additions overlap', async () => {
    const store = createRecentFilesStore({ file: join(dir, 'recent.json') });
    await Promise.all([store.add(abs('a.json')), store.add(abs('b.json')), store.add(abs('c.json'))]);
    expect(await store.list()).toEqual([abs('c.json'), abs('b.json'), abs('a.json')]);
  });

  it('starts over from a corrupted file', async () => {
    const file = join(dir, 'recent.json');
    await writeFile(file, '{"version":1,"paths":[');
    const store = createRecentFilesStore({ file });
    expect(await store.list()).toEqual([]);
    expect(await store.add(abs('a.json'))).toEqual([abs('a.json')]);
  });
});
