import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import { defineConfig, globalIgnores } from 'eslint/config';

/**
 * Boundaries: code that runs outside the server (collector, SDK, browser components) or that
 * both sides share never imports server code, and no door imports another door. Type-only
 * imports stay allowed: they vanish at build time (tRPC's AppRouter type is how clients are typed).
 */
const SERVER = ['**/server/**', '@/server/**'];
const forbid = (files, group, message) => ({
  files,
  rules: {
    '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group, message, allowTypeImports: true }] }],
  },
});

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores(['.next/**', '.data/**', 'dist/**', 'src/generated/**', 'next-env.d.ts', 'e2e/results/**', 'test-results/**']),
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'import/no-anonymous-default-export': 'off',
    },
  },
  forbid(
    ['src/collector/**'],
    [...SERVER, '**/components/**', '**/sdk/**'],
    'The collector runs on other hosts: it talks to the server over its API only.',
  ),
  forbid(
    ['src/sdk/**'],
    [...SERVER, '**/components/**', '**/collector/**'],
    'The SDK runs in training scripts: it talks to the server over its API only.',
  ),
  forbid(
    ['src/components/**', 'src/trpc/react.tsx', 'src/trpc/query-client.ts'],
    SERVER,
    'Components run in the browser: reach the server through tRPC (src/trpc).',
  ),
  forbid(
    ['src/shared/**', 'src/lib/**'],
    [...SERVER, '**/components/**', '**/collector/**', '**/sdk/**', '**/app/**'],
    'Shared code depends on nothing above it.',
  ),
  forbid(
    ['src/server/services/**', 'src/server/db/**', 'src/server/wire/**'],
    ['**/api/**', '**/rest/**', '**/sockets/**', '**/http/**'],
    'Services know no door: doors call services, never the other way.',
  ),
  forbid(['src/server/sockets/**'], ['**/rest/**', '**/api/**'], 'A door talks to services, not to another door.'),
  forbid(['src/server/rest/**'], ['**/sockets/**', '**/api/**'], 'A door talks to services, not to another door.'),
  forbid(['src/server/api/**'], ['**/rest/**', '**/sockets/**'], 'A door talks to services, not to another door.'),
]);
