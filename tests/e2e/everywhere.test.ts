import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBuiltApp } from '../kit/programs/app';
import {
  describeViolations,
  openWatchedPage,
  screenshot,
  seriousAxeViolations,
} from '../kit/programs/browser';
import { lessons } from '../../src/content/lessons/index';
import { NOTES_WINDOW } from '../../src/app/state/presenter.svelte';

/** Issue 15, "Everywhere": focus ring, hex view and selects, presenter keys, embed focus, lesson focus, 390 px. */
const app = useBuiltApp();

const h1 = (page: Page) => page.locator('h1').first().textContent();
const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');
const fs = lessons.find((l) => l.id === 'forward-secrecy')!;
const SCHEMES = ['light', 'dark'] as const;

/** sRGB relative luminance and contrast ratio (WCAG 2.x), for the focus ring against the page. */
function contrast(a: string, b: string): number {
  const lum = (rgb: string) => {
    const [r, g, bl] = (rgb.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** The focused element's ring, and the page's error and background colours, all as computed rgb() strings. */
async function ringOf(page: Page, selector: string) {
  await page.keyboard.press('Tab'); // keyboard modality, as for a keyboard user
  await page.locator(selector).first().focus();
  return page.evaluate((sel) => {
    const el = document.querySelector(sel)!;
    const probe = document.createElement('span');
    document.body.append(probe);
    const colourOf = (value: string) => {
      probe.style.color = value;
      return getComputedStyle(probe).color;
    };
    const result = {
      focused: document.activeElement === el,
      visible: el.matches(':focus-visible'),
      style: getComputedStyle(el).outlineStyle,
      ring: getComputedStyle(el).outlineColor,
      bad: colourOf('var(--bad)'),
      bg: colourOf('var(--bg)'),
      surface: colourOf('var(--surface)'),
    };
    probe.remove();
    return result;
  }, selector);
}

describe('the focus ring is not the error colour', () => {
  const targets = [
    { name: 'host-name field', hash: '#/chain', selector: 'input[placeholder="db.example.com"]' },
    { name: 'date slider', hash: '#/chain', selector: 'input[type="range"]' },
    {
      name: 'presenter slide heading',
      hash: `#/lessons/tls12-handshake/${lessons[0]!.steps[0]!.id}?step=0&present=1`,
      selector: '#step-title',
    },
  ];
  for (const scheme of SCHEMES) {
    for (const t of targets) {
      it(`${t.name} (${scheme})`, async () => {
        const { page, context, errors } = await openWatchedPage(app.browser, app.url, {
          colorScheme: scheme,
        });
        await page.goto(app.url + t.hash);
        await expect.poll(() => page.locator(t.selector).count(), { timeout: 20_000 }).toBeGreaterThan(0);
        const r = await ringOf(page, t.selector);
        expect(r.focused).toBe(true);
        expect(r.visible).toBe(true);
        expect(r.style).toBe('solid');
        expect(r.ring).not.toBe(r.bad);
        // A non-text contrast of at least 3:1 against the page and the cards (WCAG 1.4.11).
        expect(contrast(r.ring, r.bg)).toBeGreaterThanOrEqual(3);
        expect(contrast(r.ring, r.surface)).toBeGreaterThanOrEqual(3);
        // Not a hue close to the error colour either: a red focus ring reads as a validation error.
        const hue = (rgb: string) => {
          const [r0, g0, b0] = (rgb.match(/\d+/g) ?? []).map(Number) as [number, number, number];
          const max = Math.max(r0, g0, b0);
          const min = Math.min(r0, g0, b0);
          if (max === min) return 0;
          const h =
            max === r0
              ? (g0 - b0) / (max - min)
              : max === g0
                ? 2 + (b0 - r0) / (max - min)
                : 4 + (r0 - g0) / (max - min);
          return (h * 60 + 360) % 360;
        };
        const distance = Math.abs(hue(r.ring) - hue(r.bad));
        expect(Math.min(distance, 360 - distance)).toBeGreaterThan(60);
        expect(errors).toEqual([]);
        await context.close();
      });
    }
  }
});

/** Every hex view on the page shows its three columns whole: nothing scrolled away inside its box. */
async function clippedHexViews(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.byte-view .grid')].flatMap((grid) => {
      const box = grid.getBoundingClientRect();
      const text = [...grid.querySelectorAll('.ascii')].map((a) => a.getBoundingClientRect().right);
      const clipped = grid.scrollWidth > grid.clientWidth || text.some((right) => right > box.right);
      return clipped ? [`${grid.getAttribute('aria-label')}: ${grid.clientWidth} < ${grid.scrollWidth}`] : [];
    }),
  );
}

/** Selects whose box is narrower than their longest option (the closed select would cut that label). */
async function truncatedSelects(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('select')].flatMap((select) => {
      const width = select.getBoundingClientRect().width;
      return [...select.options].flatMap((option) => {
        const probe = select.cloneNode(false) as HTMLSelectElement;
        probe.removeAttribute('id');
        probe.style.width = 'max-content';
        probe.style.maxWidth = 'none';
        probe.append(new Option(option.text));
        select.after(probe);
        const needed = probe.getBoundingClientRect().width;
        probe.remove();
        return needed > width + 0.5
          ? [`“${option.text}” needs ${Math.ceil(needed)} px, has ${Math.floor(width)}`]
          : [];
      });
    }),
  );
}

const LAB_SCREENS = [
  { name: 'handshake', hash: '#/handshake?step=3', heading: 'Handshake Lab' },
  { name: 'chain', hash: '#/chain', heading: 'Chain Lab' },
  { name: 'chain-letsencrypt', hash: '#/chain?sample=letsencrypt-2021&at=2021-10-01', heading: 'Chain Lab' },
  { name: 'sslmode', hash: '#/sslmode', heading: 'sslmode Lab' },
];

describe('hex views and selects are never clipped', () => {
  for (const width of [1280, 1400, 1920]) {
    it(`at ${width} px: every hex view whole, every select as wide as its longest option`, async () => {
      const { page, context, errors } = await openWatchedPage(app.browser, app.url, {
        viewport: { width, height: 900 },
      });
      for (const screen of LAB_SCREENS) {
        await page.goto(app.url + screen.hash);
        await expect.poll(() => h1(page), { timeout: 20_000 }).toBe(screen.heading);
        await expect.poll(() => page.locator('select').count(), { timeout: 20_000 }).toBeGreaterThan(0);
        if (screen.name === 'handshake') {
          await expect
            .poll(() => page.locator('.byte-view .grid').count(), { timeout: 20_000 })
            .toBeGreaterThan(0);
        }
        if (screen.name === 'chain') {
          await expect
            .poll(() => page.locator('summary', { hasText: 'DER bytes' }).count(), { timeout: 20_000 })
            .toBe(1);
          await page.locator('summary', { hasText: 'DER bytes' }).click();
          await expect.poll(() => page.locator('.byte-view .grid').count(), { timeout: 20_000 }).toBe(1);
        }
        expect(await clippedHexViews(page), `${screen.name} at ${width}`).toEqual([]);
        expect(await truncatedSelects(page), `${screen.name} at ${width}`).toEqual([]);
        await screenshot(page, `everywhere-${screen.name}-${width}`);
      }
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  const NARROW = [
    { name: 'home', hash: '#/', heading: 'TLS Lab' },
    ...LAB_SCREENS,
    { name: 'lessons', hash: '#/lessons', heading: 'Lessons' },
    {
      name: 'lesson-step',
      hash: `#/lessons/forward-secrecy/${fs.steps[0]!.id}`,
      heading: fs.steps[0]!.title,
    },
  ];
  it('at 390 px: no screen scrolls sideways', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url, {
      viewport: { width: 390, height: 844 },
    });
    for (const screen of NARROW) {
      await page.goto(app.url + screen.hash);
      await expect.poll(() => h1(page), { timeout: 20_000 }).toBe(screen.heading);
      if (screen.name === 'handshake' || screen.name === 'lesson-step') {
        await expect
          .poll(() => page.locator('.byte-view .grid').count(), { timeout: 20_000 })
          .toBeGreaterThan(0);
      }
      await page.waitForTimeout(300);
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scroll, `${screen.name} scrolls sideways`).toBeLessThanOrEqual(390);
      await screenshot(page, `everywhere-${screen.name}-390`);
    }
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('presenter mode: the notes window', () => {
  it('opens at NOTES_WINDOW and its keys (arrows, Page Up/Down, space) move both windows', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    const cs = lessons.find((l) => l.id === 'cross-signing')!;
    await page.goto(`${app.url}#/lessons/cross-signing/${cs.steps[0]!.id}?sample=azure-cross-sign&present=1`);
    await expect.poll(() => h1(page)).toBe(cs.steps[0]!.title);
    await page.evaluate(() => {
      const w = window as unknown as { opened: string[] };
      w.opened = [];
      const open = window.open.bind(window);
      window.open = (url?: string | URL, target?: string, features?: string) => {
        w.opened.push(features ?? '');
        return open(url, target, features);
      };
    });
    const [notes] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('button', { name: 'Open speaker notes' }).click(),
    ]);
    const features = await page.evaluate(() => (window as unknown as { opened: string[] }).opened);
    expect(features).toEqual([`popup,width=${NOTES_WINDOW.width},height=${NOTES_WINDOW.height}`]);
    await expect.poll(() => notes.locator('#notes-title').textContent()).toBe(cs.steps[0]!.title);

    const both = async (i: number) => {
      await expect.poll(() => notes.locator('#notes-title').textContent()).toBe(cs.steps[i]!.title);
      await expect.poll(() => h1(page)).toBe(cs.steps[i]!.title);
    };
    await notes.bringToFront();
    await notes.keyboard.press('ArrowRight');
    await both(1);
    await notes.keyboard.press('PageDown');
    await both(2);
    await notes.keyboard.press('Space');
    await both(3);
    await notes.keyboard.press('ArrowLeft');
    await both(2);
    await notes.keyboard.press('PageUp');
    await both(1);
    await notes.keyboard.press('Shift+Space');
    await both(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('at NOTES_WINDOW, every step shows its notes, the answer and Next without scrolling', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url, { viewport: NOTES_WINDOW });
    for (const lesson of lessons) {
      for (const step of lesson.steps) {
        await page.goto(`${app.url}#/lessons/${lesson.id}/${step.id}?notes=1`);
        await expect.poll(() => page.locator('#notes-title').getAttribute('data-step')).toBe(step.id);
        const fits = await page.evaluate(() => {
          const next = [...document.querySelectorAll('button')].find((b) => b.textContent?.includes('Next'));
          return (
            document.documentElement.scrollHeight <= window.innerHeight &&
            (next?.getBoundingClientRect().bottom ?? Infinity) <= window.innerHeight
          );
        });
        expect(fits, `${lesson.id}/${step.id}`).toBe(true);
      }
    }
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('an embedded lab or lesson never takes focus from the host page', () => {
  it('the host keeps its focused field while labs and lessons load in iframes', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    const frames = [
      '#/handshake?fault=expired-certificate&embed=1',
      '#/chain?embed=1',
      '#/sslmode?embed=1',
      '#/lessons/forward-secrecy?embed=1',
      `#/lessons/forward-secrecy/${fs.steps[1]!.id}?embed=1`,
      `#/lessons/tls12-handshake/${lessons[0]!.steps[0]!.id}?step=0&embed=1`,
    ];
    // The host is served from the app's origin: a same-origin frame could take the focus if it tried.
    await page.route(`${app.url}host.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="en"><head><title>Host</title></head><body>
          <h1>A tutorial</h1><label>Your notes <input id="host-input"></label>
          ${frames.map((src, i) => `<iframe title="Lab ${i}" src="${app.url}${src}" style="width:100%;height:400px;border:0"></iframe>`).join('\n')}
          </body></html>`,
      }),
    );
    await page.goto(`${app.url}host.html`);
    await page.locator('#host-input').focus();
    await page.keyboard.type('ab');
    await expect
      .poll(() => page.frames().filter((f) => f.url().includes('embed=1')).length)
      .toBe(frames.length);
    for (const f of page.frames().filter((fr) => fr.url().includes('embed=1'))) {
      await expect.poll(() => f.locator('h1').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    }
    await page.waitForTimeout(1500);
    expect(await activeId(page)).toBe('host-input');
    await page.keyboard.type('c');
    expect(await page.locator('#host-input').inputValue()).toBe('abc');
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('lessons: focus and answers', () => {
  it('focus goes to the heading on every step (the first too) and to the question after checking', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(`${app.url}#/lessons/forward-secrecy/${fs.steps[0]!.id}?eve=1`);
    await expect.poll(() => h1(page)).toBe(fs.steps[0]!.title);
    await expect.poll(() => activeId(page)).toBe('step-title');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => h1(page)).toBe(fs.steps[1]!.title);
    await expect.poll(() => activeId(page)).toBe('step-title');

    // Answer with the keyboard: the button disappears, focus goes back to the question.
    await page.getByRole('radio', { name: /^Yes/ }).check();
    await page.getByRole('button', { name: 'Check my answer' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-testid="feedback"] strong').textContent()).toBe('Right.');
    await expect.poll(() => activeId(page)).toBe('checkpoint-q');
    // The chosen answer stays visible: checked, marked, and named in the feedback.
    const chosen = await page
      .getByRole('radio', { name: /^Yes/ })
      .evaluate((r) => (r as HTMLInputElement).checked);
    expect(chosen).toBe(true);
    expect(await page.locator('label.mine').textContent()).toMatch(/^\s*Yes.*your answer\s*$/s);
    expect(await page.locator('[data-testid="feedback"]').textContent()).toMatch(/You chose “Yes/);
    const chosenColour = await page.locator('label.mine').evaluate((l) => getComputedStyle(l).color);
    const textColour = await page.evaluate(() => getComputedStyle(document.body).color);
    expect(chosenColour).toBe(textColour);

    // Try again: a second, different answer is shown but the first one stays the scored one.
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => activeId(page)).toBe('checkpoint-q');
    expect(await page.locator('[data-testid="feedback"]').count()).toBe(0);
    await page.getByRole('radio', { name: /^No/ }).check();
    await page.getByRole('button', { name: 'Check my answer' }).click();
    await expect.poll(() => page.locator('[data-testid="feedback"] strong').textContent()).toBe('Not quite.');
    expect(await page.locator('[data-testid="feedback"]').textContent()).toContain('is the one scored');
    await expect.poll(() => activeId(page)).toBe('checkpoint-q');
    const stored = JSON.parse(
      (await page.evaluate(() => localStorage.getItem('tls-lab.lessons.v1'))) ?? '{}',
    );
    expect(stored.lessons['forward-secrecy'].answers[fs.steps[1]!.id]).toMatchObject({
      choice: 'yes',
      correct: true,
    });
    await screenshot(page, 'everywhere-lesson-try-again');

    // Back on the step later: the scored answer is what is shown.
    await page.reload();
    await expect.poll(() => page.locator('[data-testid="feedback"] strong').textContent()).toBe('Right.');
    expect(await page.locator('label.mine').textContent()).toContain('Yes');
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('axe-core on each screen, light and dark', () => {
  const screens = [
    ...LAB_SCREENS,
    {
      name: 'lesson-answered',
      hash: `#/lessons/forward-secrecy/${fs.steps[1]!.id}?offer=009c&eve=1`,
      heading: fs.steps[1]!.title,
    },
    {
      name: 'notes',
      hash: `#/lessons/forward-secrecy/${fs.steps[1]!.id}?notes=1`,
      heading: fs.steps[1]!.title,
    },
  ];
  for (const scheme of SCHEMES) {
    for (const s of screens) {
      it(`${s.name} (${scheme})`, async () => {
        const { page, context, errors } = await openWatchedPage(app.browser, app.url, {
          colorScheme: scheme,
        });
        await page.goto(app.url + s.hash);
        await expect.poll(() => h1(page), { timeout: 20_000 }).toBe(s.heading);
        if (s.name === 'lesson-answered') {
          await page.getByRole('radio', { name: /^No/ }).check();
          await page.getByRole('button', { name: 'Check my answer' }).click();
          await expect.poll(() => page.locator('[data-testid="feedback"]').count()).toBe(1);
        }
        await page.keyboard.press('Tab');
        await page.waitForTimeout(500);
        const violations = await seriousAxeViolations(page);
        expect(violations, describeViolations(violations)).toEqual([]);
        await screenshot(page, `everywhere-axe-${s.name}-${scheme}`);
        expect(errors).toEqual([]);
        await context.close();
      });
    }
  }
});
