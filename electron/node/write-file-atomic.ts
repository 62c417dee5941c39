// Crash-safe file replacement. Plain Node with no dependencies, so the CLI and the
// crash test (which bundles this file for a child process) can use it as it is.
import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { copyFile, link, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export type WriteFileAtomicOptions = {
  /** Keep the version being replaced as `<name>.bak` (default true). */
  backup?: boolean;
};

export const BACKUP_SUFFIX = '.bak';

/**
 * Replace `targetPath` so that, whatever moment the process or machine dies, the file
 * is either the complete previous version or the complete new one:
 * 1. write a temp file in the same directory (rename is only atomic within one file system) and fsync it;
 * 2. keep the previous version as `<name>.bak` (hard link, so no copy and no torn backup);
 * 3. rename the temp file over the target;
 * 4. fsync the directory so the rename itself survives a power cut.
 */
export async function writeFileAtomic(
  targetPath: string,
  data: string | Uint8Array,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const target = await resolveSymlink(targetPath);
  const dir = dirname(target);
  const previous = await statOrNull(target);
  if (previous && !previous.isFile()) throw new Error(`${target} is not a regular file.`);

  const temp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeAndSync(temp, data, previous ? previous.mode & 0o777 : 0o666);
    if (previous && options.backup !== false) await replaceBackup(target);
    await renameWithRetry(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}

async function writeAndSync(path: string, data: string | Uint8Array, mode: number): Promise<void> {
  // 'wx': never follow or reuse an existing file at the temp name.
  const handle = await open(path, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function replaceBackup(target: string): Promise<void> {
  const backup = target + BACKUP_SUFFIX;
  const pending = `${backup}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await link(target, pending);
  } catch {
    // Some file systems (FAT, some network shares) have no hard links.
    await copyFile(target, pending, fsConstants.COPYFILE_EXCL);
  }
  try {
    await renameWithRetry(pending, backup);
  } catch (error) {
    await unlink(pending).catch(() => undefined);
    throw error;
  }
}

async function resolveSymlink(path: string): Promise<string> {
  // Replace the file a link points to, not the link itself.
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}

async function statOrNull(path: string) {
  try {
    return await stat(path);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return null;
    throw error;
  }
}

async function renameWithRetry(from: string, to: string): Promise<void> {
  // On Windows a virus scanner or indexer briefly holding the target makes rename fail.
  const transient = ['EPERM', 'EACCES', 'EBUSY'];
  for (let attempt = 0; ; attempt += 1) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const retry = process.platform === 'win32' && attempt < 5 && transient.some((code) => isErrno(error, code));
      if (!retry) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
    }
  }
}

async function syncDirectory(dir: string): Promise<void> {
  // Directories cannot be opened for fsync on Windows; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some file systems refuse fsync on a directory; the data itself is already synced.
    if (!isErrno(error, 'EINVAL') && !isErrno(error, 'ENOTSUP')) throw error;
  } finally {
    await handle.close();
  }
}

function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
