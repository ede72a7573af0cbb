/**
 * Byte-exact: our TLS 1.3 client, given The Illustrated TLS 1.3 Connection's fixed client randomness (random
 * 00..1f, legacy_session_id e0..ff, x25519 key 20..3f) and laid out as that client (an OpenSSL build: its
 * suites with the renegotiation SCSV, its groups and signature schemes, its extension order), regenerates every
 * record the client sent in `caps/`: ClientHello, the middlebox ChangeCipherSpec, the protected Finished and the
 * protected "ping". The server's records from `caps/` are fed in: the client verifies the certificate (pinned,
 * at a clock inside its validity), the CertificateVerify and the Finished, and writes the capture's key log.
 * The capture has no close_notify records, so none is compared.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../../src/lib/bytes/index.ts';
import { pemToDer } from '../../../src/lib/bytes/pem.ts';
import { createCryptoProvider } from '../../../src/lib/tls12/crypto/index.ts';
import {
  client13Step,
  newClient13,
  sealRecord13,
  tls13Suite,
  trafficKeys,
  type AnyEngineEvent,
  type Client13State,
  type Extension13,
  type LaidOutMessage,
} from '../../../src/lib/tls13/index.ts';
import { pinnedVerifier } from '../../kit/pure/pinned-verifier.ts';
import { ILLUSTRATED13_DIR, SERVER_FLIGHT, cap13, keylog13 } from './illustrated-fixture.ts';

const certDer = pemToDer(readFileSync(`${ILLUSTRATED13_DIR}keys/server.crt`, 'utf8'), 'CERTIFICATE')[0]!;
const range = (from: number, n: number) => Uint8Array.from({ length: n }, (_, i) => from + i);
const hex = (bytes: readonly Uint8Array[]) => bytes.map((b) => toHex(b));
/** 2018-10-06, the day after the certificate's notBefore (it is valid 2018-10-05 to 2019-10-05). */
const INSIDE_VALIDITY = Date.UTC(2018, 9, 6);
const AFTER_NOT_AFTER = Date.UTC(2019, 9, 6);

/** The client's randomness in the order the engine draws it: random, legacy_session_id, x25519 private key. */
function scriptedRandom(): (n: number) => Uint8Array {
  const script = [range(0x00, 32), range(0xe0, 32), range(0x20, 32)];
  return (n) => {
    const next = script.shift();
    if (!next || next.length !== n) throw new Error(`unscripted draw of ${n} bytes`);
    return next;
  };
}

/**
 * The capture's ClientHello extension order (OpenSSL's): server_name, ec_point_formats, supported_groups,
 * session_ticket, encrypt_then_mac, extended_master_secret, then ours (signature_algorithms, supported_versions,
 * psk_key_exchange_modes, key_share) in our order, which is already OpenSSL's.
 */
function openSslLayout(message: LaidOutMessage, ours: Extension13[]): Extension13[] {
  if (message !== 'client_hello') return ours;
  const take = (kind: Extension13['kind']) => ours.filter((e) => e.kind === kind);
  return [
    ...take('server_name'),
    { kind: 'ec_point_formats', formats: [0, 1, 2] },
    ...take('supported_groups'),
    { kind: 'session_ticket', ticket: new Uint8Array(0) },
    { kind: 'unknown', type: 22, data: new Uint8Array(0) }, // encrypt_then_mac (RFC 7366)
    { kind: 'extended_master_secret' },
    ...ours.filter((e) => e.kind !== 'server_name' && e.kind !== 'supported_groups'),
  ];
}

function newIllustratedClient(pinned = certDer, now = INSIDE_VALIDITY): Client13State {
  return newClient13({
    serverName: 'example.ulfheim.net',
    verifier: pinnedVerifier(pinned),
    now: () => now,
    random: scriptedRandom(),
    suites: [0x1302, 0x1303, 0x1301, 0x00ff],
    // x25519, secp256r1, x448, secp521r1, secp384r1, ffdhe2048..ffdhe8192: offered, the key share is x25519's.
    groups: [0x001d, 0x0017, 0x001e, 0x0019, 0x0018, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104],
    keyShareGroups: [0x001d],
    signatureSchemes: [
      0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0809, 0x080a, 0x080b, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501,
      0x0601,
    ],
    extensionLayout: openSslLayout,
  });
}

interface Run {
  state: Client13State;
  events: AnyEngineEvent[];
  /** The bytes the client sent in each step. */
  sent: Uint8Array[][];
}

async function run(serverFlight = SERVER_FLIGHT.map(cap13), client = newIllustratedClient()): Promise<Run> {
  const r: Run = { state: client, events: [], sent: [] };
  const step = async (input: Parameters<typeof client13Step>[1]) => {
    const out = await client13Step(r.state, input);
    r.state = out.state;
    r.events.push(...out.events);
    r.sent.push(out.events.flatMap((e) => (e.kind === 'send' ? [e.bytes] : [])));
  };
  await step({ kind: 'start' });
  await step({ kind: 'bytes', data: concatBytes(...serverFlight) });
  if (r.state.name !== 'Established') return r;
  await step({ kind: 'bytes', data: concatBytes(cap13('serverencticket1'), cap13('serverencticket2')) });
  await step({ kind: 'application-data', data: new TextEncoder().encode('ping') });
  await step({ kind: 'bytes', data: cap13('serverencdata') });
  return r;
}

function alertSent(r: Run): string | undefined {
  const alert = r.events.find((e) => e.kind === 'alert' && e.from === 'client');
  return alert?.kind === 'alert' ? alert.name : undefined;
}

/**
 * The server's flight with one handshake message changed and re-protected with the capture's own server
 * handshake traffic key (from keylog.txt), so that only the engine's checks can catch it.
 */
async function withResealed(name: string, seq: bigint, change: (inner: Uint8Array) => void) {
  const secret = keylog13()
    .split('\n')
    .find((l) => l.startsWith('SERVER_HANDSHAKE_TRAFFIC_SECRET'))!
    .split(' ')[2]!;
  const provider = createCryptoProvider();
  const suite = tls13Suite(0x1302)!;
  const keys = await trafficKeys(provider, suite, 'server_handshake_traffic_secret', fromHex(secret));
  const plain = { serverenccertverify: 'servercertverify', serverencfinished: 'serverfinished' }[name]!;
  const inner = cap13(plain).slice();
  change(inner);
  const sealed = await sealRecord13(provider, suite, keys, {
    inner: { content: inner.subarray(0, -1), contentType: inner[inner.length - 1]!, paddingLength: 0 },
    sequenceNumber: seq,
  });
  return SERVER_FLIGHT.map((n) => (n === name ? sealed.record : cap13(n)));
}

describe('The Illustrated TLS 1.3 Connection, regenerated by our client', () => {
  it('sends every client record of the capture, byte for byte', async () => {
    const r = await run();
    expect(r.state.name).toBe('Established');
    expect(hex(r.sent[0]!)).toEqual(hex([cap13('clienthello')]));
    expect(hex(r.sent[1]!)).toEqual(hex([cap13('clientccs'), cap13('clientencfinished')]));
    expect(hex(r.sent[2]!)).toEqual([]); // the two NewSessionTickets are read, not answered
    expect(hex(r.sent[3]!)).toEqual(hex([cap13('clientencdata')]));
  });

  it("writes the capture's key log and reads the server's tickets and its application data", async () => {
    const r = await run();
    const done = r.events.find((e) => e.kind === 'handshake_complete');
    const lines = keylog13().split('\n').filter(Boolean);
    expect(done?.kind === 'handshake_complete' && 'keyLog' in done.summary && done.summary.keyLog).toEqual(
      lines,
    );
    const tickets = r.events.filter(
      (e) => e.kind === 'message' && e.from === 'server' && e.name === 'new_session_ticket',
    );
    expect(tickets).toHaveLength(2);
    const data = r.events.find((e) => e.kind === 'application_data' && e.from === 'server');
    expect(data?.kind === 'application_data' && new TextDecoder().decode(data.data)).toBe('pong');
  });

  it('verifies the certificate: another pinned certificate, or a clock after notAfter, ends the handshake', async () => {
    const other = certDer.slice();
    other[other.length - 1]! ^= 1; // the same certificate with its signature's last byte changed
    const wrongPin = await run(undefined, newIllustratedClient(other));
    expect(wrongPin.state.name).toBe('Closed');
    expect(alertSent(wrongPin)).toBe('bad_certificate');
    const expired = await run(undefined, newIllustratedClient(certDer, AFTER_NOT_AFTER));
    expect(expired.state.name).toBe('Closed');
    expect(alertSent(expired)).toBe('certificate_expired');
  });

  it("verifies the CertificateVerify: a changed signature, sealed with the capture's own key, is decrypt_error", async () => {
    const flight = await withResealed('serverenccertverify', 2n, (inner) => {
      inner[inner.length - 2]! ^= 1; // the signature's last byte (before the inner content type)
    });
    const r = await run(flight);
    expect(r.state.name).toBe('Closed');
    expect(alertSent(r)).toBe('decrypt_error');
  });

  it("verifies the server Finished: a changed verify_data, sealed with the capture's own key, is decrypt_error", async () => {
    const flight = await withResealed('serverencfinished', 3n, (inner) => {
      inner[4]! ^= 1; // the first byte of verify_data
    });
    const r = await run(flight);
    expect(r.state.name).toBe('Closed');
    expect(alertSent(r)).toBe('decrypt_error');
  });
});
