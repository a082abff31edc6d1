// One jest run, three projects: fast pure "unit" specs, the SDK's "package" spec and "integration" specs
// that talk to the real Postgres and Redis prepared by libs/testing/src/global-setup (a fresh database per run).
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { availableParallelism } = require('node:os');

/**
 * Integration suites that must not run beside others, each saying why in a `// @runsAlone: why` line.
 * Most start a worker, or run its sweeps, on the run's shared database, and those act on every tenant
 * in it: an expiry notice or a seal written into another suite's tenant in the middle of its test. A few
 * time answers against windows of a second, which other suites' load would stretch.
 */
function suitesRunningAlone() {
  const found = [];
  for (const top of ['apps', 'libs', 'migrations']) {
    for (const entry of readdirSync(join(__dirname, top), { recursive: true, encoding: 'utf8' })) {
      if (!/\.(int|e2e)-spec\.ts$/.test(entry) || entry.includes('node_modules')) continue;
      const path = join(__dirname, top, entry);
      if (/^\/\/ @runsAlone\b/m.test(readFileSync(path, 'utf8'))) found.push(path);
    }
  }
  return found.sort();
}

/**
 * `npm test` runs jest twice (scripts/test.mjs): CUSTOS_TEST_PHASE=parallel runs everything but the
 * suites running alone, several at a time (maxWorkers below); CUSTOS_TEST_PHASE=alone then runs
 * those one by one. Without a phase (`npm test -- <pattern>`, plain `jest`) the selected suites run one
 * at a time, as that is safe whatever they are.
 */
const phase = process.env.CUSTOS_TEST_PHASE;
if (phase !== undefined && phase !== 'parallel' && phase !== 'alone') throw new Error(`CUSTOS_TEST_PHASE: expected parallel or alone, got ${phase}`);
const runningAlone = phase ? suitesRunningAlone() : [];
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const swc = [
  '@swc/jest',
  {
    swcrc: false,
    sourceMaps: 'inline',
    jsc: {
      parser: { syntax: 'typescript', decorators: true, tsx: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, react: { runtime: 'automatic' } },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];
const moduleNameMapper = {
  // Single files of a library: the Node SDK's of the domain and the generated client (libs/sdk-node bundles no
  // more than it uses), and libs/testing's of the fixtures (whose index loads the whole server).
  '^@custos/(domain|api-client|fixtures)/(.+)$': '<rootDir>/libs/$1/src/$2',
  '^@custos/node$': '<rootDir>/libs/sdk-node/src/index.ts',
  '^@custos/node/(fastify|express|nest)$': '<rootDir>/libs/sdk-node/src/$1.ts',
  // The SDK's test kit (never published): e2e tests install the packed SDK with it.
  '^@custos/node/testing/(.+)$': '<rootDir>/libs/sdk-node/src/testing/$1',
  '^@custos/migrations$': '<rootDir>/migrations/index.ts',
  '^@custos/(.*)$': '<rootDir>/libs/$1/src/index.ts',
};
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': swc },
  // NestJS 12 and some of its dependencies ship ES modules only: let swc turn them into CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|uid|file-type|jose|cookie|content-disposition|@fastify|openapi-fetch|openid-client|oauth4webapi)/)'],
  moduleNameMapper,
  // CUSTOS_FC_SEED replays a failed property test (libs/testing/src/fast-check-setup.ts).
  setupFiles: ['reflect-metadata', '<rootDir>/libs/testing/src/fast-check-setup.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
module.exports = {
  // A global option: Jest ignores it inside a project. HTTP tests start processes and wait on them.
  testTimeout: 30000,
  // In the parallel phase, one suite fewer than the cores, as jest's default, but never fewer than two:
  // the suites wait on processes, the database and browsers as much as they compute. On this 2-core
  // machine the phase took 952 s one at a time and 659 s two at a time (session 34, the same commit).
  maxWorkers: phase === 'parallel' ? Math.max(2, availableParallelism() - 1) : 1,
  projects: [
    phase !== 'alone' && {
      ...common,
      displayName: 'unit',
      setupFiles: [...common.setupFiles, '<rootDir>/apps/dashboard/jest.jsdom-setup.cjs'],
      // Dashboard component specs (*.spec.tsx) ask for jsdom in their docblock; everything else runs in node.
      testMatch: ['<rootDir>/{libs,apps}/**/*.spec.ts', '<rootDir>/apps/dashboard/**/*.spec.tsx'],
    },
    phase !== 'alone' && {
      ...common,
      // Builds and packs the Node SDK, installs the tarball into an empty project and runs it: tens of seconds.
      displayName: 'package',
      testMatch: ['<rootDir>/libs/sdk-node/**/*.pack-spec.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: phase === 'alone' ? runningAlone : [
        '<rootDir>/{libs,apps,migrations}/**/*.int-spec.ts',
        '<rootDir>/apps/api-e2e/**/*.e2e-spec.ts',
        // Browser tests (playwright-core + Debian chromium) against the same api, which serves the built dashboard.
        '<rootDir>/apps/dashboard-e2e/**/*.e2e-spec.ts',
      ],
      testPathIgnorePatterns: [...common.testPathIgnorePatterns, ...(phase === 'parallel' ? runningAlone.map((path) => `^${escapeRegExp(path)}$`) : [])],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
    },
  ].filter(Boolean),
};
