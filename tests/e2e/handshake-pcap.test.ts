/**
 * Real capture files opened in the Handshake Lab (fixtures/pcap: tcpdump, dumpcap and editcap captures of
 * openssl s_client/s_server, of psql against PostgreSQL 15 and of libpq 18 with its key log; The Illustrated
 * TLS 1.2 capture), with and without a key log, a wrong key log, bad files, a capture with several connections,
 * and the other way: a live run downloaded as pcapng and read by the real tshark, which decrypts it with no key
 * log argument; and the capture JSON `tls-lab handshake --pcap --json` writes (as an older tls-lab wrote it) with its report.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBuiltApp } from '../kit/programs/app';
import { describeViolations, openWatchedPage, seriousAxeViolations } from '../kit/programs/browser';
import { tsharkWithNoSettings } from '../kit/programs/tshark';
import { expectOutcome } from '../kit/programs/handshake-page';
import { memoryIo } from '../../src/cli/io';
import { main } from '../../src/cli/main';
import {
  ethernetFrame,
  openCapture,
  synthesizeConversation,
  writePcapng,
  type TcpConnection,
} from '../../src/lib/pcap/index';
import { runPcapng } from '../../src/app/model/handshake/import';
import type { HandshakeRun } from '../../src/lib/tls12/index';
import { runWithLateAlert } from '../kit/pure/late-alert';

const app = useBuiltApp();
const PCAP = 'fixtures/pcap/';
const ILLUSTRATED = 'fixtures/tls12-vectors/illustrated-tls12/';
const dir = mkdtempSync(join(tmpdir(), 'tls-lab-pcap-e2e-'));

/** The real tshark on a file with an empty profile: only what the file holds can decrypt. */
const tshark = tsharkWithNoSettings();

async function openLab(page: Page): Promise<void> {
  await page.goto(app.url + '#/handshake');
  await expect
    .poll(() => page.locator('#outcome-title').textContent(), { timeout: 30_000 })
    .toBe('Handshake complete');
}

const report = (page: Page) => page.locator('.keylog-report');
const status = (page: Page) => report(page).getAttribute('data-status');
const stepTitles = async (page: Page) =>
  (await page.locator('.step-list button').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());

/** Every record the lab shows, through the step detail's note: how many are still closed. */
async function closedRecords(page: Page): Promise<number> {
  let closed = 0;
  const n = await page.locator('.step-list button').count();
  for (let i = 0; i < n; i++) {
    await page.locator('.step-list button').nth(i).click();
    await expect
      .poll(() => page.locator('#hs-step-title').textContent())
      .toMatch(new RegExp(`^${i + 1}\\. `));
    const note = (await page.locator('.step-detail .note').allTextContents()).join(' ');
    if (note.includes('not opened here')) closed++;
  }
  return closed;
}

describe('Handshake Lab: pcap and pcapng files', () => {
  it('tcpdump capture + its key log: every record decrypted, the application data readable', async () => {
    const { page, context, errors, foreignRequests } = await openWatchedPage(app.browser, app.url);
    await openLab(page);
    await page.locator('#keylog-file').setInputFiles(`${PCAP}tls12.keys.log`);
    await page.locator('#capture-file').setInputFiles(`${PCAP}tls12-lo.pcap`);
    await expect.poll(() => status(page)).toBe('decrypted');
    expect(await report(page).getAttribute('data-version')).toBe('TLSv1.2');
    const text = await report(page).textContent();
    expect(text).toContain('Key log: tls12.keys.log.');
    expect(await page.locator('#outcome-title').textContent()).toBe('Handshake complete');
    expect(text).toContain(
      "Decrypted with the key log's line 2 of tls12.keys.log; client Finished verified, server Finished verified.",
    );
    expect(text).toContain('0 still encrypted');
    expect(await page.locator('.settings').textContent()).toContain('localhost');
    const titles = await stepTitles(page);
    expect(titles.filter((t) => t.endsWith(' Finished'))).toEqual(['C→S Finished', 'S→C Finished']);
    expect(titles.filter((t) => t.includes('Application data'))).toHaveLength(2);
    expect(await closedRecords(page)).toBe(0);
    // The secrets the key log opened are shown as for a live run.
    expect(await page.locator('body').textContent()).toContain('master_secret');
    // Exported again as pcapng: tshark reads the application data with the keys the file carries.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download pcapng (with keys)' }).click(),
    ]);
    const file = join(dir, 'imported.pcapng');
    await download.saveAs(file);
    const follow = tshark(file, '-q', '-z', 'follow,tls,ascii,0');
    expect(follow).toContain('hello, capture');
    expect(follow).toContain('erutpac ,olleh');
    // The capture's own addresses: the ClientHello goes to the server's port.
    expect(tshark(file, '-Y', 'tls.handshake.type == 1', '-T', 'fields', '-e', 'tcp.dstport').trim()).toBe(
      '44312',
    );
    expect(errors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it('a pcapng with a Decryption Secrets Block opens decrypted on its own key log', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await openLab(page);
    await page.locator('#capture-file').setInputFiles(`${PCAP}tls12-dsb.pcapng`);
    await expect.poll(() => status(page)).toBe('decrypted');
    expect(await report(page).textContent()).toContain("Key log: the capture's Decryption Secrets Block.");
    expect(await closedRecords(page)).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('no key log, then a wrong one, then the right one: the report says what is in the clear and what matched', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await openLab(page);
    await page.locator('#capture-file').setInputFiles(`${PCAP}tls12-lo.pcap`);
    await expect.poll(() => status(page)).toBe('no-key-log');
    expect(await page.locator('#outcome-title').textContent()).toBe('Captured handshake, not verified');
    const line = readFileSync(`${PCAP}tls12.keys.log`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('CLIENT_RANDOM'))!;
    const wanted = `CLIENT_RANDOM ${line.split(' ')[1]}`;
    expect((await report(page).textContent())?.toLowerCase()).toContain(wanted.toLowerCase());
    expect(await closedRecords(page)).toBeGreaterThan(0);
    expect(await stepTitles(page)).toContain('C→S ClientHello');
    // The Illustrated TLS 1.2 key log is for another connection.
    await page.locator('#keylog-file').setInputFiles(`${ILLUSTRATED}keylog.txt`);
    await expect.poll(() => status(page)).toBe('no-matching-line');
    expect(await report(page).textContent()).toContain(
      "none of its 1 CLIENT_RANDOM line carries this connection's client random",
    );
    // The right client random with a wrong master secret: the first record that fails is named.
    const wrong = line.replace(/[0-9a-f]{96}$/i, '00'.repeat(48));
    writeFileSync(join(dir, 'wrong.keys.log'), wrong + '\n');
    await page.locator('#keylog-file').setInputFiles(join(dir, 'wrong.keys.log'));
    await expect.poll(() => status(page)).toBe('wrong-secret');
    expect(await report(page).textContent()).toMatch(
      /line 1 of wrong\.keys\.log has this connection's client random, but its master secret is wrong\. The first record that fails to open is the client's record 0/,
    );
    await page.locator('#keylog-file').setInputFiles(`${PCAP}tls12.keys.log`);
    await expect.poll(() => status(page)).toBe('decrypted');
    await page.getByRole('button', { name: 'Forget it' }).click();
    await expect.poll(() => status(page)).toBe('no-key-log');
    expect(await page.locator('#keylog-file').inputValue()).toBe('');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a TLS 1.3 capture with its key log: every record opened with the traffic secrets', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await openLab(page);
    await page.locator('#capture-file').setInputFiles(`${PCAP}tls13-lo.pcap`);
    await page.locator('#keylog-file').setInputFiles(`${PCAP}tls13.keys.log`);
    await expect.poll(() => status(page)).toBe('decrypted');
    expect(await report(page).getAttribute('data-version')).toBe('TLSv1.3');
    expect(await report(page).getAttribute('class')).toContain('ok');
    expect(await closedRecords(page)).toBe(0);
    expect(await page.locator('.settings').textContent()).toContain('TLSv1.3');
    // The buttons that remove themselves hand the focus to the file input they lead back to, not to the page.
    const focusedId = () => page.evaluate(() => document.activeElement?.id);
    await page.getByRole('button', { name: 'Forget it' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(focusedId).toBe('keylog-file');
    await page.getByRole('button', { name: 'Back to the live handshake' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(focusedId).toBe('capture-file');
    await expect.poll(() => page.locator('#outcome-title').textContent()).toBe('Handshake complete');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a TLS 1.3 capture without its key log: the hellos and the closed records are explained as TLS 1.3', async () => {
    // A review found the 1.2 texts on them: the observer wrote the hellos as 1.2 messages, so the run was not 1.3.
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await openLab(page);
    await page.locator('#capture-file').setInputFiles(`${PCAP}tls13-lo.pcap`);
    await expect.poll(() => status(page)).toBe('no-key-log');
    const titles = await stepTitles(page);
    await page.locator('.step-list button').nth(titles.indexOf('C→S ClientHello')).click();
    await page
      .locator('[role=tree] [role=treeitem]', { hasText: /legacy_version/ })
      .first()
      .click();
    expect(await page.locator('.field-text').textContent()).toMatch(/in supported_versions/);
    await page.locator('.step-list button').nth(titles.indexOf('S→C ChangeCipherSpec')).click();
    expect(await page.locator('.step-detail').textContent()).not.toContain(
      'this side encrypts with the new keys',
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a capture cut by its snap length, with no whole record: no steps, a sentence saying why, and the same from the CLI JSON', async () => {
    const json = join(dir, 'snap150.json');
    const io = memoryIo();
    expect(await main(['handshake', '--pcap', `${PCAP}tls13-lo-snap150.pcap`, '--json'], io)).toBe(0);
    writeFileSync(json, io.stdout());
    for (const file of [`${PCAP}tls13-lo-snap150.pcap`, json]) {
      const { page, context, errors } = await openWatchedPage(app.browser, app.url, {
        viewport: { width: 390, height: 844 },
      });
      await openLab(page);
      await page.locator('#capture-file').setInputFiles(file);
      await expectOutcome(page, 'Captured handshake, not verified', 'could not check both Finished messages');
      expect(await page.locator('.stepper').count(), file).toBe(0);
      expect(await page.locator('.note', { hasText: 'No whole TLS record' }).textContent()).toContain(
        'no steps to show',
      );
      expect(await page.locator('main').textContent()).toContain('the capture is missing 159 bytes');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('End');
      const violations = await seriousAxeViolations(page);
      expect(violations, describeViolations(violations)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      expect(errors, file).toEqual([]);
      await context.close();
    }
  });

  it('0-RTT early data opened with its key log line, and a fatal alert after a completed handshake ends the connection', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await openLab(page);
    // openssl s_client -sess_in -early_data, accepted by s_server -early_data: connection 2 of the capture.
    await page.locator('#capture-file').setInputFiles(`${PCAP}tls13-early-lo.pcap`);
    await page.locator('#keylog-file').setInputFiles(`${PCAP}tls13-early.keys.log`);
    await page.locator('.picker button').nth(1).click();
    await expect.poll(() => status(page)).toBe('decrypted');
    expect(await report(page).textContent()).toContain('CLIENT_EARLY_TRAFFIC_SECRET');
    expect(await closedRecords(page)).toBe(0);
    const titles = await stepTitles(page);
    expect(
      titles.some((t) => /EndOfEarlyData/.test(t)),
      titles.join(' | '),
    ).toBe(true);

    // Our TLS 1.3 client and server; something on the path breaks the client's second data record after the
    // handshake, and the server answers bad_record_mac.
    const run = await runWithLateAlert({ dataRecords: 2, breakRecord: 2, seed: 'late alert e2e' });
    expect(run.alert?.name).toBe('bad_record_mac');
    const file = join(dir, 'late-alert.pcapng');
    writeFileSync(file, runPcapng(run as unknown as HandshakeRun, 1_700_000_000_000));
    await page.getByRole('button', { name: 'Back to the live handshake' }).click();
    await page.locator('#capture-file').setInputFiles(file);
    await expectOutcome(
      page,
      'Handshake complete, then a fatal alert: bad_record_mac',
      'After the handshake the server sent a fatal bad_record_mac alert (code 20)',
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a capture begun inside a record (tcpdump, cut by editcap): its whole records, and the bytes before them named', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await openLab(page);
    await page.locator('#capture-file').setInputFiles(`${PCAP}tls13-bulk-lo-mid-record.pcap`);
    await expect.poll(() => status(page)).toBe('no-client-hello');
    expect((await page.locator('.keylog-report .notes').textContent())!.replace(/\s+/g, ' ')).toContain(
      "server stream, offset 0: the capture starts inside a record: the server's first 7718 bytes are the end of a record sent before the capture began",
    );
    // The six whole records tshark shows too (tests/interop/pcap-tshark.test.ts), each still closed.
    expect((await stepTitles(page)).length).toBe(6);
    expect(await closedRecords(page)).toBe(6);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("tls-lab's capture JSON, as an older tls-lab wrote it ('tls13-decrypted', no version), shows its report", async () => {
    const io = memoryIo();
    await main(
      ['handshake', '--pcap', `${PCAP}tls13-lo.pcap`, '--keylog', `${PCAP}tls13.keys.log`, '--json'],
      io,
    );
    const doc = JSON.parse(io.stdout()) as { observation: { decryption: Record<string, unknown> } };
    const decryption = doc.observation.decryption;
    delete decryption.version;
    decryption.status = 'tls13-decrypted';
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await openLab(page);
    await page.locator('#capture-file').setInputFiles({
      name: 'older.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(doc)),
    });
    await expect.poll(() => status(page)).toBe('decrypted');
    expect(await report(page).getAttribute('data-version')).toBe('TLSv1.3');
    expect(await report(page).getAttribute('class')).toContain('ok');
    const text = (await report(page).textContent()) ?? '';
    expect(text).toContain('Key log: as tls-lab read it when it wrote this file');
    expect(text).toContain("TLS 1.3, decrypted with the key log's SERVER_HANDSHAKE_TRAFFIC_SECRET (line");
    expect(await closedRecords(page)).toBe(0);
    const violations = await seriousAxeViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("psql's capture: SSLRequest, 'S', ClientHello and the HelloRetryRequest in the clear, and what the keys would need", async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await openLab(page);
    await page.locator('#capture-file').setInputFiles(`${PCAP}psql-require-lo.pcap`);
    await expect.poll(() => status(page)).toBe('no-key-log');
    expect((await stepTitles(page)).slice(0, 4)).toEqual([
      'C→S SSLRequest',
      "S→C SSL response 'S'",
      'C→S ClientHello',
      // PostgreSQL's ssl_ecdh_curve (default prime256v1) leaves the server only P-256, and libpq's OpenSSL sends an
      // x25519 key share first: the server answers with a HelloRetryRequest (tshark on this file: the random
      // cf21ad74…, selected group 23), then the second ClientHello gets its ServerHello.
      'S→C HelloRetryRequest',
    ]);
    expect(await report(page).textContent()).toMatch(
      /This is TLS 1\.3: a key log with these lines would open them: SERVER_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]{64} /,
    );
    expect(await page.locator('.settings').textContent()).toContain('SSLRequest, then TLS');
    expect(await page.locator('.settings').textContent()).toContain('TLSv1.3, TLS_AES_256_GCM_SHA384');
    expect(await page.locator('.side').textContent()).toContain('PostgreSQL SSLRequest, then TLS');
    // Before the first encrypted record nothing was secret; after it, the records stay closed without keys.
    const secrets = page.locator('.secrets p').first();
    expect(await secrets.textContent()).toContain('everything so far crossed the wire in clear');
    const titles = await stepTitles(page);
    await page
      .locator('.step-list button')
      .nth(titles.length - 1)
      .click();
    await expect.poll(() => secrets.textContent()).toContain('stay closed without the key log');
    expect(errors).toEqual([]);
    await context.close();
  });

  it("tls-lab's own PostgreSQL session captured by tcpdump: decrypted, the PostgreSQL messages shown inside the tunnel", async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await openLab(page);
    await page.locator('#keylog-file').setInputFiles(`${PCAP}tls-lab-postgres.keys.log`);
    await page.locator('#capture-file').setInputFiles(`${PCAP}tls-lab-postgres-lo.pcap`);
    await expect.poll(() => status(page)).toBe('decrypted');
    const titles = await stepTitles(page);
    expect(titles.slice(0, 2)).toEqual(['C→S SSLRequest', "S→C SSL response 'S'"]);
    const first = titles.findIndex((t) => t.startsWith('C→S Application data'));
    expect(first).toBeGreaterThan(0);
    await page.locator('.step-list button').nth(first).click();
    await expect
      .poll(async () => (await page.locator('.step-detail h4.tunnelled').allTextContents()).join(' | '))
      .toMatch(/^StartupMessage \(\d+ bytes\)$/);
    const reply = titles.findIndex((t) => t.startsWith('S→C Application data'));
    await page.locator('.step-list button').nth(reply).click();
    await expect
      .poll(async () => (await page.locator('.step-detail h4.tunnelled').allTextContents()).join(' | '))
      .toContain('ReadyForQuery');
    expect(await page.locator('.settings').textContent()).toContain('SSLRequest, then TLS');
    expect(await closedRecords(page)).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("real libpq 18's client certificate refused by PostgreSQL: the StartupMessage, then the server's unknown_ca, a failed handshake", async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await openLab(page);
    await page.locator('#keylog-file').setInputFiles(`${PCAP}libpq18-client-cert-rejected.keys.log`);
    await page.locator('#capture-file').setInputFiles(`${PCAP}libpq18-client-cert-rejected-lo.pcap`);
    await expect.poll(() => status(page)).toBe('decrypted');
    expect(await closedRecords(page)).toBe(0);
    // libpq's Finished, then its StartupMessage at once, and only then the server's refusal.
    expect((await stepTitles(page)).slice(-4)).toEqual([
      'C→S CertificateVerify',
      'C→S Finished',
      'C→S Application data: StartupMessage',
      'S→C Alert: unknown_ca',
    ]);
    await expectOutcome(
      page,
      'Handshake failed: unknown_ca',
      'The server sent a fatal unknown_ca alert (code 48).',
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('The Illustrated TLS 1.2 capture (IPv6 loopback) opens decrypted with its key log', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await openLab(page);
    await page.locator('#keylog-file').setInputFiles(`${ILLUSTRATED}keylog.txt`);
    await page.locator('#capture-file').setInputFiles(`${ILLUSTRATED}capture.pcap`);
    await expect.poll(() => status(page)).toBe('decrypted');
    expect(await page.locator('.showing').textContent()).toMatch(/\[::1\]:\d+ → \[::1\]:8443/);
    expect(await closedRecords(page)).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a truncated capture, garbage and a capture without TLS get clear errors; then a good one opens', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await openLab(page);
    const cut = (name: string, file: string, length: number) =>
      page.locator('#capture-file').setInputFiles({
        name,
        mimeType: 'application/octet-stream',
        buffer: readFileSync(`${PCAP}${file}`).subarray(0, length),
      });
    // Shorter than a pcap's global header: nothing to open.
    await cut('cut20.pcap', 'tls12-lo.pcap', 20);
    await expect
      .poll(() => page.locator('.side .error').textContent())
      .toBe('cut20.pcap could not be opened: pcap global header needs 24 bytes, the file has 20 (offset 20)');
    // A pcapng cut inside its first packet block: no packet left, and the reader says where it stopped.
    await cut('cut.pcapng', 'tls12-lo.pcapng', 300);
    await expect
      .poll(() => page.locator('.side .error').textContent())
      .toBe(
        'cut.pcapng holds no TCP connection (0 packets, 0 TCP connections), so there is no TLS to show. The reader skipped or stopped at packet 1 (file offset 264): block of 108 bytes truncated: the file has 36 left (block 2); the rest of the file is ignored.',
      );
    // A pcap cut inside its sixth packet: the five before it open, with the cut and the stream's end said.
    await cut('cut1000.pcap', 'tls12-lo.pcap', 1000);
    await expect.poll(() => status(page)).toBe('nothing-encrypted');
    const said = await report(page).textContent();
    expect(said).toContain('packet 6 (file offset 656): packet data truncated: 328 of 665 bytes');
    expect(await stepTitles(page)).toEqual(['C→S ClientHello']);
    await page.getByRole('button', { name: 'Back to the live handshake' }).click();
    await page.locator('#capture-file').setInputFiles({
      name: 'noise.bin',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('GIF89a, certainly not a capture'),
    });
    await expect
      .poll(() => page.locator('.side .error').textContent())
      .toBe('noise.bin could not be opened: not a pcap or pcapng file: unknown magic number (offset 0)');
    // Our own writer, a plain-text TCP conversation: TCP, but no TLS.
    const plain = synthesizeConversation({
      client: { address: '10.0.0.1', port: 40000 },
      server: { address: '10.0.0.2', port: 80 },
      chunks: [{ from: 'client', bytes: Buffer.from('GET / HTTP/1.0\r\n\r\n'), offset: 0, time: 1e12 }],
    });
    await page.locator('#capture-file').setInputFiles({
      name: 'http.pcapng',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from(
        writePcapng(plain.map((p) => ({ time: p.time, frame: ethernetFrame(p, p.fromClient) }))),
      ),
    });
    await expect
      .poll(() => page.locator('.side .error').textContent())
      .toBe(
        `http.pcapng holds no TLS (${plain.length} packets, 1 TCP connection): no connection starts with a TLS record or PostgreSQL's SSLRequest.`,
      );
    // The live handshake is still there, and a good file opens.
    expect(await page.locator('#outcome-title').textContent()).toBe('Handshake complete');
    await page.locator('#capture-file').setInputFiles(`${PCAP}tls12-dsb.pcapng`);
    await expect.poll(() => status(page)).toBe('decrypted');
    expect(await page.locator('.side .error').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('several connections: an accessible picker (axe light and dark, 390 px) opens the one chosen', async () => {
    // Two real connections in one file: the tls12 and tls13 sessions, moved to their own ports.
    const conns = ['tls12', 'tls13'].map(
      (s) => openCapture(readFileSync(`${PCAP}${s}-lo.pcap`)).connections[0] as TcpConnection,
    );
    const frames = conns.flatMap((c, i) =>
      synthesizeConversation({
        client: { ...c.client, port: 50000 + i },
        server: c.server,
        chunks: c.chunks,
      }).map((p) => ({ time: p.time, frame: ethernetFrame(p, p.fromClient) })),
    );
    const file = join(dir, 'two.pcapng');
    writeFileSync(file, writePcapng(frames));
    for (const scheme of ['light', 'dark'] as const) {
      const { page, context, errors } = await openWatchedPage(app.browser, app.url, {
        colorScheme: scheme,
        viewport: { width: 390, height: 844 },
      });
      await openLab(page);
      await page.locator('#capture-file').setInputFiles(file);
      const buttons = page.locator('.picker button');
      await expect.poll(() => buttons.count()).toBe(2);
      expect(await page.locator('#picker-title').textContent()).toBe('2 TLS connections in two.pcapng');
      const first = (await buttons.nth(0).textContent())!;
      expect(first).toContain('Connection 1: 127.0.0.1:50000 → 127.0.0.1:44312');
      expect(first).toContain('SNI localhost');
      expect(first).toMatch(/first packet \d{4}-\d\d-\d\d /);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      let violations = await seriousAxeViolations(page);
      expect(violations, describeViolations(violations)).toEqual([]);
      // Keyboard: focus the second connection and press Enter.
      await buttons.nth(1).focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => status(page)).toBe('no-key-log');
      expect(await page.locator('.showing').textContent()).toContain(
        'connection 2: 127.0.0.1:50001 → 127.0.0.1:44313',
      );
      // The CLI's --stream numbers the same connections the same way.
      const io = memoryIo();
      await main(['handshake', '--pcap', file, '--stream', '2'], io);
      expect(io.stdout()).toContain('Connection 2 of 2 in');
      expect(io.stdout()).toContain('127.0.0.1:50001 -> 127.0.0.1:44313');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      violations = await seriousAxeViolations(page);
      expect(violations, describeViolations(violations)).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  it('many connections: 50 listed, the filter finds the others', async () => {
    const session = openCapture(readFileSync(`${PCAP}tls12-lo.pcap`)).connections[0] as TcpConnection;
    const frames = Array.from({ length: 60 }, (_, i) =>
      synthesizeConversation({
        client: { ...session.client, port: 50000 + i },
        server: session.server,
        chunks: session.chunks,
      }).map((p) => ({ time: p.time, frame: ethernetFrame(p, p.fromClient) })),
    ).flat();
    const file = join(dir, 'sixty.pcapng');
    writeFileSync(file, writePcapng(frames));
    const { page, context, errors } = await openWatchedPage(app.browser, app.url, { colorScheme: 'dark' });
    await openLab(page);
    await page.locator('#capture-file').setInputFiles(file);
    await expect.poll(() => page.locator('.picker button').count()).toBe(50);
    expect(await page.locator('#picker-count').textContent()).toBe(
      '60 connections; the first 50 are listed.',
    );
    await page.getByLabel('Filter by address, port, SNI or kind').fill(':50059');
    await expect.poll(() => page.locator('.picker button').count()).toBe(1);
    expect(await page.locator('#picker-count').textContent()).toBe('1 of 60 connections match.');
    const violations = await seriousAxeViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await page.locator('.picker button').click();
    await expect.poll(() => status(page)).toBe('no-key-log');
    expect(await page.locator('.showing').textContent()).toContain(
      'connection 60: 127.0.0.1:50059 → 127.0.0.1:44312',
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a live run downloaded as pcapng: the real tshark shows its handshake and data decrypted with no key log argument', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await openLab(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download pcapng (with keys)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('handshake.pcapng');
    const file = join(dir, 'live.pcapng');
    await download.saveAs(file);
    const run = (...args: string[]) => tshark(file, ...args);
    const types = run('-Y', 'tls.handshake.type', '-T', 'fields', '-e', 'tls.handshake.type')
      .split(/[\n,]/)
      .filter(Boolean);
    // ClientHello 1, ServerHello 2, Certificate 11, ServerKeyExchange 12, ServerHelloDone 14,
    // ClientKeyExchange 16 and both Finished (20), which only the key log opens.
    expect(new Set(types)).toEqual(new Set(['1', '2', '11', '12', '14', '16', '20']));
    expect(types.filter((t) => t === '20')).toHaveLength(2);
    const follow = run('-q', '-z', 'follow,tls,ascii,0');
    expect(follow).toContain('GET / HTTP/1.1');
    expect(follow).toContain('HTTP/1.1 200 OK');
    // The same download opens in the lab again, decrypted by its own Decryption Secrets Block.
    await page.locator('#capture-file').setInputFiles(file);
    await expect.poll(() => status(page)).toBe('decrypted');
    // A fault preset's run has its keys too: the altered client Finished is decrypted by tshark, and the
    // server's decrypt_error alert (51) follows it.
    await page.getByRole('button', { name: 'Back to the live handshake' }).click();
    await page.goto(app.url + '#/handshake?fault=tampered-finished');
    await expect
      .poll(() => page.locator('#outcome-title').textContent(), { timeout: 30_000 })
      .toBe('Handshake failed: decrypt_error');
    const [faulty] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download pcapng (with keys)' }).click(),
    ]);
    await faulty.saveAs(file);
    const faultTypes = run('-Y', 'tls.handshake.type', '-T', 'fields', '-e', 'tls.handshake.type')
      .split(/[\n,]/)
      .filter(Boolean);
    expect(faultTypes.filter((t) => t === '20')).toHaveLength(1);
    expect(run('-Y', 'tls.alert_message', '-T', 'fields', '-e', 'tls.alert_message.desc').trim()).toBe('51');
    expect(errors).toEqual([]);
    await context.close();
  });
});
