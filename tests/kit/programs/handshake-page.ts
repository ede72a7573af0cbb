/** What the Handshake Lab e2e tests read off the page: the outcome card's title, the stepper, the step list. */
import type { Page } from 'playwright-core';

export const outcome = (page: Page) => page.locator('#outcome-title');
export const position = (page: Page) => page.locator('.stepper .position');

/** The step list as a reader sees it: "C→S ClientHello", ... */
export async function stepTitles(page: Page): Promise<string[]> {
  return (await page.locator('.step-list button').allTextContents()).map((t) =>
    t.replace(/\s+/g, ' ').trim(),
  );
}
