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
  { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:persistence', 'type:crypto'] },
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: [
      'type:application', 'type:domain', 'type:contracts', 'type:crypto', 'type:persistence', 'type:runtime',
    ],
  },
  // The generated API client depends on nothing of ours; the dashboard reaches the API only through it.
  { sourceTag: 'type:api-client', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:ui', onlyDependOnLibsWithTags: ['type:contracts', 'type:api-client'] },
  {
    sourceTag: 'type:testing',
    onlyDependOnLibsWithTags: [
      'type:application', 'type:domain', 'type:contracts', 'type:crypto', 'type:persistence', 'type:runtime', 'type:app',
    ],
  },
  {
    sourceTag: 'type:e2e',
    onlyDependOnLibsWithTags: ['type:testing', 'type:contracts', 'type:domain', 'type:crypto', 'type:app', 'type:runtime', 'type:persistence', 'type:application'],
  },
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
            c.sourceTag === 'type:app' ? { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:testing'] } : c,
          ),
        },
      ],
    },
  },
];
