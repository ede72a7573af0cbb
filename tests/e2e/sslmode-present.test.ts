/**
 * The sslmode × driver matrix's presenter view (#/sslmode?view=matrix&present=1): the grid alone, filling the
 * screen; complete at 1280x720 (nothing scrolls, nothing clipped), large enough at 1920x1080 to read from the back
 * of a room (a font-size floor for every text in it); its five outcome classes told apart by word and glyph as well
 * as colour; axe in light and dark.
 */
import { describe, expect, it } from 'vitest';
import { useBuiltApp } from '../kit/programs/app';
import {
  describeViolations,
  openWatchedPage,
  screenshot,
  seriousAxeViolations,
} from '../kit/programs/browser';

const app = useBuiltApp();

/** Root A as root.crt gives all five classes: libpq's plaintext / chain only / verified, asyncpg's unverified prefer, node-postgres's failures. */
const PRESENT = '#/sslmode?view=matrix&present=1&root=root-a';

/** The smallest text the presenter may show, per screen: 24 px on a 1080p projector, 16 px at 720p. */
const SCREENS = [
  { width: 1920, height: 1080, floor: 24 },
  { width: 1280, height: 720, floor: 16 },
] as const;

describe('sslmode matrix presenter view', () => {
  for (const screen of SCREENS) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`${screen.width}x${screen.height} ${scheme}: fills the screen, all of it visible, text >= ${screen.floor}px, axe`, async () => {
        const { page, context, errors } = await openWatchedPage(app.browser, app.url, {
          colorScheme: scheme,
          viewport: { width: screen.width, height: screen.height },
        });
        await page.goto(app.url + PRESENT);
        await expect
          .poll(() => page.locator('.presenter .matrix tbody td').count(), { timeout: 20_000 })
          .toBe(36);
        // The site's chrome is gone: the presenter is the page.
        expect(await page.locator('body > #app header nav, .skip-link').count()).toBe(0);
        const layout = await page.evaluate(() => {
          const doc = document.scrollingElement as Element;
          const presenter = document.querySelector('.presenter') as HTMLElement;
          const table = presenter.querySelector('table') as HTMLElement;
          const outside = [...presenter.querySelectorAll('th, td, li, h1, header p, button')]
            .map((el) => ({ el, r: el.getBoundingClientRect() }))
            .filter(
              ({ r }) =>
                r.left < 0 || r.top < 0 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5,
            )
            .map(({ el }) => el.textContent?.trim());
          const clipped = [...presenter.querySelectorAll<HTMLElement>('td, th, .cell, li')]
            .filter((el) => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
            .map((el) => el.textContent?.trim());
          // Every element that holds text of its own, with its font size.
          const sizes = [...presenter.querySelectorAll<HTMLElement>('*')]
            .filter((el) =>
              [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim()),
            )
            .filter((el) => el.getClientRects().length > 0 && !el.closest('caption'))
            .map((el) => ({
              text: el.textContent?.trim().slice(0, 30),
              px: parseFloat(getComputedStyle(el).fontSize),
            }));
          const t = table.getBoundingClientRect();
          return {
            docOverflow: { w: doc.scrollWidth - innerWidth, h: doc.scrollHeight - innerHeight },
            presenterOverflow: {
              w: presenter.scrollWidth - presenter.clientWidth,
              h: presenter.scrollHeight - presenter.clientHeight,
            },
            outside,
            clipped,
            sizes,
            tableShare: { w: t.width / innerWidth, h: t.height / innerHeight },
          };
        });
        expect(layout.docOverflow.w).toBeLessThanOrEqual(0);
        expect(layout.docOverflow.h).toBeLessThanOrEqual(0);
        expect(layout.presenterOverflow).toEqual({ w: 0, h: 0 });
        expect(layout.outside).toEqual([]);
        expect(layout.clipped).toEqual([]);
        expect(layout.sizes.length).toBeGreaterThan(36);
        expect(layout.sizes.filter((s) => s.px < screen.floor)).toEqual([]);
        // It fills the screen: the grid takes most of the width and height.
        expect(layout.tableShare.w).toBeGreaterThan(0.9);
        expect(layout.tableShare.h).toBeGreaterThan(0.55);
        const violations = await seriousAxeViolations(page);
        expect(violations, describeViolations(violations)).toEqual([]);
        await screenshot(page, `sslmode-present-${screen.width}x${screen.height}-${scheme}`);
        expect(errors).toEqual([]);
        await context.close();
      });
    }
  }

  it('tells the five outcome classes apart by word, glyph and colour, and every cell matches its legend entry', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const { page, context, errors } = await openWatchedPage(app.browser, app.url, {
        colorScheme: scheme,
        viewport: { width: 1280, height: 720 },
      });
      await page.goto(app.url + PRESENT);
      await expect
        .poll(() => page.locator('.presenter .matrix tbody td').count(), { timeout: 20_000 })
        .toBe(36);
      const seen = await page.evaluate(() => {
        const look = (el: Element) => ({
          cls: [...el.classList].find((c) => c.startsWith('class-')) ?? '',
          word: el.querySelector('.word')?.textContent?.trim() ?? '',
          glyph: el.querySelector('.glyph')?.textContent?.trim() ?? '',
          colour: getComputedStyle(el).backgroundColor,
        });
        return {
          legend: [...document.querySelectorAll('.presenter .legend li')].map(look),
          cells: [...document.querySelectorAll('.presenter .matrix tbody td')].map(look),
        };
      });
      expect(seen.legend.map((l) => l.cls)).toEqual([
        'class-verified-full',
        'class-verified-ca',
        'class-unverified',
        'class-plaintext',
        'class-refused',
      ]);
      for (const key of ['word', 'glyph', 'colour'] as const)
        expect(new Set(seen.legend.map((l) => l[key])).size, `${scheme}: distinct ${key}s`).toBe(5);
      // Plaintext and encrypted-but-unverified, the pair trainers must show apart, differ in each respect.
      const plain = seen.legend.find((l) => l.cls === 'class-plaintext')!;
      const unverified = seen.legend.find((l) => l.cls === 'class-unverified')!;
      expect(plain.word).not.toBe(unverified.word);
      expect(plain.glyph).not.toBe(unverified.glyph);
      expect(plain.colour).not.toBe(unverified.colour);
      // Every class occurs in the grid, each cell looking exactly like its legend entry.
      expect(new Set(seen.cells.map((c) => c.cls)).size).toBe(5);
      for (const cell of seen.cells) expect(cell).toEqual(seen.legend.find((l) => l.cls === cell.cls));
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  it('a cell opens its trace by keyboard and leaves presenter view; so does the leave button', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url, {
      viewport: { width: 1280, height: 720 },
    });
    await page.goto(app.url + PRESENT);
    const cell = page.getByRole('button', {
      name: /^asyncpg \(Python\), sslmode prefer: encrypted, unverified\./,
    });
    await expect.poll(() => cell.count(), { timeout: 20_000 }).toBe(1);
    await cell.focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('.outcome h2').first().textContent())
      .toBe('What happens: Connected, encrypted (TLSv1.3)');
    expect(page.url()).not.toContain('present=1');
    expect(page.url()).toContain('driver=asyncpg');
    expect(await page.locator('header nav').count()).toBeGreaterThan(0);
    // From the lab's matrix, the presenter link; and back with the leave button.
    await page.goto(app.url + '#/sslmode?view=matrix&root=root-a');
    await page.getByRole('link', { name: 'presenter view' }).click();
    await expect
      .poll(() => page.locator('.presenter .matrix tbody td').count(), { timeout: 20_000 })
      .toBe(36);
    expect(page.url()).toContain('present=1');
    await page.getByRole('button', { name: 'Leave presenter view' }).click();
    await expect.poll(() => page.locator('.presenter').count()).toBe(0);
    expect(await page.locator('.matrix tbody td').count()).toBe(36);
    expect(errors).toEqual([]);
    await context.close();
  });
});
