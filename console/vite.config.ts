import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The ops console: built into console/dist, which the web role serves at /console. `npm run dev:console`
// serves it with hot reload and passes the API and sign-in through to a Helix on HELIX_URL.
// Two pages share one build: the console (index.html) and the RM sidebar (sidebar.html, served at /sidebar).
const helix = process.env.HELIX_URL ?? 'http://localhost:3000';
const root = path.dirname(new URL(import.meta.url).pathname);

export default defineConfig({
  root,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: process.env.CONSOLE_OUT_DIR ?? 'dist',
    emptyOutDir: true,
    // Pages load on demand; the first load carries the shell and the overview only. The largest chunk is
    // ECharts (core, bar and funnel charts, SVG renderer), shared by the FAQ and overview charts and loaded
    // with the first chart shown.
    chunkSizeWarningLimit: 500,
    rollupOptions: {
      input: { console: path.join(root, 'index.html'), sidebar: path.join(root, 'sidebar.html') },
    },
  },
  server: {
    proxy: { '/api': helix, '/auth': helix, '/admin': helix },
  },
});
