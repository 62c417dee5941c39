// The File > Open Recent list, kept as a small JSON file. The file is validated on
// read: a corrupt or hand-edited list yields the valid entries or nothing, never a crash.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './write-file-atomic';

export const MAX_RECENT_FILES = 10;

export type RecentFilesStore = {
  list(): Promise<string[]>;
  add(path: string): Promise<string[]>;
  remove(path: string): Promise<string[]>;
  clear(): Promise<string[]>;
};

const RecentFile = z.object({ version: z.literal(1), paths: z.array(z.unknown()) });

export function createRecentFilesStore({
  file,
  max = MAX_RECENT_FILES,
}: {
  file: string;
  max?: number;
}): RecentFilesStore {
  async function save(paths: string[]): Promise<string[]> {
    await mkdir(dirname(file), { recursive: true });
    await writeFileAtomic(file, JSON.stringify({ version: 1, paths }, null, 2), { backup: false });
    return paths;
  }
  // Serialise read-modify-write so two quick opens cannot drop an entry.
  let queue: Promise<unknown> = Promise.resolve();
  function serially<T>(task: () => Promise<T>): Promise<T> {
    const next = queue.then(task, task);
    queue = next.catch(() => undefined);
    return next;
  }
  async function list(): Promise<string[]> {
    let raw: string;
    try {
      raw = await readFile(file, 'utf8');
    } catch {
      return [];
    }
    return parseRecentFiles(raw, max);
  }
  return {
    list,
    add: (path) => serially(async () => save(addRecentFile(await list(), path, max))),
    remove: (path) => serially(async () => save((await list()).filter((entry) => entry !== path))),
    clear: () => serially(() => save([])),
  };
}

/** Most recent first, no duplicates, at most `max`. */
export function addRecentFile(paths: readonly string[], path: string, max = MAX_RECENT_FILES): string[] {
  return [path, ...paths.filter((entry) => entry !== path)].slice(0, max);
}

export function parseRecentFiles(raw: string, max = MAX_RECENT_FILES): string[] {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return [];
  }
  const parsed = RecentFile.safeParse(json);
  if (!parsed.success) return [];
  const valid = parsed.data.paths.filter(isUsablePath);
  return [...new Set(valid)].slice(0, max);
}

function isUsablePath(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 4096 && !value.includes('\0') && isAbsolute(value);
}
