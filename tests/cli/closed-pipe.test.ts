/**
 * `cli psa ... | head`: the reader closes the pipe after a few bytes. The CLI must stop quietly
 * (exit 0, nothing on stderr) instead of dying on an unhandled EPIPE with a stack trace.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = join(__dirname, '..', '..');

describe('CLI output into a pipe that closes early', () => {
  it('exits 0 without a stack trace', async () => {
    const child = spawn(process.execPath, [join(repoRoot, 'scripts/cli.mjs'), 'psa', 'models/examples/lit-vs-systemic.model.json', '--n', '3000', '--seed', '1', '--json', '--workers', '1'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    // Like `head -c 100`: read the first chunk, then close our end of the pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(code).toBe(0);
  }, 120_000);
});
