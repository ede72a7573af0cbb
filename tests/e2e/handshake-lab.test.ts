import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('Handshake Lab', () => {
  it('steps through every message of the default handshake, with the keys as they become known', async () => {
    const { page, context, errors, foreignRequests } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/handshake');
    await expect.poll(() => outcome(page).textContent(), { timeout: 30_000 }).toBe('Handshake complete');
    const titles = await stepTitles(page);
    expect(titles.slice(0, 10)).toEqual([
      'C→S ClientHello',
      'S→C ServerHello',
      'S→C Certificate',
      'S→C ServerKeyExchange',
      'S→C ServerHelloDone',
      'C→S ClientKeyExchange',
      'C→S ChangeCipherSpec',
      'C→S Finished',
      'S→C ChangeCipherSpec',
      'S→C Finished',
    ]);
    // Walk with the keyboard: every step shows its own title and bytes.
    await page.locator('h1').click();
    for (let i = 0; i < titles.length; i++) {
      await expect.poll(() => position(page).textContent()).toBe(`Step ${i + 1} of ${titles.length}`);
      expect(await page.locator('#hs-step-title').textContent()).toContain(titles[i]!.slice(4));
      expect(await page.locator('.byte-view .cell').count()).toBeGreaterThan(0);
      if (i === 0)
        expect(await page.locator('#secrets-title').textContent()).toBe('Secrets known so far (0)');
      await page.keyboard.press('ArrowRight');
    }
    expect(page.url()).toMatch(new RegExp(`step=${titles.length - 1}`));
    expect(await page.locator('.secrets dt').allTextContents()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^master_secret/),
        expect.stringMatching(/^pre_master_secret/),
      ]),
    );
    // Each PRF output comes with the openssl command that recomputes it (tested against openssl in the unit tests).
    expect(await page.locator('.secrets .cmd code').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^openssl kdf -keylen 48 .* TLS1-PRF$/)]),
    );
    await screenshot(page, 'handshake-default');
    expect(errors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  // The TLS 1.3 presets: handshake-lab-tls13.test.ts.
  for (const fault of faultPresets.filter((f) => f.id !== 'none' && f.tls === '1.2')) {
    it(`ends the "${fault.title}" fault in the ${fault.alert} alert and shows what a client prints`, async () => {
      const { page, context, errors } = await openWatchedPage(app.browser, app.url);
      // An ECDSA certificate chosen: a preset that brings its own (RSA) shows that one, and locks the select.
      await page.goto(app.url + `#/handshake?cert=ecdsa&fault=${fault.id}`);
      await expectAlertCard(page, fault);
      const certificate = page.getByLabel('Server certificate');
      const own = ['untrusted-certificate', 'expired-certificate', 'host-mismatch', 'no-shared-suite'];
      expect([await certificate.inputValue(), await certificate.isDisabled()]).toEqual(
        own.includes(fault.id) ? ['rsa', true] : ['ecdsa', false],
      );
      // The version ranges and the client's suites a preset sets are locked too, and say so.
      expect(await page.getByLabel('Client minimum').isDisabled()).toBe(fault.id === 'version-mismatch');
      const offers = page.locator('fieldset', { has: page.locator('legend', { hasText: 'Client offers' }) });
      expect(await offers.locator('input').first().isDisabled()).toBe(fault.id === 'no-shared-suite');
      expect(await offers.locator('legend').textContent()).toBe(
        fault.id === 'no-shared-suite' ? 'Client offers (set by the fault preset)' : 'Client offers',
      );
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('version mismatch: the animation is the situation the psql text describes, and links to it', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/handshake?fault=version-mismatch');
    await expect
      .poll(() => outcome(page).textContent(), { timeout: 30_000 })
      .toBe('Handshake failed: protocol_version');
    // The ClientHello offers TLS 1.2 at most; the server refuses because it requires TLS 1.3.
    expect(await page.locator('[role=tree] [role=treeitem]').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/client_version.*TLSv1\.2/)]),
    );
    expect(await page.locator('.outcome').textContent()).toMatch(/we require TLSv1\.3/);
    expect(await page.locator('.libpq').textContent()).toContain('between TLSv1.2 and TLSv1.2');
    // The alert record's fields are its level and description, not an opaque fragment.
    const titles = await stepTitles(page);
    await page.locator('.step-list button').nth(titles.indexOf('S→C Alert: protocol_version')).click();
    const fields = (await page.locator('[role=tree] [role=treeitem]').allTextContents()).join('\n');
    expect(fields).toMatch(/level.*fatal/);
    expect(fields).toMatch(/description.*protocol_version/);
    expect(fields).not.toMatch(/fragment/);
    // The link opens the sslmode Lab in the same situation, where psql's text and the fix are shown.
    await page.getByRole('link', { name: /Reproduce it with psql in the sslmode Lab/ }).click();
    // The Handshake Lab shows psql's text too: wait for the sslmode Lab's own heading before reading the page,
    // and read it once, so that its lazy load (a moment of 'Loading…') cannot come between two reads.
    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: 'sslmode Lab' }).count(), { timeout: 30_000 })
      .toBe(1);
    expect(page.url()).toContain('smin=TLSv1.3');
    await expect
      .poll(() => page.locator('main').textContent(), { timeout: 30_000 })
      .toContain(
        'This may indicate that the server does not support any SSL protocol version between TLSv1.2 and TLSv1.2.',
      );
    expect(await page.locator('main').textContent()).toContain('ssl_min_protocol_version');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a failure staged through the controls shows what psql prints and links to the sslmode Lab', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/handshake?cmin=1.0&cmax=1.1');
    await expect
      .poll(() => outcome(page).textContent(), { timeout: 30_000 })
      .toBe('Handshake failed: protocol_version');
    // The same alert from the same side as the version-mismatch preset, whose own case (TLS 1.2 against a server
    // that requires 1.3) the psql text below is for: said so, not passed off as these settings'.
    expect((await page.locator('.outcome').textContent())?.replace(/\s+/g, ' ')).toContain(
      'Your settings end as the "Version mismatch" preset does (the server sends protocol_version). What follows is that preset\'s case: The client speaks at most TLS 1.2',
    );
    expect(await page.locator('.libpq').textContent()).toContain('SSL error: tlsv1 alert protocol version');
    expect(
      await page
        .getByRole('link', { name: /Reproduce it with psql in the sslmode Lab/ })
        .getAttribute('href'),
    ).toMatch(/^#\/sslmode\?conninfo=.*smin=TLSv1\.3$/);
    // A failure the sslmode Lab does not model says so instead of linking.
    await page.goto(app.url + '#/handshake?offer=c02b&accept=c02f');
    await expect
      .poll(() => outcome(page).textContent(), { timeout: 30_000 })
      .toBe('Handshake failed: handshake_failure');
    expect(await page.locator('.outcome').textContent()).toContain('does not model this failure');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('exports the whole diagram at step 1, nothing greyed out', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/handshake');
    await expect.poll(() => outcome(page).textContent(), { timeout: 30_000 }).toBe('Handshake complete');
    expect(await page.locator('.sequence .step.future').count()).toBeGreaterThan(5);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Diagram (SVG)' }).click(),
    ]);
    const file = join(mkdtempSync(join(tmpdir(), 'tls-lab-')), 'handshake.svg');
    await download.saveAs(file);
    const svg = readFileSync(file, 'utf8');
    const opacities = [...svg.matchAll(/class="step[^"]*"[^>]*style="[^"]*opacity: ([\d.]+)/g)].map((m) =>
      Number(m[1]),
    );
    expect(opacities.length).toBeGreaterThan(5);
    expect(opacities.every((o) => o === 1)).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows PostgreSQL's SSLRequest preamble, the StartupMessage in the tunnel, and direct TLS with ALPN", async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/handshake?pg=sslrequest');
    await expect.poll(() => outcome(page).textContent(), { timeout: 30_000 }).toBe('Handshake complete');
    const titles = await stepTitles(page);
    expect(titles.slice(0, 3)).toEqual(['C→S SSLRequest', "S→C Server answers 'S'", 'C→S ClientHello']);
    expect(titles).toContain('C→S Application data: StartupMessage');
    const hex = (await page.locator('.byte-view .cell').allTextContents()).join(' ');
    expect(hex).toBe('00 00 00 08 04 d2 16 2f');
    await page.goto(app.url + '#/handshake?pg=direct');
    await expect.poll(() => outcome(page).textContent(), { timeout: 30_000 }).toBe('Handshake complete');
    expect((await stepTitles(page))[0]).toBe('C→S ClientHello');
    expect(await page.locator('[role=tree] [role=treeitem]').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('postgresql')]),
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('decrypts a recorded static-RSA session once the server key leaks, and not an ECDHE one', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/handshake?offer=009c&accept=009c&eve=1');
    await expect.poll(() => outcome(page).textContent(), { timeout: 30_000 }).toBe('Handshake complete');
    await page.getByRole('button', { name: 'Decrypt the recording with the leaked key' }).click();
    await expect
      .poll(() => page.locator('.leak .result strong').textContent(), { timeout: 30_000 })
      .toBe('Everything.');
    expect(await page.locator('.leak .records').textContent()).toContain('GET / HTTP/1.1');
    await page.goto(app.url + '#/handshake?eve=1');
    await expect
      .poll(() => page.locator('.outcome p').first().textContent(), { timeout: 30_000 })
      .toContain('ECDHE');
    await page.getByRole('button', { name: 'Decrypt the recording with the leaked key' }).click();
    await expect
      .poll(() => page.locator('.leak .result strong').textContent(), { timeout: 30_000 })
      .toBe('Nothing.');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('restores its state from the URL and shows what an eavesdropper sees', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/handshake?cert=ecdsa&offer=c02b&accept=c02b&step=7&eve=1');
    await expect.poll(() => outcome(page).textContent(), { timeout: 30_000 }).toBe('Handshake complete');
    expect(await page.locator('.outcome p').first().textContent()).toContain(
      'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
    );
    expect(await position(page).textContent()).toMatch(/^Step 8 of/);
    expect(await page.locator('.step-detail .note').textContent()).toContain(
      'An eavesdropper sees only this',
    );
    expect(await page.getByLabel('What an eavesdropper sees').isChecked()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('exports an event log and opens it again as a capture', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/handshake?offer=cca8&accept=cca8');
    await expect.poll(() => outcome(page).textContent(), { timeout: 30_000 }).toBe('Handshake complete');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Event log (JSON)' }).click(),
    ]);
    const file = join(mkdtempSync(join(tmpdir(), 'tls-lab-')), 'capture.json');
    await download.saveAs(file);
    expect(readFileSync(file, 'utf8')).toContain('"kind": "record"');
    await page.goto(app.url + '#/handshake');
    await expect.poll(() => outcome(page).textContent(), { timeout: 30_000 }).toBe('Handshake complete');
    await page.locator('#capture-file').setInputFiles(file);
    await expect.poll(() => page.getByText('Showing capture.json').count()).toBe(1);
    expect(await page.locator('.outcome p').first().textContent()).toContain('CHACHA20_POLY1305');
    // Drag and drop works too.
    await page.locator('button', { hasText: 'Back to the live handshake' }).click();
    const json = readFileSync(file, 'utf8');
    const drop = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
      return dt;
    }, json);
    await page.locator('.capture').dispatchEvent('drop', { dataTransfer: drop });
    await expect.poll(() => page.getByText('Showing dropped.json').count()).toBe(1);
    // A file that is not a capture gets a clear error and the lab keeps working.
    await page.locator('#capture-file').setInputFiles({
      name: 'junk.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"hello": 1}'),
    });
    await expect
      .poll(() => page.locator('.side .error').textContent())
      .toMatch(/^junk.json is not a tls-lab capture/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('passes axe in light and dark', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const { page, context, errors } = await openWatchedPage(app.browser, app.url, { colorScheme: scheme });
      await page.goto(app.url + '#/handshake?step=3');
      await expect.poll(() => outcome(page).textContent(), { timeout: 30_000 }).toBe('Handshake complete');
      const violations = await seriousAxeViolations(page);
      expect(violations, describeViolations(violations)).toEqual([]);
      await screenshot(page, `handshake-${scheme}`);
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});
