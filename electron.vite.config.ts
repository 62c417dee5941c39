// electron-vite build: main → out/main/index.js (ESM), preload → out/preload/index.cjs
// (CommonJS, because a sandboxed preload cannot load ES modules), renderer → out/renderer.
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: { input: { index: resolve(root, 'electron/main/main.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Everything in one file: the sandbox has no require() for our modules or node_modules.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'electron/preload/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      minify: true,
      rolldownOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
    worker: { format: 'es' },
  },
});
