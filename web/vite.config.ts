import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The portal is served by the API server itself (same origin): hashed files under /assets/ are cached for a year.
export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  plugins: [react()],
  // esbuild minifies CSS: lightningcss rejects an old IE hack in GOV.UK Frontend, (min-width: 0\0).
  build: { outDir: 'dist', emptyOutDir: true, assetsDir: 'assets', sourcemap: true, cssMinify: 'esbuild' },
  css: { preprocessorOptions: { scss: { quietDeps: true, silenceDeprecations: ['import', 'global-builtin'] } } },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
