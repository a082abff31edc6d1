import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type ProxyOptions } from 'vite';

/**
 * Run from the repository root: `vite build --config apps/dashboard/vite.config.ts` writes to
 * dist/apps/dashboard, which the api serves at / (CUSTOS_DASHBOARD_DIR). In development the Vite server
 * forwards the API's paths to a local api, so the browser sees one origin (cookies and CSRF work as in
 * production).
 */
const dashboardRoot = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../../dist/apps/dashboard', import.meta.url));

const API_ORIGIN = 'http://127.0.0.1:3000';
const API_PATHS = ['/v1', '/health', '/metrics', '/docs', '/openapi.json'] as const;
// changeOrigin stays false: the api sees the dashboard's Host, matching the browser's Origin header.
const apiProxy: Record<string, ProxyOptions> = Object.fromEntries(
  API_PATHS.map((path) => [path, { target: API_ORIGIN, changeOrigin: false }]),
);

export default defineConfig({
  root: dashboardRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
  },
  server: { host: '127.0.0.1', port: 4200, strictPort: true, proxy: apiProxy },
  preview: { host: '127.0.0.1', port: 4300, strictPort: true, proxy: apiProxy },
});
