import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/**
 * Arrows point one way: apps -> application -> domain -> contracts; persistence -> domain.
 * The dashboard (type:ui) never imports server code.
 */
const boundaries = [
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:contracts'] },
  { sourceTag: 'type:crypto', onlyDependOnLibsWithTags: ['type:contracts'] },
  { sourceTag: 'type:migrations', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:persistence', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:migrations'] },
  {
    sourceTag: 'type:application',
    onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:crypto', 'type:persistence'],
  },
  { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:persistence', 'type:crypto', 'type:application'] },
  {
    sourceTag: 'type:app',
    // type:sdk: the CLI is a client of Custos built on the published SDK.
    onlyDependOnLibsWithTags: [
      'type:application', 'type:domain', 'type:contracts', 'type:crypto', 'type:persistence', 'type:runtime', 'type:sdk',
    ],
  },
  // The generated API client depends on nothing of ours; the dashboard reaches the API only through it.
  { sourceTag: 'type:api-client', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:ui', onlyDependOnLibsWithTags: ['type:contracts', 'type:api-client'] },
  // The published Node SDK bundles what it imports of these (the verify rules, the generated API types).
  { sourceTag: 'type:sdk', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:api-client'] },
  // Database builders for medium tests (a use case on the real database, no HTTP).
  { sourceTag: 'type:fixtures', onlyDependOnLibsWithTags: ['type:persistence', 'type:domain', 'type:contracts', 'type:crypto'] },
  {
    sourceTag: 'type:testing',
    onlyDependOnLibsWithTags: [
      'type:application', 'type:domain', 'type:contracts', 'type:crypto', 'type:persistence', 'type:runtime', 'type:app', 'type:fixtures',
    ],
  },
  {
    sourceTag: 'type:e2e',
    onlyDependOnLibsWithTags: ['type:testing', 'type:contracts', 'type:domain', 'type:crypto', 'type:app', 'type:runtime', 'type:persistence', 'type:application', 'type:sdk'],
  },
];


/**
 * libs/application holds use cases and rules, no SQL: queries and row mapping live in the feature
 * repositories of libs/persistence, which a use case reaches through the `Pick<>` of the methods it calls.
 */
const NO_SQL_IN_APPLICATION = [
  { selector: "CallExpression[callee.property.name=/^(rows|affected|query|createQueryBuilder|getRepository)$/]", message: 'SQL belongs in a libs/persistence repository.' },
  { selector: "CallExpression[callee.object.name='tx'][callee.property.name='one']", message: 'SQL belongs in a libs/persistence repository.' },
  { selector: "MemberExpression[property.name='manager']", message: "TypeORM's entity manager belongs in a libs/persistence repository." },
  { selector: 'TemplateElement[value.raw=/^\\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\\s/]', message: 'SQL belongs in a libs/persistence repository.' },
  { selector: 'Literal[value=/^\\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\\s/]', message: 'SQL belongs in a libs/persistence repository.' },
];


/**
 * Database opens every transaction itself in one round trip and TypeORM is not told of it (see
 * Database.transaction): TypeORM must not open one of its own (save, remove) or take row locks, which
 * it refuses outside a transaction it knows.
 */
const TYPEORM_KNOWS_NO_TRANSACTION = [
  { selector: "CallExpression[callee.object.property.name='manager'][callee.property.name=/^(save|remove|softRemove|recover|transaction)$/]", message: 'Write with insert/update: TypeORM would open a transaction inside ours (Database.transaction).' },
  { selector: "CallExpression[callee.property.name=/^(setLock|setOnLocked)$/]", message: 'Lock with FOR UPDATE in SQL: TypeORM does not know our transaction (Database.transaction).' },
  { selector: "Property[key.name='lock']", message: 'Lock with FOR UPDATE in SQL: TypeORM does not know our transaction (Database.transaction).' },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/.custos', '**/vite.config.*.timestamp*', 'coverage'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints: boundaries },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-lone-blocks': 'error',
      // noUncheckedIndexedAccess makes `!` the honest way to say "checked above"; tsc stays strict.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // An app's tests may use the shared test kit (factories, test configuration); the app itself may not.
    files: ['**/*.spec.ts', '**/*.int-spec.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: boundaries.map((c) =>
            c.sourceTag === 'type:app'
              ? { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:testing', 'type:fixtures'] }
              : c.sourceTag === 'type:application'
                ? { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:fixtures'] }
                : c,
          ),
        },
      ],
    },
  },
  {
    files: ['libs/application/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...NO_SQL_IN_APPLICATION],
      'no-restricted-imports': ['error', { paths: [
        { name: 'typeorm', message: 'TypeORM belongs in libs/persistence.' },
        { name: 'pg', message: 'pg belongs in libs/persistence.' },
      ] }],
    },
  },
  {
    files: ['libs/persistence/src/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...TYPEORM_KNOWS_NO_TRANSACTION] },
  },
];
