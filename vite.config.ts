import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import type { Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/**
 * Production Content-Security-Policy. Nothing the user drops may leave the browser, so the built app may
 * talk to its own origin only: no third-party scripts, fonts, images or analytics, workers from self.
 * Styles allow 'unsafe-inline' because Svelte transitions write inline style attributes.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'tls-lab:csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
          injectTo: 'head-prepend',
        },
      ],
    },
  };
}

/**
 * Offline and install: links the web app manifest (public/manifest.webmanifest) and writes dist/sw.js from
 * src/service-worker.js with the list of built files to precache (source maps and Vite's own manifest left out)
 * and a cache name made from that list's hash: hashed file names change with their content, so each build gets
 * its own cache and the previous one is deleted when the new worker activates.
 */
function offline(): Plugin {
  return {
    name: 'tls-lab:offline',
    enforce: 'post',
    transformIndexHtml: () => [
      { tag: 'link', attrs: { rel: 'manifest', href: 'manifest.webmanifest' }, injectTo: 'head' },
    ],
    generateBundle(_options, bundle) {
      if (this.environment.config.command !== 'build') return;
      const files = new Set(['index.html', 'manifest.webmanifest', 'icon.svg']);
      for (const name of Object.keys(bundle)) {
        if (!name.endsWith('.map') && !name.startsWith('.vite/')) files.add(name);
      }
      const list = [...files].sort();
      const version = createHash('sha256').update(list.join('\n')).digest('hex').slice(0, 16);
      const source = readFileSync(new URL('./src/service-worker.js', import.meta.url), 'utf8')
        .replace('= __CACHE_NAME__;', `= ${JSON.stringify(`tls-lab-${version}`)};`)
        .replace('= __PRECACHE_FILES__;', `= ${JSON.stringify(list)};`);
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}

export default defineConfig({
  // Deploy under any path: BASE=/tools/tls-lab/ npm run build. Hash routing keeps deep links working.
  base: process.env.BASE ?? './',
  plugins: [svelte(), contentSecurityPolicy(), offline()],
  build: {
    target: 'es2022',
    sourcemap: true,
    manifest: true,
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  test: {
    projects: [
      {
        extends: true,
        test: {
          // Pure tests: no OpenSSL, PostgreSQL, Chromium or other program, no network, no machine state.
          name: 'unit',
          environment: 'node',
          include: ['tests/unit/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          // Against real programs: OpenSSL (interop), openssl verify, PKITS, psql, pg, libpq (oracle).
          name: 'interop',
          environment: 'node',
          include: ['tests/interop/**/*.test.ts', 'tests/oracle/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
