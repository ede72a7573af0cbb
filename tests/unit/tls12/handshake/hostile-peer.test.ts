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
 * Every run: no exception escapes a step, the engine never reaches Established, and it either closes with a fatal
 * alert it chose (never internal_error, which is what an unexpected JS error becomes) whose reason says why, and
 * for decode_error / record_overflow names the field and the offset; or, when the bytes stop short of what it
 * needs (a truncation), it is still waiting for more, having sent no alert. Hangs fail a run (fast-check timeout).
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
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
  type ServerState,
} from '../../../../src/lib/tls12/handshake/index.ts';
import { pkiVerifier } from '../../../../src/lib/tls12/pki-verifier.ts';
import { checkBounded } from '../../support/property.ts';
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

type Verdict = { outcome: 'alert'; alert: AlertEntry } | { outcome: 'waiting'; state: string };

const tally = new Map<string, number>();

/** What every run must end in; returns the verdict for the tally. */
function judge(name: string, events: readonly EngineEvent[], side: 'client' | 'server'): Verdict {
  expect(name).not.toBe('Established');
  expect(events.some((e) => e.kind === 'handshake_complete')).toBe(false);
  const ours = events.filter((e): e is AlertEntry => e.kind === 'alert' && e.from === side);
  if (name !== 'Closed') {
    expect(ours).toEqual([]);
    return { outcome: 'waiting', state: name };
  }
  expect(ours).toHaveLength(1);
  const alert = ours[0]!;
  expect(alert.level).toBe(2);
  expect(alert.name).not.toBe('internal_error');
  expect(alert.reason ?? '').toMatch(/\S/);
  expect(alert.reason).not.toMatch(/\bundefined\b|TypeError|RangeError|Cannot read/);
  if (alert.name === 'decode_error' || alert.name === 'record_overflow') {
    // A decoder's DecodeError: `Struct.field: why (offset N)`; ChangeCipherSpec's single byte is named as such.
    expect(alert.reason).toMatch(
      /[A-Z][A-Za-z]*(\.[\w.[\]]+)?: .+\(offset \d+\)|ChangeCipherSpec|record header/,
    );
  }
  return { outcome: 'alert', alert };
}

async function feed<S extends ClientState | ServerState>(
  state: S,
  step: (s: S, input: { kind: 'bytes'; data: Uint8Array }) => Promise<{ state: S; events: EngineEvent[] }>,
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
  return s;
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
    const verdict = judge(run.state, run.events, 'client');
    expect(verdict.outcome === 'alert' && verdict.alert.name).toBe('decrypt_error');
  });
  it('our server reads the recorded ClientHello and ClientKeyExchange and opens the Finished record', async () => {
    const run = await runServer(clientFlight.bytes, []);
    const names = run.events.flatMap((e) => (e.kind === 'message' && e.from === 'client' ? [e.name] : []));
    expect(names).toEqual(['client_hello', 'client_key_exchange', 'finished']);
    const verdict = judge(run.state, run.events, 'server');
    expect(verdict.outcome === 'alert' && verdict.alert.name).toBe('decrypt_error');
  });
});

describe('hostile peer: mutated recorded flights', () => {
  it('our client against a hostile server', async () => {
    tally.clear();
    await checkBounded(
      'TLS client vs mutated server flights',
      fc.asyncProperty(mutationArb(serverFlight), cutsArb, async (m, cuts) => {
        const run = await runClient(mutate(serverFlight, m), cuts);
        const v = judge(run.state, run.events, 'client');
        const key = v.outcome === 'alert' ? v.alert.name : `waiting in ${v.state}`;
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
        const run = await runServer(mutate(clientFlight, m), cuts);
        const v = judge(run.state, run.events, 'server');
        const key = v.outcome === 'alert' ? v.alert.name : `waiting in ${v.state}`;
        tally.set(key, (tally.get(key) ?? 0) + 1);
      }),
      { numRuns: 300, timeLimitMs: 60_000 },
    );
    console.log('server outcomes:', Object.fromEntries(tally));
  });
});
