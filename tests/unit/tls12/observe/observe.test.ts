/**
 * The passive observer (src/lib/tls12/observe.ts) against real connections:
 * - fixtures/captures/*.json (our CLI against `openssl s_server` and PostgreSQL 15; see its README): the records'
 *   bytes in log order are the capture, the log's own master_secret entry is the key log, and the observed log must
 *   hold the same records, messages, ids, carries, plaintexts, secrets and PostgreSQL messages as the live one;
 * - The Illustrated TLS 1.2 Connection (fixtures/tls12-vectors/illustrated-tls12/: caps/ + keylog.txt) decrypts
 *   every record, AES-128-CBC-SHA;
 * - no key log, a key log for another connection, a wrong master secret: the report says what matched and what
 *   did not;
 * - gaps and truncations end decoding with a note; fast-check mutations never throw.
 */
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { concatBytes as concat, fromHex, toHex } from '../../../../src/lib/bytes/index.ts';
import {
  eventLogFromJson,
  eventLogToJson,
  type EventLog,
  type EventLogEntry,
  type MessageEntry,
} from '../../../../src/lib/tls12/handshake/index.ts';
import {
  observeConnection,
  type Observation,
  type ObservedChunk,
  type ObservedItem,
} from '../../../../src/lib/tls12/observe.ts';
import { describeCaptureError, parseCapture } from '../../../../src/app/model/handshake/capture.ts';
import {
  cipherSuite,
  computeKeyBlock,
  createCryptoProvider,
  directionKeys,
  openRecord,
  sealRecord,
} from '../../../../src/lib/tls12/crypto/index.ts';
import { cap, keylogText } from '../crypto/illustrated-fixture.ts';
import { checkBounded } from '../../../kit/pure/property.ts';
import { chunkEdit, editChunks } from '../../../kit/pure/mutate-chunks.ts';

const CAPTURES = fileURLToPath(new URL('../../../../fixtures/captures/', import.meta.url));
const FILES = readdirSync(CAPTURES).filter((f) => f.endsWith('.json'));
const LOGS: Record<string, EventLog> = Object.fromEntries(
  FILES.map((f) => [f, eventLogFromJson(readFileSync(CAPTURES + f, 'utf8'))]),
);

/** What a capture of the live run saw: PostgreSQL's clear bytes and every record, in log order, each stream counted. */
function chunksOf(log: EventLog): ObservedChunk[] {
  const offsets = { client: 0, server: 0 };
  const out: ObservedChunk[] = [];
  for (const e of log) {
    if (e.kind !== 'record' && !(e.kind === 'postgres' && !e.inTunnel)) continue;
    out.push({ from: e.from, bytes: e.bytes, offset: offsets[e.from], time: 1_700_000_000_000 + out.length });
    offsets[e.from] += e.bytes.length;
  }
  return out;
}

function keyLogOf(log: EventLog): string {
  const hello = log.find((e): e is MessageEntry => e.kind === 'message' && e.message.type === 'client_hello');
  const master = log.find((e) => e.kind === 'secret' && e.name === 'master_secret');
  if (!hello || hello.message.type !== 'client_hello' || master?.kind !== 'secret') return '';
  return `# from the capture's own secrets\nCLIENT_RANDOM ${toHex(hello.message.random)} ${toHex(master.value)}\n`;
}

/** The parts of an entry both logs must agree on (the live sender's alert reason is its own knowledge). */
function essence(e: EventLogEntry): unknown {
  switch (e.kind) {
    case 'record':
      return {
        from: e.from,
        seq: e.seq,
        bytes: toHex(e.bytes),
        carries: e.carries,
        encrypted: e.encrypted,
        plaintext: e.plaintext && toHex(e.plaintext),
        nonce: e.nonce && toHex(e.nonce),
        aad: e.aad && toHex(e.aad),
      };
    case 'message':
      return {
        id: e.id,
        from: e.from,
        name: e.name,
        bytes: toHex(e.bytes),
        spans: e.spans,
        encrypted: e.encrypted,
      };
    case 'change_cipher_spec':
      return { id: e.id, from: e.from };
    case 'alert':
      return { id: e.id, from: e.from, level: e.level, description: e.description, name: e.name };
    case 'application_data':
      return { id: e.id, from: e.from, data: toHex(e.data) };
    case 'postgres':
      return {
        from: e.from,
        label: e.label,
        bytes: toHex(e.bytes),
        inTunnel: e.inTunnel,
        carriedIn: e.carriedIn,
      };
    case 'secret':
      return { name: e.name, value: toHex(e.value) };
    default:
      return e.kind;
  }
}

const byKind = (log: EventLog, kind: EventLogEntry['kind']) =>
  log.filter((e) => e.kind === kind).map(essence);
const byId = (log: EventLog, kind: EventLogEntry['kind']) =>
  log
    .filter((e) => e.kind === kind)
    .map(essence)
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('observing the real CLI captures gives the live run’s event log', () => {
  it.each(FILES)('%s', async (file) => {
    const live = LOGS[file]!;
    const seen = await observeConnection(chunksOf(live), { keyLog: keyLogOf(live) });
    const observed = seen.eventLog;
    expect(byKind(observed, 'record')).toEqual(byKind(live, 'record'));
    for (const kind of ['message', 'change_cipher_spec', 'alert', 'application_data'] as const)
      expect(byId(observed, kind), kind).toEqual(byId(live, kind));
    expect(byKind(observed, 'postgres')).toEqual(byKind(live, 'postgres'));
    // Every secret the observer derives from the logged master secret is the live run's value.
    const liveSecrets = new Map(
      live.flatMap((e) => (e.kind === 'secret' && e.from === 'client' ? [[e.name, toHex(e.value)]] : [])),
    );
    for (const e of observed)
      if (e.kind === 'secret') expect(toHex(e.value), e.name).toBe(liveSecrets.get(e.name));
    expect(seen.notes).toEqual([]);
    const encrypted = live.some((e) => e.kind === 'record' && e.encrypted);
    if (encrypted) {
      expect(seen.decryption).toMatchObject({
        status: 'decrypted',
        version: 'TLSv1.2',
        clientFinished: 'verified',
        serverFinished: 'verified',
      });
      expect(observed.filter((e) => e.kind === 'secret').map((e) => (e as { name: string }).name)).toEqual(
        expect.arrayContaining(['master_secret', 'key_block', 'client_verify_data', 'server_verify_data']),
      );
      const summary = (x: EventLog) => x.find((e) => e.kind === 'handshake_complete');
      expect(summary(observed)).toEqual(summary(live));
    } else expect(seen.decryption.status).toBe('nothing-encrypted');
  });
});

const ILLUSTRATED = [
  ['client', 'clienthello'],
  ['server', 'serverhello'],
  ['server', 'servercert'],
  ['server', 'serverkeyexchange'],
  ['server', 'serverhellodone'],
  ['client', 'clientkeyexchange'],
  ['client', 'clientccs'],
  ['client', 'clientfinished'],
  ['server', 'serverccs'],
  ['server', 'serverfinished'],
  ['client', 'clientdata'],
  ['server', 'serverdata'],
  ['client', 'clientalert'],
] as const;

function illustrated(): ObservedChunk[] {
  const offsets = { client: 0, server: 0 };
  return ILLUSTRATED.map(([from, name], i) => {
    const bytes = cap(name);
    const chunk = { from, bytes, offset: offsets[from], time: i };
    offsets[from] += bytes.length;
    return chunk;
  });
}

const provider = createCryptoProvider();
const ascii = (b: Uint8Array) => new TextDecoder().decode(b);

describe('The Illustrated TLS 1.2 Connection with its key log', () => {
  it('opens every record and verifies both Finished messages', async () => {
    const seen = await observeConnection(illustrated(), { keyLog: keylogText() });
    expect(seen.decryption).toEqual({
      status: 'decrypted',
      version: 'TLSv1.2',
      line: 1,
      clientFinished: 'verified',
      serverFinished: 'verified',
    });
    const records = seen.eventLog.filter((e) => e.kind === 'record');
    expect(records).toHaveLength(ILLUSTRATED.length);
    const encrypted = records.filter((e) => e.kind === 'record' && e.encrypted);
    expect(encrypted).toHaveLength(5);
    for (const r of encrypted)
      expect(r.kind === 'record' && r.plaintext !== undefined && !r.error).toBe(true);
    const data = seen.eventLog.flatMap((e) =>
      e.kind === 'application_data' ? [`${e.from}:${ascii(e.data)}`] : [],
    );
    expect(data).toEqual(['client:ping', 'server:pong']);
    const alert = seen.eventLog.find((e) => e.kind === 'alert');
    expect(alert).toMatchObject({ from: 'client', name: 'close_notify', id: 'client:5' });
    expect(seen.eventLog.some((e) => e.kind === 'handshake_complete')).toBe(true);
  });

  it('a ServerHello that chose TLS 1.1: the records stay closed and the report names the version, not a wrong secret', async () => {
    const chunks = illustrated().map((c) => {
      // The server's first record starts with ServerHello (handshake type 2): server_version 03 03 -> 03 02.
      if (c.from !== 'server' || c.bytes[5] !== 2) return c;
      const bytes = c.bytes.slice();
      expect([bytes[9], bytes[10]]).toEqual([3, 3]);
      bytes[10] = 2;
      return { ...c, bytes };
    });
    const seen = await observeConnection(chunks, { keyLog: keylogText() });
    expect(seen.decryption).toEqual({ status: 'unsupported-version', negotiated: 'TLSv1.1' });
    expect(seen.decryptionSummary).toContain('negotiated TLSv1.1, older than TLS 1.2');
    const encrypted = seen.eventLog.filter((e) => e.kind === 'record' && e.encrypted);
    expect(encrypted.length).toBeGreaterThan(0);
    for (const r of encrypted) expect(r.kind === 'record' && r.plaintext).toBeFalsy();
  });

  it('without a key log: everything in the clear, and each encrypted record names the line that would open it', async () => {
    const seen = await observeConnection(illustrated());
    const wanted = 'CLIENT_RANDOM 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
    expect(seen.decryption).toEqual({
      status: 'no-key-log',
      version: 'TLSv1.2',
      wantedLine: `${wanted} <48-byte master secret in hex>`,
    });
    expect(seen.decryptionSummary).toContain(wanted);
    const messages = seen.eventLog.flatMap((e) => (e.kind === 'message' ? [e.name] : []));
    expect(messages).toEqual([
      'client_hello',
      'server_hello',
      'certificate',
      'server_key_exchange',
      'server_hello_done',
      'client_key_exchange',
    ]);
    const closed = seen.eventLog.filter((e) => e.kind === 'record' && e.encrypted);
    expect(closed).toHaveLength(5);
    for (const r of closed) {
      expect(r.kind === 'record' && r.plaintext).toBeFalsy();
      expect(r.kind === 'record' && r.error).toContain(wanted);
    }
    expect(seen.eventLog.filter((e) => e.kind === 'change_cipher_spec')).toHaveLength(2);
  });

  it('a key log for another connection: no line with this client random, and how many lines it had', async () => {
    const other = `CLIENT_RANDOM ${'ab'.repeat(32)} ${'cd'.repeat(48)}\nCLIENT_RANDOM ${'12'.repeat(32)} ${'34'.repeat(48)}\n`;
    const seen = await observeConnection(illustrated(), { keyLog: other });
    expect(seen.decryption).toMatchObject({
      status: 'no-matching-line',
      version: 'TLSv1.2',
      clientRandomLines: 2,
      tls13Labels: [],
    });
    expect(seen.decryptionSummary).toContain('none of its 2 CLIENT_RANDOM lines carries');
  });

  it('a key log with only TLS 1.3 secrets says so', async () => {
    const tls13 = `CLIENT_HANDSHAKE_TRAFFIC_SECRET ${'00'.repeat(32)} ${'11'.repeat(32)}\nCLIENT_TRAFFIC_SECRET_0 ${'00'.repeat(32)} ${'22'.repeat(32)}\n`;
    const seen = await observeConnection(illustrated(), { keyLog: tls13 });
    expect(seen.decryption).toMatchObject({
      status: 'no-matching-line',
      version: 'TLSv1.2',
      clientRandomLines: 0,
      tls13Labels: ['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0'],
    });
    expect(seen.decryptionSummary).toContain('only TLS 1.3 secrets');
  });

  it('the right client random with a wrong secret: the first record that fails, and the Finished checks', async () => {
    const line = keylogText().trim();
    const wrong = line.slice(0, -2) + (line.endsWith('4c') ? '4d' : '4c');
    const seen = await observeConnection(illustrated(), { keyLog: wrong });
    expect(seen.decryption).toEqual({
      status: 'wrong-secret',
      version: 'TLSv1.2',
      line: 1,
      firstFailure: {
        from: 'client',
        seq: '0',
        offset: cap('clienthello').length + cap('clientkeyexchange').length + cap('clientccs').length,
      },
      clientFinished: 'not opened',
      serverFinished: 'not opened',
    });
    expect(seen.decryptionSummary).toContain("the client's record 0");
    const failed = seen.eventLog.filter((e) => e.kind === 'record' && e.error !== undefined);
    expect(failed).toHaveLength(5);
    expect(seen.eventLog.some((e) => e.kind === 'application_data')).toBe(false);
  });

  it('records that open but a Finished that does not match the transcript: the Finished check catches it', async () => {
    // Re-seal the client's Finished with one verify_data byte flipped, under the connection's real keys and IV.
    const ch = cap('clienthello');
    const sh = cap('serverhello');
    const master = fromHex(keylogText().trim().split(' ')[2]!);
    const suite = cipherSuite(0xc013)!;
    const { keys } = await computeKeyBlock(provider, suite, master, ch.subarray(11, 43), sh.subarray(11, 43));
    const client = directionKeys(keys, 'client');
    const record = cap('clientfinished');
    const args = { contentType: 22, version: 0x0303, sequenceNumber: 0n };
    const { plaintext } = await openRecord(provider, suite, client, {
      ...args,
      fragment: record.subarray(5),
    });
    const forged = plaintext.slice();
    forged[forged.length - 1]! ^= 0x01;
    const resealed = await sealRecord(provider, suite, client, {
      ...args,
      plaintext: forged,
      explicitIv: record.subarray(5, 21),
    });
    const chunks = illustrated();
    const at = ILLUSTRATED.findIndex(([, name]) => name === 'clientfinished');
    chunks[at] = { ...chunks[at]!, bytes: resealed.record };
    const seen = await observeConnection(chunks, { keyLog: keylogText() });
    expect(seen.decryption).toEqual({
      status: 'finished-mismatch',
      version: 'TLSv1.2',
      line: 1,
      clientFinished: 'mismatch',
      // The server's verify_data covers the client's real Finished, not the forged one.
      serverFinished: 'mismatch',
    });
    expect(seen.eventLog.some((e) => e.kind === 'handshake_complete')).toBe(false);
    expect(seen.decryptionSummary).toContain('the secret is right, but the Finished check failed');
  });

  it('an unreadable key log is reported, not thrown', async () => {
    const seen = await observeConnection(illustrated(), { keyLog: 'CLIENT_RANDOM zz' });
    expect(seen.decryption.status).toBe('key-log-unreadable');
    expect(seen.decryptionSummary).toContain('line 1');
  });
});

// RFC 8448 §3 (Simple 1-RTT Handshake): the ClientHello record and the ServerHello message, verbatim.
const RFC8448_CLIENT_HELLO_RECORD = fromHex(
  `16 03 01 00 c4 01 00 00 c0 03 03 cb 34 ec b1 e7 81 63 ba 1c 38 c6 da cb 19 6a 6d ff a2 1a 8d 99 12
   ec 18 a2 ef 62 83 02 4d ec e7 00 00 06 13 01 13 03 13 02 01 00 00 91 00 00 00 0b 00 09 00 00 06 73 65 72 76 65 72
   ff 01 00 01 00 00 0a 00 14 00 12 00 1d 00 17 00 18 00 19 01 00 01 01 01 02 01 03 01 04 00 23 00 00 00 33 00 26 00 24
   00 1d 00 20 99 38 1d e5 60 e4 bd 43 d2 3d 8e 43 5a 7d ba fe b3 c0 6e 51 c1 3c ae 4d 54 13 69 1e 52 9a af 2c 00 2b 00 03
   02 03 04 00 0d 00 20 00 1e 04 03 05 03 06 03 02 03 08 04 08 05 08 06 04 01 05 01 06 01 02 01 04 02 05 02 06 02 02 02
   00 2d 00 02 01 01 00 1c 00 02 40 01`.replace(/\s+/g, ''),
);
const RFC8448_SERVER_HELLO = fromHex(
  `02 00 00 56 03 03 a6 af 06 a4 12 18 60 dc 5e 6e 60 24 9c d3 4c 95 93 0c 8a c5 cb 14 34 da c1 55 77 2e
   d3 e2 69 28 00 13 01 00 00 2e 00 33 00 24 00 1d 00 20 c9 82 88 76 11 20 95 fe 66 76 2b db f7 c6 72 e1 56 d6 cc 25 3b
   83 3d f1 dd 69 b1 b0 4e 75 1f 0f 00 2b 00 02 03 04`.replace(/\s+/g, ''),
);

describe('TLS 1.3 (supported_versions 0x0304) goes to the 1.3 reader (tests/unit/tls13/observe.test.ts has real captures)', () => {
  it('RFC 8448 hellos, then filler records: a secret that does not open them and the lines missing, said plainly', async () => {
    const serverHello = concat(fromHex('160303005a'), RFC8448_SERVER_HELLO);
    // Filler instead of the protected records: the logged (made-up) secret cannot open them.
    const sealed = (n: number, fill: number) =>
      concat(fromHex('170303'), Uint8Array.of(n >> 8, n & 0xff), new Uint8Array(n).fill(fill));
    const server = [serverHello, fromHex('140303000101'), sealed(0x2a2, 0x5a)];
    const client = [fromHex('140303000101'), sealed(0x35, 0xa5)];
    const items: ObservedChunk[] = [
      { from: 'client', bytes: RFC8448_CLIENT_HELLO_RECORD, offset: 0, time: 0 },
      { from: 'server', bytes: concat(...server), offset: 0, time: 1 },
      { from: 'client', bytes: concat(...client), offset: RFC8448_CLIENT_HELLO_RECORD.length, time: 2 },
    ];
    const keyLog = `CLIENT_HANDSHAKE_TRAFFIC_SECRET ${'cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7'} ${'11'.repeat(32)}\n`;
    const seen = await observeConnection(items, { keyLog });
    expect(seen.version).toBe(0x0304);
    const random = 'cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7';
    expect(seen.decryption).toEqual({
      status: 'wrong-secret',
      version: 'TLSv1.3',
      found: [{ label: 'CLIENT_HANDSHAKE_TRAFFIC_SECRET', line: 1 }],
      conflicting: [],
      missing: ['SERVER_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_TRAFFIC_SECRET_0', 'CLIENT_TRAFFIC_SECRET_0'],
      wantedLines: [
        `SERVER_HANDSHAKE_TRAFFIC_SECRET ${random} <secret in hex>`,
        `SERVER_TRAFFIC_SECRET_0 ${random} <secret in hex>`,
        `CLIENT_TRAFFIC_SECRET_0 ${random} <secret in hex>`,
      ],
      tls13Labels: ['CLIENT_HANDSHAKE_TRAFFIC_SECRET'],
      firstFailure: {
        from: 'client',
        seq: '0',
        offset: RFC8448_CLIENT_HELLO_RECORD.length + 6,
        label: 'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
      },
      clientFinished: 'not opened',
      serverFinished: 'not opened',
    });
    expect(seen.decryptionSummary).toContain('its CLIENT_HANDSHAKE_TRAFFIC_SECRET is wrong');
    expect(seen.eventLog.flatMap((e) => (e.kind === 'message' ? [`${e.id} ${e.name}`] : []))).toEqual([
      'client:0 client_hello',
      'server:0 server_hello',
    ]);
    expect(seen.eventLog.filter((e) => e.kind === 'change_cipher_spec')).toHaveLength(2);
    const opaque = seen.eventLog.filter((e) => e.kind === 'record' && e.encrypted);
    expect(opaque).toHaveLength(2);
    expect(opaque.map((r) => r.kind === 'record' && r.error)).toEqual([
      expect.stringContaining(`SERVER_HANDSHAKE_TRAFFIC_SECRET ${random} <secret in hex>`),
      expect.stringMatching(/^not opened with CLIENT_HANDSHAKE_TRAFFIC_SECRET: /),
    ]);
    expect(
      seen.eventLog.filter((e) => e.kind === 'secret').map((e) => e.kind === 'secret' && e.name),
    ).toEqual([
      'client_handshake_traffic_secret',
      'client_handshake_traffic_secret.key',
      'client_handshake_traffic_secret.iv',
    ]);
    expect(seen.notes).toEqual([]);
  });
});

describe('PostgreSQL before TLS', () => {
  it("a server that answers 'N': both clear messages shown, and a note that no TLS follows", async () => {
    const pg = chunksOf(LOGS['postgres15-starttls.json']!);
    const items: ObservedChunk[] = [
      pg[0]!,
      { from: 'server', bytes: Uint8Array.of(0x4e), offset: 0, time: 1 },
      { from: 'client', bytes: fromHex('0000000800030000'), offset: 8, time: 2 },
    ];
    const seen = await observeConnection(items);
    expect(seen.eventLog.map((e) => e.kind === 'postgres' && e.label)).toEqual([
      'SSLRequest',
      "SSL response 'N'",
    ]);
    expect(seen.notes).toEqual([
      { from: 'server', offset: 1, text: expect.stringContaining("answered 'N'") },
    ]);
  });
});

describe('gaps and truncation end decoding at that point with a note', () => {
  it('a gap in the server stream', async () => {
    const chunks: ObservedItem[] = illustrated();
    const at = 3; // serverkeyexchange: the server's ServerHello and Certificate records come before it
    const gap = { from: 'server' as const, offset: (chunks[at] as ObservedChunk).offset, length: 10 };
    chunks[at] = gap;
    const seen = await observeConnection(chunks, { keyLog: keylogText() });
    expect(seen.notes).toEqual([
      {
        from: 'server',
        offset: gap.offset,
        text: expect.stringContaining('missing 10 bytes'),
        hole: true,
      },
    ]);
    expect(seen.eventLog.filter((e) => e.kind === 'record' && e.from === 'server')).toHaveLength(2);
  });

  it('a truncated final record', async () => {
    const chunks = illustrated();
    const last = chunks.at(-1)!;
    chunks[chunks.length - 1] = { ...last, bytes: last.bytes.subarray(0, 20) };
    const seen = await observeConnection(chunks, { keyLog: keylogText() });
    expect(seen.notes).toEqual([
      {
        from: 'client',
        offset: last.offset,
        text: expect.stringContaining(`20 of its ${last.bytes.length} bytes`),
      },
    ]);
  });
});

describe('the capture JSON carries an observed log, and the lab’s reader opens it', () => {
  const cases: [string, () => Promise<Observation>][] = [
    ...FILES.map((f): [string, () => Promise<Observation>] => [
      f,
      () => observeConnection(chunksOf(LOGS[f]!), { keyLog: keyLogOf(LOGS[f]!) }),
    ]),
    ['illustrated, decrypted', () => observeConnection(illustrated(), { keyLog: keylogText() })],
    ['illustrated, no key log', () => observeConnection(illustrated())],
    [
      'illustrated, wrong secret',
      () => observeConnection(illustrated(), { keyLog: keylogText().replace(/4c\s*$/, '4d') }),
    ],
  ];
  it.each(cases)('%s', async (_name, observe) => {
    const seen = await observe();
    const json = JSON.stringify({
      eventLog: JSON.parse(eventLogToJson(seen.eventLog)),
      observation: {
        decryption: seen.decryption,
        decryptionSummary: seen.decryptionSummary,
        notes: seen.notes,
      },
    });
    const opened = parseCapture(json);
    if (!opened.ok) throw new Error(describeCaptureError(opened.error));
    expect(opened.run.eventLog.map(essence)).toEqual(seen.eventLog.map(essence));
    expect(opened.run.ok).toBe(
      seen.eventLog.some((e) => e.kind === 'handshake_complete') &&
        !seen.eventLog.some((e) => e.kind === 'alert' && e.level === 2),
    );
  });
});

describe('mutated and truncated captures never make the observer throw', () => {
  const stream = illustrated();
  const pg = chunksOf(LOGS['postgres15-starttls.json']!);
  it('byte flips, cuts, re-chunking and gaps', async () => {
    const edit = fc.record({
      source: fc.constantFrom(stream, pg),
      keyLog: fc.boolean(),
      chunks: chunkEdit(3, 200),
      gap: fc.option(fc.nat(), { nil: undefined }),
    });
    const runs = await checkBounded(
      'observe mutations',
      fc.asyncProperty(edit, async ({ source, keyLog, chunks, gap }) => {
        // Flipped, cut and re-chunked, and maybe one piece dropped as a gap.
        const items: ObservedItem[] = editChunks(source, chunks);
        if (gap !== undefined && items.length > 0) {
          const i = gap % items.length;
          const c = items[i] as ObservedChunk;
          items[i] = { from: c.from, offset: c.offset, length: c.bytes.length };
        }
        const seen = await observeConnection(
          items,
          keyLog ? { keyLog: keylogText() + keyLogOf(LOGS['postgres15-starttls.json']!) } : {},
        );
        expect(typeof seen.decryptionSummary).toBe('string');
        // Whatever was observed, the lab's capture reader opens it (an empty log is the reader's own error).
        if (seen.eventLog.length > 0) {
          const opened = parseCapture(eventLogToJson(seen.eventLog));
          expect(opened.ok, opened.ok ? '' : describeCaptureError(opened.error)).toBe(true);
        }
      }),
      { numRuns: 1000, timeLimitMs: 60_000 },
    );
    expect(runs).toBeGreaterThan(0);
  });
});
