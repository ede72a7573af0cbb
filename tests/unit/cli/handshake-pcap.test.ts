/**
 * Issue #18, the CLI: `tls-lab handshake --pcap FILE [--keylog FILE] [--stream N] [--json]` run in-process on the
 * committed real captures (fixtures/pcap: tcpdump/dumpcap/editcap of openssl s_client/s_server and psql, and of
 * our own CLI against PostgreSQL; The Illustrated TLS 1.2 capture) and on captures built here with the pcap
 * writer (several connections, no TLS). Every record decrypted where a key log matches; a key log that does not
 * match says what matched and what did not; bad files end in one sentence and exit status 1.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../../src/lib/bytes/index.ts';
import { memoryIo } from '../../../src/cli/io.ts';
import { main } from '../../../src/cli/main.ts';
import {
  ethernetFrame,
  openCapture,
  synthesizeConversation,
  tlsConnections,
  writePcapng,
  type StreamChunk,
  type TcpConnection,
} from '../../../src/lib/pcap/index.ts';
import { eventLogFromJson, observeConnection, type EventLogEntry } from '../../../src/lib/tls12/index.ts';
import { captureOutcome, PCAP_EXIT } from '../../../src/cli/handshake-pcap.ts';
import { describeCaptureError, parseCapture } from '../../../src/app/model/handshake/capture.ts';

const PCAP = 'fixtures/pcap';
const ILLUSTRATED = 'fixtures/tls12-vectors/illustrated-tls12';
const dir = mkdtempSync(join(tmpdir(), 'tls-lab-pcap-cli-'));
let counter = 0;
function temp(content: string | Uint8Array, name = 'file'): string {
  const path = join(dir, `${counter++}-${name}`);
  writeFileSync(path, content);
  return path;
}

async function cli(...argv: string[]) {
  const io = memoryIo();
  const code = await main(['handshake', ...argv], io);
  return { code, out: io.stdout(), err: io.stderr() };
}

interface Json {
  eventLog: unknown[];
  observation: { decryption: { status: string; line?: number }; decryptionSummary: string; notes: unknown[] };
}

async function json(
  ...argv: string[]
): Promise<{ code: number; doc: Json; log: EventLogEntry[]; text: string }> {
  const r = await cli(...argv, '--json');
  const doc = JSON.parse(r.out) as Json;
  return { code: r.code, doc, log: eventLogFromJson(JSON.stringify(doc.eventLog)), text: r.out };
}

const records = (log: EventLogEntry[]) => log.filter((e) => e.kind === 'record');
const appData = (log: EventLogEntry[], from: 'client' | 'server') =>
  Buffer.concat(
    log.flatMap((e) => (e.kind === 'application_data' && e.from === from ? [Buffer.from(e.data)] : [])),
  ).toString('latin1');

/** Each line starting with one of `prefixes` is in the report, in this order. */
function expectLinesInOrder(out: string, prefixes: string[]): void {
  const lines = out.split('\n');
  const order = prefixes.map((p) => lines.findIndex((l) => l.startsWith(p)));
  expect(
    order.every((i) => i > 0),
    out,
  ).toBe(true);
  expect(order).toEqual([...order].sort((a, b) => a - b));
}

/** Every encrypted record opened: it has its plaintext, no error, and carries what it held. */
function expectEveryRecordDecrypted(log: EventLogEntry[]): void {
  const encrypted = records(log).filter((e) => e.kind === 'record' && e.encrypted);
  expect(encrypted.length).toBeGreaterThan(0);
  for (const e of encrypted) {
    if (e.kind !== 'record') continue;
    expect(e.error, `record ${e.from} ${e.seq}`).toBeUndefined();
    expect(e.plaintext, `record ${e.from} ${e.seq}`).toBeDefined();
    expect(e.carries.length, `record ${e.from} ${e.seq}`).toBeGreaterThan(0);
  }
}

describe('openssl s_client -keylogfile against s_server -tls1_2, captured by tcpdump (fixtures/pcap/tls12-lo.pcap)', () => {
  const args = ['--pcap', `${PCAP}/tls12-lo.pcap`, '--keylog', `${PCAP}/tls12.keys.log`];

  it('the report leads with the outcome, names the connection and lists every message decrypted', async () => {
    const r = await cli(...args);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe('');
    const lines = r.out.split('\n');
    expect(lines[0]).toBe(
      'HANDSHAKE COMPLETE: TLSv1.2, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, ECDHE x25519; every record decrypted',
    );
    expect(r.out).toMatch(
      /^Connection 1 of 1 in fixtures\/pcap\/tls12-lo\.pcap: 127\.0\.0\.1:\d+ -> 127\.0\.0\.1:44312, SNI localhost, TLS, first packet 2026-/m,
    );
    expect(r.out).toContain('  C -> S  finished (16 bytes) [encrypted]');
    expect(r.out).toContain('  S -> C  finished (16 bytes) [encrypted]');
    expect(r.out).toContain('  C -> S  application data (15 bytes) [decrypted]');
    expect(r.out).toContain('  S -> C  alert close_notify (0) [encrypted]');
    expect(r.out).not.toContain('[not opened]');
    expect(r.out).toContain('  matched: the client random, on line 2 of fixtures/pcap/tls12.keys.log');
    expect(r.out).toContain('  client Finished: verified; server Finished: verified');
  });

  it('--json: every encrypted record opened, the application data in both directions', async () => {
    const { code, doc, log } = await json(...args);
    expect(code).toBe(0);
    expect(doc.observation.decryption).toMatchObject({ status: 'decrypted', line: 2 });
    expectEveryRecordDecrypted(log);
    expect(appData(log, 'client')).toBe('hello, capture\n');
    expect(appData(log, 'server')).toBe('erutpac ,olleh\n');
  });

  it('the pcapng with the key log in a Decryption Secrets Block decrypts with no --keylog', async () => {
    const r = await cli('--pcap', `${PCAP}/tls12-dsb.pcapng`);
    expect(r.code, r.err).toBe(0);
    expect(r.out.split('\n')[0]).toMatch(/; every record decrypted$/);
    expect(r.out).toContain(
      "matched: the client random, on line 2 of the capture's Decryption Secrets Block",
    );
    const { log } = await json('--pcap', `${PCAP}/tls12-dsb.pcapng`);
    expectEveryRecordDecrypted(log);
  });

  it("a --keylog that disagrees with the capture's own key log: the file's line is used, as in Wireshark", async () => {
    // The capture's Decryption Secrets Block is read first and the last line for a secret counts (tshark 4.0.17 does
    // the same: tests/interop/pcap-tshark.test.ts), so a file with another secret for one label overrides the block.
    const own = (await json('--pcap', `${PCAP}/tls13-dsb.pcapng`)).doc.observation.decryption;
    expect('found' in own && own.found).toHaveLength(4);
    const random = /client random ([0-9a-f]{64})/.exec(
      (await cli('--pcap', `${PCAP}/tls13-dsb.pcapng`)).out,
    )![1]!;
    const other = temp(`SERVER_HANDSHAKE_TRAFFIC_SECRET ${random} ${'ab'.repeat(48)}\n`, 'other.keys.log');
    const r = await cli('--pcap', `${PCAP}/tls13-dsb.pcapng`, '--keylog', other);
    expect(r.code, r.err).toBe(PCAP_EXIT.keyLogMismatch);
    expect(r.out).toContain(
      `  matched: SERVER_HANDSHAKE_TRAFFIC_SECRET for this client random, on line 1 of ${other}`,
    );
    expect(r.out).toContain(
      "  not used: line 2 of the capture's Decryption Secrets Block, another SERVER_HANDSHAKE_TRAFFIC_SECRET for this client random (the last line counts)",
    );
    expect(r.out).toContain(
      "  did NOT match: the SERVER_HANDSHAKE_TRAFFIC_SECRET on that line does not open the server's record 0",
    );
    expect(r.out).toContain(
      "Not used (the last line for a secret counts, as in Wireshark): line 2 of the capture's Decryption Secrets Block, another SERVER_HANDSHAKE_TRAFFIC_SECRET for this client random.",
    );
  });

  it('TLS 1.2: of two CLIENT_RANDOM lines for the client random, the last one is used and the other named', async () => {
    const good = readFileSync(`${PCAP}/tls12.keys.log`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('CLIENT_RANDOM '))!;
    const bad = `${good.split(' ').slice(0, 2).join(' ')} ${'00'.repeat(48)}`;
    const badFirst = temp(`${bad}\n${good}\n`, 'bad-first.keys.log');
    const opened = await cli('--pcap', `${PCAP}/tls12-lo.pcap`, '--keylog', badFirst);
    expect(opened.code, opened.err).toBe(PCAP_EXIT.shown);
    expect(opened.out.split('\n')[0]).toMatch(/; every record decrypted$/);
    expect(opened.out).toContain(`  matched: the client random, on line 2 of ${badFirst}`);
    expect(opened.out).toContain(
      `  not used: line 1 of ${badFirst}, another CLIENT_RANDOM for this client random (the last line counts)`,
    );
    const { doc } = await json('--pcap', `${PCAP}/tls12-lo.pcap`, '--keylog', badFirst);
    expect(doc.observation.decryption).toMatchObject({
      status: 'decrypted',
      line: 2,
      source: badFirst,
      conflicting: [{ label: 'CLIENT_RANDOM', line: 1, source: badFirst }],
    });
    const goodFirst = temp(`${good}\n${bad}\n`, 'good-first.keys.log');
    const closed = await cli('--pcap', `${PCAP}/tls12-lo.pcap`, '--keylog', goodFirst);
    expect(closed.code).toBe(PCAP_EXIT.keyLogMismatch);
    expect(closed.out).toContain(`  matched: the client random, on line 2 of ${goodFirst}`);
    expect(closed.out).toContain('  did NOT match: the master secret on that line');
    // A line repeated with the same secret is no conflict.
    const twice = temp(`${good}\n${good}\n`, 'twice.keys.log');
    const same = await json('--pcap', `${PCAP}/tls12-lo.pcap`, '--keylog', twice);
    expect(same.doc.observation.decryption).toMatchObject({ status: 'decrypted', line: 2 });
    expect(same.doc.observation.decryption).not.toHaveProperty('conflicting');
  });

  it('without a key log: what is in the clear, and the key log line that would open the rest', async () => {
    const r = await cli('--pcap', `${PCAP}/tls12-lo.pcap`);
    expect(r.code, r.err).toBe(0);
    expect(r.out.split('\n')[0]).toBe(
      'HANDSHAKE ENCRYPTED: TLSv1.2, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384; encrypted records NOT decrypted: no key log',
    );
    expect(r.out).toContain('  C -> S  encrypted record, handshake (45 bytes) [not opened]');
    expect(r.out).toMatch(
      /would open them: CLIENT_RANDOM b2e6d6fe[0-9a-f]{56} <48-byte master secret in hex>/,
    );
  });
});

describe('tcpdump of tls-lab --starttls postgres --pg-user postgres --keylog (fixtures/pcap/tls-lab-postgres-lo.pcap)', () => {
  const args = [
    '--pcap',
    `${PCAP}/tls-lab-postgres-lo.pcap`,
    '--keylog',
    `${PCAP}/tls-lab-postgres.keys.log`,
  ];

  it('every record decrypted; AuthenticationOk ... ReadyForQuery inside the tunnel, in wire order', async () => {
    const r = await cli(...args);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(
      /^HANDSHAKE COMPLETE: TLSv1\.2, TLS_ECDHE_\w+, ECDHE \w+; every record decrypted$/,
    );
    expect(r.out).toMatch(/ -> 127\.0\.0\.1:44315, SNI \(none\), PostgreSQL SSLRequest, /);
    expect(r.out).not.toContain('[not opened]');
    expectLinesInOrder(r.out, [
      '  C -> S  PostgreSQL SSLRequest',
      "  S -> C  PostgreSQL SSL response 'S'",
      '  C -> S  client_hello',
      '  C -> S  finished',
      '  S -> C  finished',
      '  C -> S  PostgreSQL StartupMessage [in TLS]',
      '  S -> C  PostgreSQL AuthenticationOk [in TLS]',
      '  S -> C  PostgreSQL ReadyForQuery (I) [in TLS]',
      '  C -> S  alert close_notify (0) [encrypted]',
    ]);
    const { log } = await json(...args);
    expectEveryRecordDecrypted(log);
    expect(appData(log, 'client')).toContain('user\0postgres\0');
  });
});

describe('openssl s_client -tls1_3 -keylogfile against s_server, captured by tcpdump (fixtures/pcap/tls13-lo.pcap)', () => {
  const args = ['--pcap', `${PCAP}/tls13-lo.pcap`, '--keylog', `${PCAP}/tls13.keys.log`];

  it('decrypts: TLSv1.3 on the first line, each 1.3 label matched, the messages in the tunnel', async () => {
    const r = await cli(...args);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe(
      'HANDSHAKE COMPLETE: TLSv1.3, TLS_AES_256_GCM_SHA384, ECDHE x25519; every record decrypted',
    );
    for (const text of [
      '  S -> C  encrypted_extensions (6 bytes) [encrypted]',
      '  C -> S  finished (52 bytes) [encrypted]',
      '  C -> S  application data (15 bytes) [decrypted]',
      '  client Finished: verified; server Finished: verified',
      'Protocol:          TLSv1.3',
    ])
      expect(lines, text).toContain(text);
    for (const label of ['SERVER_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0'])
      expect(r.out).toMatch(
        new RegExp(
          `^  matched: ${label} for this client random, on line \\d+ of fixtures/pcap/tls13\\.keys\\.log$`,
          'm',
        ),
      );
    expect(r.out).not.toContain('Extended master secret');
    const { doc, log } = await json(...args);
    expect(doc.observation.decryption).toMatchObject({ status: 'decrypted', version: 'TLSv1.3' });
    expectEveryRecordDecrypted(log);
    expect(appData(log, 'server')).toBe('erutpac ,olleh\n');
  });

  it('a key log without CLIENT_TRAFFIC_SECRET_0: exit 4, the missing label and the line that would open it', async () => {
    const keys = readFileSync(`${PCAP}/tls13.keys.log`, 'utf8')
      .split('\n')
      .filter((l) => !l.startsWith('CLIENT_TRAFFIC_SECRET_0 '))
      .join('\n');
    const r = await cli('--pcap', `${PCAP}/tls13-lo.pcap`, '--keylog', temp(keys, 'partial.keys.log'));
    expect(r.code).toBe(4);
    expect(r.out.split('\n')[0]).toMatch(
      // As the lab's card counts them: the client's application data stays closed, the rest opened.
      /; 9 of 11 encrypted records decrypted, 2 NOT: the key log lacks some of the TLS 1\.3 secrets$/,
    );
    expect(r.out).toContain('  missing: CLIENT_TRAFFIC_SECRET_0 for this client random');
    expect(r.err).toMatch(
      /^tls-lab handshake: the key log does not open all of this connection: TLS 1\.3: .* but not CLIENT_TRAFFIC_SECRET_0/,
    );
  });
});

describe('a HelloRetryRequest and KeyUpdate both ways (fixtures/pcap/tls13-hrr-keyupdate-lo.pcap)', () => {
  it('names the HelloRetryRequest, shows both KeyUpdates, every record decrypted', async () => {
    const r = await cli(
      '--pcap',
      `${PCAP}/tls13-hrr-keyupdate-lo.pcap`,
      '--keylog',
      `${PCAP}/tls13-hrr-keyupdate.keys.log`,
    );
    expect(r.code, r.err).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe(
      'HANDSHAKE COMPLETE: TLSv1.3, TLS_AES_256_GCM_SHA384, ECDHE secp256r1; every record decrypted',
    );
    expectLinesInOrder(r.out, [
      '  C -> S  client_hello (',
      '  S -> C  hello_retry_request (',
      '  S -> C  server_hello (',
      '  C -> S  key_update (5 bytes) [encrypted]',
      '  S -> C  key_update (5 bytes) [encrypted]',
    ]);
    expect(r.out).not.toContain('[not opened]');
  });
});

describe('a TLS 1.2 connection the client renegotiates (fixtures/pcap/tls12-reneg-lo.pcap, openssl s_client R)', () => {
  it('decrypts the first handshake, says the renegotiated records stay closed and which key log line opens them', async () => {
    const r = await cli('--pcap', `${PCAP}/tls12-reneg-lo.pcap`, '--keylog', `${PCAP}/tls12-reneg.keys.log`);
    // Not "every record decrypted": the records under the second handshake's keys stay closed. Exit 0, not 4: the key
    // log is right (it has both handshakes' lines); the observer follows the first handshake only.
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out.split('\n')[0]).toBe(
      "HANDSHAKE COMPLETE: TLSv1.2, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, ECDHE x25519; 11 of 16 encrypted records decrypted, 5 NOT: the connection renegotiated, and the second handshake's keys are not followed",
    );
    // The second ClientHello is read inside the first handshake's records; its random is on the key log's line 3.
    const second = readFileSync(`${PCAP}/tls12-reneg.keys.log`, 'utf8').split('\n')[2]!.split(' ')[1]!;
    const seen = await observeConnection(
      tlsConnections(openCapture(new Uint8Array(readFileSync(`${PCAP}/tls12-reneg-lo.pcap`))))[0]!.chunks,
      { keyLog: readFileSync(`${PCAP}/tls12-reneg.keys.log`, 'utf8') },
    );
    expect(seen.decryption).toMatchObject({
      status: 'incomplete',
      version: 'TLSv1.2',
      line: 2,
      clientFinished: 'verified',
      serverFinished: 'verified',
      renegotiation: { wantedLine: `CLIENT_RANDOM ${second} <48-byte master secret in hex>`, line: 3 },
    });
    const hellos = seen.eventLog.filter((e) => e.kind === 'message' && e.message.type === 'client_hello');
    expect(hellos).toHaveLength(2);
    expect(r.out).toContain("The key log has the line for its ClientHello's random (line 3)");
  });
});

describe('TLS 1.3, the server rejects the client certificate after the client Finished (fixtures/pcap/tls13-client-cert-rejected-lo.pcap)', () => {
  it('is a failed handshake, not a completed one followed by an alert', async () => {
    // In TLS 1.3 the server checks the client's certificate after the client's Finished: its unknown_ca fails the
    // handshake (as psql's "tlsv1 alert unknown ca"). A review found the outcome line saying HANDSHAKE COMPLETE.
    const r = await cli(
      '--pcap',
      `${PCAP}/tls13-client-cert-rejected-lo.pcap`,
      '--keylog',
      `${PCAP}/tls13-client-cert-rejected.keys.log`,
    );
    expect(r.code).toBe(PCAP_EXIT.alert);
    expect(r.out.split('\n')[0]).toMatch(
      /^HANDSHAKE FAILED: the server sent fatal alert unknown_ca \(48\); /,
    );
    expect(r.err).toContain('the capture shows a failed handshake');
  });
});

describe('TLS 1.3 post-handshake client authentication (fixtures/pcap/tls13-pha-lo.pcap, s_client -enable_pha)', () => {
  it("the client's Finished under its application keys is checked as such, and its records go on under the same keys", async () => {
    // Before: that Finished was checked as the handshake's (a mismatch), and the client's keys were reset to
    // sequence 0, so its next records were "not opened" and CLIENT_TRAFFIC_SECRET_0 was called wrong.
    const args = ['--pcap', `${PCAP}/tls13-pha-lo.pcap`, '--keylog', `${PCAP}/tls13-pha.keys.log`];
    const { doc, log } = await json(...args);
    expect(doc.observation.decryption).toMatchObject({
      status: 'decrypted',
      clientFinished: 'verified',
      serverFinished: 'verified',
    });
    expect(records(log).filter((e) => e.kind === 'record' && e.error !== undefined)).toEqual([]);
    const client = log.flatMap((e) => (e.kind === 'message' && e.from === 'client' ? [e.name] : []));
    expect(client).toEqual(['client_hello', 'finished', 'certificate', 'certificate_verify', 'finished']);
    expect(appData(log, 'client')).toBe('hello\nafter pha\n');
    expect(appData(log, 'server')).toBe('from server\n');
    const r = await cli(...args);
    expect(r.out).toMatch(
      /client stream offset \d+: post-handshake authentication \(RFC 8446 §4\.6\.2\): the client answered the server's CertificateRequest; its Finished verified with client_application_traffic_secret_0, and no key changes/,
    );
  });
});

describe("TLS 1.3 0-RTT sent under the resumed session's suite, another one chosen (fixtures/pcap/tls13-early-suite-lo.pcap)", () => {
  it('the early data opens with the suite of the session it resumes, found by its tag, and a note names both suites', async () => {
    // Before: opened with the ServerHello's ChaCha20 suite, it stayed closed and CLIENT_EARLY_TRAFFIC_SECRET was
    // called wrong (tshark opens it).
    const args = [
      '--pcap',
      `${PCAP}/tls13-early-suite-lo.pcap`,
      '--keylog',
      `${PCAP}/tls13-early-suite.keys.log`,
      '--stream',
      '2',
    ];
    const { code, doc, log } = await json(...args);
    expect(code).toBe(PCAP_EXIT.shown);
    expect(doc.observation.decryption).toMatchObject({ status: 'decrypted', clientFinished: 'verified' });
    expect(appData(log, 'client')).toBe('early hello\nsecond\n');
    const r = await cli(...args);
    expect(r.out).toMatch(/^HANDSHAKE COMPLETE: TLSv1\.3, TLS_CHACHA20_POLY1305_SHA256, /);
    expect(r.out).toMatch(
      /client stream offset \d+: the 0-RTT early data is protected with TLS_AES_128_GCM_SHA256, the cipher suite of the session it resumes \(RFC 8446 §4\.2\.10\), not with the ServerHello's TLS_CHACHA20_POLY1305_SHA256/,
    );
    expect(r.out).toContain("the server did not accept the client's 0-RTT early data");
  });
});

describe('TLS 1.3 resumption with 0-RTT early data (fixtures/pcap/tls13-early-lo.pcap, openssl s_client -early_data)', () => {
  const early = ['--pcap', `${PCAP}/tls13-early-lo.pcap`, '--keylog', `${PCAP}/tls13-early.keys.log`];

  it('accepted: the early data and EndOfEarlyData open with CLIENT_EARLY_TRAFFIC_SECRET, as in tshark', async () => {
    // Before: "a TLS 1.3 secret in the key log is wrong", the client's records closed from EndOfEarlyData on.
    const r = await cli(...early, '--stream', '2');
    expect(r.code, r.err).toBe(PCAP_EXIT.shown);
    expect(r.out.split('\n')[0]).toMatch(/^HANDSHAKE COMPLETE: .*; every record decrypted$/);
    expect(r.out).toContain('  C -> S  end_of_early_data (4 bytes) [encrypted]');
    expect(r.out).toMatch(/matched: CLIENT_EARLY_TRAFFIC_SECRET for this client random, on line \d+ of /);
    expect(r.out).toContain('  client Finished: verified; server Finished: verified');
    const { doc, log } = await json(...early, '--stream', '2');
    expect(doc.observation.decryption).toMatchObject({ status: 'decrypted' });
    expect(appData(log, 'client')).toBe('early hello\nsecond\n');
  });

  it('accepted, without the early secret in the key log: both early records closed, with the line that opens them', async () => {
    const keys = temp(
      readFileSync(`${PCAP}/tls13-early.keys.log`, 'utf8')
        .split('\n')
        .filter((l) => !l.startsWith('CLIENT_EARLY_TRAFFIC_SECRET'))
        .join('\n'),
      'no-early.keys.log',
    );
    const { code, doc, log } = await json(
      '--pcap',
      `${PCAP}/tls13-early-lo.pcap`,
      '--keylog',
      keys,
      '--stream',
      '2',
    );
    expect(code).toBe(PCAP_EXIT.keyLogMismatch);
    expect(doc.observation.decryption).toMatchObject({
      status: 'incomplete',
      clientFinished: 'verified',
      missing: ['CLIENT_EARLY_TRAFFIC_SECRET'],
    });
    const closed = records(log).flatMap((e) => (e.kind === 'record' && e.error ? [e.error] : []));
    expect(closed).toHaveLength(2);
    for (const c of closed)
      expect(c).toMatch(
        /^not opened: 0-RTT early data .* A line like this would open it: CLIENT_EARLY_TRAFFIC_SECRET [0-9a-f]{64} <secret in hex>$/,
      );
    expect(appData(log, 'client')).toBe('second\n');
  });

  it('an early secret of no hash length (20 bytes) is a wrong early secret, not an exception', async () => {
    // A review found "cannot be decoded: Cannot read properties of undefined" and the server's stream dropped.
    const lines = readFileSync(`${PCAP}/tls13-early.keys.log`, 'utf8').split('\n');
    const keys = temp(
      lines
        .map((l) => (l.startsWith('CLIENT_EARLY_TRAFFIC_SECRET ') ? l.slice(0, l.lastIndexOf(' ') + 41) : l))
        .join('\n'),
      'short-early.keys.log',
    );
    const r = await cli('--pcap', `${PCAP}/tls13-early-lo.pcap`, '--keylog', keys, '--stream', '2');
    expect(r.out).not.toMatch(/cannot be decoded|Cannot read/);
    expect(r.out.split('\n')[0]).toMatch(/^HANDSHAKE COMPLETE: /);
    expect(r.out).toContain('  client Finished: verified; server Finished: verified');
    expect(r.out).toMatch(/its CLIENT_EARLY_TRAFFIC_SECRET is wrong: it does not open the client's record 0/);
  });

  it('a wrong secret is blamed on its own label: the handshake one, or the early one, never mistaken for the other', async () => {
    const lines = readFileSync(`${PCAP}/tls13-early.keys.log`, 'utf8').split('\n');
    const random = lines.find((l) => l.startsWith('CLIENT_EARLY_TRAFFIC_SECRET '))!.split(' ')[1]!;
    // One secret of connection 2 with its last hex digit changed.
    const broken = (label: string) =>
      temp(
        lines
          .map((l) =>
            l.startsWith(`${label} ${random} `) ? l.slice(0, -1) + (l.endsWith('0') ? '1' : '0') : l,
          )
          .join('\n'),
        `${label}.keys.log`,
      );
    for (const label of ['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_EARLY_TRAFFIC_SECRET']) {
      const r = await cli(
        '--pcap',
        `${PCAP}/tls13-early-lo.pcap`,
        '--keylog',
        broken(label),
        '--stream',
        '2',
      );
      expect(r.code, label).toBe(PCAP_EXIT.keyLogMismatch);
      expect(r.out, label).toContain(
        `  did NOT match: the ${label} on that line does not open the client's record`,
      );
      expect(r.out, label).not.toContain('did not accept');
    }
  });

  it('a client that sends its early data with no ChangeCipherSpec before it (optional, RFC 8446 §D.4): opened too', async () => {
    // A review found the client's direction stopping at the early record ("application data before the handshake").
    const [, c] = tlsConnections(openCapture(new Uint8Array(readFileSync(`${PCAP}/tls13-early-lo.pcap`))));
    // The client's stream without its ChangeCipherSpec record (6 bytes, after the ClientHello record).
    const client = concatBytes(...c!.chunks.filter((k) => k.from === 'client').map((k) => k.bytes));
    const hello = 5 + ((client[3]! << 8) | client[4]!);
    expect(client[hello]).toBe(20);
    const without = concatBytes(client.subarray(0, hello), client.subarray(hello + 6));
    const server = c!.chunks.filter((k) => k.from === 'server');
    // The ClientHello and early data first, then the server's flight, then the rest of the client's records.
    const firstFlight = hello + 5 + ((without[hello + 3]! << 8) | without[hello + 4]!);
    const seen = await observeConnection(
      [
        { from: 'client', offset: 0, bytes: without.subarray(0, firstFlight), time: 1 },
        ...server.map((k, i) => ({ ...k, time: 2 + i })),
        { from: 'client', offset: firstFlight, bytes: without.subarray(firstFlight), time: 100 },
      ],
      { keyLog: readFileSync(`${PCAP}/tls13-early.keys.log`, 'utf8') },
    );
    expect(seen.notes).toEqual([]);
    expect(seen.decryption).toMatchObject({ status: 'decrypted', clientFinished: 'verified' });
    expect(appData(seen.eventLog, 'client')).toBe('early hello\nsecond\n');
  });

  it('rejected by a new server: the early data opens all the same, and a note says the server skipped it', async () => {
    const r = await cli(...early, '--stream', '3');
    expect(r.code, r.err).toBe(PCAP_EXIT.shown);
    expect(r.out.split('\n')[0]).toMatch(/; every record decrypted$/);
    expect(r.out).toContain("the server did not accept the client's 0-RTT early data");
    expect(r.out).not.toContain('CLIENT_RANDOM');
    expect(r.out).toContain('  client Finished: verified; server Finished: verified');
    const { log } = await json(...early, '--stream', '3');
    expect(appData(log, 'client')).toBe('early hello\nthird\n');
  });
});

describe('a TLS 1.2 session resumed by its session ID (fixtures/pcap/tls12-resume-lo.pcap, openssl s_client -reconnect)', () => {
  const resume = ['--pcap', `${PCAP}/tls12-resume-lo.pcap`, '--keylog', `${PCAP}/tls12-resume.keys.log`];

  it('the abbreviated handshakes are said to resume a session, not to use RSA key exchange', async () => {
    // Before: "Key exchange: RSA (no forward secrecy)" for every resumed connection.
    const full = await cli(...resume, '--stream', '1');
    expect(full.out).toContain('Key exchange:      ECDHE x25519');
    for (const n of ['2', '6']) {
      const r = await cli(...resume, '--stream', n);
      expect(r.code, r.err).toBe(PCAP_EXIT.shown);
      expect(r.out.split('\n')[0]).toMatch(
        /^HANDSHAKE COMPLETE: TLSv1\.2, \S+, an earlier session resumed; every record decrypted$/,
      );
      expect(r.out).toContain('Key exchange:      none: an earlier session resumed');
      expect(r.out).not.toContain('RSA (no forward secrecy)');
    }
  });
});

describe('a capture started after the handshake (fixtures/pcap/tls12-lo-after-handshake.pcap, editcap -r)', () => {
  it('is a TLS connection whose records stay closed because its ClientHello is not in the capture', async () => {
    // Before: exit 1, "holds no TLS", though tshark shows its application data and alert records.
    const r = await cli(
      '--pcap',
      `${PCAP}/tls12-lo-after-handshake.pcap`,
      '--keylog',
      `${PCAP}/tls12.keys.log`,
    );
    expect(r.code, r.err).toBe(PCAP_EXIT.shown);
    expect(r.out.split('\n')[0]).toBe(
      'HANDSHAKE ENCRYPTED: no ServerHello in the capture; encrypted records NOT decrypted: the capture starts after the handshake (no client random to match a key log)',
    );
    expect(r.out).toContain('  C -> S  encrypted record, application_data (44 bytes) [not opened]');
    expect(r.out).toContain("The capture starts after this connection's handshake");
    const { doc } = await json('--pcap', `${PCAP}/tls12-lo-after-handshake.pcap`);
    expect(doc.observation.decryption).toEqual({ status: 'no-client-hello', tls13Labels: [] });
  });
});

describe('a capture begun inside a record (fixtures/pcap/tls13-bulk-lo-mid-record.pcap, editcap -r)', () => {
  it('skips the end of the record it begins in, names it, and lists the whole records after it', async () => {
    // Before: exit 1, "holds no TLS", though tshark shows every record after the first segment.
    const r = await cli('--pcap', `${PCAP}/tls13-bulk-lo-mid-record.pcap`);
    expect(r.code, r.err).toBe(PCAP_EXIT.shown);
    expect(r.out).toContain(
      "server stream offset 0: the capture starts inside a record: the server's first 7718 bytes are the end of a record sent before the capture began, and its records are read from stream offset 7718",
    );
    const records = r.out.split('\n').filter((l) => /^ {2}[CS] -> [CS] {2}/.test(l));
    expect(records).toEqual([
      '  S -> C  encrypted record, application_data (23 bytes) [not opened]',
      '  S -> C  encrypted record, application_data (16406 bytes) [not opened]',
      '  S -> C  encrypted record, application_data (23 bytes) [not opened]',
      '  S -> C  encrypted record, application_data (7255 bytes) [not opened]',
      '  C -> S  encrypted record, application_data (24 bytes) [not opened]',
      '  S -> C  encrypted record, application_data (24 bytes) [not opened]',
    ]);
    const { doc } = await json('--pcap', `${PCAP}/tls13-bulk-lo-mid-record.pcap`);
    expect(doc.observation.decryption).toEqual({ status: 'no-client-hello', tls13Labels: [] });
  });
});

describe.each([
  ['session ID', 'tls12-resume'],
  ['ticket', 'tls12-resume-ticket'],
])(
  'TLS 1.2 resumed by %s, with only the first connection in the key log (fixtures/pcap/%s-lo.pcap)',
  (_, name) => {
    const args = (n: number, keys = `${PCAP}/${name}.first-only.keys.log`) => [
      '--pcap',
      `${PCAP}/${name}-lo.pcap`,
      '--keylog',
      keys,
      '--stream',
      String(n),
    ];

    it('every resumed connection opens with the session its first connection set up, as Wireshark reads it', async () => {
      // Before: "the key log has no line for this connection ... probably written for another run", exit 4.
      for (const n of [2, 6]) {
        const r = await cli(...args(n));
        expect(r.code, r.err).toBe(PCAP_EXIT.shown);
        expect(r.out.split('\n')[0]).toMatch(/, an earlier session resumed; every record decrypted$/);
        expect(r.out).toContain(
          `  matched: no line for this client random; the session it resumes (from connection 1), on line 1 of ${PCAP}/${name}.first-only.keys.log`,
        );
        const { doc } = await json(...args(n));
        expect(doc.observation.decryption).toMatchObject({
          status: 'decrypted',
          line: 1,
          resumes: { connection: 1 },
        });
      }
    });

    it('a key log without that line opens none of them, and says which line is missing', async () => {
      const other = temp(`CLIENT_RANDOM ${'11'.repeat(32)} ${'22'.repeat(48)}\n`, 'other.keys.log');
      const r = await cli(...args(3, other));
      expect(r.code).toBe(PCAP_EXIT.keyLogMismatch);
      expect(r.out).toContain('none of its 1 CLIENT_RANDOM line carries this connection');
    });
  },
);

describe('the outcome line', () => {
  it('a fatal alert after a completed handshake ends the connection, not the handshake', async () => {
    const [c] = tlsConnections(openCapture(new Uint8Array(readFileSync(`${PCAP}/tls12-lo.pcap`))));
    const seen = await observeConnection(c!.chunks, {
      keyLog: readFileSync(`${PCAP}/tls12.keys.log`, 'utf8'),
    });
    const alert = {
      kind: 'alert',
      id: 'server:99',
      from: 'server',
      level: 2,
      description: 50,
      name: 'decode_error',
    } as const;
    const after = { ...seen, eventLog: [...seen.eventLog, alert] };
    expect(captureOutcome(after)).toMatch(
      /^HANDSHAKE COMPLETE: .*; every record decrypted; then the server sent fatal alert decode_error \(50\)$/,
    );
    const before = { ...seen, eventLog: [alert, ...seen.eventLog] };
    expect(captureOutcome(before)).toMatch(
      /^HANDSHAKE FAILED: the server sent fatal alert decode_error \(50\); /,
    );
  });

  it('bytes that are not TLS after the handshake: the outcome line says where reading stopped', async () => {
    const [c] = tlsConnections(openCapture(new Uint8Array(readFileSync(`${PCAP}/tls12-lo.pcap`))));
    // The server's last record (its close_notify) with a length no record may have.
    const last = c!.chunks.findLastIndex((k) => k.from === 'server');
    const chunks = c!.chunks.map((k, i) => {
      if (i !== last) return k;
      const bytes = Uint8Array.from(k.bytes);
      bytes[3] = bytes[4] = 0xff;
      return { ...k, bytes };
    });
    const seen = await observeConnection(chunks, { keyLog: readFileSync(`${PCAP}/tls12.keys.log`, 'utf8') });
    const stop = seen.notes.find((n) => n.undecodable)!;
    expect(stop.from).toBe('server');
    expect(captureOutcome(seen)).toContain(
      `the server's stream is not read past offset ${stop.offset} (see Notes)`,
    );
  });

  it('a hole in the capture after the handshake: not "every record decrypted" alone', async () => {
    const [c] = tlsConnections(openCapture(new Uint8Array(readFileSync(`${PCAP}/tls12-lo.pcap`))));
    const chunks = c!.chunks;
    const client = chunks.flatMap((k, i) => (k.from === 'client' ? [i] : []));
    const seen = await observeConnection(
      chunks.filter((_, i) => i !== client.at(-2)),
      { keyLog: readFileSync(`${PCAP}/tls12.keys.log`, 'utf8') },
    );
    const hole = seen.notes.find((n) => n.hole)!;
    expect(hole.from).toBe('client');
    expect(captureOutcome(seen)).toMatch(
      new RegExp(
        `; every record read decrypted; the client's stream is not read past offset ${hole.offset} \\(see Notes\\)$`,
      ),
    );
  });
});

describe('psql sslmode=require, TLS 1.3, no key log (fixtures/pcap/psql-require-lo.pcap)', () => {
  it('shows SSLRequest, S, ClientHello and ServerHello in the clear and says what would open the rest', async () => {
    const r = await cli('--pcap', `${PCAP}/psql-require-lo.pcap`);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(
      /^HANDSHAKE ENCRYPTED: TLSv1\.3, TLS_AES_\w+; encrypted records NOT decrypted: no key log$/,
    );
    expect(r.out).toMatch(/ -> 127\.0\.0\.1:44314, SNI \(none\), PostgreSQL SSLRequest, /);
    const at = (text: string) => lines.indexOf(text);
    const order = ['  C -> S  PostgreSQL SSLRequest', "  S -> C  PostgreSQL SSL response 'S'"].map(at);
    const hello = lines.findIndex((l) => l.startsWith('  C -> S  client_hello ('));
    const serverHello = lines.findIndex((l) => l.startsWith('  S -> C  server_hello ('));
    const firstClosed = lines.findIndex((l) => l.endsWith('[not opened]'));
    expect([...order, hello, serverHello, firstClosed].every((i) => i > 0)).toBe(true);
    expect([...order, hello, serverHello, firstClosed]).toEqual(
      [...order, hello, serverHello, firstClosed].slice().sort((a, b) => a - b),
    );
    expect(r.out).toContain('would open it (TLS 1.3): these lines in a key log');
    for (const label of [
      'SERVER_HANDSHAKE_TRAFFIC_SECRET',
      'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
      'SERVER_TRAFFIC_SECRET_0',
      'CLIENT_TRAFFIC_SECRET_0',
    ])
      expect(r.out).toMatch(new RegExp(`^    ${label} [0-9a-f]{64} <secret in hex>$`, 'm'));
    const { doc, log } = await json('--pcap', `${PCAP}/psql-require-lo.pcap`);
    expect(doc.observation.decryption.status).toBe('no-key-log');
    expect(records(log).some((e) => e.kind === 'record' && e.plaintext)).toBe(false);
  });
});

describe('The Illustrated TLS 1.2 capture with its key log', () => {
  it('opens decrypted: both Finished verified, "ping" and "pong"', async () => {
    const args = ['--pcap', `${ILLUSTRATED}/capture.pcap`, '--keylog', `${ILLUSTRATED}/keylog.txt`];
    const r = await cli(...args);
    expect(r.code, r.err).toBe(0);
    expect(r.out.split('\n')[0]).toBe(
      'HANDSHAKE COMPLETE: TLSv1.2, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, ECDHE x25519; every record decrypted',
    );
    expect(r.out).toContain('[::1]:50159 -> [::1]:8443, SNI example.ulfheim.net');
    const { log } = await json(...args);
    expectEveryRecordDecrypted(log);
    expect(appData(log, 'client')).toBe('ping');
    expect(appData(log, 'server')).toBe('pong');
  });
});

describe('a key log that does not match says what matched and what did not', () => {
  const keys = readFileSync(`${PCAP}/tls12.keys.log`, 'utf8');

  it('another connection’s client random: exit 4, the line needed', async () => {
    const r = await cli('--pcap', `${PCAP}/tls12-lo.pcap`, '--keylog', `${ILLUSTRATED}/keylog.txt`);
    expect(r.code).toBe(4);
    expect(r.out).toContain(
      'did NOT match: no CLIENT_RANDOM line carries this client random (1 CLIENT_RANDOM line)',
    );
    expect(r.out).toMatch(/The line needed: CLIENT_RANDOM b2e6d6fe/);
    expect(r.err).toMatch(
      /^tls-lab handshake: the key log does not open this connection: The key log does not match/,
    );
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('the right client random with a wrong secret: the random matched, the secret did not, and where it failed', async () => {
    const wrong = temp(
      keys.replace(
        /^(CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{95})([0-9a-f])/m,
        (_, head: string, last: string) => `${head}${last === '0' ? '1' : '0'}`,
      ),
      'wrong.keys.log',
    );
    const r = await cli('--pcap', `${PCAP}/tls12-lo.pcap`, '--keylog', wrong);
    expect(r.code).toBe(4);
    expect(r.out.split('\n')[0]).toMatch(/NOT decrypted: the key log's master secret is wrong$/);
    expect(r.out).toContain(`  matched: the client random, on line 2 of ${wrong}`);
    expect(r.out).toMatch(
      /did NOT match: the master secret on that line does not open the client's record 0 \(stream offset \d+\)/,
    );
    const { doc } = await json('--pcap', `${PCAP}/tls12-lo.pcap`, '--keylog', wrong);
    expect(doc.observation.decryption).toMatchObject({ status: 'wrong-secret', version: 'TLSv1.2', line: 2 });
  });

  it('one status, two versions: the outcome line says which secret is wrong (TLS 1.3: the traffic secret)', async () => {
    const keys13 = readFileSync(`${PCAP}/tls13.keys.log`, 'utf8');
    const wrong = temp(
      keys13.replace(
        /^(SERVER_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]{64} [0-9a-f]+)([0-9a-f])$/m,
        (_, head: string, last: string) => `${head}${last === '0' ? '1' : '0'}`,
      ),
      'wrong13.keys.log',
    );
    const r = await cli('--pcap', `${PCAP}/tls13-lo.pcap`, '--keylog', wrong);
    expect(r.code).toBe(4);
    expect(r.out.split('\n')[0]).toMatch(
      /; 3 of 11 encrypted records decrypted, 8 NOT: a TLS 1\.3 secret in the key log is wrong$/,
    );
    expect(r.out).toMatch(/did NOT match: the SERVER_HANDSHAKE_TRAFFIC_SECRET on that line does not open/);
    const { doc } = await json('--pcap', `${PCAP}/tls13-lo.pcap`, '--keylog', wrong);
    expect(doc.observation.decryption).toMatchObject({ status: 'wrong-secret', version: 'TLSv1.3' });
  });

  it('TLS 1.3 captured from after the ClientHello: the outcome line says no client random could be matched', async () => {
    const [c] = tlsConnections(openCapture(new Uint8Array(readFileSync(`${PCAP}/tls13-lo.pcap`))));
    const firstClient = c!.chunks.findIndex((k) => k.from === 'client');
    const seen = await observeConnection(
      c!.chunks.filter((_, i) => i !== firstClient),
      { keyLog: readFileSync(`${PCAP}/tls13.keys.log`, 'utf8') },
    );
    expect(seen.decryption).toMatchObject({ status: 'no-client-hello', version: 'TLSv1.3' });
    expect(captureOutcome(seen)).toMatch(
      /NOT decrypted: TLS 1\.3 without its ClientHello in the capture \(no client random to match the key log\); the client's stream is not read past offset 0 \(see Notes\)$/,
    );
  });
});

describe('the capture JSON round-trips through the Handshake Lab’s reader (parseCapture)', () => {
  it.each([
    [`${PCAP}/tls12-lo.pcap`, `${PCAP}/tls12.keys.log`],
    [`${PCAP}/tls12-lo.pcap`, undefined],
    [`${PCAP}/psql-require-lo.pcap`, undefined],
    [`${PCAP}/tls12-dsb.pcapng`, undefined],
    [`${ILLUSTRATED}/capture.pcap`, `${ILLUSTRATED}/keylog.txt`],
  ])('%s with key log %s', async (file, keylog) => {
    const { log, text } = await json('--pcap', file, ...(keylog ? ['--keylog', keylog] : []));
    const opened = parseCapture(text);
    if (!opened.ok) throw new Error(describeCaptureError(opened.error));
    expect(opened.run.eventLog.map((e) => e.kind)).toEqual(log.map((e) => e.kind));
    expect(
      JSON.stringify(
        opened.run.eventLog.map((e) => ('bytes' in e ? Buffer.from(e.bytes).toString('hex') : e.kind)),
      ),
    ).toBe(JSON.stringify(log.map((e) => ('bytes' in e ? Buffer.from(e.bytes).toString('hex') : e.kind))));
    expect(opened.run.ok).toBe(log.some((e) => e.kind === 'handshake_complete'));
  });
});

/** The tls12 session's connection, moved to other ports, to build files with several connections. */
const session = openCapture(new Uint8Array(readFileSync(`${PCAP}/tls12-lo.pcap`)))
  .connections[0] as TcpConnection;
function conversationFrames(
  clientPort: number,
  serverPort: number,
  chunks: readonly StreamChunk[],
  start: number,
) {
  return synthesizeConversation({
    client: { address: '10.0.0.1', port: clientPort },
    server: { address: '10.0.0.2', port: serverPort },
    chunks: chunks.map((c) => ({ ...c, time: c.time - session.firstTime + start })),
  }).map((p) => ({ time: p.time, frame: ethernetFrame(p, p.fromClient) }));
}

describe('a file with several connections', () => {
  const plain = (from: 'client' | 'server', text: string, offset: number): StreamChunk => ({
    from,
    bytes: new TextEncoder().encode(text),
    offset,
    time: session.firstTime + 1,
  });
  const file = temp(
    writePcapng([
      ...conversationFrames(50001, 443, session.chunks, 1_700_000_000_000),
      ...conversationFrames(50002, 80, [plain('client', 'GET / HTTP/1.1\r\n\r\n', 0)], 1_700_000_001_000),
      ...conversationFrames(50003, 5432, session.chunks, 1_700_000_002_000),
    ]),
    'three.pcapng',
  );

  // First packet: our writer puts the SYN 0.3 ms before the first data, which the session sent 0.19 ms after
  // its own SYN, so 0.11 ms before `start`.
  it('without --stream: lists the TLS ones (index, addresses, ports, SNI, first packet, kind) and exits 1', async () => {
    const r = await cli('--pcap', file);
    expect(r.code).toBe(1);
    expect(r.out.split('\n')).toEqual([
      `${file} holds 2 TLS connections:`,
      '  1  10.0.0.1:50001 -> 10.0.0.2:443  SNI localhost  2023-11-14T22:13:19.999Z  TLS',
      '  2  10.0.0.1:50003 -> 10.0.0.2:5432  SNI localhost  2023-11-14T22:13:21.999Z  TLS',
      '',
    ]);
    expect(r.err).toBe(
      `tls-lab handshake: ${file} holds 2 TLS connections; pick one with --stream N (1 to 2, as listed)\n`,
    );
  });

  it('--stream 2 shows the second, decrypted with the key log', async () => {
    const r = await cli('--pcap', file, '--stream', '2', '--keylog', `${PCAP}/tls12.keys.log`);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('Connection 2 of 2 in');
    expect(r.out).toContain('10.0.0.1:50003 -> 10.0.0.2:5432, SNI localhost, TLS');
    expect(r.out.split('\n')[0]).toMatch(/; every record decrypted$/);
  });

  it.each([
    [['--stream', '3'], `--stream 3: ${'FILE'} holds 2 TLS connections, numbered 1 to 2`],
    [['--stream', '0'], '--stream must be a connection number as listed (1, 2, ...), got "0"'],
    [['--stream', 'two'], '--stream must be a connection number as listed (1, 2, ...), got "two"'],
  ])('%j: one sentence, exit 1', async (extra, message) => {
    const r = await cli('--pcap', file, ...extra);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.split('\n')[0]).toBe(`tls-lab handshake: ${message.replace('FILE', file)}`);
  });
});

describe('bad input: one sentence naming what and where, exit 1, never a stack trace', () => {
  const tls12 = readFileSync(`${PCAP}/tls12-lo.pcap`);
  it.each([
    [
      'a missing file',
      () => join(dir, 'missing.pcap'),
      /^cannot read capture file .*missing\.pcap: no such file$/,
    ],
    ['a directory', () => dir, /^cannot read capture file .*: it is a directory$/],
    [
      'garbage',
      () => temp('this is not a capture at all'),
      /^cannot open .*: not a pcap or pcapng file: unknown magic number \(offset 0\)$/,
    ],
    ['a truncated header', () => temp(tls12.subarray(0, 10)), /^cannot open .*: .*\(.*offset \d+\)$/],
    [
      'no TLS in it',
      () =>
        temp(
          writePcapng(
            conversationFrames(
              50002,
              80,
              [
                {
                  from: 'client',
                  bytes: new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n'),
                  offset: 0,
                  time: 0,
                },
              ],
              1_700_000_000_000,
            ),
          ),
        ),
      /^.* holds no TLS \(7 packets, 1 TCP connection\): no connection starts with a TLS record or PostgreSQL's SSLRequest\.$/,
    ],
    [
      // A review found a capture the CLI itself wrote of this (--pcap-out, ssl = off) called one with no SSLRequest.
      "PostgreSQL answering 'N' to the SSLRequest",
      () =>
        temp(
          writePcapng(
            conversationFrames(
              50003,
              5432,
              [
                { from: 'client', bytes: Uint8Array.of(0, 0, 0, 8, 4, 0xd2, 0x16, 0x2f), offset: 0, time: 0 },
                { from: 'server', bytes: new TextEncoder().encode('N'), offset: 0, time: 1 },
              ],
              1_700_000_000_000,
            ),
          ),
        ),
      /^.* holds no TLS \(\d+ packets, 1 TCP connection\): PostgreSQL answered 'N' to the SSLRequest of connection 1 \(10\.0\.0\.1:50003 → 10\.0\.0\.2:5432\): that server does not accept SSL \(PostgreSQL with ssl = off, or a pooler without TLS\), so the client went on unencrypted \(sslmode prefer or allow\) or gave up \(require and stricter\)\.$/,
    ],
  ])('%s', async (_name, path, message) => {
    const r = await cli('--pcap', path());
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    const [line, ...rest] = r.err.split('\n');
    expect(line).toMatch(/^tls-lab handshake: /);
    expect(line!.slice('tls-lab handshake: '.length)).toMatch(message);
    expect(rest.join('')).toBe('');
  });

  it('an unreadable --keylog file names the file and the line', async () => {
    const bad = temp('# comment\nCLIENT_RANDOM zz 00\n', 'bad.keys.log');
    const r = await cli('--pcap', `${PCAP}/tls12-lo.pcap`, '--keylog', bad);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`tls-lab handshake: --keylog ${bad}: key log line 2: client_random is not hex\n`);
  });

  it.each([
    [['--connect', '127.0.0.1:1'], '--pcap reads a capture file; --connect is for a live connection'],
    [['--starttls', 'postgres'], '--pcap reads a capture file; --starttls is for a live connection'],
    [['--pcap-out', 'x.pcapng'], '--pcap reads a capture file; --pcap-out is for a live connection'],
  ])('--pcap with %j is refused', async (extra, message) => {
    const r = await cli('--pcap', `${PCAP}/tls12-lo.pcap`, ...extra);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.split('\n')[0]).toBe(`tls-lab handshake: ${message}`);
  });

  it('--stream without --pcap is refused', async () => {
    const r = await cli('--connect', '127.0.0.1:1', '--stream', '1');
    expect(r.code).toBe(1);
    expect(r.err.split('\n')[0]).toBe('tls-lab handshake: --stream picks a connection of a --pcap file');
  });
});
