/**
 * The sslmode × driver matrix comes from the sslmode Lab's worker (src/app/workers/sslmode.worker.ts), never from
 * the page's main thread: with the worker's script held back, the lab's matrix and the presenter view show their
 * status and no cell while the page keeps answering (the trace recomputes as the connection string is typed, the
 * tabs switch); once the script is let through, the grid renders. The worker starts only when the matrix is first
 * shown. How long the main thread is busy is measured in bench/sslmode-browser.ts, not asserted here.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBuiltApp } from '../kit/programs/app';
import { openWatchedPage } from '../kit/programs/browser';

const app = useBuiltApp();

/** Holds the worker's script until `release()`; `requested` counts the requests for it. */
async function holdWorkerScript(page: Page) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const held = { requested: 0, release };
  await page.route('**/sslmode.worker-*.js', async (route) => {
    held.requested++;
    await released;
    await route.continue();
  });
  return held;
}

const cells = (page: Page, scope: string) => page.locator(`${scope} .matrix tbody td`).count();

describe('sslmode matrix in a worker', () => {
  it('the lab: no cell without the worker, the page answers meanwhile; the grid once it runs', async () => {
    // No service worker: the worker's script must come through the page's route to be held.
    const { page, context, errors } = await openWatchedPage(app.browser, app.url, {
      serviceWorkers: 'block',
    });
    const held = await holdWorkerScript(page);
    await page.goto(app.url + '#/sslmode?root=root-a');
    const heading = page.locator('.outcome h2').first();
    await expect.poll(() => heading.textContent(), { timeout: 20_000 }).toMatch(/^What happens: /);
    // The one scenario is explained without the worker, which is not even asked for.
    expect(held.requested).toBe(0);

    await page.getByRole('button', { name: 'Every sslmode × driver' }).click();
    await expect.poll(() => held.requested, { timeout: 20_000 }).toBe(1);
    const status = page.getByRole('status').filter({ hasText: 'Computing 36 outcomes…' });
    expect(await status.count()).toBe(1);
    expect(await cells(page, '.main')).toBe(0);

    // Meanwhile the page answers: another tab, a typed connection string, a new verdict.
    await page.getByRole('button', { name: 'What happens' }).click();
    const before = await heading.textContent();
    await page
      .getByLabel('Connection string')
      .fill('host=db.example.test dbname=app user=app password=secret sslmode=disable');
    await expect.poll(() => heading.textContent(), { timeout: 20_000 }).not.toBe(before);
    expect(await heading.textContent()).toMatch(/^What happens: /);
    await page.getByRole('button', { name: 'Every sslmode × driver' }).click();
    expect(await status.count()).toBe(1);
    expect(await cells(page, '.main')).toBe(0);

    held.release();
    await expect.poll(() => cells(page, '.main'), { timeout: 20_000 }).toBe(36);
    expect(await status.count()).toBe(0);
    // The same worker served both requests.
    expect(held.requested).toBe(1);
    const libpqRow = await page.locator('.matrix tbody tr').first().locator('td .word').allTextContents();
    expect(libpqRow.map((t) => t.trim())).toEqual([
      'plaintext',
      'plaintext',
      'chain only',
      'chain only',
      'chain only',
      'verified',
    ]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the presenter view: the status until the worker answers, then the whole grid', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url, {
      serviceWorkers: 'block',
      viewport: { width: 1280, height: 720 },
    });
    const held = await holdWorkerScript(page);
    await page.goto(app.url + '#/sslmode?view=matrix&present=1&root=root-a');
    await expect.poll(() => held.requested, { timeout: 20_000 }).toBe(1);
    await expect
      .poll(() => page.locator('.presenter [role="status"]').textContent(), { timeout: 20_000 })
      .toBe('Computing 36 outcomes…');
    expect(await cells(page, '.presenter')).toBe(0);
    // The page answers: the presenter's own button still works while the worker is held.
    await page.getByRole('button', { name: 'Leave presenter view' }).click();
    await expect.poll(() => page.locator('.presenter').count()).toBe(0);
    expect(page.url()).not.toContain('present=1');
    await page.goto(app.url + '#/sslmode?view=matrix&present=1&root=root-a');
    held.release();
    await expect.poll(() => cells(page, '.presenter'), { timeout: 20_000 }).toBe(36);
    expect(errors).toEqual([]);
    await context.close();
  });
});
