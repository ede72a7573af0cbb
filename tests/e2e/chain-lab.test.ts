import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MOZILLA_META } from '../../src/lib/pki/trust-stores/mozilla.meta.ts';
import { useBuiltApp } from '../kit/programs/app';
import {
  describeViolations,
  openWatchedPage,
  screenshot,
  seriousAxeViolations,
} from '../kit/programs/browser';

const app = useBuiltApp();

const verdict = (page: Page) => page.locator('#verdict-title');
const pathsTitle = (page: Page) => page.locator('#paths-title');
const AZURE = 'fixtures/public-ca/azure';

describe('Chain Lab', () => {
  it('shows both paths of the Azure cross-signed intermediate and the OpenSSL 3 verdict', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/chain');
    await expect.poll(() => pathsTitle(page).textContent(), { timeout: 20_000 }).toBe('Every path (2)');
    expect(await verdict(page).textContent()).toBe('OpenSSL 3 (libpq, psql): verified');
    expect(await page.locator('.paths > li.valid').count()).toBe(2);
    await screenshot(page, 'chain-azure');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('analyses real files uploaded through the file input against a trust preset', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/chain?trust=azure-postgresql&host=www.microsoft.com&at=2024-01-15');
    await expect.poll(() => pathsTitle(page).textContent(), { timeout: 20_000 }).toMatch(/Every path/);
    await page
      .locator('input[type=file]')
      .setInputFiles([
        `${AZURE}/leaf_www.microsoft.com_by-azure-rsa-tls-issuing-ca-07_2023.pem`,
        `${AZURE}/int_azure-rsa-tls-issuing-ca-07_by-digicert-g2_xsign.pem`,
        `${AZURE}/int_azure-rsa-tls-issuing-ca-07_by-microsoft-rsa-root-2017.pem`,
      ]);
    await expect.poll(() => page.getByText('Found 3 certificates.').count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => pathsTitle(page).textContent(), { timeout: 20_000 }).toBe('Every path (2)');
    expect(await page.locator('.paths > li.valid').count()).toBe(2);
    // The user's certificates never go into the URL.
    expect(page.url()).not.toMatch(/BEGIN|MII/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens a legacy PKCS#12 file (RC2-40 certificates, OpenSSL -legacy) once its password is given', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/chain');
    await expect.poll(() => pathsTitle(page).textContent(), { timeout: 20_000 }).toMatch(/Every path/);
    await page.locator('input[type=file]').setInputFiles(['fixtures/pkcs12/legacy-default.p12']);
    const password = page.getByLabel('PKCS#12 password');
    await expect.poll(() => password.count(), { timeout: 20_000 }).toBe(1);
    await password.fill('legacy pass');
    await page.getByRole('button', { name: 'Open with this password' }).click();
    await expect.poll(() => page.getByText('Found 2 certificates.').count(), { timeout: 20_000 }).toBe(1);
    // Both certificates are listed by name (no path: the test root is in no trust store).
    const listed = await page.locator('main').textContent();
    expect(listed).toContain('legacy.example');
    expect(listed).toContain('Legacy PKCS12 Test Root');
    // The password never goes into the URL.
    expect(page.url()).not.toMatch(/legacy(%20| |\+)pass/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('names the Mozilla set it trusts, and says when a root has left it', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/chain?trust=mozilla');
    const picker = page.getByLabel('Trust store');
    await expect
      .poll(() => picker.locator('option:checked').textContent(), { timeout: 20_000 })
      .toBe(
        `Mozilla roots, Debian ca-certificates ${MOZILLA_META.debianPackageVersion} (${MOZILLA_META.date})`,
      );
    // Comodo's AAA Certificate Services root: in the 20230311+deb12u1 set, gone from today's.
    await page
      .locator('input[type=file]')
      .setInputFiles(['fixtures/public-ca/comodo/root_aaa-certificate-services.pem']);
    await expect.poll(() => page.getByText('Found 1 certificate.').count(), { timeout: 20_000 }).toBe(1);
    const note = page.locator('.former-root');
    await expect.poll(() => note.count(), { timeout: 20_000 }).toBe(1);
    expect((await note.textContent())?.replace(/\s+/g, ' ').trim()).toBe(
      "CN=AAA Certificate Services,O=Comodo CA Limited,L=Salford,ST=Greater Manchester,C=GB was in Mozilla's root " +
        `store until Debian ca-certificates 20230311+deb12u1 (${MOZILLA_META.removed.find((r) => r.subject.startsWith('CN=AAA'))?.lastDate}); ` +
        `the preset's ca-certificates ${MOZILLA_META.debianPackageVersion} no longer has it, so a path that ends there is not trusted with this store.`,
    );
    expect(await verdict(page).textContent()).toBe('OpenSSL 3 (libpq, psql): verification fails');
    expect(errors).toEqual([]);
    await context.close();
  });

  it("flips the OpenSSL 1.0.2 verdict when the date slider crosses 2021-09-30 (Let's Encrypt)", async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/chain?sample=letsencrypt-2021&at=2021-09-29');
    await expect
      .poll(() => verdict(page).textContent(), { timeout: 20_000 })
      .toBe('OpenSSL 1.0.2 (old clients): verified');
    const slider = page.locator('#at-slider');
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.url()).toMatch(/at=2021-10-01/);
    await expect
      .poll(() => verdict(page).textContent(), { timeout: 20_000 })
      .toBe('OpenSSL 1.0.2 (old clients): verification fails');
    expect(await page.locator('.verdict code').textContent()).toMatch(
      /^error 10 at \d depth lookup:certificate has expired$/, // OpenSSL 1.0.2's verify line: no space
    );
    // OpenSSL 3 looks in its trust store first and stops at the self-signed ISRG Root X1.
    await page.locator('select').filter({ hasText: 'OpenSSL 3' }).selectOption('openssl-3');
    await expect
      .poll(() => verdict(page).textContent(), { timeout: 20_000 })
      .toBe('OpenSSL 3 (libpq, psql): verified');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a date and time in the URL is that instant, as tls-lab chain --at reads it; a date it cannot read is ignored', async () => {
    // DST Root CA X3 expired at 2021-09-30 14:01:15 UTC: OpenSSL 1.0.2 verifies just before, fails just after.
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    const at = async (value: string) => {
      await page.goto(app.url + `#/chain?sample=letsencrypt-2021&profile=openssl-1.0.2&at=${value}`);
      await page.reload();
      await expect.poll(() => verdict(page).count(), { timeout: 20_000 }).toBe(1);
      return verdict(page).textContent();
    };
    expect(await at('2021-09-30T14:01:00Z')).toBe('OpenSSL 1.0.2 (old clients): verified');
    expect(await page.locator('label[for=at-slider] strong').textContent()).toBe('2021-09-30T14:01:00.000Z');
    await expect
      .poll(() => at('2021-09-30T16:01:00%2B02:00'), { timeout: 20_000 })
      .toBe('OpenSSL 1.0.2 (old clients): verified');
    await expect
      .poll(() => at('2021-09-30T14:02:00Z'), { timeout: 20_000 })
      .toBe('OpenSSL 1.0.2 (old clients): verification fails');
    // Not ISO 8601 (Date.parse would take it, tls-lab chain --at refuses it): the sample's own date is used.
    await at('September%2030,%202021');
    expect(await page.locator('label[for=at-slider] strong').textContent()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await page.locator('.error, [role=alert]').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('explains junk clearly, discards a private key, and keeps working', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/chain');
    await expect.poll(() => pathsTitle(page).textContent(), { timeout: 20_000 }).toBe('Every path (2)');
    const junk = '-----BEGIN CERTIFICATE-----\nthis is not base64 at all!!\n-----END CERTIFICATE-----\n';
    const key = readFileSync('fixtures/demo-pki/server-ecdsa.key', 'utf8');
    await page.locator('#paste').fill(`hello\n${junk}\n${key}`);
    await page.getByRole('button', { name: 'Add pasted text' }).click();
    const problems = page.locator('.problems');
    await expect.poll(() => problems.textContent(), { timeout: 20_000 }).toMatch(/pasted text: .*line/);
    await expect.poll(() => page.getByText(/private key was found and discarded/).count()).toBe(1);
    expect(await page.locator('main').textContent()).not.toContain(key.split('\n')[1]);
    // The lab still works: a sample can be loaded again.
    await page.locator('select').first().selectOption('expired-leaf');
    await expect
      .poll(() => page.locator('.verdict code').textContent(), { timeout: 20_000 })
      .toMatch(/^error 10 at 0 depth lookup: ?certificate has expired$/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('refuses a file over 10 MB by name and still reads the other files of the same pick', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/chain');
    await expect.poll(() => pathsTitle(page).textContent(), { timeout: 20_000 }).toBe('Every path (2)');
    const big = join(mkdtempSync(join(tmpdir(), 'tls-lab-big-')), 'huge-bundle.pem');
    writeFileSync(big, Buffer.alloc(11 * 1024 * 1024, 0x41));
    await page
      .locator('input[type=file]')
      .setInputFiles([big, `${AZURE}/leaf_www.microsoft.com_by-azure-rsa-tls-issuing-ca-07_2023.pem`]);
    await expect.poll(() => page.getByText('Found 1 certificate.').count(), { timeout: 20_000 }).toBe(1);
    // The other file's analysis does not wipe the refusal.
    expect(await page.getByRole('alert', { name: 'Files not read' }).textContent()).toBe(
      'huge-bundle.pem is 11.0 MB; the limit is 10 MB per file',
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('can be driven by keyboard alone and passes axe in light and dark', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const { page, context, errors } = await openWatchedPage(app.browser, app.url, { colorScheme: scheme });
      await page.goto(app.url + '#/chain');
      await expect.poll(() => pathsTitle(page).textContent(), { timeout: 20_000 }).toBe('Every path (2)');
      // Tab to the second path and select it with the keyboard.
      const second = page.getByRole('button', { name: /Path 2:/ });
      let guard = 0;
      while (!(await second.evaluate((el) => el === document.activeElement)) && guard++ < 80)
        await page.keyboard.press('Tab');
      expect(guard).toBeLessThan(80);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.url()).toMatch(/path=1/);
      expect(await second.getAttribute('aria-pressed')).toBe('true');
      const violations = await seriousAxeViolations(page);
      expect(violations, describeViolations(violations)).toEqual([]);
      await screenshot(page, `chain-${scheme}`);
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});

describe('Chain Lab with a large bundle', () => {
  // 1,000 distinct self-signed certificates, made here (ECDSA P-256, one key), once for both tests.
  let bulk: Promise<string> | undefined;
  const bulkPem = () =>
    (bulk ??= import('../kit/pure/bulk-certificates').then(({ generateBulkPem }) => generateBulkPem(1000)));

  it('parses a 1,000-certificate bundle in the worker, sends the page only what it draws, and still answers input', async () => {
    const pem = await bulkPem();
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/chain');
    await expect.poll(() => pathsTitle(page).textContent(), { timeout: 20_000 }).toBe('Every path (2)');
    // A real file on disk: the browser reads it itself.
    const file = join(mkdtempSync(join(tmpdir(), 'tls-lab-bulk-')), 'bulk.pem');
    writeFileSync(file, pem);
    await page.locator('input[type=file]').setInputFiles(file);
    await expect.poll(() => page.getByText('Found 1000 certificates.').count(), { timeout: 60_000 }).toBe(1);
    await expect
      .poll(() => verdict(page).textContent(), { timeout: 60_000 })
      .toBe('OpenSSL 3 (libpq, psql): verification fails');
    // Only the leaf's part of the pool is drawn: the other 999 unrelated certificates stay in the worker.
    expect(await page.locator('.graph .node').count()).toBe(1);
    expect(await page.locator('.verdict code').textContent()).toBe(
      'error 18 at 0 depth lookup: self-signed certificate',
    );

    // The page still answers input: custom trust lists the pool a page at a time, with a filter.
    await page.getByLabel('Trust store').selectOption('custom');
    const trustList = page.getByRole('group', { name: 'Trust these certificates' });
    await expect.poll(() => trustList.getByRole('checkbox').count(), { timeout: 60_000 }).toBe(50);
    expect(await trustList.getByText('Showing 50 of 1000.').count()).toBe(1);
    await trustList.getByRole('button', { name: 'Show 50 more' }).click();
    expect(await trustList.getByRole('checkbox').count()).toBe(100);
    await trustList.getByLabel('Filter by name').fill('Bulk certificate 0');
    expect(await trustList.getByRole('checkbox').count()).toBe(1);
    // Trusting the leaf itself (a self-signed certificate) makes it its own trust anchor.
    await trustList.getByRole('checkbox').check();
    await expect
      .poll(() => verdict(page).textContent(), { timeout: 60_000 })
      .toBe('OpenSSL 3 (libpq, psql): verified');
    await trustList.getByLabel('Filter by name').fill('no such name');
    expect(await trustList.textContent()).toContain(
      "No certificate's subject or issuer contains “no such name”.",
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('takes a 1,000-certificate paste straight to the worker, not into the box', async () => {
    const pem = await bulkPem();
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(app.url).origin,
    });
    await page.goto(app.url + '#/chain');
    await expect.poll(() => pathsTitle(page).textContent(), { timeout: 20_000 }).toBe('Every path (2)');
    // The system clipboard holds the bundle; Ctrl+V in the paste box, as a user does.
    await page.evaluate((text) => navigator.clipboard.writeText(text), pem);
    await page.locator('#paste').focus();
    await page.keyboard.press('Control+V');
    await expect.poll(() => page.getByText('Found 1000 certificates.').count(), { timeout: 60_000 }).toBe(1);
    expect(await page.locator('#paste').inputValue()).toBe('');
    expect(await page.getByText('added directly').textContent()).toBe(
      `Pasted text of ${Math.round(pem.length / 1024)} kB added directly, without showing it in the box.`,
    );
    await expect
      .poll(() => verdict(page).textContent(), { timeout: 60_000 })
      .toBe('OpenSSL 3 (libpq, psql): verification fails');
    // A small paste still lands in the box, to be read or edited before it is added.
    const small = '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n';
    await page.evaluate((text) => navigator.clipboard.writeText(text), small);
    await page.locator('#paste').focus();
    await page.keyboard.press('Control+V');
    expect(await page.locator('#paste').inputValue()).toBe(small);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('Chain Lab: the path the client tried, told apart, and what would make it pass', () => {
  /** The certificates of the path list's selected (bold) path, as its labels read. */
  const selectedPath = (page: Page) =>
    page.locator('.paths > li.selected .chain li button').allTextContents();
  /** The graph's bold nodes: each node's name and, when it shares its name, what tells it apart. */
  const boldNodes = (page: Page) =>
    page.locator('.graph .node.on-path').evaluateAll((nodes) =>
      nodes.map((n) =>
        [...n.querySelectorAll('text')]
          .map((t) => t.textContent?.trim())
          .slice(0, -1)
          .join(' | '),
      ),
    );

  it("Let's Encrypt under OpenSSL 1.0.2 on 2021-10-01: the bold path is the DST one it tried, and the two ISRG Root X1 are told apart", async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/chain?sample=letsencrypt-2021&at=2021-10-01');
    await expect
      .poll(() => verdict(page).textContent(), { timeout: 20_000 })
      .toBe('OpenSSL 1.0.2 (old clients): verification fails');
    expect(await page.locator('.verdict .tried').textContent()).toMatch(
      /^\s*It tried path 2, highlighted below\.\s*$/,
    );
    expect(await page.locator('.paths > li.selected .path-head').textContent()).toMatch(
      /invalid\s+Path 2: 3 certificates/,
    );
    expect(await selectedPath(page)).toEqual([
      'R3',
      'ISRG Root X1 (issued by DST Root CA X3)',
      'DST Root CA X3',
    ]);
    expect((await boldNodes(page)).sort()).toEqual([
      'DST Root CA X3',
      'ISRG Root X1 | issued by DST Root CA X3',
      'R3',
    ]);
    // The graph's other ISRG Root X1 (the self-signed anchor) carries its own second line.
    expect(await page.locator('.graph .node text.detail').allTextContents()).toEqual(
      expect.arrayContaining(['self-signed', 'issued by DST Root CA X3']),
    );
    // Positions as a person counts them: R3 is the 1st certificate sent, ISRG Root X1 the 2nd.
    expect(await page.locator('.remedies li').allTextContents()).toContain(
      'stop sending "ISRG Root X1" (certificate 2 of the 2 sent): openssl-1.0.2 builds its chain through it, and path 1 (valid by the RFC 5280 checks, with no warning) does not need it',
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('Azure: the two CA 07 faces are told apart in the path list and the graph (nodes tall enough for it)', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/chain?sample=azure-cross-sign');
    await expect.poll(() => pathsTitle(page).textContent(), { timeout: 20_000 }).toBe('Every path (2)');
    expect(await page.locator('.paths .chain li button').allTextContents()).toEqual([
      'www.microsoft.com',
      'Microsoft Azure RSA TLS Issuing CA 07 (issued by DigiCert Global Root G2)',
      'DigiCert Global Root G2',
      'www.microsoft.com',
      'Microsoft Azure RSA TLS Issuing CA 07 (issued by Microsoft RSA Root Certificate Authority 2017)',
      'Microsoft RSA Root Certificate Authority 2017',
    ]);
    const titles = await page.locator('.graph .node > title').allTextContents();
    expect(titles.filter((t) => t.startsWith('Microsoft Azure RSA TLS Issuing CA 07'))).toEqual(
      expect.arrayContaining([
        'Microsoft Azure RSA TLS Issuing CA 07 (issued by DigiCert Global Root G2)',
        'Microsoft Azure RSA TLS Issuing CA 07 (issued by Microsoft RSA Root Certificate Authority 2017)',
      ]),
    );
    // Every line of a node's text lies inside its box.
    const overflow = await page.locator('.graph .node').evaluateAll(
      (nodes) =>
        nodes.filter((n) => {
          const box = n.querySelector('rect')!.getBBox();
          return [...n.querySelectorAll('text')].some((t) => {
            const b = t.getBBox();
            return b.y < box.y || b.y + b.height > box.y + box.height || b.x + b.width > box.x + box.width;
          });
        }).length,
    );
    expect(overflow).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('Azure on 2026-11-27 trusting only DigiCert Global Root G2: add the Microsoft root (in the Mozilla trust store), and the leaf expired in 2024', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/chain?host=www.microsoft.com&at=2026-11-27');
    await expect.poll(() => pathsTitle(page).count(), { timeout: 20_000 }).toBe(1);
    await page.locator('#load-role').selectOption('trust');
    await page.locator('input[type=file]').setInputFiles([`${AZURE}/root_digicert-global-root-g2.pem`]);
    await page.locator('#load-role').selectOption('chain');
    await page
      .locator('input[type=file]')
      .setInputFiles([
        `${AZURE}/leaf_www.microsoft.com_by-azure-rsa-tls-issuing-ca-07_2023.pem`,
        `${AZURE}/int_azure-rsa-tls-issuing-ca-07_by-digicert-g2_xsign.pem`,
        `${AZURE}/int_azure-rsa-tls-issuing-ca-07_by-microsoft-rsa-root-2017.pem`,
      ]);
    await expect.poll(() => page.getByText('Found 4 certificates.').count(), { timeout: 20_000 }).toBe(1);
    await expect
      .poll(() => page.locator('.verdict code').textContent(), { timeout: 30_000 })
      .toMatch(/^error 20 at \d depth lookup: unable to get local issuer certificate$/);
    const remedies = page.locator('.remedies li');
    await expect.poll(() => remedies.count(), { timeout: 30_000 }).toBeGreaterThan(1);
    const texts = await remedies.allTextContents();
    expect(texts).toContain(
      'add the root "Microsoft RSA Root Certificate Authority 2017" (in the Mozilla trust store), also in the Azure Database for PostgreSQL trust store, to the trust anchors: it issued "Microsoft Azure RSA TLS Issuing CA 07"',
    );
    expect(texts).toContain(
      '"www.microsoft.com" is valid from 2023-09-14 to 2024-09-08; the check date 2026-11-27 is after that.',
    );
    // The path OpenSSL tried ends at the CA 07 that Microsoft's root signed: said, and drawn bold.
    expect(await page.locator('.verdict .tried').textContent()).toMatch(
      /stops before reaching a trust anchor: www\.microsoft\.com → Microsoft Azure RSA TLS Issuing CA 07 \(issued by Microsoft RSA Root Certificate Authority 2017\)\.\s*$/,
    );
    expect((await boldNodes(page)).sort()).toEqual([
      'Microsoft Azure RSA TLS Issuing CA 07 | issued by Microsoft RSA Root Certificate Aut…',
      'www.microsoft.com',
    ]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
