/**
 * The passive observer against OpenSSL on both ends: Node's `tls` client and server (OpenSSL 3) talk through a
 * recording pass-through, which keeps every chunk each side wrote, in order, as a capture would. The client's
 * `keylog` events are the key log. The observer must open every record, verify both Finished messages, and give
 * back exactly the application data each side sent. With TLS 1.3 it must decode the hellos, keep the rest opaque
 * and say that it needs the TLS 1.3 engine.
 */
import { randomBytes } from 'node:crypto';
import tls from 'node:tls';
import { beforeAll, describe, expect, it } from 'vitest';
import { CIPHER_SUITES } from '../../../src/lib/tls12/crypto/suites.ts';
import { observeConnection, type ObservedChunk } from '../../../src/lib/tls12/observe.ts';
import { memoryDuplexPair } from '../../kit/pure/memory-duplex.ts';
import { OPENSSL_SUITE } from '../../kit/pure/openssl-names.ts';
import { testPki, type TestPki } from '../../kit/pure/pki.ts';

let pki: TestPki;
beforeAll(async () => {
  pki = await testPki();
});

interface Recorded {
  chunks: ObservedChunk[];
  keyLog: string;
  /** What each side wrote as application data, concatenated. */
  sent: { client: string; server: string };
  /** The TLS session the client can resume (set once the server sent a ticket). */
  session?: Buffer;
  resumed: boolean;
}

/** One session ticket key for every server here, so a ticket from one connection resumes on the next. */
const TICKET_KEYS = randomBytes(48);

/** In `messages`: the client renegotiates here (RFC 5746) instead of sending. */
const RENEGOTIATE = '\u0000renegotiate';

/** A Node TLS client and server through a recording pass-through; the client sends each message, the server echoes. */
async function record(options: {
  ciphers?: string;
  maxVersion: tls.SecureVersion;
  ecdsa?: boolean;
  messages: string[];
  session?: Buffer;
}): Promise<Recorded> {
  const [clientEnd, towardsClient] = memoryDuplexPair();
  const [towardsServer, serverEnd] = memoryDuplexPair();
  const chunks: ObservedChunk[] = [];
  const offsets = { client: 0, server: 0 };
  const keep = (from: 'client' | 'server', data: Buffer) => {
    chunks.push({ from, bytes: new Uint8Array(data), offset: offsets[from], time: Date.now() });
    offsets[from] += data.length;
  };
  towardsClient.on('data', (d: Buffer) => {
    keep('client', d);
    towardsServer.write(d);
  });
  towardsServer.on('data', (d: Buffer) => {
    keep('server', d);
    towardsClient.write(d);
  });
  towardsClient.on('end', () => towardsServer.end());
  towardsServer.on('end', () => towardsClient.end());
  const leaf = options.ecdsa ? pki.ecdsa : pki.rsa;
  const server = tls.createServer({
    key: leaf.keyPem,
    cert: leaf.certPem,
    maxVersion: options.maxVersion,
    ticketKeys: TICKET_KEYS,
    ...(options.ciphers ? { ciphers: options.ciphers } : {}),
  });
  const sent = { client: '', server: '' };
  const recorded: { session?: Buffer } = {};
  server.on('secureConnection', (s) => {
    s.on('data', (d: Buffer) => {
      const reply = `echo:${d.toString()}`;
      sent.server += reply;
      s.write(reply);
    });
    s.on('end', () => s.end());
  });
  server.emit('connection', serverEnd);
  const keyLog: string[] = [];
  const client = tls.connect({
    socket: clientEnd,
    servername: 'localhost',
    rejectUnauthorized: false,
    maxVersion: options.maxVersion,
    ...(options.ciphers ? { ciphers: options.ciphers } : {}),
    ...(options.session ? { session: options.session } : {}),
  });
  client.on('session', (session: Buffer) => (recorded.session = session));
  client.on('keylog', (line: Buffer) => keyLog.push(line.toString()));
  await new Promise<void>((resolve, reject) => {
    client.once('secureConnect', resolve);
    client.once('error', reject);
  });
  const resumed = client.isSessionReused();
  let received = '';
  client.on('data', (d: Buffer) => (received += d.toString()));
  for (const m of options.messages) {
    if (m === RENEGOTIATE) {
      await new Promise<void>((resolve, reject) =>
        client.renegotiate({}, (e) => (e ? reject(e) : resolve())),
      );
      continue;
    }
    sent.client += m;
    const before = received.length;
    client.write(m);
    await new Promise<void>((resolve) => {
      const check = () => (received.length >= before + `echo:${m}`.length ? resolve() : setTimeout(check, 5));
      check();
    });
  }
  await new Promise<void>((resolve) => {
    client.once('close', () => resolve());
    client.end();
  });
  server.close();
  return {
    chunks,
    keyLog: keyLog.join(''),
    sent,
    ...(recorded.session ? { session: recorded.session } : {}),
    resumed,
  };
}

const text = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString();

describe('Node TLS 1.2 client and server, observed with the client’s key log', () => {
  // Every suite the engine implements.
  it.each(CIPHER_SUITES.map((s) => [OPENSSL_SUITE[s.code]!, s] as const))('%s', async (name, suite) => {
    const code = suite.code;
    const messages = ['SELECT 1;', 'x'.repeat(20_000), 'bye'];
    const run = await record({
      ciphers: name,
      maxVersion: 'TLSv1.2',
      ecdsa: suite.certificateKey === 'ec',
      messages,
    });
    const seen = await observeConnection(run.chunks, { keyLog: run.keyLog });
    expect(seen.decryption, seen.decryptionSummary).toMatchObject({
      status: 'decrypted',
      version: 'TLSv1.2',
      clientFinished: 'verified',
      serverFinished: 'verified',
    });
    expect(seen.notes).toEqual([]);
    // OpenSSL negotiates encrypt_then_mac (RFC 7366) for a CBC suite: the observer opened those records too.
    const serverHello = seen.eventLog.find((e) => e.kind === 'message' && e.name === 'server_hello');
    const etm =
      serverHello?.kind === 'message' &&
      serverHello.message.type === 'server_hello' &&
      (serverHello.message.extensions ?? []).some((x) => x.kind === 'unknown' && x.type === 22);
    expect(etm).toBe(suite.cipherType === 'block');
    const complete = seen.eventLog.find((e) => e.kind === 'handshake_complete');
    expect(complete?.kind === 'handshake_complete' && complete.summary.cipherSuite).toBe(code);
    const records = seen.eventLog.filter((e) => e.kind === 'record');
    expect(records.every((r) => r.kind === 'record' && r.error === undefined)).toBe(true);
    expect(
      records
        .filter((r) => r.kind === 'record' && r.encrypted)
        .every((r) => r.kind === 'record' && r.plaintext),
    ).toBe(true);
    const data = (from: 'client' | 'server') =>
      text(seen.eventLog.flatMap((e) => (e.kind === 'application_data' && e.from === from ? [e.data] : [])));
    expect(data('client')).toBe(run.sent.client);
    expect(data('server')).toBe(run.sent.server);
    // Both close_notify alerts, opened.
    expect(
      seen.eventLog.filter((e) => e.kind === 'alert').map((e) => e.kind === 'alert' && `${e.from} ${e.name}`),
    ).toEqual(expect.arrayContaining(['client close_notify']));
  });

  it('without the key log every encrypted record names the CLIENT_RANDOM line that would open it', async () => {
    const run = await record({ ciphers: OPENSSL_SUITE[0xc02f]!, maxVersion: 'TLSv1.2', messages: ['hi'] });
    const seen = await observeConnection(run.chunks);
    const random = /CLIENT_RANDOM ([0-9a-f]{64})/i.exec(run.keyLog)![1]!.toLowerCase();
    expect(seen.decryption).toMatchObject({ status: 'no-key-log' });
    const closed = seen.eventLog.filter((e) => e.kind === 'record' && e.encrypted);
    expect(closed.length).toBeGreaterThan(0);
    for (const r of closed) expect(r.kind === 'record' && r.error).toContain(`CLIENT_RANDOM ${random}`);
  });
});

describe('Node TLS 1.2: resumption and renegotiation', () => {
  it('an abbreviated handshake (session resumed) decrypts with the key log', async () => {
    const suite = OPENSSL_SUITE[0xc02f]!;
    // The servers share TICKET_KEYS, so the first connection's ticket resumes on the second.
    const first = await record({ ciphers: suite, maxVersion: 'TLSv1.2', messages: ['one'] });
    expect(first.session).toBeDefined();
    const second = await record({
      ciphers: suite,
      maxVersion: 'TLSv1.2',
      messages: ['two'],
      session: first.session!,
    });
    const seen = await observeConnection(second.chunks, { keyLog: second.keyLog });
    expect(seen.decryption, seen.decryptionSummary).toMatchObject({
      status: 'decrypted',
      version: 'TLSv1.2',
      clientFinished: 'verified',
      serverFinished: 'verified',
    });
    expect(second.resumed).toBe(true);
    // Abbreviated (RFC 5077 §3.1): no Certificate, no key exchange; the server's Finished comes first.
    expect(seen.eventLog.flatMap((e) => (e.kind === 'message' ? [`${e.from} ${e.name}`] : []))).toEqual([
      'client client_hello',
      'server server_hello',
      'server finished',
      'client finished',
    ]);
    const data = seen.eventLog.flatMap((e) =>
      e.kind === 'application_data' ? [Buffer.from(e.data).toString()] : [],
    );
    expect(data).toEqual(['two', 'echo:two']);
  });

  it('renegotiation: the first handshake decrypts; after the second the records stay closed, with a note', async () => {
    const run = await record({
      ciphers: OPENSSL_SUITE[0xc02f]!,
      maxVersion: 'TLSv1.2',
      messages: ['before', RENEGOTIATE, 'after'],
    });
    const seen = await observeConnection(run.chunks, { keyLog: run.keyLog });
    // Not 'decrypted': the records under the second handshake's keys stay closed. The report names the line for the
    // second ClientHello's random (read inside the first handshake's records), which Node's key log has.
    const hellos = seen.eventLog.flatMap((e) =>
      e.kind === 'message' && e.message.type === 'client_hello' ? [e.message.random] : [],
    );
    expect(hellos).toHaveLength(2);
    const second = Buffer.from(hellos[1]!).toString('hex');
    const line = run.keyLog.split('\n').findIndex((l) => l.includes(second)) + 1;
    expect(line).toBeGreaterThan(0);
    expect(seen.decryption, seen.decryptionSummary).toMatchObject({
      status: 'incomplete',
      version: 'TLSv1.2',
      clientFinished: 'verified',
      serverFinished: 'verified',
      renegotiation: { wantedLine: `CLIENT_RANDOM ${second} <48-byte master secret in hex>`, line },
    });
    expect(seen.notes).toEqual([
      expect.objectContaining({ from: 'server', text: expect.stringContaining('renegotiates') }),
    ]);
    const data = seen.eventLog.flatMap((e) =>
      e.kind === 'application_data' ? [Buffer.from(e.data).toString()] : [],
    );
    expect(data).toEqual(['before', 'echo:before']);
    const closed = seen.eventLog.filter((e) => e.kind === 'record' && e.error !== undefined);
    expect(closed.length).toBeGreaterThan(0);
    for (const r of closed) expect(r.kind === 'record' && r.error).toContain('renegotiated');
  });
});

describe('Node TLS 1.3, observed', () => {
  it("every record opened with Node's own key log (its 1.3 traffic secret lines), both Finished verified", async () => {
    const run = await record({ maxVersion: 'TLSv1.3', messages: ['hi'] });
    const seen = await observeConnection(run.chunks, { keyLog: run.keyLog });
    expect(seen.version).toBe(0x0304);
    expect(seen.decryption).toMatchObject({
      status: 'decrypted',
      version: 'TLSv1.3',
      missing: [],
      clientFinished: 'verified',
      serverFinished: 'verified',
    });
    const names = seen.eventLog.flatMap((e) => (e.kind === 'message' ? [e.name] : []));
    expect(names.slice(0, 2)).toEqual(['client_hello', 'server_hello']);
    expect(names).toEqual(
      expect.arrayContaining(['encrypted_extensions', 'certificate', 'certificate_verify', 'finished']),
    );
    const data = seen.eventLog.flatMap((e) =>
      e.kind === 'application_data' ? [Buffer.from(e.data).toString()] : [],
    );
    expect(data).toEqual(['hi', 'echo:hi']);
    expect(seen.eventLog.filter((e) => e.kind === 'record' && e.encrypted && !e.plaintext)).toEqual([]);
    expect(seen.notes).toEqual([]);
  });
});
