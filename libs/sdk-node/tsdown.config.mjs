// Builds the published package: ESM and CommonJS with declarations, one file per entry point. The
// workspace code it imports (@custos/contracts, and single files of @custos/domain and the generated API
// types) is private and not published, so it is bundled in, as are the few small runtime libraries: the
// package installs with no dependencies. The frameworks stay with the application (optional peers).
import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: { index: 'src/index.ts', fastify: 'src/fastify.ts', express: 'src/express.ts', nest: 'src/nest.ts' },
  format: ['esm', 'cjs'],
  platform: 'node',
  target: 'node20',
  fixedExtension: true,
  outDir: 'dist',
  clean: true,
  tsconfig: 'tsconfig.build.json',
  // Eager: the declarations of the bundled workspace files, which lie outside this tsconfig's sources, too.
  dts: { eager: true },
  deps: {
    neverBundle: ['@nestjs/common', 'fastify'],
    alwaysBundle: [/^@custos\//],
    // The only packages from node_modules that may end up in the bundle (small, without dependencies of their own).
    onlyBundle: ['openapi-fetch', 'openapi-typescript-helpers', 'eventsource-parser', 'lru-cache'],
  },
});
