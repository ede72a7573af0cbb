/**
 * The sslmode Lab's screens around the engine: at 390 px no sslmode route (lab, attacker, matrix, troubleshooter,
 * presenter, managed-service presets, and every lesson step beside the sslmode Lab) scrolls sideways, and no
 * select with long options forces the width; the Azure preset shows, read-only, the pg_hba lines the engine
 * applies, and the steps name them.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBuiltApp } from '../kit/programs/app';
import { describeViolations, openWatchedPage, seriousAxeViolations } from '../kit/programs/browser';
import { lessons } from '../../src/content/lessons/index';
import { PRESET_HBA } from '../../src/lib/sslmode/index';

const app = useBuiltApp();
const WIDTH = 390;

const NODE_URL = encodeURIComponent(
  'postgres://app:secret@db.example.test:5432/app?sslmode=verify-full&sslrootcert=/home/postgres/.postgresql/root.crt',
);
const LAB_ROUTES = [
  '#/sslmode',
  '#/sslmode?attacker=1&root=root-a&ccert=untrusted&sca=client-ca',
  '#/sslmode?view=matrix&root=root-a',
  '#/sslmode?view=matrix&present=1&root=root-a',
  '#/sslmode?preset=azure-flexible&attacker=1&root=public-root',
  '#/sslmode?preset=aws-rds&pgver=14',
  `#/sslmode?driver=node-postgres&conninfo=${NODE_URL}`,
  `#/sslmode?view=troubleshoot&error=${encodeURIComponent('SSL error: tlsv1 alert protocol version')}`,
];

const LESSON_STEPS = lessons.flatMap((l) =>
  l.steps
    .filter((s) => s.lab === 'sslmode')
    .map((s) => ({ hash: `#/lessons/${l.id}/${s.id}`, checkpoint: !!s.checkpoint })),
);

/** Wait until the lab shows a result (an outcome, the grid, a diagnosis, an error, or the troubleshooter's box). */
async function settled(page: Page): Promise<void> {
  await expect
    .poll(() => page.locator('.outcome, .matrix tbody td, .diagnosis, [role=alert], #error-text').count(), {
      timeout: 20_000,
    })
    .toBeGreaterThan(0);
}

async function sideways(page: Page) {
  return page.evaluate(() => ({
    scrollWidth: (document.scrollingElement as Element).scrollWidth,
    wideSelects: [...document.querySelectorAll('select')]
      .filter((s) => s.getBoundingClientRect().right > innerWidth + 0.5)
      .map((s) => s.labels?.[0]?.textContent?.trim() ?? s.name),
  }));
}

describe('sslmode screens at 390 px', () => {
  for (const hash of LAB_ROUTES) {
    it(`${hash} does not scroll sideways`, async () => {
      const { page, context, errors } = await openWatchedPage(app.browser, app.url, {
        viewport: { width: WIDTH, height: 844 },
      });
      await page.goto(app.url + hash);
      await settled(page);
      expect(await sideways(page)).toEqual({ scrollWidth: WIDTH, wideSelects: [] });
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it(`every lesson step beside the sslmode Lab (${LESSON_STEPS.length}) does not scroll sideways, its lab shown`, async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url, {
      viewport: { width: WIDTH, height: 844 },
    });
    expect(LESSON_STEPS.length).toBeGreaterThan(10);
    for (const step of LESSON_STEPS) {
      await page.goto(app.url + step.hash);
      if (step.checkpoint) {
        // The lab stays hidden until the prediction is made: make one.
        const choice = page.locator('fieldset input[type=radio]').first();
        await expect.poll(() => choice.count(), { timeout: 20_000 }).toBe(1);
        await choice.check();
        await page.getByRole('button', { name: 'Check my answer' }).click();
      }
      await settled(page);
      expect({ step: step.hash, ...(await sideways(page)) }).toEqual({
        step: step.hash,
        scrollWidth: WIDTH,
        wideSelects: [],
      });
    }
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('the Azure preset shows the pg_hba lines it applies', () => {
  it('read-only, the same lines the server-config step lists, and the pg_hba step names the matched one', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/sslmode?preset=azure-flexible&root=public-root');
    await settled(page);
    const shown = page.locator('figure.hba-applied pre');
    expect(await page.locator('figure.hba-applied figcaption').textContent()).toBe(
      "pg_hba.conf (the service's, read-only)",
    );
    const applied = PRESET_HBA.map((l) => l.replace(/^host\b/, 'hostssl'));
    expect((await shown.textContent())?.split('\n')).toEqual(applied);
    // No editable pg_hba under Azure: nobody edits the service's file.
    expect(await page.getByLabel('pg_hba.conf').count()).toBe(0);
    const config = page.locator('.timeline li', { hasText: 'server-config' });
    expect(await config.count()).toBe(1);
    const configText = await config.locator('.detail').textContent();
    for (const [i, line] of applied.entries()) expect(configText).toContain(`line ${i + 1}: ${line}`);
    expect(
      await page.locator('.timeline li', { hasText: 'pg_hba' }).last().locator('.detail').textContent(),
    ).toContain(`pg_hba.conf line 1 (${applied[0]})`);
    // A plaintext client meets those lines: refused with the stock text.
    await page
      .getByLabel('Connection string')
      .fill('host=db.example.test dbname=app user=app password=secret sslmode=disable');
    await expect
      .poll(() => page.locator('.outcome .error-text').first().textContent())
      .toBe(
        'connection to server at "db.example.test" (127.0.0.1), port 5432 failed: FATAL:  no pg_hba.conf entry for host "127.0.0.1", user "app", database "app", no encryption',
      );
    // Without the preset the textarea is back.
    await page.getByLabel('Managed service').selectOption('none');
    await expect.poll(() => page.getByLabel('pg_hba.conf').count()).toBe(1);
    expect(await page.locator('figure.hba-applied').count()).toBe(0);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(app.url + '#/sslmode?preset=azure-flexible');
      await settled(page);
      const violations = await seriousAxeViolations(page);
      expect(violations, describeViolations(violations)).toEqual([]);
    }
    expect(errors).toEqual([]);
    await context.close();
  });
});
