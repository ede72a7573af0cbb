import { describe, expect, it } from 'vitest';
import { useBuiltApp } from '../kit/programs/app';
import {
  describeViolations,
  openWatchedPage,
  screenshot,
  seriousAxeViolations,
} from '../kit/programs/browser';
import { labs } from '../../src/content/site';

const app = useBuiltApp();

const ROUTES = [
  { hash: '#/', heading: 'TLS Lab', name: 'home' },
  ...labs.map((lab) => ({ hash: `#/${lab.id}`, heading: lab.title, name: lab.id })),
  { hash: '#/no-such-lab', heading: 'No such page', name: 'not-found' },
];

describe('every route, light and dark', () => {
  for (const scheme of ['light', 'dark'] as const) {
    for (const route of ROUTES) {
      it(`${route.name} renders its heading, passes axe (${scheme}), logs no error and calls no other origin`, async () => {
        const { page, context, errors, foreignRequests } = await openWatchedPage(app.browser, app.url, {
          colorScheme: scheme,
        });
        await page.goto(app.url + route.hash);
        await expect.poll(() => page.locator('h1').first().textContent()).toBe(route.heading);
        expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(scheme);
        const violations = await seriousAxeViolations(page);
        expect(violations, describeViolations(violations)).toEqual([]);
        await screenshot(page, `${route.name}-${scheme}`);
        expect(errors).toEqual([]);
        expect(foreignRequests).toEqual([]);
        await context.close();
      });
    }
  }
});

describe('the shell', () => {
  it('ships a Content-Security-Policy that allows no other origin', async () => {
    const { page, context } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url);
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/https?:/);
    // The policy is enforced: a fetch to another origin is refused by the browser itself.
    const refused = await page.evaluate(async () => {
      try {
        await fetch('https://example.org/');
        return false;
      } catch {
        return true;
      }
    });
    expect(refused).toBe(true);
    await context.close();
  });

  it('can be used with the keyboard alone: skip link, lab links, theme toggle', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

    // Tab from the top to the Chain Lab link in the navigation and follow it.
    await page.locator('body').focus();
    let label = '';
    for (let i = 0; i < 10 && label !== 'Chain Lab'; i++) {
      await page.keyboard.press('Tab');
      label = (await page.evaluate(() => document.activeElement?.textContent?.trim())) ?? '';
      // Focus must always be visible.
      const outline = await page.evaluate(
        () => getComputedStyle(document.activeElement as Element).outlineStyle,
      );
      expect(outline).not.toBe('none');
    }
    expect(label).toBe('Chain Lab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Chain Lab');
    expect(page.url()).toMatch(/#\/chain$/);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    expect(await page.title()).toBe('Chain Lab · TLS Lab');

    // The theme toggle cycles system -> light -> dark and remembers the choice.
    const toggle = page.getByRole('button', { name: /theme/ });
    await toggle.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.reload();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('restores the view from the URL, and Back returns to the previous view', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/sslmode');
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('sslmode Lab');
    await page.getByRole('link', { name: 'Handshake Lab' }).first().click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Handshake Lab');
    await page.goBack();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('sslmode Lab');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('fits a phone screen without horizontal scrolling and honours reduced motion', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url, {
      viewport: { width: 360, height: 740 },
      reducedMotion: 'reduce',
    });
    await page.goto(app.url);
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('TLS Lab');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    const transition = await page.evaluate(
      () => getComputedStyle(document.querySelector('.lab-card') as Element).transitionDuration,
    );
    expect(parseFloat(transition)).toBeLessThan(0.001);
    await screenshot(page, 'home-phone');
    expect(errors).toEqual([]);
    await context.close();
  });
});
