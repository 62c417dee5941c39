#!/usr/bin/env node
// Runs the TypeScript CLI with no manual build step: bundles cli/ with esbuild into
// node_modules/.cache/hta-cli when any source is newer than the bundle (scripts/cli-build.mjs,
// about 1 s), then runs it. The entry point holds only the command registry; the code of the
// command that runs loads through a V8 code cache (see scripts/cli-build.mjs).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'node_modules', '.cache', 'hta-cli');
const sourceDirs = ['models', 'cli', 'electron/node'];

function newestSource() {
  let newest = statSync(join(root, 'package.json')).mtimeMs;
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|json)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of sourceDirs) walk(join(root, dir));
  // This launcher and the build script count as sources: a change to the build options rebuilds.
  for (const script of ['cli.mjs', 'cli-build.mjs']) newest = Math.max(newest, statSync(join(root, 'scripts', script)).mtimeMs);
  return newest;
}

const bundle = join(outDir, 'cli.mjs');
let bundleTime = -Infinity;
try {
  bundleTime = statSync(bundle).mtimeMs;
} catch {
  /* not built yet */
}
if (bundleTime < newestSource()) {
  // The build code (and esbuild) load only when a rebuild is needed, to keep start-up fast.
  const { buildCli } = await import('./cli-build.mjs');
  await buildCli(root, outDir);
}
const { main } = await import(pathToFileURL(bundle).href);
process.exitCode = await main(process.argv.slice(2));
