/**
 * The Handshake Lab's TLS 1.3 views in Chromium: the key schedule diagram of a real TLS 1.3 capture opened with
 * its key log (openssl s_client/s_server, fixtures/pcap), whose traffic secrets are known and whose spine is
 * not; each node a button that shows the run's value and its openssl command; axe in light and dark, and no
 * sideways scroll at 390 px.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBuiltApp } from '../kit/programs/app';
import { describeViolations, openWatchedPage, seriousAxeViolations } from '../kit/programs/browser';

const app = useBuiltApp();
const PCAP = 'fixtures/pcap/';

async function openTls13Capture(page: Page): Promise<void> {
  await page.goto(app.url + '#/handshake');
  await expect
    .poll(() => page.locator('#outcome-title').textContent(), { timeout: 30_000 })
    .toBe('Handshake complete');
  await page.locator('#capture-file').setInputFiles(`${PCAP}tls13-lo.pcap`);
  await page.locator('#keylog-file').setInputFiles(`${PCAP}tls13.keys.log`);
  await expect.poll(() => page.locator('.keylog-report').getAttribute('data-status')).toBe('tls13-decrypted');
}

const diagram = (page: Page) => page.locator('.key-schedule');
const node = (page: Page, name: string) => diagram(page).getByRole('button', { name, exact: true });

describe('Handshake Lab: the TLS 1.3 key schedule diagram', () => {
  it("a capture's key log: the traffic secrets are known, with values and openssl commands; the spine is not", async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await openTls13Capture(page);
    await expect.poll(() => diagram(page).count()).toBe(1);
    const secret = node(page, 'client_handshake_traffic_secret');
    await secret.focus();
    await page.keyboard.press('Enter');
    expect(await secret.getAttribute('aria-pressed')).toBe('true');
    const detail = page.locator('#key-schedule-detail');
    // The value is the key log's own line for this secret.
    const line = readFileSync(`${PCAP}tls13.keys.log`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('CLIENT_HANDSHAKE_TRAFFIC_SECRET '));
    const value = line?.split(' ')[2];
    expect(value).toMatch(/^[0-9a-f]{64,96}$/);
    expect(await detail.locator('.value').textContent()).toBe(value);
    // Its key: a step with an openssl kdf command.
    await diagram(page).getByRole('button', { name: 'key', exact: true }).first().click();
    expect(await detail.locator('h3').textContent()).toBe('client_handshake_traffic_secret.key');
    expect(await detail.locator('.cmd').textContent()).toContain('openssl kdf');
    // The spine is not in a key log.
    await node(page, 'handshake_secret (not known)').click();
    expect(await detail.textContent()).toContain('Not known from this run');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('passes axe in light and dark, and does not scroll sideways at 390 px', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const { page, context, errors } = await openWatchedPage(app.browser, app.url, { colorScheme: scheme });
      await openTls13Capture(page);
      await node(page, 'server_application_traffic_secret_0').click();
      const violations = await seriousAxeViolations(page);
      expect(violations, describeViolations(violations)).toEqual([]);
      await page.setViewportSize({ width: 390, height: 900 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});
