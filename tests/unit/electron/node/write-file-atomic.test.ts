import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../../electron/node/write-file-atomic';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hta-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('creates a new file without a backup', async () => {
    const target = join(dir, 'model.json');
    await writeFileAtomic(target, '{"v":1}');
    expect(await readFile(target, 'utf8')).toBe('{"v":1}');
    expect(await readdir(dir)).toEqual(['model.json']);
  });

  it('keeps the previous version as <name>.bak and leaves no temp files', async () => {
    const target = join(dir, 'model.json');
    await writeFileAtomic(target, '{"v":1}');
    await writeFileAtomic(target, '{"v":2}');
    expect(await readFile(target, 'utf8')).toBe('{"v":2}');
    expect(await readFile(`${target}.bak`, 'utf8')).toBe('{"v":1}');
    await writeFileAtomic(target, '{"v":3}');
    expect(await readFile(`${target}.bak`, 'utf8')).toBe('{"v":2}');
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'model.json.bak']);
  });

  it('writes bytes and skips the backup when asked', async () => {
    const target = join(dir, 'export.xlsx');
    await writeFileAtomic(target, new Uint8Array([1, 2, 3]), { backup: false });
    await writeFileAtomic(target, new Uint8Array([4, 5]), { backup: false });
    expect([...(await readFile(target))]).toEqual([4, 5]);
    expect(await readdir(dir)).toEqual(['export.xlsx']);
  });

  it.skipIf(process.platform === 'win32')('keeps the permissions of the file it replaces', async () => {
    const target = join(dir, 'model.json');
    await writeFile(target, 'old');
    await chmod(target, 0o600);
    await writeFileAtomic(target, 'new');
    expect((await stat(target)).mode & 0o777).toBe(0o600);
  });

  it.skipIf(process.platform === 'win32')('replaces the file a symlink points to, not the link', async () => {
    const real = join(dir, 'real.json');
    const link = join(dir, 'link.json');
    await writeFile(real, 'old');
    await symlink(real, link);
    await writeFileAtomic(link, 'new');
    expect(await readFile(real, 'utf8')).toBe('new');
    expect(await readFile(`${real}.bak`, 'utf8')).toBe('old');
  });

  it('fails without touching anything when the folder does not exist', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'model.json'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses to replace a folder', async () => {
    await mkdir(join(dir, 'model.json'));
    await expect(writeFileAtomic(join(dir, 'model.json'), 'x')).rejects.toThrow(/not a regular file/);
    expect(await readdir(dir)).toEqual(['model.json']);
  });
});
