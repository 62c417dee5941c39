/**
 * The dependency rule: models/ is pure TypeScript (no DOM, Node, Electron or React), the renderer
 * never imports electron/, and the CLI never imports the electron module.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/load';

function sources(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|tsx)$/.test(e.name)) out.push(p);
    }
  };
  walk(repoRoot + dir);
  return out;
}

const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);

describe('architecture', () => {
  it('models/ imports no platform module', () => {
    const bad = sources('models').flatMap((f) =>
      importsOf(f)
        .filter((m) => /^(node:|fs$|path$|os$|child_process$|worker_threads$|electron|react)/.test(m) || m.includes('/renderer/') || m.includes('/electron/') || m.includes('/cli/'))
        .map((m) => `${f.slice(repoRoot.length)} imports ${m}`),
    );
    expect(bad).toEqual([]);
  });

  it('models/ does not use eval or Function on anything', () => {
    const bad = sources('models').filter((f) => /\beval\s*\(|new\s+Function\s*\(/.test(readFileSync(f, 'utf8')));
    expect(bad).toEqual([]);
  });

  it('renderer/ never imports electron/ or the electron module', () => {
    const bad = sources('renderer').flatMap((f) => importsOf(f).filter((m) => m === 'electron' || m.includes('/electron/')).map((m) => `${f} imports ${m}`));
    expect(bad).toEqual([]);
  });

  it('cli/ never imports the electron module', () => {
    const bad = sources('cli').flatMap((f) => importsOf(f).filter((m) => m === 'electron' || m.includes('electron/main')).map((m) => `${f} imports ${m}`));
    expect(bad).toEqual([]);
  });
});
