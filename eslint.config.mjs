import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.tmp/',
      'dist/',
      'coverage/',
      'test-results/',
      'playground/build/',
      'playground/.cache/',
      'playground/.strapi/',
      'playground/.tmp/',
      'playground/dist/',
      'playground-v5/build/',
      'playground-v5/.strapi/',
      'playground-v5/.tmp/',
      'playground-v5/dist/',
      'playground-v5/src/plugins/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The playgrounds' admin customisations (src/admin/app.js) are ES modules bundled by the admin build.
    files: ['playground/src/admin/**/*.js', 'playground-v5/src/admin/**/*.js'],
    languageOptions: { sourceType: 'module' },
  },
  {
    files: ['admin/**/*.{ts,tsx}'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly' } },
  },
);
