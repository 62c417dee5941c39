/**
 * Supply-chain guard (npm audit cannot reach its endpoint here): the lockfile must not contain a
 * package with a known unfixed advisory. Each entry names the advisory; add to the list when one
 * is published, remove when a fixed version is on npm and the range below excludes it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/load';

const BANNED: { name: string; versions: (v: string) => boolean; why: string }[] = [
  { name: 'xlsx', versions: () => true, why: 'npm xlsx is frozen at 0.18.5: GHSA-4r6h-8v6p-xvw6 (prototype pollution), GHSA-5pgg-2g8v-p4x9 (ReDoS), no fixed release on npm' },
  { name: 'expr-eval', versions: () => true, why: 'GHSA-8gw3-rxh4-v6jx (prototype pollution → code execution), GHSA-jc85-fpwf-qm7x; unmaintained, no fixed release' },
  { name: 'static-eval', versions: (v) => /^[01]\./.test(v) || /^2\.0\.[01]$/.test(v), why: 'sandbox escape in versions before 2.0.2' },
  { name: 'safe-eval', versions: () => true, why: 'sandbox escape, unmaintained' },
  { name: 'vm2', versions: () => true, why: 'discontinued after repeated sandbox escapes' },
];

describe('dependencies', () => {
  const lock = JSON.parse(readFileSync(repoRoot + 'package-lock.json', 'utf8')) as { packages: Record<string, { version?: string }> };
  for (const banned of BANNED) {
    it(`the lockfile does not contain ${banned.name} (${banned.why})`, () => {
      const hits = Object.entries(lock.packages)
        .filter(([path, meta]) => path.split('node_modules/').pop() === banned.name && banned.versions(meta.version ?? ''))
        .map(([path, meta]) => `${path}@${meta.version}`);
      expect(hits).toEqual([]);
    });
  }
});
