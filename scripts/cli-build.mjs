// Builds the CLI bundle for scripts/cli.mjs (which imports this module only when a rebuild is needed).
//
// Output, all in node_modules/.cache/hta-cli:
// - cli.mjs: the entry point, cli/main.ts with the command registry (ES module, a few kB, so that
//   `--help` loads no engine code);
// - commands-<hash>.cjs: one CommonJS bundle with every command module that the registry imports,
//   each initialised (with the engine code it needs) only when that command runs; and
//   psa-worker-<hash>.cjs, which the psa-worker.mjs entry loads in each PSA worker thread;
// - load-cached.cjs: runs those bundles through vm.Script with a V8 code cache per command
//   (<bundle>.<command>.cache, written at the end of that command's first run; Node 20 has no
//   compile cache for modules). With it, V8 neither parses the 2 MB bundle nor compiles again the
//   functions that the command compiled before: a cold `psa` starts about 60 ms sooner. A cache that
//   V8 rejects (another Node version, other V8 flags) is ignored and rewritten. Bundle names carry
//   a content hash, so a cache always belongs to the bundle it was made from (V8 itself only checks
//   the source length).
//
// The directory is cleaned on every rebuild, but safely for CLI processes running at the same time
// (another terminal, parallel tests):
// - every file is written to a temporary name and renamed into place, the bundles before the entry
//   points, so a process never loads a half-written file or an entry whose bundles are missing;
// - a file that the new build does not produce is deleted only once it has been out of use for
//   STALE_GRACE_MS (manifest.json records since when), because a process started on the previous
//   build may still be about to load its command bundle.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const STALE_GRACE_MS = 10 * 60 * 1000;
const MANIFEST = 'manifest.json';
const REGISTRY = 'cli/commands/registry.ts';
const LOADER = 'load-cached.cjs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // Pure-JS dependencies are bundled (one file loads much faster than zod's hundred modules);
  // large or native ones stay external and load only when a command needs them.
  external: ['exceljs', '@napi-rs/canvas', 'chart.js', 'esbuild', 'electron'],
  sourcemap: false,
  logLevel: 'error',
  write: false,
};

export async function buildCli(root, outDir) {
  // Sources changed after this moment (even while esbuild reads them) make the next run rebuild.
  const started = Date.now();
  const { build } = await import('esbuild');

  // 1. One CommonJS bundle with every command module the registry imports (`import('./name')`),
  //    each initialised only when required, and one for the PSA worker.
  const registry = readFileSync(join(root, REGISTRY), 'utf8');
  const commandModules = [...new Set([...registry.matchAll(/import\(\s*'\.\/([\w-]+)'\s*\)/g)].map((m) => m[1]))];
  const commandsEntry = commandModules.map((name) => `exports[${JSON.stringify(name)}] = () => require('./cli/commands/${name}.ts');`).join('\n');
  const bundles = await build({
    ...common,
    absWorkingDir: root,
    entryPoints: { commands: 'hta:commands', 'psa-worker': 'cli/psa-worker.ts' },
    outdir: outDir,
    entryNames: '[name]-[hash]',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    metafile: true,
    plugins: [
      {
        name: 'hta-commands-entry',
        setup(b) {
          b.onResolve({ filter: /^hta:commands$/ }, () => ({ path: 'commands', namespace: 'hta-commands' }));
          b.onLoad({ filter: /.*/, namespace: 'hta-commands' }, () => ({ contents: commandsEntry, loader: 'js', resolveDir: root }));
        },
      },
    ],
    // load-cached.cjs passes each bundle's file URL (the CLI sources locate the PSA worker and the
    // repository from it).
    define: { 'import.meta.url': '__hta_import_meta_url' },
  });
  const unsupported = bundles.warnings.filter((w) => /import\.meta/.test(w.text));
  if (unsupported.length > 0) throw new Error(`scripts/cli-build.mjs: ${unsupported[0].text} (${unsupported[0].location?.file}); only import.meta.url is provided to the CLI bundles`);
  const bundleOf = new Map(); // entry point -> bundle file name
  for (const [path, output] of Object.entries(bundles.metafile.outputs)) if (output.entryPoint) bundleOf.set(output.entryPoint, basename(path));
  const commandsBundle = bundleOf.get('hta-commands:commands');
  const workerBundle = bundleOf.get('cli/psa-worker.ts');

  // 2. The entry point: cli/main.ts, with each command import of the registry replaced by
  //    requiring that command from the commands bundle (with that command's code cache).
  const commandsPlugin = {
    name: 'hta-command-bundles',
    setup(b) {
      b.onResolve({ filter: /^\.\/load-cached\.cjs$/ }, (args) => ({ path: args.path, external: true }));
      b.onResolve({ filter: /^\.\/[\w-]+$/ }, (args) => {
        if (args.kind !== 'dynamic-import' || !args.importer.replaceAll('\\', '/').endsWith(REGISTRY)) return undefined;
        const name = args.path.slice(2);
        if (!commandModules.includes(name)) return { errors: [{ text: `scripts/cli-build.mjs finds command modules as import('./name') in ${REGISTRY}; not ${args.path}` }] };
        return { path: name, namespace: 'hta-command' };
      });
      // CommonJS, so that the registry's `(await import('./psa')).psaCommand` sees the module's exports.
      b.onLoad({ filter: /.*/, namespace: 'hta-command' }, (args) => ({
        contents: `module.exports = require('./${LOADER}').loadBundle(${JSON.stringify(commandsBundle)}, ${JSON.stringify(args.path)})[${JSON.stringify(args.path)}]();`,
        loader: 'js',
      }));
    },
  };
  const entry = await build({
    ...common,
    absWorkingDir: root,
    entryPoints: { cli: 'cli/main.ts' },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    plugins: [commandsPlugin],
    // The command loader is required from the ES module.
    banner: { js: "import { createRequire as __hta_createRequire } from 'node:module'; const require = __hta_createRequire(import.meta.url);" },
  });
  const workerEntry = `// Generated by scripts/cli-build.mjs: the PSA worker thread (cli/psa-worker.ts).\nimport { createRequire } from 'node:module';\ncreateRequire(import.meta.url)('./${LOADER}').loadBundle(${JSON.stringify(workerBundle)}, 'worker');\n`;

  mkdirSync(outDir, { recursive: true });
  const files = [...bundles.outputFiles, ...entry.outputFiles].map((f) => ({ name: basename(f.path), contents: f.contents }));
  files.push({ name: LOADER, contents: LOADER_SOURCE });
  files.push({ name: 'psa-worker.mjs', contents: workerEntry });
  const entryFiles = new Set(['cli.mjs', 'psa-worker.mjs']);
  // Bundles first (a hashed name that exists with the same size already has this content), then the entry points.
  for (const f of files.filter((f) => !entryFiles.has(f.name))) {
    const size = typeof f.contents === 'string' ? Buffer.byteLength(f.contents) : f.contents.length;
    if (f.name === LOADER || statSync(join(outDir, f.name), { throwIfNoEntry: false })?.size !== size) writeAtomic(join(outDir, f.name), f.contents);
  }
  for (const f of files.filter((f) => entryFiles.has(f.name))) writeAtomic(join(outDir, f.name), f.contents);
  // The bundle's time is the build's start: scripts/cli.mjs rebuilds when a source is newer.
  const stamp = (started - 20) / 1000; // file times lag the clock by up to a tick
  utimesSync(join(outDir, 'cli.mjs'), stamp, stamp);

  // Clean up: everything this build did not produce (old bundles and their code caches, the old
  // chunks/ folder, files left by an interrupted build) goes once it has been superseded for longer
  // than the grace time. The code cache of a current bundle stays.
  const produced = new Set(files.map((f) => f.name));
  let previous = { superseded: {} };
  try {
    previous = JSON.parse(readFileSync(join(outDir, MANIFEST), 'utf8'));
  } catch {
    /* first build, or an older layout: everything not produced now is superseded from now */
  }
  const now = Date.now();
  const superseded = {};
  for (const name of readdirSync(outDir)) {
    if (produced.has(name) || produced.has(name.replace(/\.[\w-]+\.cache$/, '')) || name === MANIFEST || isTemporary(name, now, outDir)) continue;
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

const LOADER_SOURCE = `'use strict';
// Generated by scripts/cli-build.mjs. Runs a CommonJS bundle of the CLI with a V8 code cache.
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const vm = require('node:vm');
const { isMainThread } = require('node:worker_threads');

const loaded = new Map();

/**
 * Runs a bundle once per process and returns its exports. \`key\` names the code cache
 * (<bundle>.<key>.cache): one per command, holding what that command compiled on its first run.
 */
exports.loadBundle = function loadBundle(file, key) {
  const path = join(__dirname, file);
  if (loaded.has(path)) return loaded.get(path);
  const cachePath = path + '.' + key + '.cache';
  const source = readFileSync(path, 'utf8');
  let cachedData;
  try {
    cachedData = readFileSync(cachePath);
  } catch {
    // not written yet
  }
  const script = new vm.Script('(function (exports, require, module, __filename, __dirname, __hta_import_meta_url) {' + source + '\\n})', {
    filename: path,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(path), module, path, __dirname, pathToFileURL(path).href);
  loaded.set(path, module.exports);
  if (cachedData === undefined || script.cachedDataRejected) {
    // Written at exit, so that it holds the functions this run compiled; a worker thread writes it
    // now (it is usually terminated, without an exit event).
    if (isMainThread) process.once('exit', () => writeCache(cachePath, script));
    else writeCache(cachePath, script);
  }
  return module.exports;
};

function writeCache(cachePath, script) {
  const tmp = cachePath + '.' + process.pid + '-' + Math.random().toString(36).slice(2) + '.tmp';
  try {
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, cachePath);
  } catch {
    // a read-only or full disk: run without the cache
  }
}
`;
