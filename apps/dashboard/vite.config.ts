import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin, type ProxyOptions } from 'vite';

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

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);
const COMPRESSIBLE = /\.(?:html|js|mjs|css|svg|json|txt|map|webmanifest)$/;
const MIN_BYTES = 1024;

/**
 * Writes a .br (quality 11) and a .gz (level 9) next to every text file of the build above 1 kB; the
 * api serves the one the browser accepts (@fastify/static's preCompressed), so nothing compresses
 * per request.
 */
function precompress(): Plugin {
  return {
    name: 'custos:precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      const dir = options.dir ?? outDir;
      await Promise.all(
        Object.keys(bundle)
          .filter((name) => COMPRESSIBLE.test(name))
          .map(async (name) => {
            const file = join(dir, name);
            const content = await readFile(file);
            if (content.length < MIN_BYTES) return;
            const [br, gz] = await Promise.all([
              brotli(content, {
                params: {
                  [constants.BROTLI_PARAM_QUALITY]: 11,
                  [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
                  [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
                },
              }),
              gzipped(content, { level: 9 }),
            ]);
            await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gz)]);
          }),
      );
    },
  };
}

export default defineConfig({
  root: dashboardRoot,
  base: '/',
  plugins: [react(), precompress()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
  },
  server: { host: '127.0.0.1', port: 4200, strictPort: true, proxy: apiProxy },
  preview: { host: '127.0.0.1', port: 4300, strictPort: true, proxy: apiProxy },
});
