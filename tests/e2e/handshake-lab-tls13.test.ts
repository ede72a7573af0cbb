/**
 * Issue 17, "The lab": TLS 1.3 runs live in the Handshake Lab. Chosen with the keyboard, stepped through (bytes,
 * secrets with their openssl kdf commands), every TLS 1.3 fault preset ending in its alert card, axe in light and
 * dark, no sideways scroll at 390 px, and the sslmode Lab's link into a TLS 1.3 handshake.
 */
import { describe, expect, it } from 'vitest';
import { useBuiltApp } from '../kit/programs/app';
import { expectAlertCard, outcome, position, stepTitles } from '../kit/programs/handshake-page';
import {
  describeViolations,
  openWatchedPage,
  screenshot,
  seriousAxeViolations,
} from '../kit/programs/browser';
import { faultPresets } from '../../src/content/handshake/faults';

const app = useBuiltApp();

describe('Handshake Lab, TLS 1.3', () => {
  it('is chosen with the keyboard and stepped through: bytes, fields and secrets with openssl kdf', async () => {
    const { page, context, errors, foreignRequests } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/handshake');
    await expect.poll(() => outcome(page).textContent(), { timeout: 30_000 }).toBe('Handshake complete');
    const version = page.getByLabel('Protocol version');
    await version.focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.url()).toContain('tls=1.3');
    await expect
      .poll(() => page.locator('.outcome p').first().textContent(), { timeout: 30_000 })
      .toMatch(/^TLSv1\.3, TLS_AES_128_GCM_SHA256, x25519/);
    // 1.2's controls give way to 1.3's: no extended master secret, a key share group instead.
    expect(await page.getByLabel('Extended master secret (RFC 7627)').count()).toBe(0);
    expect(await page.getByLabel('Key share the client sends').count()).toBe(1);
    const titles = await stepTitles(page);
    expect(titles.slice(0, 7)).toEqual([
      'C→S ClientHello',
      'S→C ServerHello',
      'S→C ChangeCipherSpec',
      'S→C EncryptedExtensions',
      'S→C Certificate',
      'S→C CertificateVerify',
      'S→C Finished',
    ]);
    await page.locator('h1').click();
    for (let i = 0; i < titles.length; i++) {
      await expect.poll(() => position(page).textContent()).toBe(`Step ${i + 1} of ${titles.length}`);
      expect(await page.locator('#hs-step-title').textContent()).toContain(titles[i]!.slice(4));
      expect(await page.locator('.byte-view .cell').count()).toBeGreaterThan(0);
      await page.keyboard.press('ArrowRight');
    }
    expect(await page.locator('.secrets dt').allTextContents()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^client_handshake_traffic_secret/),
        expect.stringMatching(/^server_application_traffic_secret_0/),
      ]),
    );
    expect(await page.locator('.secrets .cmd code').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^openssl kdf .*HKDF/)]),
    );
    expect(await page.getByRole('button', { name: 'NSS key log for Wireshark' }).isDisabled()).toBe(false);
    // The eavesdropper sees the certificate only as ciphertext.
    await page.getByLabel('What an eavesdropper sees').check();
    await page.locator('.step-list button').nth(titles.indexOf('S→C Certificate')).click();
    await expect
      .poll(() => page.locator('.step-detail .note').textContent())
      .toContain('the header always says application data');
    // Its titles are what the eavesdropper reads: the ServerHello in clear, then only application data records.
    const eveTitles = await stepTitles(page);
    expect(eveTitles.slice(0, 2)).toEqual(['C→S ClientHello', 'S→C ServerHello']);
    expect(
      eveTitles.slice(3, 7).every((t) => /^S→C Application data record, \d+ bytes of ciphertext$/.test(t)),
    ).toBe(true);
    expect(await page.locator('#hs-step-title').textContent()).toMatch(/Application data record/);
    expect(await page.locator('.step-detail').textContent()).not.toContain('What:');
    expect(await page.locator('.sequence svg').textContent()).not.toContain('Certificate');
    await screenshot(page, 'handshake-tls13');
    expect(errors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it("explains 1.3 bytes with 1.3's meaning: Finished, CertificateVerify, HRR random, the record's additional data", async () => {
    // A review found 1.2's words on these 1.3 bytes (a 12-byte PRF for a 32-byte HMAC, the client's signature on the
    // server's, fresh randomness on HelloRetryRequest's fixed value, a sequence number in 1.3's additional data).
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    const field = async (title: string, name: RegExp) => {
      const titles = await stepTitles(page);
      await page.locator('.step-list button').nth(titles.indexOf(title)).click();
      await page.locator('[role=tree] [role=treeitem]', { hasText: name }).first().click();
      return page.locator('.field-text').textContent();
    };
    await page.goto(app.url + '#/handshake?tls=1.3');
    await expect.poll(() => outcome(page).textContent(), { timeout: 30_000 }).toBe('Handshake complete');
    expect(await field('S→C Finished', /verify_data/)).toMatch(/^Hash\.length bytes .*HMAC\(finished_key/);
    expect(await page.locator('.crypto dt').nth(1).textContent()).toMatch(
      /Additional data \(the record header: type \+ version \+ length\)/,
    );
    expect(await field('S→C CertificateVerify', /^signature\b/)).toMatch(
      /^The sender's signature over 64 bytes/,
    );
    await page.goto(app.url + '#/handshake?tls=1.3&fault=tls13-hello-retry');
    await expect.poll(() => outcome(page).textContent(), { timeout: 30_000 }).toBe('Handshake complete');
    expect(await field('S→C HelloRetryRequest', /random/)).toContain('SHA-256("HelloRetryRequest")');
    expect(errors).toEqual([]);
    await context.close();
  });

  for (const fault of faultPresets.filter((f) => f.tls === '1.3' && f.alert)) {
    it(`ends "${fault.title}" in its ${fault.alert} alert card`, async () => {
      const { page, context, errors } = await openWatchedPage(app.browser, app.url);
      await page.goto(app.url + `#/handshake?tls=1.3&fault=${fault.id}`);
      await expectAlertCard(page, fault);
      // Where OpenSSL 3.5 (libpq 18's wheel) words it otherwise, the card says that too (the oracle checks both).
      if (fault.libpqOpenssl35)
        expect(await page.locator('.outcome').textContent()).toContain(fault.libpqOpenssl35);
      if (fault.id === 'tls13-client-cert-unknown-ca') {
        // The client's Certificate is explained as the client's, not the server's.
        const titles = await stepTitles(page);
        await page.locator('.step-list button').nth(titles.indexOf('C→S Certificate')).click();
        await expect
          .poll(() => page.locator('.step-detail').textContent())
          .toContain('The client’s certificate chain');
      }
      if (fault.id === 'tls13-downgrade') {
        // The middlebox's work shows on the ClientHello: the bytes the server read differ from what was sent.
        await page.locator('.step-list button').first().click();
        await expect
          .poll(() => page.locator('.step-detail .note').first().textContent())
          .toContain('Altered on the way');
        // The server answered in TLS 1.2: its ServerHello is explained as TLS 1.2's, its Certificate in clear.
        await page.locator('.step-list button').nth(1).click();
        await expect.poll(() => page.locator('#hs-step-title').textContent()).toContain('ServerHello');
        expect(await page.locator('.step-detail').textContent()).toContain('RFC 5246 §7.4.1.3');
        expect(await page.locator('.key-schedule').count()).toBe(0);
      }
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('the hello-retry preset completes after a HelloRetryRequest; a 1.2 preset switches the version back', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/handshake?tls=1.3&fault=tls13-hello-retry');
    await expect.poll(() => outcome(page).textContent(), { timeout: 30_000 }).toBe('Handshake complete');
    expect((await stepTitles(page)).slice(0, 2)).toEqual(['C→S ClientHello', 'S→C HelloRetryRequest']);
    expect(await page.locator('.outcome p').first().textContent()).toContain('secp256r1');
    // The preset says what it changes; the key share select shows the share it sends, and cannot change it.
    expect(await page.locator('#fault-setup').textContent()).toContain('accepts only P-256');
    const share = page.getByLabel('Key share the client sends');
    expect([await share.inputValue(), await share.isDisabled()]).toEqual(['001d', true]);
    // With no TLS 1.3 suite in common the run fails before any retry: the card does not explain a retry.
    await page.goto(app.url + '#/handshake?tls=1.3&fault=tls13-hello-retry&offer13=1301&accept13=1302');
    await expect
      .poll(() => outcome(page).textContent(), { timeout: 30_000 })
      .toBe('Handshake failed: handshake_failure');
    const card = await page.locator('.outcome').textContent();
    expect(card).toContain('preset did not play out');
    expect(card).not.toContain('Not a failure');
    await page.goto(app.url + '#/handshake?tls=1.3&fault=tls13-hello-retry');
    await expect.poll(() => outcome(page).textContent(), { timeout: 30_000 }).toBe('Handshake complete');
    // The fault select offers this version's presets only.
    const options = await page.getByLabel('Break it on purpose').locator('option').allTextContents();
    expect(options.some((o) => o.startsWith('TLS 1.3'))).toBe(true);
    expect(options).not.toContain('Tampered record');
    await page.getByLabel('Protocol version').selectOption('1.2');
    // Both are the defaults again, so the URL names neither.
    await expect.poll(() => page.url()).not.toMatch(/fault=|tls=/);
    await expect.poll(() => outcome(page).textContent(), { timeout: 30_000 }).toBe('Handshake complete');
    expect(await page.locator('.outcome p').first().textContent()).toMatch(/^TLSv1\.2/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('passes axe in light and dark, and does not scroll sideways at 390 px', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const { page, context, errors } = await openWatchedPage(app.browser, app.url, { colorScheme: scheme });
      await page.goto(app.url + '#/handshake?tls=1.3&pg=sslrequest&step=4');
      await expect.poll(() => outcome(page).textContent(), { timeout: 30_000 }).toBe('Handshake complete');
      const violations = await seriousAxeViolations(page);
      expect(violations, describeViolations(violations)).toEqual([]);
      await screenshot(page, `handshake-tls13-${scheme}`);
      expect(errors).toEqual([]);
      await context.close();
    }
    const { page, context, errors } = await openWatchedPage(app.browser, app.url, {
      viewport: { width: 390, height: 844 },
    });
    for (const hash of ['#/handshake?tls=1.3&step=4', '#/handshake?tls=1.3&fault=tls13-downgrade']) {
      await page.goto(app.url + hash);
      await expect.poll(() => outcome(page).textContent(), { timeout: 30_000 }).toMatch(/^Handshake /);
      await page.locator('details summary').first().click();
      expect(await page.evaluate(() => document.documentElement.scrollWidth), hash).toBeLessThanOrEqual(390);
    }
    // An alert step whose reason names an OpenSSL verify error, one long word.
    await page.goto(app.url + '#/handshake?tls=1.3&fault=tls13-unknown-ca');
    await expect
      .poll(() => outcome(page).textContent(), { timeout: 30_000 })
      .toBe('Handshake failed: unknown_ca');
    await page.locator('.step-list button').last().click();
    await expect.poll(() => page.locator('.alert-line').textContent()).toContain('X509_V_ERR_');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // Every step, as the secrets pile up (their names are wider than a phone), stepped with Page Down as a
    // presentation clicker does.
    await page.goto(app.url + '#/handshake?tls=1.3');
    await expect.poll(() => outcome(page).textContent(), { timeout: 30_000 }).toBe('Handshake complete');
    const count = (await stepTitles(page)).length;
    await page.locator('h1').click();
    for (let i = 0; i < count; i++) {
      await expect.poll(() => position(page).textContent()).toBe(`Step ${i + 1} of ${count}`);
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth),
        `step ${i + 1}`,
      ).toBeLessThanOrEqual(390);
      if (i < count - 1) await page.keyboard.press('PageDown');
    }
    await page.keyboard.press('PageUp');
    await expect.poll(() => position(page).textContent()).toBe(`Step ${count - 1} of ${count}`);
    // Space on a disclosure reached by the keyboard opens it; it does not start the playback.
    const summary = page.locator('summary', { hasText: 'Cipher suites and groups' });
    await page.keyboard.press('Tab'); // from here on the focus moves by keyboard
    await summary.focus();
    await page.keyboard.press('Space');
    expect(await summary.evaluate((s) => (s.parentElement as HTMLDetailsElement).open)).toBe(true);
    expect(await page.getByRole('button', { name: 'Play' }).count()).toBe(1);
    expect(await position(page).textContent()).toBe(`Step ${count - 1} of ${count}`);
    await screenshot(page, 'handshake-tls13-390');
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a clicker steps after a control was clicked, never changing it; a control reached by Tab keeps its keys; Alt+arrows are the browser's", async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/handshake?tls=1.3');
    await expect.poll(() => outcome(page).textContent(), { timeout: 30_000 }).toBe('Handshake complete');
    const count = (await stepTitles(page)).length;
    const at = async (n: number) =>
      expect.poll(() => position(page).textContent()).toBe(`Step ${n} of ${count}`);
    // The preset select, clicked (its list opens) and closed: Page Down and the arrows step, the preset stays.
    const preset = page.getByLabel('Break it on purpose');
    await preset.click();
    await page.keyboard.press('Escape');
    await page.keyboard.press('PageDown');
    await at(2);
    await page.keyboard.press('ArrowRight');
    await at(3);
    expect(await preset.inputValue()).toBe('none');
    expect(page.url()).not.toContain('fault=');
    // The eavesdropper checkbox, clicked: Page Down steps without scrolling, Space plays without unticking it.
    const eve = page.getByLabel('What an eavesdropper sees');
    await eve.click();
    await expect.poll(() => page.url()).toContain('eve=1');
    const scrollY = await page.evaluate(() => window.scrollY);
    await page.keyboard.press('PageDown');
    await at(4);
    expect(await page.evaluate(() => window.scrollY)).toBe(scrollY);
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByRole('button', { name: 'Pause' }).count()).toBe(1);
    expect(await eve.isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Pause' }).click();
    // The byte view, clicked: a clicker's arrows and Page Down step (they do not move its selection).
    const before = Number((await position(page).textContent())!.match(/Step (\d+)/)![1]);
    await page.locator('.byte-view .grid').first().click();
    await page.keyboard.press('ArrowRight');
    await at(before + 1);
    await page.keyboard.press('PageDown');
    await at(before + 2);
    // Reached by Tab, a select keeps its arrow keys: the speed changes, the step does not.
    await page.locator('h1').click();
    await page.keyboard.press('Home');
    await at(1);
    const speed = page.getByLabel('Speed');
    const speedBefore = await speed.inputValue();
    await page.getByRole('button', { name: 'Next →' }).focus();
    await page.keyboard.press('Tab');
    expect(await speed.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => speed.inputValue()).not.toBe(speedBefore);
    await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(100);
    await at(1);
    // Alt+arrow is the browser's Back / Forward, not the lab's.
    await page.locator('h1').click();
    await page.keyboard.press('ArrowRight');
    await at(2);
    await page.keyboard.press('Alt+ArrowLeft');
    await page.waitForTimeout(100);
    await at(2);
    // The stepper's status names the step for a screen reader, not only its number.
    expect(await page.locator('.stepper .position').textContent()).toBe(
      `Step 2 of ${count}: server to client, ServerHello`,
    );
    // A clicked button keeps no claim on Space either: it plays, rather than pressing "Next" again.
    await page.getByRole('button', { name: 'Next →' }).click();
    await at(3);
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByRole('button', { name: 'Pause' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.locator('h1').click();
    await page.keyboard.press('Home');
    await at(1);
    // The field tree reached from the keyboard keeps its keys, Page Down included: the focus stays in it.
    await page.keyboard.press('Tab'); // from here on the focus moves by keyboard
    await page.locator('.field-tree [role="treeitem"]').first().focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('PageDown');
    await page.waitForTimeout(100);
    await at(1);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('treeitem');
    // End from the keyboard-focused Next button disables it: the focus goes to the step title, not the page.
    await page.keyboard.press('Tab');
    await page.getByRole('button', { name: 'Next →' }).focus();
    await page.keyboard.press('End');
    await at(count);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('hs-step-title');
    await page.keyboard.press('Home');
    await at(1);
    // A field clicked, then a step: the field goes with its step, and the focus goes to the new step's title.
    await page.getByLabel('What an eavesdropper sees').click(); // off: the message's fields, not the record's
    await expect.poll(() => page.url()).not.toContain('eve=1');
    await page.locator('.field-tree [role="treeitem"]', { hasText: 'legacy_session_id' }).first().click();
    await page.keyboard.press('ArrowRight');
    await at(2);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('hs-step-title');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the sslmode Lab links a TLSv1.3 connection to this handshake', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    const conninfo = 'host=db.example.test dbname=app user=app password=secret sslmode=verify-full';
    await page.goto(app.url + `#/sslmode?${new URLSearchParams({ conninfo, root: 'root-a' })}`);
    const link = page.getByRole('link', { name: 'See this TLS 1.3 handshake' });
    await expect.poll(() => link.count(), { timeout: 30_000 }).toBe(1);
    expect(await link.getAttribute('href')).toBe('#/handshake?tls=1.3&pg=sslrequest');
    await link.click();
    await expect.poll(() => outcome(page).textContent(), { timeout: 30_000 }).toBe('Handshake complete');
    expect((await stepTitles(page)).slice(0, 3)).toEqual([
      'C→S SSLRequest',
      "S→C Server answers 'S'",
      'C→S ClientHello',
    ]);
    expect(await page.locator('.outcome p').first().textContent()).toMatch(/^TLSv1\.3/);
    expect(errors).toEqual([]);
    await context.close();
  });
});
