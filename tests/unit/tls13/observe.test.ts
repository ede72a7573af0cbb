/**
 * The passive observer on TLS 1.3 (src/lib/tls13/observe.ts through tls12/observe.ts) against real captures:
 * fixtures/pcap/tls13-* (openssl s_client -tls1_3 against s_server -rev, recorded by tcpdump and dumpcap, key log
 * from s_client -keylogfile or inside the pcapng) and The Illustrated TLS 1.3 capture with its keylog.txt. Every
 * record opened, both Finished verified, the application data read; a wrong secret, a missing label and a key log
 * for another connection each reported; mutations and truncations never throw.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openCapture, tlsConnections } from '../../../src/lib/pcap/index.ts';
import {
  observeConnection,
  type Observation,
  type ObservedChunk,
  type ObservedItem,
} from '../../../src/lib/tls12/observe.ts';
import type { EventLogEntry, RecordEntry } from '../../../src/lib/tls12/handshake/index.ts';
import { decodeInnerPlaintext } from '../../../src/lib/tls13/record-protection.ts';
import { ContentType } from '../../../src/lib/tls12/wire/code-points.ts';
import { toHex } from '../../../src/lib/bytes/index.ts';
import { checkBounded } from '../../kit/pure/property.ts';
import { chunkEdit, editChunks } from '../../kit/pure/mutate-chunks.ts';
import { cap13, ILLUSTRATED13_DIR, PROTECTED_RECORDS } from './illustrated-fixture.ts';

const PCAP = 'fixtures/pcap';
const KEYS = readFileSync(`${PCAP}/tls13.keys.log`, 'utf8');

function capture(path: string): { items: ObservedChunk[]; keyLog?: string } {
  const opened = openCapture(new Uint8Array(readFileSync(path)));
  const [c] = tlsConnections(opened);
  if (!c) throw new Error(`${path}: no TLS connection`);
  expect(c.gaps).toEqual([]);
  return { items: c.chunks, ...(opened.keyLog !== undefined ? { keyLog: opened.keyLog } : {}) };
}

const records = (log: EventLogEntry[]) => log.filter((e): e is RecordEntry => e.kind === 'record');
const text = (log: EventLogEntry[], from: 'client' | 'server') =>
  Buffer.concat(
    log.flatMap((e) => (e.kind === 'application_data' && e.from === from ? [Buffer.from(e.data)] : [])),
  ).toString('latin1');
const names = (log: EventLogEntry[], from: 'client' | 'server') =>
  log.flatMap((e) => (e.kind === 'message' && e.from === from ? [e.name] : []));

/** Every protected record opened, shows its inner content type, and carries what it held. */
function expectEveryRecordOpened(seen: Observation): void {
  const encrypted = records(seen.eventLog).filter((r) => r.encrypted);
  expect(encrypted.length).toBeGreaterThan(0);
  for (const r of encrypted) {
    const where = `${r.from} record ${r.seq}`;
    expect(r.error, where).toBeUndefined();
    expect(r.contentType, where).toBe(ContentType.values.application_data);
    expect(r.plaintext, where).toBeDefined();
    expect(r.innerContentType, where).toBeDefined();
    expect(r.paddingLength, where).toBe(0);
    expect(r.carries.length, where).toBeGreaterThan(0);
  }
}

function expectOpensSClientSession(seen: Observation): void {
  expect(seen.version).toBe(0x0304);
  expect(seen.decryption).toMatchObject({
    status: 'decrypted',
    version: 'TLSv1.3',
    missing: [],
    clientFinished: 'verified',
    serverFinished: 'verified',
  });
  expectEveryRecordOpened(seen);
  expect(seen.notes).toEqual([]);
  expect(names(seen.eventLog, 'server')).toEqual([
    'server_hello',
    'encrypted_extensions',
    'certificate',
    'certificate_verify',
    'finished',
    'new_session_ticket',
    'new_session_ticket',
  ]);
  expect(names(seen.eventLog, 'client')).toEqual(['client_hello', 'finished']);
  expect(text(seen.eventLog, 'client')).toBe('hello, capture\n');
  expect(text(seen.eventLog, 'server')).toBe('erutpac ,olleh\n');
  // The middlebox ChangeCipherSpec records of both sides, in the clear, counted as content.
  expect(seen.eventLog.filter((e) => e.kind === 'change_cipher_spec').map((e) => e.from)).toEqual([
    'server',
    'client',
  ]);
  expect(seen.eventLog.filter((e) => e.kind === 'alert').map((e) => e.kind === 'alert' && e.name)).toEqual([
    'close_notify',
    'close_notify',
  ]);
  const complete = seen.eventLog.find((e) => e.kind === 'handshake_complete');
  expect(complete?.kind === 'handshake_complete' && complete.summary).toMatchObject({
    version: 0x0304,
    cipherSuiteName: 'TLS_AES_256_GCM_SHA384',
    groupName: 'x25519',
    serverName: 'localhost',
  });
  // Every content id a record carries is an entry of the log, and every entry is carried once.
  const ids = seen.eventLog.flatMap((e) => ('id' in e ? [e.id] : []));
  expect(records(seen.eventLog).flatMap((r) => r.carries)).toEqual(ids.filter((id) => ids.includes(id)));
  expect(new Set(ids).size).toBe(ids.length);
}

describe('openssl s_client -tls1_3 against s_server, captured by tcpdump, with -keylogfile', () => {
  it('tls13-lo.pcap + tls13.keys.log: every record opened, both Finished verified, the data both ways', async () => {
    const { items } = capture(`${PCAP}/tls13-lo.pcap`);
    expectOpensSClientSession(await observeConnection(items, { keyLog: KEYS }));
  });

  it('tls13-dsb.pcapng alone (the key log in its Decryption Secrets Block): the same', async () => {
    const { items, keyLog } = capture(`${PCAP}/tls13-dsb.pcapng`);
    expect(keyLog).toBeDefined();
    expectOpensSClientSession(await observeConnection(items, { keyLog: keyLog! }));
  });

  it.each(['tls13-lo-ns.pcap', 'tls13-lo.pcapng', 'tls13-any-sll.pcap', 'tls13-any-sll2.pcap'])(
    '%s: the same',
    async (file) => {
      const { items } = capture(`${PCAP}/${file}`);
      expectOpensSClientSession(await observeConnection(items, { keyLog: KEYS }));
    },
  );

  it('the secrets it used are the key log lines, and the Finished keys derive from the handshake ones', async () => {
    const { items } = capture(`${PCAP}/tls13-lo.pcap`);
    const seen = await observeConnection(items, { keyLog: KEYS });
    const secrets = new Map(seen.eventLog.flatMap((e) => (e.kind === 'secret' ? [[e.name, e]] : [])));
    for (const [name, label] of [
      ['client_handshake_traffic_secret', 'CLIENT_HANDSHAKE_TRAFFIC_SECRET'],
      ['server_handshake_traffic_secret', 'SERVER_HANDSHAKE_TRAFFIC_SECRET'],
      ['client_application_traffic_secret_0', 'CLIENT_TRAFFIC_SECRET_0'],
      ['server_application_traffic_secret_0', 'SERVER_TRAFFIC_SECRET_0'],
    ] as const) {
      const line = KEYS.split('\n').find((l) => l.startsWith(`${label} `))!;
      expect(toHex(secrets.get(name)!.value)).toBe(line.split(' ')[2]);
      expect(secrets.get(`${name}.key`)?.value.length).toBe(32);
      expect(secrets.get(`${name}.iv`)?.value.length).toBe(12);
    }
    const finishedKey = secrets.get('server_handshake_traffic_secret.finished_key');
    expect(finishedKey && 'openssl' in finishedKey ? finishedKey.openssl : undefined).toMatch(
      /^openssl kdf -keylen 48 -kdfopt digest:SHA384 -kdfopt mode:EXPAND_ONLY /,
    );
  });
});

describe('a HelloRetryRequest and KeyUpdate both ways (fixtures/pcap/tls13-hrr-keyupdate-lo.pcap, openssl s_client/s_server)', () => {
  const keyLog = readFileSync(`${PCAP}/tls13-hrr-keyupdate.keys.log`, 'utf8');
  const logged = (label: string) =>
    keyLog
      .split('\n')
      .find((l) => l.startsWith(`${label} `))!
      .split(' ')[2];

  it('every record opens; the Finished checks hold over the message_hash transcript; the data both ways', async () => {
    const seen = await observeConnection(capture(`${PCAP}/tls13-hrr-keyupdate-lo.pcap`).items, { keyLog });
    expect(seen.decryption).toMatchObject({
      status: 'decrypted',
      version: 'TLSv1.3',
      clientFinished: 'verified',
      serverFinished: 'verified',
    });
    expectEveryRecordOpened(seen);
    expect(seen.notes).toEqual([]);
    expect(names(seen.eventLog, 'client')).toEqual([
      'client_hello',
      'client_hello',
      'finished',
      'key_update',
    ]);
    // The HelloRetryRequest is named for what it is, as the engine names its own (it was 'server_hello').
    expect(names(seen.eventLog, 'server')).toEqual([
      'hello_retry_request',
      'server_hello',
      'encrypted_extensions',
      'certificate',
      'certificate_verify',
      'finished',
      'new_session_ticket',
      'new_session_ticket',
      'key_update',
    ]);
    const hrr = seen.eventLog.find((e) => e.kind === 'message' && e.name === 'hello_retry_request');
    expect(hrr?.kind === 'message' && hrr.message.type === 'server_hello' && toHex(hrr.message.random)).toBe(
      'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c',
    );
    const update = seen.eventLog.find(
      (e) => e.kind === 'message' && e.name === 'key_update' && e.from === 'client',
    );
    expect(update?.kind === 'message' && update.message13).toEqual({
      type: 'key_update',
      message: { requestUpdate: 1 },
    });
    expect(text(seen.eventLog, 'client')).toBe('hello, capture\nafter update\n');
    expect(text(seen.eventLog, 'server')).toBe('erutpac ,olleh\netadpu retfa\n');
  });

  it('the updated secrets it derives are the ones OpenSSL logged as CLIENT/SERVER_TRAFFIC_SECRET_N', async () => {
    const seen = await observeConnection(capture(`${PCAP}/tls13-hrr-keyupdate-lo.pcap`).items, { keyLog });
    const secret = (name: string) =>
      seen.eventLog.flatMap((e) => (e.kind === 'secret' && e.name === name ? [toHex(e.value)] : []))[0];
    expect(secret('client_application_traffic_secret_1')).toBe(logged('CLIENT_TRAFFIC_SECRET_N'));
    expect(secret('server_application_traffic_secret_1')).toBe(logged('SERVER_TRAFFIC_SECRET_N'));
  });
});

describe("each Finished's transcript named by its last message (RFC 8446 §4.4.4), on real captures", () => {
  /** The transcript input of every verify_data the observer checked, by the secret's name, in order. */
  async function transcripts(file: string, keyLogFile: string, connection = 0): Promise<string[][]> {
    const c = tlsConnections(openCapture(new Uint8Array(readFileSync(`${PCAP}/${file}`))))[connection];
    if (!c) throw new Error(`${file}: no connection ${connection}`);
    const seen = await observeConnection([...c.chunks, ...c.gaps], {
      keyLog: readFileSync(`${PCAP}/${keyLogFile}`, 'utf8'),
    });
    expect(seen.decryption).toMatchObject({ clientFinished: 'verified', serverFinished: 'verified' });
    return seen.eventLog.flatMap((e) =>
      e.kind === 'secret' && e.name.endsWith('.verify_data')
        ? [[e.name, Object.keys(e.inputs).find((k) => k.startsWith('Transcript-Hash')) ?? '']]
        : [],
    );
  }

  it('a resumption with 0-RTT accepted: no certificate, EndOfEarlyData ends the client flight', async () => {
    // openssl s_client -sess_in -early_data, accepted: connection 2 of tls13-early-lo.pcap.
    expect(await transcripts('tls13-early-lo.pcap', 'tls13-early.keys.log', 1)).toEqual([
      ['server_finished.verify_data', 'Transcript-Hash(ClientHello...server EncryptedExtensions)'],
      ['client_finished.verify_data', 'Transcript-Hash(ClientHello...client EndOfEarlyData)'],
    ]);
  });

  it('post-handshake authentication: the handshake, then CertificateRequest to the client CertificateVerify', async () => {
    expect(await transcripts('tls13-pha-lo.pcap', 'tls13-pha.keys.log')).toEqual([
      ['server_finished.verify_data', 'Transcript-Hash(ClientHello...server CertificateVerify)'],
      ['client_finished.verify_data', 'Transcript-Hash(ClientHello...server Finished)'],
      [
        'post_handshake_client_finished.verify_data',
        'Transcript-Hash(ClientHello...client Finished, CertificateRequest...client CertificateVerify)',
      ],
    ]);
  });

  it('after a HelloRetryRequest, and with a client certificate', async () => {
    expect(await transcripts('tls13-hrr-keyupdate-lo.pcap', 'tls13-hrr-keyupdate.keys.log')).toEqual([
      ['server_finished.verify_data', 'Transcript-Hash(ClientHello...server CertificateVerify)'],
      ['client_finished.verify_data', 'Transcript-Hash(ClientHello...server Finished)'],
    ]);
    expect(
      await transcripts('libpq18-client-cert-rejected-lo.pcap', 'libpq18-client-cert-rejected.keys.log'),
    ).toEqual([
      ['server_finished.verify_data', 'Transcript-Hash(ClientHello...server CertificateVerify)'],
      ['client_finished.verify_data', 'Transcript-Hash(ClientHello...client CertificateVerify)'],
    ]);
  });
});

describe('The Illustrated TLS 1.3 Connection (capture.pcap + keylog.txt)', () => {
  it('every record opens and each decrypted message is the caps/ plaintext', async () => {
    const { items } = capture(`${ILLUSTRATED13_DIR}/capture.pcap`);
    const keyLog = readFileSync(`${ILLUSTRATED13_DIR}/keylog.txt`, 'utf8');
    const seen = await observeConnection(items, { keyLog });
    expect(seen.decryption).toMatchObject({
      status: 'decrypted',
      version: 'TLSv1.3',
      clientFinished: 'verified',
      serverFinished: 'verified',
    });
    expectEveryRecordOpened(seen);
    const messages = seen.eventLog.flatMap((e) => (e.kind === 'message' ? [toHex(e.bytes)] : []));
    const plaintexts = Object.values(PROTECTED_RECORDS).flatMap((list) => list.map(([, plain]) => plain));
    for (const name of plaintexts.filter((n) => !n.endsWith('data')))
      expect(messages, name).toContain(toHex(decodeInnerPlaintext(cap13(name)).message.content));
    // Each protected record's opened TLSInnerPlaintext is the caps/ file of the same record.
    const opened = records(seen.eventLog)
      .filter((r) => r.encrypted)
      .map((r) => toHex(new Uint8Array([...r.plaintext!, r.innerContentType!])));
    for (const name of plaintexts) expect(opened, name).toContain(toHex(cap13(name)));
    expect(text(seen.eventLog, 'client')).toBe('ping');
    expect(text(seen.eventLog, 'server')).toBe('pong');
  });
});

describe('a key log that does not open the connection says what matched and what did not', () => {
  const lo = () => capture(`${PCAP}/tls13-lo.pcap`).items;
  const replace = (label: string, edit: (line: string) => string | undefined) =>
    KEYS.split('\n')
      .flatMap((l) => (l.startsWith(`${label} `) ? [edit(l)] : [l]))
      .filter((l): l is string => l !== undefined)
      .join('\n');

  it('a wrong SERVER_HANDSHAKE_TRAFFIC_SECRET: reported with the first record it does not open', async () => {
    const keyLog = replace('SERVER_HANDSHAKE_TRAFFIC_SECRET', (l) =>
      l.replace(/[0-9a-f]$/, (c) => (c === '0' ? '1' : '0')),
    );
    const seen = await observeConnection(lo(), { keyLog });
    expect(seen.decryption).toMatchObject({
      status: 'wrong-secret',
      version: 'TLSv1.3',
      firstFailure: { from: 'server', seq: '0', label: 'SERVER_HANDSHAKE_TRAFFIC_SECRET' },
      serverFinished: 'not opened',
      // The client's Finished opens, but it covers server messages no one could read.
      clientFinished: 'transcript incomplete',
    });
    expect(seen.decryptionSummary).toMatch(
      /its SERVER_HANDSHAKE_TRAFFIC_SECRET is wrong: it does not open the server's record 0/,
    );
    const failed = records(seen.eventLog).find((r) => r.error !== undefined)!;
    expect(failed).toMatchObject({ from: 'server', encrypted: true });
    expect(failed.error).toMatch(/^not opened with SERVER_HANDSHAKE_TRAFFIC_SECRET: /);
    // The client's records open with their own secrets.
    expect(text(seen.eventLog, 'client')).toBe('hello, capture\n');
  });

  it('a missing CLIENT_TRAFFIC_SECRET_0: the client data stays closed, with the line that would open it', async () => {
    const keyLog = replace('CLIENT_TRAFFIC_SECRET_0', () => undefined);
    const seen = await observeConnection(lo(), { keyLog });
    const random = toHex(seen.clientRandom!);
    expect(seen.decryption).toMatchObject({
      status: 'incomplete',
      version: 'TLSv1.3',
      missing: ['CLIENT_TRAFFIC_SECRET_0'],
      wantedLines: [`CLIENT_TRAFFIC_SECRET_0 ${random} <secret in hex>`],
      clientFinished: 'verified',
      serverFinished: 'verified',
    });
    const closed = records(seen.eventLog).filter((r) => r.error !== undefined);
    expect(closed.map((r) => r.from)).toEqual(['client', 'client']);
    expect(closed[0]!.error).toContain(`CLIENT_TRAFFIC_SECRET_0 ${random} <secret in hex>`);
    expect(text(seen.eventLog, 'server')).toBe('erutpac ,olleh\n');
  });

  it('an altered ServerHello (a session id byte): records open, both Finished checks fail, said plainly', async () => {
    const items = lo().map((c) => ({ ...c, bytes: c.bytes.slice() }));
    const server = items.find((c) => c.from === 'server' && c.offset === 0)!;
    // Record header 5, handshake header 4, legacy_version 2, random 32, session id length 1: the echo's first byte.
    expect(server.bytes[43]).toBe(32);
    server.bytes[44]! ^= 0x01;
    const seen = await observeConnection(items, { keyLog: KEYS });
    expect(seen.decryption).toMatchObject({
      status: 'finished-mismatch',
      version: 'TLSv1.3',
      clientFinished: 'mismatch',
      serverFinished: 'mismatch',
    });
    expectEveryRecordOpened(seen);
    expect(seen.eventLog.some((e) => e.kind === 'handshake_complete')).toBe(false);
    expect(seen.decryptionSummary).toMatch(/so the secrets are right, but the Finished check failed/);
  });

  it('a ServerHello suite the observer cannot open (TLS_AES_128_CCM_SHA256): incomplete, not decrypted', async () => {
    const items = lo().map((c) => ({ ...c, bytes: c.bytes.slice() }));
    const server = items.find((c) => c.from === 'server' && c.offset === 0)!;
    // Record header 5, handshake header 4, legacy_version 2, random 32, session id (1 + 32): the cipher suite.
    expect(server.bytes[43]).toBe(32);
    server.bytes[76] = 0x13;
    server.bytes[77] = 0x04;
    const seen = await observeConnection(items, { keyLog: KEYS });
    const closed = records(seen.eventLog).filter((r) => r.encrypted && r.error !== undefined);
    expect(closed.length).toBeGreaterThan(0);
    expect(seen.decryption).toMatchObject({ status: 'incomplete', version: 'TLSv1.3', missing: [] });
    expect(seen.decryptionSummary).toMatch(/some protected records stay closed \(the first: /);
  });

  it('a key log for another connection: no line for this client random, which labels it has', async () => {
    const keyLog = readFileSync(`${ILLUSTRATED13_DIR}/keylog.txt`, 'utf8');
    const seen = await observeConnection(lo(), { keyLog });
    expect(seen.decryption).toMatchObject({ status: 'no-matching-line', version: 'TLSv1.3', found: [] });
    expect(seen.decryptionSummary).toMatch(
      /its TLS 1\.3 lines \(SERVER_HANDSHAKE_TRAFFIC_SECRET, .*\) are for other client randoms/,
    );
  });

  it('a capture that starts after the ClientHello: no client random to match, said with the labels it has', async () => {
    const firstClient = lo().findIndex((c) => c.from === 'client');
    const items = lo().filter((_, i) => i !== firstClient);
    const seen = await observeConnection(items, { keyLog: KEYS });
    expect(seen.version).toBe(0x0304);
    expect(seen.clientRandom).toBeUndefined();
    expect(seen.decryption).toEqual({
      status: 'no-client-hello',
      version: 'TLSv1.3',
      tls13Labels: expect.arrayContaining(['SERVER_HANDSHAKE_TRAFFIC_SECRET']) as unknown,
    });
    expect(seen.decryptionSummary).toMatch(
      /^This is a TLS 1\.3 connection whose ClientHello is not in the capture: .*\(The key log holds TLS 1\.3 secrets: /,
    );
  });

  it('no key log: the four lines (labels + this client random) that would open it', async () => {
    const seen = await observeConnection(lo());
    const random = toHex(seen.clientRandom!);
    expect(seen.decryption).toMatchObject({
      status: 'no-key-log',
      version: 'TLSv1.3',
      wantedLines: [
        `SERVER_HANDSHAKE_TRAFFIC_SECRET ${random} <secret in hex>`,
        `CLIENT_HANDSHAKE_TRAFFIC_SECRET ${random} <secret in hex>`,
        `SERVER_TRAFFIC_SECRET_0 ${random} <secret in hex>`,
        `CLIENT_TRAFFIC_SECRET_0 ${random} <secret in hex>`,
      ],
    });
    expect(
      records(seen.eventLog)
        .filter((r) => r.encrypted)
        .every((r) => r.error !== undefined),
    ).toBe(true);
  });
});

describe('psql (libpq 15) sslmode=require without a key log (fixtures/pcap/psql-require-lo.pcap)', () => {
  it("SSLRequest and 'S' in the clear, the hellos, then closed records naming the four lines", async () => {
    const seen = await observeConnection(capture(`${PCAP}/psql-require-lo.pcap`).items);
    const random = toHex(seen.clientRandom!);
    expect(seen.decryption).toMatchObject({ status: 'no-key-log', version: 'TLSv1.3' });
    expect(seen.decryption.status === 'no-key-log' && seen.decryption.wantedLines).toEqual(
      [
        'SERVER_HANDSHAKE_TRAFFIC_SECRET',
        'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
        'SERVER_TRAFFIC_SECRET_0',
        'CLIENT_TRAFFIC_SECRET_0',
      ].map((label) => `${label} ${random} <secret in hex>`),
    );
    expect(seen.eventLog.flatMap((e) => (e.kind === 'postgres' ? [e.label] : []))).toEqual([
      'SSLRequest',
      "SSL response 'S'",
    ]);
    const closed = records(seen.eventLog).filter((r) => r.encrypted);
    expect(closed.length).toBeGreaterThan(5);
    expect(closed[0]!.error).toContain(`SERVER_HANDSHAKE_TRAFFIC_SECRET ${random} <secret in hex>`);
    expect(closed.every((r) => r.error !== undefined && r.plaintext === undefined)).toBe(true);
  });
});

describe('a hole in a stream before its Finished', () => {
  it("the server's flight cut: the client's Finished is 'transcript incomplete', not a mismatch blamed on the key log", async () => {
    const { items } = capture(`${PCAP}/tls13-lo.pcap`);
    // The server's first chunk holds its ServerHello (127 bytes), ChangeCipherSpec (6) and its encrypted flight
    // (EncryptedExtensions ... Finished): keep 160 bytes and report the rest as missing, as when a segment is lost.
    const flight = items.filter((c) => c.from === 'server')[0]!;
    expect(flight.bytes.length).toBeGreaterThan(200);
    const cut: ObservedItem[] = items.flatMap((c) =>
      c === flight
        ? [
            { ...c, bytes: c.bytes.subarray(0, 160) },
            { from: 'server' as const, offset: c.offset + 160, length: c.bytes.length - 160 },
          ]
        : [c],
    );
    const seen = await observeConnection(cut, { keyLog: KEYS });
    expect(seen.notes.some((n) => n.hole && n.from === 'server')).toBe(true);
    expect(seen.decryption).toMatchObject({ clientFinished: 'transcript incomplete' });
    expect(seen.decryption.status).not.toBe('finished-mismatch');
  });
});

describe('hostile input', () => {
  it('mutated, truncated and re-split TLS 1.3 captures end in a report, never an exception', async () => {
    const source = capture(`${PCAP}/tls13-lo.pcap`).items;
    const runs = await checkBounded(
      'tls13 observe mutations',
      fc.asyncProperty(chunkEdit(4, 400), fc.boolean(), async (edit, keyLog) => {
        const items = editChunks(source, edit);
        const seen = await observeConnection(items, keyLog ? { keyLog: KEYS } : {});
        expect(typeof seen.decryptionSummary).toBe('string');
      }),
      { numRuns: 200, timeLimitMs: 20_000 },
    );
    expect(runs).toBeGreaterThan(20);
  });
});
