import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelFileReadError, readModelFile } from '../../../../electron/node/read-model-file';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hta-read-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readModelFile', () => {
  it('returns name, path and text of a UTF-8 file', async () => {
    const path = join(dir, 'lit.model.json');
    await writeFile(path, '{"name":"Ménière – ß"}');
    expect(await readModelFile(path)).toEqual({ name: 'lit.model.json', path, text: '{"name":"Ménière – ß"}' });
  });

  it('drops a UTF-8 byte-order mark', async () => {
    const path = join(dir, 'bom.json');
    await writeFile(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{}')]));
    expect((await readModelFile(path)).text).toBe('{}');
  });

  it('refuses a file over the size limit with the sizes in the message', async () => {
    const path = join(dir, 'big.json');
    await writeFile(path, 'x'.repeat(3 * 1024 * 1024));
    const read = readModelFile(path, { maxBytes: 2 * 1024 * 1024 });
    await expect(read).rejects.toBeInstanceOf(ModelFileReadError);
    await expect(read).rejects.toThrow('"big.json" is 3.0 MB; model files larger than 2.0 MB are refused.');
  });

  it('refuses a binary file', async () => {
    const path = join(dir, 'image.json');
    await writeFile(path, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    await expect(readModelFile(path)).rejects.toThrow(/looks like a binary file/);
  });

  it('refuses text that is not UTF-8', async () => {
    const path = join(dir, 'latin1.json');
    await writeFile(path, Buffer.from('{"name":"M\xe9ni\xe8re"}', 'latin1'));
    await expect(readModelFile(path)).rejects.toThrow('"latin1.json" is not UTF-8 text. Save it as UTF-8 JSON and open it again.');
  });

  it('explains a missing file and a folder', async () => {
    await expect(readModelFile(join(dir, 'gone.json'))).rejects.toThrow('"gone.json" no longer exists.');
    await mkdir(join(dir, 'folder.json'));
    await expect(readModelFile(join(dir, 'folder.json'))).rejects.toThrow(/is not a file|is a folder/);
  });
});
