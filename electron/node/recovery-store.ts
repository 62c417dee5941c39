// Autosave of unsaved work, one file in an injected directory
// (main passes app.getPath('userData')/recovery). Plain Node for tests and reuse.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { MAX_MODEL_FILE_BYTES, type RecoveredWork } from '../../renderer/host/host-api';
import { writeFileAtomic } from './write-file-atomic';

export type RecoveryStore = {
  write(text: string): Promise<void>;
  read(): Promise<RecoveredWork | null>;
  clear(): Promise<void>;
};

const RECOVERY_FILE = 'unsaved-model.json';

const RecoveryRecord = z.strictObject({
  version: z.literal(1),
  savedAt: z.iso.datetime(),
  text: z.string(),
});

export function createRecoveryStore({
  dir,
  now = () => new Date(),
}: {
  dir: string;
  now?: () => Date;
}): RecoveryStore {
  const file = join(dir, RECOVERY_FILE);
  return {
    async write(text) {
      await mkdir(dir, { recursive: true });
      const record: z.infer<typeof RecoveryRecord> = { version: 1, savedAt: now().toISOString(), text };
      // No .bak: an older autosave is never wanted back.
      await writeFileAtomic(file, JSON.stringify(record), { backup: false });
    },
    async read() {
      let raw: string;
      try {
        raw = await readFile(file, 'utf8');
      } catch {
        return null;
      }
      // A corrupt or foreign recovery file is ignored rather than offered to the user.
      if (raw.length > MAX_MODEL_FILE_BYTES * 2) return null;
      try {
        const parsed = RecoveryRecord.safeParse(JSON.parse(raw));
        return parsed.success ? { text: parsed.data.text, savedAt: parsed.data.savedAt } : null;
      } catch {
        return null;
      }
    },
    async clear() {
      await rm(file, { force: true });
    },
  };
}
