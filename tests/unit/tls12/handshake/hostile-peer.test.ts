/**
 * A hostile peer: mutated copies of a real recorded flight (The Illustrated TLS 1.2 Connection, captured from
 * OpenSSL; fixtures/tls12-vectors/illustrated-tls12) fed to our engine in memory, in random chunks.
 * Mutations: bit flips, truncations, bad record/handshake lengths, inserted, duplicated and zeroed bytes.
 *
 * - our client gets the server's flight (ServerHello .. ServerHelloDone, ChangeCipherSpec, Finished), with the
 *   recorded client random and x25519 key, so the untouched flight passes every check up to the Finished;
 * - our server gets the client's flight (ClientHello, ClientKeyExchange, ChangeCipherSpec, Finished), with the
 *   recorded server key, random and x25519 key.
 *
 * After the bytes, the peer closes the connection (the engines' end-of-stream input), so every run ends: no
 * exception escapes a step, the engine never reaches Established, and it closes with one fatal alert it chose
 * (never internal_error, which is what an unexpected JS error becomes) whose reason says why: for decode_error /
 * record_overflow naming the field and the offset, or, when the bytes stopped short (a truncation), OpenSSL's
 * "unexpected eof while reading" naming what was being read and how many bytes were missing. Bytes equal to the
 * recording end as the recording does. Hangs fail a run (fast-check timeout).
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bytesEqual } from '../../../../src/lib/bytes/index.ts';
import { wrapRsaPrivateKeyInPkcs8 } from '../../../../src/lib/tls12/crypto/index.ts';
import {
  clientStep,
  deterministicRandom,
  newClient,
  newServer,
  pemToDer,
  serverStep,
  type AlertEntry,
  type ClientState,
  type EngineEvent,
  type Input,
  type ServerState,
} from '../../../../src/lib/tls12/handshake/index.ts';
import { pkiVerifier } from '../../../../src/lib/tls12/pki-verifier.ts';
import { checkBounded } from '../../../kit/pure/property.ts';
import { cap, expected } from '../wire/fixtures.ts';

const KEYS = fileURLToPath(
  new URL('../../../../fixtures/tls12-vectors/illustrated-tls12/keys/', import.meta.url),
);
const pem = (name: string) => readFileSync(`${KEYS}${name}`, 'utf8');
const hex = (h: string) => new Uint8Array(h.match(/../g)!.map((b) => parseInt(b, 16)));
/** Inside the recorded server certificate's validity (2018-10-05 .. 2019-10-05). */
const NOW = Date.UTC(2019, 0, 1);

const SERVER_FLIGHT = [
  'serverhello',
  'servercert',
  'serverkeyexchange',
  'serverhellodone',
  'serverccs',
  'serverfinished',
];
const CLIENT_FLIGHT = ['clienthello', 'clientkeyexchange', 'clientccs', 'clientfinished'];

interface Flight {
  readonly bytes: Uint8Array;
  /** Offsets of each record's 2-byte length, and of each plaintext handshake header's 3-byte length. */
  readonly lengthFields: readonly { offset: number; size: 2 | 3 }[];
}

function flight(names: readonly string[]): Flight {
  const records = names.map(cap);
  const lengthFields: { offset: number; size: 2 | 3 }[] = [];
  let at = 0;
  for (const r of records) {
    lengthFields.push({ offset: at + 3, size: 2 });
    if (
      r[0] === 22 &&
      names[records.indexOf(r)] !== 'serverfinished' &&
      names[records.indexOf(r)] !== 'clientfinished'
    )
      lengthFields.push({ offset: at + 6, size: 3 });
    at += r.length;
  }
  const bytes = new Uint8Array(at);
  let o = 0;
  for (const r of records) {
    bytes.set(r, o);
    o += r.length;
  }
  return { bytes, lengthFields };
}

/** The recorded randoms and x25519 private keys first, then a seeded stream. */
function recordedRandom(...first: string[]): (n: number) => Uint8Array {
  const queue = first.map(hex);
  const rest = deterministicRandom('hostile-peer');
  return (n) => (queue.length > 0 && queue[0]!.length === n ? queue.shift()! : rest(n));
}

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'length'; field: number; value: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'zero'; at: number; length: number };

function mutationArb(f: Flight): fc.Arbitrary<Mutation> {
  const n = f.bytes.length;
  const at = fc.nat({ max: n - 1 });
  return fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at, bit: fc.nat({ max: 7 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at }),
    fc.record({
      kind: fc.constant('length' as const),
      field: fc.nat({ max: f.lengthFields.length - 1 }),
      value: fc.oneof(fc.nat({ max: 0xffffff }), fc.constantFrom(0, 1, 0x4000, 0x4001, 0xffff, 0xffffff)),
    }),
    fc.record({
      kind: fc.constant('insert' as const),
      at,
      bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
    }),
    fc.record({ kind: fc.constant('duplicate' as const), at, length: fc.integer({ min: 1, max: 64 }) }),
    fc.record({ kind: fc.constant('zero' as const), at, length: fc.integer({ min: 1, max: 16 }) }),
  );
}

function mutate(f: Flight, m: Mutation): Uint8Array {
  const b = f.bytes;
  switch (m.kind) {
    case 'flip': {
      const out = b.slice();
      out[m.at]! ^= 1 << m.bit;
      return out;
    }
    case 'truncate':
      return b.slice(0, m.at);
    case 'length': {
      const { offset, size } = f.lengthFields[m.field]!;
      const out = b.slice();
      const value = m.value % (size === 2 ? 0x10000 : 0x1000000);
      for (let i = 0; i < size; i++) out[offset + i] = (value >> (8 * (size - 1 - i))) & 0xff;
      return out;
    }
    case 'insert':
      return new Uint8Array([...b.slice(0, m.at), ...m.bytes, ...b.slice(m.at)]);
    case 'duplicate': {
      const piece = b.slice(m.at, m.at + m.length);
      return new Uint8Array([...b.slice(0, m.at + piece.length), ...piece, ...b.slice(m.at + piece.length)]);
    }
    case 'zero': {
      const out = b.slice();
      out.fill(0, m.at, m.at + m.length);
      return out;
    }
  }
}

/** Cuts `bytes` at the given points (any chunking must give the same verdict). */
function chunks(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let last = 0;
  for (const p of [...points, bytes.length]) {
    if (p > last) out.push(bytes.slice(last, p));
    last = Math.max(last, p);
  }
  return out;
}

const tally = new Map<string, number>();

/** The reason of an end-of-stream failure: what was being read, and how many bytes were missing. */
const EOF_REASON =
  /^unexpected eof while reading (.+ from the (server|client): \d+ of its \d+ bytes arrived, \d+ missing|.+: the (server|client) closed the connection before sending any byte of it \(a record header's 5 bytes missing)/;

/** What every run must end in: one fatal alert of ours, with its reason. */
function judge(name: string, events: readonly EngineEvent[], side: 'client' | 'server'): AlertEntry {
  expect(name).toBe('Closed');
  expect(events.some((e) => e.kind === 'handshake_complete')).toBe(false);
  const ours = events.filter((e): e is AlertEntry => e.kind === 'alert' && e.from === side);
  expect(ours).toHaveLength(1);
  const alert = ours[0]!;
  expect(alert.level).toBe(2);
  expect(alert.name).not.toBe('internal_error');
  expect(alert.reason ?? '').toMatch(/\S/);
  expect(alert.reason).not.toMatch(/\bundefined\b|TypeError|RangeError|Cannot read/);
  if (
    (alert.name === 'decode_error' || alert.name === 'record_overflow') &&
    !EOF_REASON.test(alert.reason!)
  ) {
    // A decoder's DecodeError: `Struct.field: why (offset N)`; ChangeCipherSpec's single byte is named as such.
    expect(alert.reason).toMatch(
      /[A-Z][A-Za-z]*(\.[\w.[\]]+)?: .+\(offset \d+\)|ChangeCipherSpec|record header/,
    );
  }
  return alert;
}

/** The tally's key: the alert, with end-of-stream failures told apart from the rest. */
function outcomeKey(alert: AlertEntry): string {
  return EOF_REASON.test(alert.reason ?? '') ? `${alert.name} (unexpected eof)` : alert.name;
}

async function feed<S extends ClientState | ServerState>(
  state: S,
  step: (s: S, input: Input) => Promise<{ state: S; events: EngineEvent[] }>,
  pieces: readonly Uint8Array[],
  events: EngineEvent[],
): Promise<S> {
  let s = state;
  for (const data of pieces) {
    if (s.name === 'Closed') break;
    const r = await step(s, { kind: 'bytes', data });
    s = r.state;
    events.push(...r.events);
  }
  // The peer closes the connection after its bytes (a no-op once we are Closed).
  const r = await step(s, { kind: 'end' });
  events.push(...r.events);
  return r.state;
}

const serverFlight = flight(SERVER_FLIGHT);
const clientFlight = flight(CLIENT_FLIGHT);

function freshClient() {
  return newClient({
    serverName: 'example.ulfheim.net',
    verifier: pkiVerifier({ anchors: pemToDer(pem('ca.crt'), 'CERTIFICATE') }),
    random: recordedRandom(
      expected.client_random,
      '202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f',
    ),
    now: () => NOW,
  });
}

function freshServer() {
  return newServer({
    certificateChain: pemToDer(pem('server.crt'), 'CERTIFICATE'),
    privateKey: wrapRsaPrivateKeyInPkcs8(pemToDer(pem('server.key'), 'RSA PRIVATE KEY')[0]!),
    // The recorded connection's suite, so the recorded ClientKeyExchange gives the keys its Finished was sealed with.
    suites: [0xc013],
    random: recordedRandom(
      expected.server_random,
      '909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeaf',
    ),
    now: () => NOW,
  });
}

async function runClient(bytes: Uint8Array, cuts: readonly number[]) {
  const events: EngineEvent[] = [];
  const started = await clientStep(freshClient(), { kind: 'start' });
  events.push(...started.events);
  const end = await feed(started.state, clientStep, chunks(bytes, cuts), events);
  return { state: end.name, events };
}

async function runServer(bytes: Uint8Array, cuts: readonly number[]) {
  const events: EngineEvent[] = [];
  const end = await feed(freshServer(), serverStep, chunks(bytes, cuts), events);
  return { state: end.name, events };
}

const cutsArb = fc.array(fc.nat({ max: 4096 }), { maxLength: 4 });

describe('the untouched recorded flights (the control: the checks below are reached)', () => {
  it('our client accepts the recorded server flight up to its Finished, whose verify_data covers a different ClientHello', async () => {
    const run = await runClient(serverFlight.bytes, []);
    const names = run.events.flatMap((e) => (e.kind === 'message' && e.from === 'server' ? [e.name] : []));
    expect(names).toEqual([
      'server_hello',
      'certificate',
      'server_key_exchange',
      'server_hello_done',
      'finished',
    ]);
    expect(judge(run.state, run.events, 'client').name).toBe('decrypt_error');
  });
  it('our server reads the recorded ClientHello and ClientKeyExchange and opens the Finished record', async () => {
    const run = await runServer(clientFlight.bytes, []);
    const names = run.events.flatMap((e) => (e.kind === 'message' && e.from === 'client' ? [e.name] : []));
    expect(names).toEqual(['client_hello', 'client_key_exchange', 'finished']);
    expect(judge(run.state, run.events, 'server').name).toBe('decrypt_error');
  });
});

describe('hostile peer: mutated recorded flights', () => {
  it('our client against a hostile server', async () => {
    tally.clear();
    await checkBounded(
      'TLS client vs mutated server flights',
      fc.asyncProperty(mutationArb(serverFlight), cutsArb, async (m, cuts) => {
        const bytes = mutate(serverFlight, m);
        const run = await runClient(bytes, cuts);
        const alert = judge(run.state, run.events, 'client');
        // A mutation that changed nothing (zeroing zeros, a length set to itself) ends as the recording does.
        if (bytesEqual(bytes, serverFlight.bytes)) expect(alert.name).toBe('decrypt_error');
        const key = outcomeKey(alert);
        tally.set(key, (tally.get(key) ?? 0) + 1);
      }),
      { numRuns: 300, timeLimitMs: 60_000 },
    );
    console.log('client outcomes:', Object.fromEntries(tally));
  });
  it('our server against a hostile client', async () => {
    tally.clear();
    await checkBounded(
      'TLS server vs mutated client flights',
      fc.asyncProperty(mutationArb(clientFlight), cutsArb, async (m, cuts) => {
        const bytes = mutate(clientFlight, m);
        const run = await runServer(bytes, cuts);
        const alert = judge(run.state, run.events, 'server');
        // A mutation that changed nothing (zeroing zeros, a length set to itself) ends as the recording does.
        if (bytesEqual(bytes, clientFlight.bytes)) expect(alert.name).toBe('decrypt_error');
        const key = outcomeKey(alert);
        tally.set(key, (tally.get(key) ?? 0) + 1);
      }),
      { numRuns: 300, timeLimitMs: 60_000 },
    );
    console.log('server outcomes:', Object.fromEntries(tally));
  });
});

describe('end of stream: a flight cut short ends in "unexpected eof while reading", never a wait', () => {
  const hello = cap('serverhello');
  /** The alert record our engine sent last (the bytes on the wire). */
  const lastSent = (events: readonly EngineEvent[]) =>
    events.filter((e): e is { kind: 'send'; bytes: Uint8Array } => e.kind === 'send').at(-1)?.bytes;

  it('inside a record: names the record, its size and how many bytes were missing; sends decode_error as OpenSSL does', async () => {
    const run = await runClient(hello.subarray(0, 25), []);
    const alert = judge(run.state, run.events, 'client');
    expect(alert.name).toBe('decode_error');
    expect(alert.reason).toBe(
      `unexpected eof while reading a handshake record from the server: 25 of its ${hello.length} bytes arrived, ${hello.length - 25} missing (record at stream offset 0; we expected ServerHello)`,
    );
    // Content type 21 (alert), level 2 (fatal), description 50 (decode_error), in clear.
    const sent = lastSent(run.events)!;
    expect([sent[0], ...sent.subarray(5)]).toEqual([21, 2, 50]);
  });
  it('inside a record header', async () => {
    const run = await runClient(hello.subarray(0, 2), []);
    expect(judge(run.state, run.events, 'client').reason).toBe(
      'unexpected eof while reading a record header from the server: 2 of its 5 bytes arrived, 3 missing (stream offset 0; we expected ServerHello)',
    );
  });
  it('inside a handshake message whose records stopped mid-message', async () => {
    // The ServerHello message split over two records; only the first (10 bytes of the message) arrives.
    const message = hello.subarray(5);
    const first = new Uint8Array([...hello.subarray(0, 3), 0, 10, ...message.subarray(0, 10)]);
    const run = await runClient(first, []);
    expect(judge(run.state, run.events, 'client').reason).toBe(
      `unexpected eof while reading server_hello from the server: 10 of its ${message.length} bytes arrived, ${message.length - 10} missing (its records ended mid-message)`,
    );
  });
  it('between records: names the message expected next', async () => {
    const two = new Uint8Array([...hello, ...cap('servercert')]);
    const run = await runClient(two, []);
    expect(judge(run.state, run.events, 'client').reason).toBe(
      `unexpected eof while reading ServerKeyExchange: the server closed the connection before sending any byte of it (a record header's 5 bytes missing, at stream offset ${two.length})`,
    );
  });
  it('our server, when the client closes before its ClientHello', async () => {
    const run = await runServer(new Uint8Array(0), []);
    expect(judge(run.state, run.events, 'server').reason).toBe(
      "unexpected eof while reading ClientHello: the client closed the connection before sending any byte of it (a record header's 5 bytes missing, at stream offset 0)",
    );
  });
  it('after the engine closed, the end of stream is the expected end: nothing more is sent', async () => {
    const started = await clientStep(freshClient(), { kind: 'start' });
    const cut = await clientStep(started.state, { kind: 'bytes', data: hello.subarray(0, 1) });
    const ended = await clientStep(cut.state, { kind: 'end' });
    expect(ended.state.name).toBe('Closed');
    expect(ended.events.filter((e) => e.kind === 'alert')).toHaveLength(1);
    const again = await clientStep(ended.state, { kind: 'end' });
    expect(again.state.name).toBe('Closed');
    expect(again.events).toEqual([]);
  });
});
