// One jest run, two projects: fast pure "unit" specs and "integration" specs that talk to the real
// Postgres and Redis prepared by test/global-setup (a fresh database per run).
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
  // The Node SDK reaches single files of the domain and the generated client (libs/sdk-node bundles no more than it uses).
  '^@custos/(domain|api-client)/(.+)$': '<rootDir>/libs/$1/src/$2',
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
  projects: [
    {
      ...common,
      displayName: 'unit',
      setupFiles: [...common.setupFiles, '<rootDir>/apps/dashboard/jest.jsdom-setup.cjs'],
      // Dashboard component specs (*.spec.tsx) ask for jsdom in their docblock; everything else runs in node.
      testMatch: ['<rootDir>/{libs,apps}/**/*.spec.ts', '<rootDir>/apps/dashboard/**/*.spec.tsx'],
    },
    {
      ...common,
      // Builds and packs the Node SDK, installs the tarball into an empty project and runs it: tens of seconds.
      displayName: 'package',
      testMatch: ['<rootDir>/libs/sdk-node/**/*.pack-spec.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/{libs,apps,migrations}/**/*.int-spec.ts',
        '<rootDir>/apps/api-e2e/**/*.e2e-spec.ts',
        // Browser tests (playwright-core + Debian chromium) against the same api, which serves the built dashboard.
        '<rootDir>/apps/dashboard-e2e/**/*.e2e-spec.ts',
      ],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
    },
  ],
};
