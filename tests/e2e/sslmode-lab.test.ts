import { describe, expect, it } from 'vitest';
import { useBuiltApp } from '../kit/programs/app';
import {
  describeViolations,
  openWatchedPage,
  screenshot,
  seriousAxeViolations,
} from '../kit/programs/browser';

const app = useBuiltApp();
const AZURE = 'fixtures/public-ca/azure';

describe('sslmode Lab', () => {
  it("takes the Chain Lab's uploaded chain as the server certificate and its anchor as root.crt, in memory only", async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/chain?trust=azure-postgresql&host=www.microsoft.com&at=2024-01-15');
    await page
      .locator('input[type=file]')
      .setInputFiles([
        `${AZURE}/leaf_www.microsoft.com_by-azure-rsa-tls-issuing-ca-07_2023.pem`,
        `${AZURE}/int_azure-rsa-tls-issuing-ca-07_by-digicert-g2_xsign.pem`,
      ]);
    const link = page.getByRole('link', {
      name: 'What would psql and the other PostgreSQL clients do with this chain?',
    });
    await expect.poll(() => link.count(), { timeout: 30_000 }).toBe(1);
    await link.click();
    const heading = page.locator('.outcome h2').first();
    await expect
      .poll(() => heading.textContent(), { timeout: 20_000 })
      .toBe('What happens: Connected, encrypted (TLSv1.3)');
    const server = page.getByLabel('Server certificate');
    expect(await server.locator('option:checked').textContent()).toMatch(
      /^From the Chain Lab: www\.microsoft\.com \+ 1 more$/,
    );
    expect(await page.getByLabel('Root certificate').locator('option:checked').textContent()).toBe(
      "~/.postgresql/root.crt = the Chain Lab's anchor",
    );
    expect(await page.getByTestId('chain-anchor').textContent()).toContain(
      "The Chain Lab's anchor: DigiCert Global Root G2",
    );
    expect(await page.locator('.outcome .facts').first().textContent()).toContain(
      'Host name in the certificate: verified',
    );
    // A host the certificate does not name: the real name check fails, with libpq's text.
    await page
      .getByLabel('Connection string')
      .fill('host=pg.example.net dbname=app user=app password=secret sslmode=verify-full');
    await expect
      .poll(() => page.locator('.outcome .error-text').first().textContent())
      .toBe(
        'connection to server at "pg.example.net" (127.0.0.1), port 5432 failed: server certificate for "wwwqa.microsoft.com" (and 6 other names) does not match host name "pg.example.net"',
      );
    // The certificates never went into the address, and the Chain Lab still holds them after the visit.
    expect(page.url()).not.toMatch(/BEGIN|MII/);
    await page.getByRole('navigation').getByRole('link', { name: 'Chain Lab' }).click();
    await expect.poll(() => page.getByText('Found 2 certificates.').count(), { timeout: 20_000 }).toBe(1);
    // A shared link without the certificates says what to do instead of guessing.
    const fresh = await openWatchedPage(app.browser, app.url);
    await fresh.page.goto(app.url + '#/sslmode?cert=chain-lab');
    await expect
      .poll(() => fresh.page.locator('.error[role=alert]').textContent(), { timeout: 20_000 })
      .toContain('The Chain Lab holds no certificates in this tab');
    expect(fresh.errors).toEqual([]);
    await fresh.context.close();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('explains the default libpq prefer connection step by step, and the root-file rule when a root is added', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/sslmode');
    const heading = page.locator('.outcome h2').first();
    await expect
      .poll(() => heading.textContent(), { timeout: 20_000 })
      .toBe('What happens: Connected, encrypted (TLSv1.3)');
    expect(await page.locator('.timeline li').count()).toBeGreaterThan(4);
    // A wrong root file makes even sslmode=prefer verify the chain: libpq fails, then retries in plaintext.
    await page.getByLabel('Root certificate').selectOption('root-b');
    await expect.poll(() => heading.textContent()).toBe('What happens: Connected, NOT encrypted');
    expect(page.url()).toContain('root=root-b');
    // verify-full with the right root.
    await page.getByLabel('Root certificate').selectOption('root-a');
    await page
      .getByLabel('Connection string')
      .fill('host=db.example.test dbname=app user=app password=secret sslmode=verify-full');
    await expect.poll(() => heading.textContent()).toBe('What happens: Connected, encrypted (TLSv1.3)');
    expect(await page.locator('.outcome .facts').first().textContent()).toContain(
      'Host name in the certificate: verified',
    );
    await screenshot(page, 'sslmode-trace');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('models client certificates: ssl_ca_file, the cert method, and a certificate from the wrong CA', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/sslmode');
    const heading = page.locator('.outcome h2').first();
    await expect
      .poll(() => heading.textContent(), { timeout: 20_000 })
      .toBe('What happens: Connected, encrypted (TLSv1.3)');
    const hba = page.getByLabel('pg_hba.conf');
    await hba.fill('hostssl all all 0.0.0.0/0 cert');
    await hba.blur();
    await page.getByLabel('ssl_ca_file').selectOption('client-ca');
    // No certificate yet: the cert line refuses, and prefer's plaintext retry finds no line.
    await expect.poll(() => heading.textContent()).toBe('What happens: Connection fails');
    expect(await page.locator('.outcome .error-text').first().textContent()).toContain(
      'FATAL:  connection requires a valid client certificate',
    );
    await page.getByLabel('Client certificate').selectOption('app');
    await expect.poll(() => heading.textContent()).toBe('What happens: Connected, encrypted (TLSv1.3)');
    expect(await page.locator('.outcome').first().textContent()).toContain('mutual TLS');
    expect(await page.locator('.outcome .facts').first().textContent()).toContain(
      'Client certificate: CN=app, verified by the server',
    );
    expect(page.url()).toContain('ccert=app');
    expect(page.url()).toContain('sca=client-ca');
    await page.getByLabel('Client certificate').selectOption('untrusted');
    await expect
      .poll(() => page.locator('.outcome .error-text').first().textContent())
      .toBe(
        'connection to server at "db.example.test" (127.0.0.1), port 5432 failed: SSL error: tlsv1 alert unknown ca',
      );
    expect(await page.locator('.timeline li .kind').allTextContents()).toContain('attempt 1 · client-cert');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('rewrites the connection string when the driver changes, and says what it left out', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(
      app.url +
        `#/sslmode?root=root-a&conninfo=${encodeURIComponent('host=db.example.test dbname=app user=app password=secret sslmode=verify-full sslnegotiation=direct')}`,
    );
    const heading = page.locator('.outcome h2').first();
    await expect.poll(() => heading.textContent(), { timeout: 20_000 }).toContain('What happens');
    await page.getByLabel('Driver').selectOption('pgjdbc');
    await expect
      .poll(() => page.getByLabel('Connection string').inputValue())
      .toBe('jdbc:postgresql://db.example.test/app?user=app&password=secret&sslmode=verify-full');
    expect(await page.locator('.translation').textContent()).toBe(
      'Connection string rewritten for pgJDBC (Java). Not carried over (pgJDBC (Java) has no such setting): sslnegotiation=direct.',
    );
    await expect.poll(() => heading.textContent()).not.toMatch(/Connection fails/);
    for (const [driver, start] of [
      ['node-postgres', 'postgres://app:secret@db.example.test/app?sslmode=verify-full'],
      ['npgsql', 'Host=db.example.test;Database=app;Username=app;Password=secret;SSL Mode=VerifyFull'],
      ['asyncpg', 'postgres://app:secret@db.example.test/app?sslmode=verify-full'],
      ['libpq', 'host=db.example.test dbname=app user=app password=secret sslmode=verify-full'],
    ] as const) {
      await page.getByLabel('Driver').selectOption(driver);
      await expect.poll(() => page.getByLabel('Connection string').inputValue()).toBe(start);
      await expect.poll(() => page.locator('.outcome .facts').first().textContent()).toContain(`(${driver} `);
      const error = (await page.locator('.outcome .error-text').allTextContents()).join('');
      expect(error, driver).not.toMatch(/Invalid URL|expects a jdbc|invalid DSN|connection refused/);
    }
    expect(errors).toEqual([]);
    await context.close();
  });

  it('node-postgres reads root files as Node does, and explains a chain that includes its root', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    const url = (root: string) =>
      app.url +
      `#/sslmode?driver=node-postgres&root=root-a&conninfo=${encodeURIComponent(`postgres://app:secret@db.example.test/app?sslmode=verify-full&sslrootcert=${root}`)}`;
    await page.goto(url('~/.postgresql/root.crt'));
    await expect
      .poll(() => page.locator('.outcome .error-text').first().textContent(), { timeout: 20_000 })
      .toBe("ENOENT: no such file or directory, open '~/.postgresql/root.crt'");
    for (const root of ['root.crt', '/home/postgres/.postgresql/root.crt']) {
      await page.goto(url(root));
      await expect
        .poll(() => page.locator('.outcome h2').first().textContent(), { timeout: 20_000 })
        .toBe('What happens: Connected, encrypted (TLSv1.3)');
    }
    await page.goto(
      app.url +
        `#/sslmode?driver=node-postgres&cert=with-root&conninfo=${encodeURIComponent('postgres://app:secret@db.example.test/app?sslmode=require')}`,
    );
    await expect
      .poll(() => page.locator('.outcome .error-text').first().textContent(), { timeout: 20_000 })
      .toBe('self-signed certificate in certificate chain');
    expect(await page.locator('.outcome').first().textContent()).toContain(
      '"in certificate chain": the server sent a self-signed certificate (its root CA) along with its own',
    );
    expect(await page.getByLabel('Server certificate').locator('option:checked').textContent()).toBe(
      'Issued by Root A, sent together with Root A itself',
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a weak connection says what to change, as the CLI does', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(
      app.url +
        '#/sslmode?conninfo=' +
        encodeURIComponent('host=db.example.test dbname=app user=app password=secret sslmode=require'),
    );
    await expect
      .poll(() => page.locator('.outcome h2').first().textContent(), { timeout: 20_000 })
      .toBe('What happens: Connected, encrypted (TLSv1.3)');
    expect(await page.locator('.outcome').first().textContent()).toContain(
      'What to change: Encrypted but the server is not authenticated',
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('prints the exact libpq error for a bad sslmode value', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(
      app.url + '#/sslmode?conninfo=' + encodeURIComponent('host=db.example.test sslmode=bogus'),
    );
    await expect
      .poll(() => page.locator('.error-text').first().textContent(), { timeout: 20_000 })
      .toBe('invalid sslmode value: "bogus"');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows what an attacker on the path gets: red when it gets the session, green "refused" with no fix', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    // The issue's link: Azure preset, prefer, no root file. Every attacker gets the session.
    await page.goto(app.url + '#/sslmode?preset=azure-flexible&attacker=1');
    const cards = page.locator('.attacker-results .attack');
    await expect.poll(() => cards.count(), { timeout: 20_000 }).toBe(3);
    expect(await cards.locator('h3').allTextContents()).toEqual([
      'Attacker strips TLS: The attacker reads everything',
      'Attacker presents its own certificate: Encrypted, to the attacker',
      'Attacker presents a valid certificate for another name, from the same CA: Encrypted, to the attacker',
    ]);
    expect(await page.locator('.attacker-results .attack.ok').count()).toBe(0);
    expect(await cards.nth(2).textContent()).toContain('www.example.org from the same public issuing CA');
    // verify-ca with the public root: stripping and the self-signed certificate are refused (green, no fix);
    // the certificate for another name from the same CA gets through.
    const conninfo = 'host=mydb.postgres.database.azure.com dbname=app user=app password=secret';
    await page.goto(
      app.url +
        `#/sslmode?preset=azure-flexible&attacker=1&root=public-root&conninfo=${encodeURIComponent(`${conninfo} sslmode=verify-ca`)}`,
    );
    await expect
      .poll(() => cards.locator('h3').allTextContents(), { timeout: 20_000 })
      .toEqual([
        'Attacker strips TLS: Refused: safe',
        'Attacker presents its own certificate: Refused: safe',
        'Attacker presents a valid certificate for another name, from the same CA: Encrypted, to the attacker',
      ]);
    expect(await page.locator('.attacker-results .attack.ok').count()).toBe(2);
    for (const i of [0, 1]) {
      const text = await cards.nth(i).textContent();
      expect(text).not.toContain('What would have stopped it');
      expect(text).not.toMatch(/lower sslmode|anyone on the path/);
    }
    expect(await cards.nth(2).textContent()).toContain('verify-ca accepts any certificate the CA issued');
    // verify-full refuses all three; the third fails on the name.
    await page.getByLabel('Connection string').fill(`${conninfo} sslmode=verify-full`);
    await expect.poll(() => page.locator('.attacker-results .attack.ok').count()).toBe(3);
    expect(await cards.nth(2).locator('.error-text').textContent()).toBe(
      'connection to server at "mydb.postgres.database.azure.com" (127.0.0.1), port 5432 failed: server certificate for "www.example.org" does not match host name "mydb.postgres.database.azure.com"',
    );
    expect(await page.locator('.outcome h2').first().textContent()).toBe(
      'What happens: Connected, encrypted (TLSv1.3)',
    );
    await screenshot(page, 'sslmode-attacker');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('gives the same verdicts in the sslmode lesson', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/lessons/sslmode-protections/verify-ca');
    const cards = page.locator('.lesson-lab .attacker-results .attack');
    await expect.poll(() => cards.count(), { timeout: 20_000 }).toBe(3);
    expect(await cards.locator('h3').allTextContents()).toEqual([
      'Attacker strips TLS: Refused: safe',
      'Attacker presents its own certificate: Refused: safe',
      'Attacker presents a valid certificate for another name, from the same CA: Encrypted, to the attacker',
    ]);
    // sslmode=disable: every attacker gets the session, and no card is green.
    await page.goto(app.url + '#/lessons/sslmode-protections/disable');
    await expect
      .poll(() => cards.locator('h3').allTextContents(), { timeout: 20_000 })
      .toEqual([
        'Attacker strips TLS: The attacker reads everything',
        'Attacker presents its own certificate: The attacker reads everything',
        'Attacker presents a valid certificate for another name, from the same CA: The attacker reads everything',
      ]);
    expect(await page.locator('.lesson-lab .attacker-results .attack.ok').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the lesson "Common claims, tested" shows each claim tested live, with a link to the lab state', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/lessons/common-claims/default-no-verification');
    await expect
      .poll(() => page.locator('.lesson-lab .outcome h2').first().textContent(), { timeout: 20_000 })
      .toBe('What happens: Connected, NOT encrypted');
    const href = await page
      .getByRole('link', { name: 'Open this state in the full lab' })
      .getAttribute('href');
    expect(href).toContain('root=root-b');
    await page.goto(app.url + '#/lessons/common-claims/jdbc-default');
    await expect
      .poll(() => page.locator('.lesson-lab .outcome .facts').first().textContent(), { timeout: 20_000 })
      .toContain('Effective sslmode: prefer (pgjdbc');
    const violations = await seriousAxeViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('sums up a failed connection from its steps: chain verified, name failed, nothing sent', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(
      app.url +
        `#/sslmode?root=root-a&conninfo=${encodeURIComponent('host=pg.example.net dbname=app user=app password=secret sslmode=verify-full')}`,
    );
    const facts = page.locator('.outcome .facts').first();
    await expect
      .poll(() => facts.textContent(), { timeout: 20_000 })
      .toContain('Server certificate chain: verified');
    const text = (await page.locator('.outcome').first().textContent()) ?? '';
    expect(text).toContain('Host name in the certificate: failed');
    expect(text).toContain('Sent unencrypted: nothing: the connection failed before any user name');
    expect(text).not.toMatch(/password exchange|anyone on the path can read/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('draws every sslmode by every driver as a grid', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/sslmode?view=matrix&root=root-a');
    await expect.poll(() => page.locator('.matrix tbody td').count(), { timeout: 20_000 }).toBe(36);
    const libpqRow = await page.locator('.matrix tbody tr').first().locator('td .word').allTextContents();
    expect(libpqRow.map((t) => t.trim())).toEqual([
      'plaintext',
      'plaintext',
      'chain only',
      'chain only',
      'chain only',
      'verified',
    ]);
    const nodeRow = await page.locator('.matrix tbody tr').nth(1).locator('td .word').allTextContents();
    expect(nodeRow[0]!.trim()).toBe('plaintext');
    expect(nodeRow.slice(1).every((t) => t.trim() === 'fails')).toBe(true);
    // asyncpg, the sixth row: like libpq except prefer, which never verifies even with a root file.
    const asyncpgRow = await page.locator('.matrix tbody tr').nth(5).locator('td .word').allTextContents();
    expect(asyncpgRow.map((t) => t.trim())).toEqual([
      'plaintext',
      'plaintext',
      'encrypted, unverified',
      'chain only',
      'chain only',
      'verified',
    ]);
    await screenshot(page, 'sslmode-matrix');
    expect(await page.getByRole('heading', { name: 'How the drivers differ from libpq' }).count()).toBe(1);
    // A cell opens its own trace, by keyboard: node-postgres with sslmode=prefer verifies, against Node's CAs,
    // which do not hold the lab's Root A.
    const cell = page.getByRole('button', { name: /^node-postgres \(pg\), sslmode prefer: fails\./ });
    await cell.focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('.outcome h2').first().textContent())
      .toBe('What happens: Connection fails');
    expect(page.url()).not.toContain('view=matrix');
    expect(page.url()).toContain('driver=node-postgres');
    expect(await page.getByLabel('Connection string').inputValue()).toContain('sslmode=prefer');
    expect(await page.locator('.outcome .error-text').first().textContent()).toBe(
      'unable to verify the first certificate',
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('troubleshoots a pasted error and reproduces it', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/sslmode?view=troubleshoot');
    await page
      .locator('#error-text')
      .fill(
        'psql: error: connection to server at "10.0.0.5", port 5432 failed: SSL error: certificate verify failed',
      );
    await page.getByRole('button', { name: 'Explain it' }).click();
    await expect.poll(() => page.locator('.diagnosis h3').first().textContent()).toBe('What it means');
    expect(await page.locator('.diagnosis ol li').count()).toBeGreaterThan(0);
    await expect
      .poll(() => page.locator('.diagnosis .error-text').textContent())
      .toContain('SSL error: certificate verify failed');
    // The pasted text is in the address: the diagnosis is a link.
    expect(new URLSearchParams(page.url().split('?')[1]).get('error')).toBe(
      'psql: error: connection to server at "10.0.0.5", port 5432 failed: SSL error: certificate verify failed',
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('reproduces what was pasted, or says it cannot; opens the reproduction in the lab', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    const open = (text: string) =>
      page.goto(app.url + `#/sslmode?view=troubleshoot&error=${encodeURIComponent(text)}`);
    // The issue's case: a host-name failure used to "reproduce" as a green, successful connection.
    await open(
      'connection to server at "127.0.0.1", port 5432 failed: server certificate for "db.example.test" (and 1 other name) does not match host name "127.0.0.1"',
    );
    await expect
      .poll(() => page.locator('.diagnosis .outcome h2').textContent(), { timeout: 20_000 })
      .toBe('Reproduction: Connection fails');
    expect(await page.locator('.diagnosis .match').textContent()).toBe(
      'It prints your text (host names, ports and paths aside).',
    );
    expect(await page.locator('#error-text').inputValue()).toContain('(and 1 other name)');
    // prefer's two lines: the root file that switched verification on is the first cause.
    await open(
      'connection to server at "db.internal" (10.0.0.7), port 5432 failed: SSL error: certificate verify failed\nconnection to server at "db.internal" (10.0.0.7), port 5432 failed: FATAL:  no pg_hba.conf entry for host "10.0.0.9", user "app", database "app", no encryption',
    );
    await expect
      .poll(() => page.locator('.diagnosis ol li').first().textContent(), { timeout: 20_000 })
      .toMatch(/^A root certificate file switched on verification although sslmode is prefer/);
    const link = page.getByRole('link', { name: 'Open this scenario in the lab' });
    await expect.poll(() => link.count()).toBe(1);
    await link.click();
    await expect
      .poll(() => page.locator('.outcome .error-text').first().textContent(), { timeout: 20_000 })
      .toContain('no pg_hba.conf entry for host "127.0.0.1", user "app", database "app", no encryption');
    expect(await page.locator('.timeline li').count()).toBeGreaterThan(4);
    // The protocol-version alert alone, and with the connection prefix: known, reproduced as "and more".
    for (const text of [
      'SSL error: tlsv1 alert protocol version',
      'psql: error: connection to server at "db.internal" (10.0.0.7), port 5432 failed: SSL error: tlsv1 alert protocol version',
    ]) {
      await open(text);
      await expect
        .poll(() => page.locator('.diagnosis p').first().textContent(), { timeout: 20_000 })
        .toMatch(/^The TLS handshake failed on the protocol version/);
      expect(await page.locator('.diagnosis .match').textContent()).toMatch(
        /^It prints every line you pasted, and more/,
      );
    }
    // Too many names to reproduce with the lab's certificates: said, not faked.
    await open(
      'connection to server at "pg.example.net" (10.0.0.7), port 5432 failed: server certificate for "*.example.com" (and 5 other names) does not match host name "pg.example.net"',
    );
    await expect
      .poll(() => page.locator('.diagnosis .match').textContent(), { timeout: 20_000 })
      .toMatch(/^No scenario here produces this exact text/);
    expect(await page.locator('.diagnosis .outcome').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("the Handshake Lab's fault card opens the troubleshooter on its text", async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/handshake?fault=version-mismatch');
    const link = page.getByRole('link', { name: 'Diagnose this text in the sslmode Lab' });
    await expect.poll(() => link.count(), { timeout: 30_000 }).toBe(1);
    await link.click();
    await expect
      .poll(() => page.locator('.diagnosis .match').textContent(), { timeout: 20_000 })
      .toBe('It prints your text (host names, ports and paths aside).');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a pg_hba.conf PostgreSQL refuses: the server log beside the box, the box marked invalid, and the lab keeps working', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const { page, context, errors } = await openWatchedPage(app.browser, app.url, {
        colorScheme: scheme,
        viewport: { width: 390, height: 844 },
      });
      await page.goto(app.url + '#/sslmode');
      const hba = page.getByLabel('pg_hba.conf');
      await hba.fill('host all all 127.0.0.1/32 trust\nhots all all all trust\n\nhost all');
      await hba.blur();
      const log = page.locator('#hba-log pre');
      await expect.poll(() => log.count(), { timeout: 20_000 }).toBe(1);
      expect((await log.textContent())?.split('\n')).toEqual([
        'LOG:  invalid connection type "hots"',
        'CONTEXT:  line 2 of configuration file "/var/lib/postgresql/data/pg_hba.conf"',
        'LOG:  end-of-line before role specification',
        'CONTEXT:  line 4 of configuration file "/var/lib/postgresql/data/pg_hba.conf"',
        'FATAL:  could not load pg_hba.conf',
        'LOG:  database system is shut down',
      ]);
      expect(await hba.getAttribute('aria-invalid')).toBe('true');
      expect(await hba.getAttribute('aria-describedby')).toBe('hba-log');
      // The client met nothing listening: its own text, and the step that says why.
      await expect
        .poll(() => page.locator('.outcome .error-text').first().textContent())
        .toMatch(/Connection refused/);
      expect(await page.locator('.timeline li').first().textContent()).toContain(
        'could not load pg_hba.conf',
      );
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      const violations = await seriousAxeViolations(page);
      expect(violations, describeViolations(violations)).toEqual([]);
      // Fixed: the log goes, the box is valid again, and the connection works.
      await hba.fill('host all all 0.0.0.0/0 scram-sha-256');
      await hba.blur();
      await expect.poll(() => log.count(), { timeout: 20_000 }).toBe(0);
      expect(await hba.getAttribute('aria-invalid')).toBeNull();
      await expect
        .poll(() => page.locator('.outcome h2').first().textContent(), { timeout: 20_000 })
        .toMatch(/^What happens: Connected/);
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  it('passes axe in light and dark, in every view', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      for (const view of ['trace', 'matrix'] as const) {
        const { page, context, errors } = await openWatchedPage(app.browser, app.url, {
          colorScheme: scheme,
        });
        await page.goto(app.url + `#/sslmode?view=${view}&attacker=1&ccert=app&sca=client-ca`);
        await expect
          .poll(() => page.locator(view === 'matrix' ? '.matrix tbody td' : '.outcome').count(), {
            timeout: 20_000,
          })
          .toBeGreaterThan(0);
        const violations = await seriousAxeViolations(page);
        expect(violations, describeViolations(violations)).toEqual([]);
        expect(errors).toEqual([]);
        await context.close();
      }
    }
  });
});
