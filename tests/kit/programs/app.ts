import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { serveStatic, type StaticServer } from './static-server';
import { launchBrowser } from './browser';

/**
 * The built site (dist/) served on 127.0.0.1 and one Debian Chromium, for the tests of one file; closed after
 * them. `app.url` ends with a slash: append `#/route`.
 */
export function useBuiltApp(): { readonly url: string; readonly browser: Browser } {
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await serveStatic('dist');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get url() {
      if (!server) throw new Error('useBuiltApp: the server is not started yet (use app.url inside a test)');
      return server.url;
    },
    get browser() {
      if (!browser)
        throw new Error('useBuiltApp: the browser is not launched yet (use app.browser inside a test)');
      return browser;
    },
  };
}
