/**
 * Real captures opened in the Handshake Lab: `tls-lab handshake --connect ... --json` against a throw-away
 * PostgreSQL 15 (SSLRequest, then TLS, a StartupMessage and the server's replies in the tunnel) and against
 * `openssl s_server` (plain TLS). Every step's label, size and bytes are checked against the capture's records,
 * decoded here on their own (handshake headers, alert bytes, PostgreSQL framing), not through the lab's pairing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBuiltApp } from '../kit/programs/app';
import { describeViolations, openWatchedPage, seriousAxeViolations } from '../kit/programs/browser';
import { testPki } from '../kit/pure/pki';
import { startPostgres, type Postgres } from '../kit/programs/postgres-cli';
import { startSServer, type SServer } from '../kit/programs/openssl-cli';
import { runCli } from '../kit/programs/run-cli';
import { postgresCaptureArgs, sServerCaptureArgs } from '../kit/pure/captures';
import { eventLogFromJson, type EventLog } from '../../src/lib/tls12/handshake/index';

const app = useBuiltApp();
const FIXTURES = fileURLToPath(new URL('../../fixtures/captures/', import.meta.url));
let pg: Postgres | undefined;
let sServer: SServer | undefined;
const captures: Record<'postgres' | 'openssl', string> = { postgres: '', openssl: '' };

beforeAll(async () => {
  const pki = await testPki();
  pg = await startPostgres(pki.rsa.certPem, pki.rsa.keyPem);
  sServer = await startSServer(pki.rsa.certPem, pki.rsa.keyPem);
  const dir = mkdtempSync(join(tmpdir(), 'tls-lab-captures-'));
  const fromPg = await runCli(postgresCaptureArgs(pg.port));
  if (fromPg.code !== 0) throw new Error(`capture against PostgreSQL failed: ${fromPg.stderr}`);
  captures.postgres = join(dir, 'postgres-capture.json');
  writeFileSync(captures.postgres, fromPg.stdout);
  const fromOpenssl = await runCli(sServerCaptureArgs(sServer.port));
  if (fromOpenssl.code !== 0) throw new Error(`capture against s_server failed: ${fromOpenssl.stderr}`);
  captures.openssl = join(dir, 'openssl-capture.json');
  writeFileSync(captures.openssl, fromOpenssl.stdout);
}, 120_000);

afterAll(async () => {
  pg?.stop();
  await sServer?.stop();
});

const HANDSHAKE_NAMES: Record<number, string> = {
  1: 'ClientHello',
  2: 'ServerHello',
  4: 'NewSessionTicket',
  11: 'Certificate',
  12: 'ServerKeyExchange',
  14: 'ServerHelloDone',
  16: 'ClientKeyExchange',
  20: 'Finished',
};
const ALERT_NAMES: Record<number, string> = { 0: 'close_notify' };
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
const u32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset + at, 4).getUint32(0);
const cString = (b: Uint8Array, at: number) => {
  const end = b.indexOf(0, at);
  return [new TextDecoder().decode(b.subarray(at, end)), end + 1] as const;
};

/** A PostgreSQL backend message as a person reads it (protocol 3.0 "Message Formats"). */
function backendLabel(m: Uint8Array): string {
  const tag = String.fromCharCode(m[0]!);
  if (tag === 'R' && u32(m, 5) === 0) return 'AuthenticationOk';
  if (tag === 'S') {
    const [name, at] = cString(m, 5);
    return `ParameterStatus ${name}=${cString(m, at)[0]}`;
  }
  if (tag === 'K') return `BackendKeyData pid ${u32(m, 5)}`;
  if (tag === 'Z') return `ReadyForQuery (${String.fromCharCode(m[5]!)})`;
  return `message '${tag}'`;
}

interface Expected {
  from: 'client' | 'server';
  title: string;
  /** Bytes on the wire. */
  size: number;
  /** What the receiving endpoint's byte view shows first (the message, the alert, the PostgreSQL bytes). */
  shown: Uint8Array;
  /** PostgreSQL messages of the tunnel: label and bytes. */
  tunnel: { label: string; bytes: Uint8Array }[];
}

/** The steps a capture must show, from its records' own bytes. */
function expectedSteps(t: EventLog): Expected[] {
  const out: Expected[] = [];
  for (const e of t) {
    if (e.kind === 'postgres' && !e.inTunnel)
      out.push({ from: e.from, title: e.label, size: e.bytes.length, shown: e.bytes, tunnel: [] });
    if (e.kind !== 'record') continue;
    const content = e.plaintext ?? e.bytes.subarray(5);
    const base = { from: e.from, size: e.bytes.length, tunnel: [] as Expected['tunnel'] };
    if (e.contentType === 22) {
      const names: string[] = [];
      let first: Uint8Array | undefined;
      for (let at = 0; at < content.length;) {
        const length = (content[at + 1]! << 16) | (content[at + 2]! << 8) | content[at + 3]!;
        names.push(HANDSHAKE_NAMES[content[at]!] ?? `type ${content[at]}`);
        first ??= content.subarray(at, at + 4 + length);
        at += 4 + length;
      }
      out.push({ ...base, title: names.join(' + '), shown: first! });
    } else if (e.contentType === 20) {
      out.push({ ...base, title: 'ChangeCipherSpec', shown: e.bytes });
    } else if (e.contentType === 21) {
      out.push({ ...base, title: `Alert: ${ALERT_NAMES[content[1]!]}`, shown: content });
    } else if (e.contentType === 23) {
      const tunnel: Expected['tunnel'] = [];
      if (e.from === 'client') tunnel.push({ label: 'StartupMessage', bytes: content });
      else
        for (let at = 0; at < content.length; at += 1 + u32(content, at + 1)) {
          const m = content.subarray(at, at + 1 + u32(content, at + 1));
          tunnel.push({ label: backendLabel(m), bytes: m });
        }
      const labels = tunnel.map((p) => p.label);
      const title =
        labels.length <= 3
          ? labels.join(' + ')
          : `${labels.slice(0, 2).join(' + ')} + ${labels.length - 2} more`;
      out.push({ ...base, title: `Application data: ${title}`, shown: e.bytes, tunnel });
    }
  }
  return out;
}

async function cellsHex(view: Locator): Promise<string> {
  return (await view.locator('.cell').allTextContents()).map((t) => t.trim()).join(' ');
}

async function openCapture(page: Page, file: string): Promise<void> {
  await page.goto(app.url + '#/handshake');
  await expect
    .poll(() => page.locator('#outcome-title').textContent(), { timeout: 30_000 })
    .toBe('Handshake complete');
  await page.locator('#capture-file').setInputFiles(file);
  await expect.poll(() => page.locator('#capture-settings-title').count()).toBe(1);
}

/** Walks every step: its title in the list, its size in the diagram, and its bytes in the detail. */
async function checkEveryStep(page: Page, expected: Expected[]): Promise<void> {
  const titles = (await page.locator('.step-list button').allTextContents()).map((t) =>
    t.replace(/\s+/g, ' ').trim(),
  );
  expect(titles).toEqual(expected.map((s) => `${s.from === 'client' ? 'C→S' : 'S→C'} ${s.title}`));
  const notes = await page.locator('.sequence .note').allTextContents();
  expect(notes.map((n) => Number(/^(\d+) byte/.exec(n)?.[1]))).toEqual(expected.map((s) => s.size));
  for (const [i, step] of expected.entries()) {
    await page.locator('.step-list button').nth(i).click();
    await expect.poll(() => page.locator('#hs-step-title').textContent()).toContain(step.title);
    expect(await cellsHex(page.locator('.step-detail .tree-and-bytes .byte-view')), `step ${i + 1}`).toBe(
      hex(step.shown),
    );
    const tunnelTitles = await page.locator('.step-detail h4.tunnelled').allTextContents();
    expect(tunnelTitles.map((t) => t.replace(/\s+/g, ' ').trim())).toEqual(
      step.tunnel.map((p) => `${p.label} (${p.bytes.length} bytes)`),
    );
    for (const [k, p] of step.tunnel.entries())
      expect(await cellsHex(page.locator('.step-detail > .byte-view').nth(k)), p.label).toBe(hex(p.bytes));
  }
}

describe('Handshake Lab: real captures', () => {
  it('a capture against PostgreSQL 15 shows every record with its own messages, the tunnel included', async () => {
    const { page, context, errors, foreignRequests } = await openWatchedPage(app.browser, app.url);
    await openCapture(page, captures.postgres);
    const expected = expectedSteps(eventLogFromJson(readFileSync(captures.postgres, 'utf8')));
    // The shape every reader expects, stated plainly (the detail is checked against the bytes below).
    expect(expected.map((s) => `${s.from} ${s.title.split(':')[0]}`)).toEqual([
      'client SSLRequest',
      "server SSL response 'S'",
      'client ClientHello',
      'server ServerHello',
      'server Certificate',
      'server ServerKeyExchange',
      'server ServerHelloDone',
      'client ClientKeyExchange',
      'client ChangeCipherSpec',
      'client Finished',
      'server ChangeCipherSpec',
      'server Finished',
      'client Application data',
      'server Application data',
      'client Alert',
    ]);
    expect(expected.at(-2)?.tunnel.at(-1)?.label).toBe('ReadyForQuery (I)');
    expect(expected.at(-1)?.title).toBe('Alert: close_notify');
    await checkEveryStep(page, expected);
    // The setup panel describes the capture, not the lab's own controls.
    expect(await page.locator('#hs-controls-title').count()).toBe(0);
    const settings = await page.locator('.settings').textContent();
    expect(settings).toContain('SSLRequest, then TLS');
    expect(settings).toContain('none sent');
    const violations = await seriousAxeViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    expect(errors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it('a capture against openssl s_server shows every record with its own messages', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await openCapture(page, captures.openssl);
    const expected = expectedSteps(eventLogFromJson(readFileSync(captures.openssl, 'utf8')));
    expect(expected.map((s) => s.title)).toEqual(
      expect.arrayContaining([
        'ServerHello',
        'Certificate',
        'ServerHelloDone',
        'Finished',
        'Alert: close_notify',
      ]),
    );
    expect(expected.filter((s) => s.from === 'server' && s.title === 'Finished')).toHaveLength(1);
    await checkEveryStep(page, expected);
    expect(await page.locator('.settings').textContent()).toContain('No (plain TLS)');
    expect(errors).toEqual([]);
    await context.close();
  });

  it("the CLI's JSON of a pcap opened without a key log reads as the pcap itself does: not verified, not failed", async () => {
    const pcap = fileURLToPath(new URL('../../fixtures/pcap/tls12-lo.pcap', import.meta.url));
    const r = await runCli(['handshake', '--pcap', pcap, '--json']);
    const file = join(mkdtempSync(join(tmpdir(), 'tls-lab-json-')), 'tls12-lo.json');
    writeFileSync(file, r.stdout);
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await openCapture(page, file);
    await expect
      .poll(() => page.locator('#outcome-title').textContent(), { timeout: 30_000 })
      .toBe('Captured handshake, not verified');
    await page.locator('#capture-file').setInputFiles(pcap);
    await expect
      .poll(() => page.locator('#outcome-title').textContent(), { timeout: 30_000 })
      .toBe('Captured handshake, not verified');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a truncated capture gets an error saying why and where; the lab keeps working and opens a good one', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(app.url + '#/handshake');
    await expect
      .poll(() => page.locator('#outcome-title').textContent(), { timeout: 30_000 })
      .toBe('Handshake complete');
    // A committed real capture (fixtures/captures/README.md), cut in the middle.
    const whole = readFileSync(join(FIXTURES, 'openssl-s-server-rsa.json'), 'utf8');
    const cut = 4000;
    await page.locator('#capture-file').setInputFiles({
      name: 'cut.json',
      mimeType: 'application/json',
      buffer: Buffer.from(whole.slice(0, cut)),
    });
    await expect
      .poll(() => page.locator('.side .error').textContent())
      .toMatch(
        new RegExp(
          `^cut\\.json is not a tls-lab capture because it is not JSON \\(.+\\) \\(at byte offset ${cut}\\)$`,
        ),
      );
    expect(await page.locator('#capture-settings-title').count()).toBe(0);
    // The live handshake is still shown and still steps.
    expect(await page.locator('#outcome-title').textContent()).toBe('Handshake complete');
    await page.locator('#capture-file').setInputFiles(join(FIXTURES, 'openssl-s-server-rsa.json'));
    await expect.poll(() => page.locator('#capture-settings-title').count()).toBe(1);
    expect(await page.locator('.side .error').count()).toBe(0);
    const expected = expectedSteps(eventLogFromJson(whole));
    await checkEveryStep(page, expected);
    expect(errors).toEqual([]);
    await context.close();
  });
});
