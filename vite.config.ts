// Web build of the renderer (`npm run web`, `npm run build:web`): the same UI the Electron shell
// loads, served to a plain browser (end-to-end tests drive it in headless Chromium).
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { type Plugin, defineConfig } from 'vite';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * index.html carries the strict production CSP. The dev server needs inline scripts (React Fast
 * Refresh preamble) and inline <style> tags (CSS hot reload), so in `vite` dev only, and never in
 * a build, the policy is relaxed for those two directives.
 */
function devCspRelax(): Plugin {
  return {
    name: 'hta-dev-csp-relax',
    apply: 'serve',
    transformIndexHtml(html) {
      return html
        .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
        .replace("default-src 'self'", "default-src 'self' ws: http://localhost:* http://127.0.0.1:*");
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [react(), devCspRelax()],
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    // No inline base64 assets: img-src allows data:, but keeping files separate keeps the CSP simple.
    assetsInlineLimit: 0,
  },
  server: { fs: { allow: [repoRoot] } },
});
