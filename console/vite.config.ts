import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The ops console: built into console/dist, which the web role serves at /console. `npm run dev:console`
// serves it with hot reload and passes the API and sign-in through to a Helix on HELIX_URL.
const helix = process.env.HELIX_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: path.dirname(new URL(import.meta.url).pathname),
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: process.env.CONSOLE_OUT_DIR ?? 'dist',
    emptyOutDir: true,
    // Pages load on demand; the first load carries the shell and the overview only. The largest chunk is
    // the FAQ page's chart (ECharts core, bar chart, SVG renderer: ~470 KB, ~160 KB gzip), loaded with it.
    chunkSizeWarningLimit: 500,
  },
  server: {
    proxy: { '/api': helix, '/auth': helix, '/admin': helix },
  },
});
