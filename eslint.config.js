// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import stylistic from '@stylistic/eslint-plugin';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    plugins: { '@stylistic': stylistic },
    rules: {
      // Prettier owns layout (checked by `prettier --check` in `npm run lint`) but leaves
      // comments and long strings alone; this catches the lines it cannot fold.
      '@stylistic/max-len': [
        'error',
        {
          code: 120,
          ignoreUrls: true,
          ignoreStrings: true,
          ignoreTemplateLiterals: true,
          ignoreRegExpLiterals: true,
          // Rows of tables in doc comments stay whole.
          ignorePattern: '^\\s*(\\*|//)\\s*\\|',
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error', 'warn'] }],
      // esbuild cannot tree-shake zod's `z` re-export: one `import { z }` bundles every locale
      // (~360 KB) into each function. The namespace import keeps only what is used.
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "ImportDeclaration[source.value='zod'][importKind!='type'] > :matches(ImportSpecifier[imported.name='z'], ImportDefaultSpecifier)",
          message: "Use `import * as z from 'zod'`: a named or default z import defeats tree-shaking.",
        },
      ],
    },
  },
  {
    // Lambda code calls AWS through shared/adapters/aws-http.ts: one SDK client brings the
    // SDK's core (~175 KB, ~40 ms of every cold start). Types are free.
    files: ['shared/**/*.ts', 'functions/**/*.ts'],
    ignores: ['shared/adapters/dynamo.ts', 'shared/adapters/table-sdk.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@aws-sdk/client-*',
                '@aws-sdk/lib-*',
                '@aws-sdk/s3-request-presigner',
                '**/adapters/dynamo',
                '**/adapters/table-sdk',
                './dynamo',
                './table-sdk',
              ],
              allowTypeImports: true,
              message:
                'Lambda bundles must not carry an AWS SDK client: use the Table port or aws-http.ts (see README, Deploying).',
            },
          ],
        },
      ],
    },
  },
  {
    // Domain code stays pure: no AWS SDK, no CDK, no process environment.
    files: ['shared/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@aws-sdk/*', 'aws-cdk-lib', 'aws-cdk-lib/*', 'node:fs', 'node:http'] },
      ],
      'no-restricted-globals': ['error', 'process'],
    },
  },
  {
    // The storefront widget runs in shoppers' browsers: browser globals, no Node, and nothing
    // from the server but the contract's types (shared/schemas/storefront.ts) and the pure
    // palette rule it shares with the hosted page (shared/domain/storefront/palette.ts).
    files: ['web/widget/**/*.ts'],
    languageOptions: { globals: globals.browser },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'The widget runs in a browser.' },
            {
              regex: '/shared/(?!schemas/storefront$|domain/storefront/palette$|domain/money/exponents$)',
              message:
                'The widget imports only the storefront contract (types), the palette rule and the currency exponents.',
            },
            {
              group: ['**/shared/schemas/storefront'],
              allowTypeImports: true,
              message: 'Import types only: zod would add ~60 KB to widget.js.',
            },
            {
              group: ['zod'],
              message: 'Import types only: zod would add ~60 KB to widget.js.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // The console (docs/console.md) runs in the shop staff's browsers: browser globals, no Node,
    // and of the server only what it must share: the program schema and the earning rule (the
    // editor checks and previews with the API's own code), the roles table, the currency exponents.
    files: ['web/console/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'The console runs in a browser.' },
            {
              regex:
                '/shared/(?!schemas/program$|domain/console/roles$|domain/ledger/earning$|domain/money/exponents$)',
              message:
                'The console imports only the program schema, the earning rule, the roles and the currency exponents.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['local/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts', 'infra/app.ts'],
    rules: { 'no-console': 'off' },
  },
);
