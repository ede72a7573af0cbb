/**
 * The Chain Lab with the user's own files (issue 15, Chain Lab): which certificate is the server's, files
 * loaded as the trust store or a pool of intermediates, loading problems next to the result, the trust-store
 * select after loading and clearing, and the psql link right after editing the host name. Real files: a CA
 * bundle made from fixtures/ca-certificates, Azure's real leaf and intermediates, a PKCS#12 file made by the
 * real `openssl pkcs12 -export`.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chainOf, name, T0 } from '../unit/pki/paths/raw-certs.ts';
import { useBuiltApp } from '../kit/programs/app';
import { describeViolations, openWatchedPage, seriousAxeViolations } from '../kit/programs/browser';

const app = useBuiltApp();
const AZURE = 'fixtures/public-ca/azure';
const LEAF = `${AZURE}/leaf_www.microsoft.com_by-azure-rsa-tls-issuing-ca-07_2023.pem`;
const CA07_MS = `${AZURE}/int_azure-rsa-tls-issuing-ca-07_by-microsoft-rsa-root-2017.pem`;
const CA07_XSIGN = `${AZURE}/int_azure-rsa-tls-issuing-ca-07_by-digicert-g2_xsign.pem`;

const verdict = (page: Page) => page.locator('#verdict-title');
const loadReport = (page: Page) => page.locator('.main .load-report');
const tmp = () => mkdtempSync(join(tmpdir(), 'tls-lab-inputs-'));

/** The system's CA bundle as Debian builds it: the pinned Mozilla roots, ~150 certificates in one file. */
function caBundle(): string {
  const file = join(tmp(), 'ca-certificates.crt');
  copyFileSync('fixtures/ca-certificates/mozilla.pem', file);
  return file;
}

async function load(page: Page, role: 'chain' | 'pool' | 'trust', files: string[]): Promise<void> {
  await page.locator('#load-role').selectOption(role);
  await page.locator('input[type=file]').setInputFiles(files);
}

describe('Chain Lab: your own certificates', () => {
  it('a CA bundle loaded as the trust store, then a leaf: the verdict is about the leaf; the user can pick another', async () => {
    const bundleCount = (
      readFileSync('fixtures/ca-certificates/mozilla.pem', 'utf8').match(/BEGIN CERT/g) ?? []
    ).length;
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/chain?host=www.microsoft.com&at=2024-01-15');
    await expect.poll(() => verdict(page).count(), { timeout: 20_000 }).toBe(1);
    await load(page, 'trust', [caBundle()]);
    await expect
      .poll(() => loadReport(page).getByText(`Found ${bundleCount} certificates.`).count(), {
        timeout: 30_000,
      })
      .toBe(1);
    await load(page, 'chain', [LEAF, CA07_MS]);
    await expect
      .poll(
        () =>
          loadReport(page)
            .getByText(`Found ${bundleCount + 2} certificates.`)
            .count(),
        {
          timeout: 30_000,
        },
      )
      .toBe(1);
    expect(page.url()).toMatch(/trust=loaded/);
    expect(await page.getByLabel('Trust store').locator('option:checked').textContent()).toBe(
      'The trust store you loaded',
    );
    await expect
      .poll(() => verdict(page).textContent(), { timeout: 30_000 })
      .toBe('OpenSSL 3 (libpq, psql): verified');
    expect(await loadReport(page).getByRole('list', { name: 'Files and texts loaded' }).textContent()).toBe(
      'ca-certificates.crt: the trust store (roots the client trusts)' +
        "leaf_www.microsoft.com_by-azure-rsa-tls-issuing-ca-07_2023.pem: the server's chain (its certificate and intermediates)" +
        "int_azure-rsa-tls-issuing-ca-07_by-microsoft-rsa-root-2017.pem: the server's chain (its certificate and intermediates)",
    );
    // The path starts at the leaf, not at the bundle's first root.
    expect(await page.locator('.paths > li').first().locator('.chain li').first().textContent()).toContain(
      'www.microsoft.com',
    );
    const picker = page.getByLabel("The server's certificate");
    expect(await picker.locator('option:checked').textContent()).toMatch(
      /^\s*Picked automatically: www\.microsoft\.com\s*$/,
    );
    // Only the files of the server's chain are offered (not the 148 roots of the trust store).
    expect(await picker.locator('option').allTextContents()).toEqual([
      expect.stringMatching(/Picked automatically/),
      'www.microsoft.com',
      'Microsoft Azure RSA TLS Issuing CA 07 (a CA)',
    ]);
    // The user says the intermediate is the server's certificate: the URL keeps the choice, the verdict follows.
    await picker.selectOption({ label: 'Microsoft Azure RSA TLS Issuing CA 07 (a CA)' });
    await expect.poll(() => page.url()).toMatch(/leaf=[0-9a-f]{16}(&|$)/);
    await expect
      .poll(() => page.locator('.paths > li').first().locator('.chain li').first().textContent(), {
        timeout: 30_000,
      })
      .toContain('Microsoft Azure RSA TLS Issuing CA 07');
    // At 390 px the load report (its long option labels included) does not scroll sideways.
    await page.setViewportSize({ width: 390, height: 900 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const violations = await seriousAxeViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a file loaded as a pool of intermediates never becomes the server certificate', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/chain?trust=azure-postgresql&host=www.microsoft.com&at=2024-01-15');
    await expect.poll(() => verdict(page).count(), { timeout: 20_000 }).toBe(1);
    await load(page, 'pool', [CA07_XSIGN, CA07_MS]);
    // A pool alone: nothing to judge, and the page says why.
    await expect
      .poll(() => page.locator('main').textContent(), { timeout: 30_000 })
      .toContain("Nothing is loaded as the server's chain");
    expect(await verdict(page).count()).toBe(0);
    await load(page, 'chain', [LEAF]);
    // The sample shown before (three certificates, all sent) offered a choice; the files loaded offer none:
    // one certificate was loaded as the server's chain, the two intermediates only as a pool.
    const state = async () => ({
      files: await loadReport(page)
        .getByRole('list', { name: 'Files and texts loaded' })
        .locator('li')
        .count(),
      picker: await page.getByLabel("The server's certificate").count(),
      busy: await page.locator('.busy').textContent(),
      valid: await page.locator('.paths > li.valid').count(),
    });
    await expect.poll(state, { timeout: 30_000 }).toEqual({ files: 3, picker: 0, busy: '', valid: 2 });
    expect(await page.locator('.paths > li').first().locator('.chain li').first().textContent()).toContain(
      'www.microsoft.com',
    );
    expect(await verdict(page).textContent()).toBe('OpenSSL 3 (libpq, psql): verified');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a PKCS#12 file: the password prompt at the top of the main area, Enter opens it; keys are discarded', async () => {
    const dir = tmp();
    const p12 = join(dir, 'server.p12');
    // OpenSSL 3's default PKCS#12 (PBES2, AES-256-CBC), with the certificate and its private key.
    execFileSync('openssl', [
      'pkcs12',
      '-export',
      '-in',
      'fixtures/demo-pki/server-rsa.crt',
      '-inkey',
      'fixtures/demo-pki/server-rsa.key',
      '-certfile',
      'fixtures/demo-pki/root.crt',
      '-passout',
      'pass:s3cret word',
      '-out',
      p12,
    ]);
    // Axe in dark here (light in the first test).
    const { page, context, errors } = await openWatchedPage(app.browser, app.url, { colorScheme: 'dark' });
    await page.goto(app.url + '#/chain');
    await expect.poll(() => verdict(page).count(), { timeout: 20_000 }).toBe(1);
    await load(page, 'chain', [p12]);
    const password = loadReport(page).getByLabel('PKCS#12 password');
    await expect.poll(() => password.count(), { timeout: 20_000 }).toBe(1);
    // The prompt and the problem are in the main area, where the result is; no "No certificate yet" under it.
    expect(await loadReport(page).getByRole('alert').textContent()).toMatch(/server\.p12/);
    expect(await page.getByText('No certificate yet').count()).toBe(0);
    await password.fill('s3cret word');
    await password.press('Enter');
    await expect
      .poll(() => loadReport(page).getByText('Found 2 certificates.').count(), { timeout: 20_000 })
      .toBe(1);
    expect(await password.count()).toBe(0);
    expect(await loadReport(page).getByRole('status').textContent()).toMatch(
      /^\s*A private key was found and discarded: it is not\s+kept, shown or analysed\.\s*$/,
    );
    // Two more keys pasted: the notice counts them, in the plural.
    const keys = ['server-ecdsa.key', 'server-expired.key']
      .map((f) => readFileSync(`fixtures/demo-pki/${f}`, 'utf8'))
      .join('\n');
    await page.locator('#paste').fill(keys);
    await page.getByRole('button', { name: 'Add pasted text' }).click();
    await expect
      .poll(() => loadReport(page).getByRole('status').textContent(), { timeout: 20_000 })
      .toMatch(/^\s*3 private keys were found and discarded: they are not\s+kept, shown or analysed\.\s*$/);
    const violations = await seriousAxeViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a Java keystore made by keytool (JKS): its certificates are found, its private keys discarded', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/chain');
    await expect.poll(() => verdict(page).count(), { timeout: 20_000 }).toBe(1);
    // fixtures/keystores/keytool.jks: two private key entries (a CA, and a server with its chain) and a trusted
    // certificate; keytool -list -v names three certificates.
    await load(page, 'chain', ['fixtures/keystores/keytool.jks']);
    await expect
      .poll(() => loadReport(page).getByText('Found 3 certificates.').count(), { timeout: 20_000 })
      .toBe(1);
    expect(await loadReport(page).getByRole('status').textContent()).toMatch(
      /^\s*2 private keys were found and discarded: they are not\s+kept, shown or analysed\.\s*$/,
    );
    expect(await loadReport(page).getByRole('alert').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('parse errors show next to the result; the trust select is never blank; clearing leaves no error', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/chain');
    await expect.poll(() => verdict(page).count(), { timeout: 20_000 }).toBe(1);
    await page
      .locator('#paste')
      .fill(
        `${readFileSync(LEAF, 'utf8')}\n-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n`,
      );
    await page.getByRole('button', { name: 'Add pasted text' }).click();
    await expect
      .poll(() => loadReport(page).getByRole('alert').textContent(), { timeout: 20_000 })
      .toMatch(/^pasted text: /);
    const trust = page.getByLabel('Trust store');
    expect((await trust.locator('option:checked').textContent())?.trim()).toMatch(/^Mozilla roots/);
    expect(await trust.inputValue()).toBe('mozilla');
    await page.getByRole('button', { name: 'Clear my certificates' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Clear my certificates' }).count()).toBe(0);
    await expect
      .poll(() => verdict(page).textContent(), { timeout: 20_000 })
      .toBe('OpenSSL 3 (libpq, psql): verified');
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toMatch(/input is empty/);
    expect(await loadReport(page).count()).toBe(0);
    expect(await trust.inputValue()).toBe('sample');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the first click on the psql link after editing the host name opens the sslmode Lab', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/chain?sample=azure-cross-sign');
    const link = page.getByRole('link', { name: /What would psql/ });
    await expect.poll(() => link.count(), { timeout: 20_000 }).toBe(1);
    await page.getByRole('textbox', { name: 'Host name' }).fill('db.example.org');
    // One click: the field's change (which re-runs the analysis) must not move the link from under the pointer.
    await link.click();
    await expect.poll(() => page.url()).toMatch(/#\/sslmode\?/);
    expect(decodeURIComponent(page.url())).toContain('host=db.example.org');
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('Chain Lab: a certificate OpenSSL loads despite a defect (issue 13)', () => {
  it('shows the certificate with each defect, and "Show the bytes" selects the offending element', async () => {
    // A leaf whose subject ends in an empty RDN (a SET with no attributes, as Go once emitted), really signed.
    const odd = await chainOf({ leaf: { subjectName: name(['CN', 'leaf'], null) } });
    const dir = tmp();
    const file = (n: string, text: string) => {
      writeFileSync(join(dir, n), text);
      return join(dir, n);
    };
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + `#/chain?at=${T0.toISOString().slice(0, 10)}`);
    await expect.poll(() => verdict(page).count(), { timeout: 20_000 }).toBe(1);
    await load(page, 'trust', [file('root.pem', odd.root)]);
    await expect
      .poll(() => loadReport(page).getByText('Found 1 certificate').count(), { timeout: 20_000 })
      .toBe(1);
    await load(page, 'chain', [file('leaf.pem', odd.leaf + odd.inter)]);
    const leafButton = page.locator('.paths .chain button').first();
    await expect.poll(() => leafButton.textContent(), { timeout: 20_000 }).toMatch(/leaf/);
    await leafButton.click();
    const details = page.locator('section.cert');
    await expect
      .poll(() => details.locator('.defects li').first().textContent(), { timeout: 10_000 })
      .toMatch(/empty.*\(subject, byte \d+\)/i);
    await details.getByRole('button', { name: 'Show the bytes' }).click();
    await expect.poll(() => details.locator('details.der-details').getAttribute('open')).not.toBeNull();
    expect(await details.locator('[aria-selected="true"], .selected').count()).toBeGreaterThan(0);
    const violations = await seriousAxeViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
