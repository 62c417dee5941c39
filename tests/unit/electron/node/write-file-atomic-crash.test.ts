// Kills a child process with SIGKILL at random (seeded) moments while it alternately
// writes two large versions of a file, and checks the file is always one complete
// version: never empty, truncated or mixed.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 as seeded } from '../../../helpers/seeded-random';

const SIZE = 2 * 1024 * 1024;
const KILLS = 24;
const versionA = JSON.stringify({ version: 'a', fill: 'a'.repeat(SIZE) });
const versionB = JSON.stringify({ version: 'b', fill: 'b'.repeat(SIZE) });

const CHILD = `
import { writeFileAtomic } from './write-file-atomic.mjs';
const [target, size] = process.argv.slice(2);
const a = JSON.stringify({ version: 'a', fill: 'a'.repeat(Number(size)) });
const b = JSON.stringify({ version: 'b', fill: 'b'.repeat(Number(size)) });
process.stdout.write('ready\\n');
for (let i = 0; ; i += 1) {
  await writeFileAtomic(target, i % 2 === 0 ? b : a);
  process.stdout.write('w\\n');
}
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hta-crash-'));
  buildSync({
    entryPoints: [resolve(import.meta.dirname, '../../../../electron/node/write-file-atomic.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: join(dir, 'write-file-atomic.mjs'),
    logLevel: 'silent',
  });
  await writeFile(join(dir, 'child.mjs'), CHILD);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Run = { writes: number };

function runAndKill(target: string, delayMs: number): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(dir, 'child.mjs'), target, String(SIZE)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let writes = 0;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) {
        if (line === 'ready' && !timer) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
        if (line === 'w') writes += 1;
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child ended without being killed (signal ${signal})`));
      else resolvePromise({ writes });
    });
  });
}

describe.skipIf(process.platform === 'win32')('writeFileAtomic under SIGKILL', () => {
  it(`leaves a complete old or new version after each of ${KILLS} kills`, async () => {
    const target = join(dir, 'model.json');
    await writeFile(target, versionA);
    const random = seeded(20240607);
    let totalWrites = 0;
    const seen = new Set<string>();
    for (let kill = 0; kill < KILLS; kill += 1) {
      // A 2 MB write plus fsyncs takes about 20–80 ms here, so kills at 0–300 ms after
      // start-up land before the first write, mostly inside writes, and between them.
      const delayMs = Math.floor(random() * 300);
      const { writes } = await runAndKill(target, delayMs);
      totalWrites += writes;
      const content = await readFile(target, 'utf8');
      const ok = content === versionA || content === versionB;
      expect(ok, `kill ${kill} after ${delayMs} ms left ${content.length} chars starting ${JSON.stringify(content.slice(0, 24))}`).toBe(true);
      seen.add(content === versionA ? 'a' : 'b');
      // The backup, when there is one, is also always complete.
      const backup = await readFile(`${target}.bak`, 'utf8').catch(() => null);
      if (backup !== null) expect(backup === versionA || backup === versionB).toBe(true);
    }
    // The test means something only if the child really was writing when killed.
    expect(totalWrites).toBeGreaterThan(KILLS);
    expect(seen.size).toBe(2);
  });
});
