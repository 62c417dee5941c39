// Builds the CLI bundle for scripts/cli.mjs (which imports this module only when a rebuild is needed).
//
// Output: node_modules/.cache/hta-cli/cli.mjs and psa-worker.mjs (the entry points) next to the
// shared chunks, whose names carry a content hash. The directory is cleaned on every rebuild, but
// safely for CLI processes running at the same time (another terminal, parallel tests):
// - every file is written to a temporary name and renamed into place, chunks before the entry
//   points, so a process never imports a half-written file or an entry whose chunks are missing;
// - a file that the new build does not produce is deleted only once it has been out of use for
//   STALE_GRACE_MS (manifest.json records since when), because a process started on the previous
//   build imports its chunks lazily (a command's module, the --out writer, the PSA worker).
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const entries = { cli: 'cli/main.ts', 'psa-worker': 'cli/psa-worker.ts' };
const STALE_GRACE_MS = 60 * 60 * 1000;
const MANIFEST = 'manifest.json';

export async function buildCli(root, outDir) {
  // Sources changed after this moment (even while esbuild reads them) make the next run rebuild.
  const started = Date.now();
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(entries).filter(([, p]) => statSync(join(root, p), { throwIfNoEntry: false }))),
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    // Each command (cli/commands/registry.ts imports them lazily) and the spreadsheet writer become
    // separate chunks that load only when used. Chunks sit next to the entry points, so that
    // import.meta.url-relative paths in the CLI sources (the PSA worker) resolve the same way.
    splitting: true,
    chunkNames: '[name]-[hash]',
    target: 'node20',
    // Pure-JS dependencies are bundled (one file loads much faster than zod's hundred modules);
    // large or native ones stay external and load only when a command needs them.
    external: ['exceljs', '@napi-rs/canvas', 'chart.js', 'esbuild', 'electron'],
    sourcemap: false,
    logLevel: 'error',
    write: false,
    // Bundled ESM still needs require() for CommonJS dependencies such as jstat.
    banner: { js: "import { createRequire as __hta_createRequire } from 'node:module'; const require = __hta_createRequire(import.meta.url);" },
  });

  mkdirSync(outDir, { recursive: true });
  const entryFiles = new Set(Object.keys(entries).map((name) => `${name}.mjs`));
  const files = result.outputFiles.map((f) => ({ name: basename(f.path), contents: f.contents }));
  const produced = new Set(files.map((f) => f.name));
  // Chunks first (a hashed name that exists with the same size already has this content), then the entry points.
  for (const f of files.filter((f) => !entryFiles.has(f.name))) {
    if (statSync(join(outDir, f.name), { throwIfNoEntry: false })?.size !== f.contents.length) writeAtomic(join(outDir, f.name), f.contents);
  }
  for (const f of files.filter((f) => entryFiles.has(f.name))) writeAtomic(join(outDir, f.name), f.contents);
  // The bundle's time is the build's start: scripts/cli.mjs rebuilds when a source is newer.
  const stamp = (started - 20) / 1000; // file times lag the clock by up to a tick
  utimesSync(join(outDir, 'cli.mjs'), stamp, stamp);

  // Clean up: everything this build did not produce (old chunks, the old chunks/ folder, files
  // left by an interrupted build) goes once it has been superseded for longer than the grace time.
  let previous = { superseded: {} };
  try {
    previous = JSON.parse(readFileSync(join(outDir, MANIFEST), 'utf8'));
  } catch {
    /* first build, or an older layout: everything not produced now is superseded from now */
  }
  const now = Date.now();
  const superseded = {};
  for (const name of readdirSync(outDir)) {
    if (produced.has(name) || name === MANIFEST || isTemporary(name, now, outDir)) continue;
    const since = Number(previous.superseded?.[name] ?? now);
    if (now - since > STALE_GRACE_MS) rmSync(join(outDir, name), { recursive: true, force: true });
    else superseded[name] = since;
  }
  writeAtomic(join(outDir, MANIFEST), JSON.stringify({ files: [...produced].sort(), superseded }, null, 1) + '\n');
}

/** Write to a temporary file in the same folder, then rename: readers see the old file or the new one. */
function writeAtomic(path, contents) {
  const tmp = `${path}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}

/** A temporary file of a build in progress (kept), or one left by a build that died long ago (deleted). */
function isTemporary(name, now, outDir) {
  if (!name.endsWith('.tmp')) return false;
  const path = join(outDir, name);
  const age = now - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? now);
  if (age > STALE_GRACE_MS) rmSync(path, { force: true });
  return true;
}
