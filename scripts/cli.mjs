#!/usr/bin/env node
// Runs the TypeScript CLI with no manual build step: bundles cli/ with esbuild into
// node_modules/.cache/hta-cli when any source is newer than the bundle (about 0.1 s), then runs it.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'node_modules', '.cache', 'hta-cli');
const entries = { cli: 'cli/main.ts', 'psa-worker': 'cli/psa-worker.ts' };
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
  newest = Math.max(newest, statSync(fileURLToPath(import.meta.url)).mtimeMs);
  return newest;
}

const bundle = join(outDir, 'cli.mjs');
const stale = !existsSync(bundle) || statSync(bundle).mtimeMs < newestSource();
if (stale) {
  // esbuild is loaded only when a rebuild is needed, to keep start-up fast.
  const { build } = await import('esbuild');
  await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(entries).filter(([, p]) => existsSync(join(root, p)))),
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    // Dynamic imports (the spreadsheet writer) become separate chunks that load only when used.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    target: 'node20',
    // Pure-JS dependencies are bundled (one file loads much faster than zod's hundred modules);
    // large or native ones stay external and load only when a command needs them.
    external: ['exceljs', '@napi-rs/canvas', 'chart.js', 'esbuild', 'electron'],
    sourcemap: false,
    logLevel: 'error',
    // Bundled ESM still needs require() for CommonJS dependencies such as jstat.
    banner: { js: "import { createRequire as __hta_createRequire } from 'node:module'; const require = __hta_createRequire(import.meta.url);" },
  });
}
const { main } = await import(pathToFileURL(bundle).href);
process.exitCode = await main(process.argv.slice(2));
