import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

const DOM_GLOBALS = [
  'window',
  'document',
  'navigator',
  'localStorage',
  'sessionStorage',
  'location',
  'history',
  'HTMLElement',
  'Element',
  'Node',
  'Event',
  'CustomEvent',
  'requestAnimationFrame',
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
];

const PKI_LIBRARIES = ['pkijs', 'asn1js', '@peculiar/*', 'reflect-metadata', 'pvtsutils'];

// What every src/lib file may not import.
const CORE_PATTERNS = [
  {
    group: ['svelte', 'svelte/*', '*.svelte', '**/app/**'],
    message: 'src/lib must not depend on Svelte or the app.',
  },
  {
    group: ['**/content/**'],
    message: 'Engines never import prose: data the engine needs lives in src/lib.',
  },
  {
    group: ['node:*', 'fs', 'net', 'tls', 'child_process', 'path'],
    message: 'src/lib must run in the browser: no Node built-ins.',
  },
];
const PKI_ONLY_IN_ADAPTER = {
  group: PKI_LIBRARIES,
  message: 'Only src/lib/pki/parse.ts and src/lib/pki/adapter/ may touch the certificate libraries.',
};
// TLS reaches noble only through the crypto provider; the key layer and the certificate adapter use it too.
const NOBLE_ONLY_IN_CRYPTO = {
  group: ['@noble/*', '@noble/**'],
  message:
    'Noble is reached through src/lib/tls12/crypto (the provider, hash.ts, signatures.ts, ecdhe.ts); only it, src/lib/bytes/keys.ts and src/lib/pki/adapter/ import @noble.',
};

export default tseslint.config(
  {
    ignores: ['dist/', 'node_modules/', 'test-results/', '.tmp/', 'fixtures/', 'coverage/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
    rules: {
      // Flags every local Map/Set/Date temporary; our reactive state is always $state/$derived, and
      // temporaries built inside a function or $derived are not meant to be reactive.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
  // The pure core: no Svelte, no DOM, no network. It runs unchanged in the browser, in Node and in tests.
  {
    files: ['src/lib/**/*.ts'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-globals': [
        'error',
        ...DOM_GLOBALS.map((name) => ({
          name,
          message: 'src/lib is the pure core: no DOM or browser globals.',
        })),
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [...CORE_PATTERNS, PKI_ONLY_IN_ADAPTER, NOBLE_ONLY_IN_CRYPTO],
        },
      ],
    },
  },
  // Functions a reader can hold in their head: split a longer one into named phases, or say why not on the
  // line before it (eslint-disable-next-line max-lines-per-function -- <why>).
  {
    files: ['src/lib/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 120, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['src/lib/tls12/crypto/**/*.ts', 'src/lib/bytes/keys.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...CORE_PATTERNS, PKI_ONLY_IN_ADAPTER] }],
    },
  },
  {
    files: ['src/lib/pki/parse.ts', 'src/lib/pki/adapter/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [...CORE_PATTERNS],
        },
      ],
    },
  },
  // The app never reaches the network: everything the user drops stays in the browser.
  {
    files: ['src/app/**/*.{ts,svelte}', 'src/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'The app makes no network calls.' },
        { name: 'XMLHttpRequest', message: 'The app makes no network calls.' },
        { name: 'WebSocket', message: 'The app makes no network calls.' },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: PKI_LIBRARIES, message: 'Certificate libraries load lazily through src/lib/pki.' },
          ],
        },
      ],
    },
  },
  // Unit tests are pure: a program (OpenSSL, PostgreSQL, Chromium), a socket or the machine's own CA bundle
  // belongs in tests/interop, tests/oracle or tests/e2e. The shared test kit (tests/kit, which bench/ and
  // scripts/ use too) keeps the two apart: kit/pure/ obeys the same rule, kit/programs/ runs the programs.
  {
    files: ['tests/unit/**/*.ts', 'tests/kit/pure/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'node:os', importNames: ['homedir'], message: 'Unit tests never read $HOME.' }],
          patterns: [
            {
              group: [
                'node:child_process',
                'child_process',
                'node:net',
                'net',
                'node:tls',
                'tls',
                'node:http',
              ],
              message:
                'Unit tests are pure: tests that run programs or open sockets go in tests/interop or tests/oracle.',
            },
            {
              group: ['playwright-core', 'pg', 'esbuild'],
              message: 'Unit tests are pure: browser and database tests go in tests/e2e or tests/oracle.',
            },
            {
              group: ['**/kit/programs/**', '**/interop/**', '**/oracle/**', '**/e2e/**'],
              message:
                'Unit tests are pure: helpers that run programs live in tests/kit/programs, for interop, oracle and e2e tests.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Literal[value=/^\\/(etc\\/ssl\\/certs|usr\\/share\\/ca-certificates)/]',
          message: "Unit tests never read the machine's CA bundle: pin a copy in fixtures/.",
        },
      ],
    },
  },
);
