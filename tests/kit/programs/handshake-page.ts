/** What the Handshake Lab e2e tests read off the page: the outcome card's title, the stepper, the step list. */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { FaultPreset } from '../../../src/content/handshake/faults';

export const outcome = (page: Page) => page.locator('#outcome-title');
/** The stepper's visible count ("Step 3 of 13"); its status, as a screen reader hears it, also names the step. */
export const position = (page: Page) => page.locator('.stepper .position .count');

/** The outcome card: its title (polled until it shows), and a sentence its text holds (whitespace collapsed). */
export async function expectOutcome(page: Page, title: string, says: string): Promise<void> {
  await expect.poll(() => outcome(page).textContent()).toBe(title);
  expect((await page.locator('.outcome').textContent())!.replace(/\s+/g, ' ')).toContain(says);
}

/** The step list as a reader sees it: "C→S ClientHello", ... */
export async function stepTitles(page: Page): Promise<string[]> {
  return (await page.locator('.step-list button').allTextContents()).map((t) =>
    t.replace(/\s+/g, ' ').trim(),
  );
}

/**
 * A fault preset's run as the outcome card shows it: the failure and its explanation, the alert step (whose byte
 * is shown), the preset still chosen, what psql prints, and the link to reproduce it in the sslmode Lab (or none).
 */
export async function expectAlertCard(page: Page, fault: FaultPreset): Promise<void> {
  await expect
    .poll(() => outcome(page).textContent(), { timeout: 30_000 })
    .toBe(`Handshake failed: ${fault.alert}`);
  expect(await page.locator('.outcome').textContent()).toContain(fault.explanation);
  const titles = await stepTitles(page);
  const index = titles.findIndex((t) => t.includes(`Alert: ${fault.alert}`));
  expect(index).toBeGreaterThan(0);
  await page.locator('.step-list button').nth(index).click();
  await expect.poll(() => page.locator('.alert-line').textContent()).toContain(fault.alert!);
  expect(await page.getByLabel('Break it on purpose').inputValue()).toBe(fault.id);
  expect(await page.locator('#fault-setup').textContent()).toBe(`What the preset changes: ${fault.setup}`);
  if (fault.libpq) expect(await page.locator('.libpq').textContent()).toBe(fault.libpq);
  const link = page.getByRole('link', { name: /Reproduce it with psql in the sslmode Lab/ });
  if (fault.sslmode)
    expect(await link.getAttribute('href')).toBe(`#/sslmode?${new URLSearchParams(fault.sslmode)}`);
  else expect(await link.count()).toBe(0);
}
