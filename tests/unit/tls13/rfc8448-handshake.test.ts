/**
 * RFC 8448 §3 "Simple 1-RTT Handshake", both sides, against fixtures/tls13-vectors/rfc8448/simple-1rtt.json
 * (every value transcribed from RFC 8448 §2/§3, each naming its block). Our client and server take the RFC's
 * randoms and x25519 keys as their injected randomness and are laid out as the RFC's NSS endpoints
 * (`extensionLayout`: extension order, extensions we do not act on such as record_size_limit); the server has
 * the RFC's RSA key (§2). The CertificateVerify is rsa_pss_rsae_sha256 with a random salt: its salt is read out
 * of the RFC's signature and handed to our server, and the RFC's signature is verified as it stands.
 * Each side reads the RFC's own records of the other side (never ours), so a fault on one side cannot hide one
 * on the other. Hex diffs show where bytes differ.
 */
import { readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../../src/lib/bytes/index.ts';
import { hashSync } from '../../../src/lib/tls12/crypto/hash.ts';
import { parseCertificate } from '../../../src/lib/tls12/handshake/certificate-info.ts';
import { verifyWithScheme } from '../../../src/lib/tls12/crypto/signatures.ts';
import type { Input } from '../../../src/lib/tls12/handshake/states.ts';
import {
  certificateVerifyContent,
  client13Step,
  decodeHandshake13,
  newClient13,
  newServer13,
  server13Step,
  type AnyEngineEvent,
  type Client13State,
  type Extension13,
  type LaidOutMessage,
  type Server13State,
} from '../../../src/lib/tls13/index.ts';
import { pinnedVerifier } from '../../kit/pure/pinned-verifier.ts';
import { pssSalt } from '../../kit/pure/pss-salt.ts';

interface Vectors {
  values: Record<string, { source: string; hex: string }>;
}
const vectors = JSON.parse(
  readFileSync(new URL('../../../fixtures/tls13-vectors/rfc8448/simple-1rtt.json', import.meta.url), 'utf8'),
) as Vectors;
function rfc(name: string): Uint8Array {
  const v = vectors.values[name];
  if (!v) throw new Error(`no RFC 8448 value ${name}`);
  return fromHex(v.hex);
}

/** The server certificate: the one entry of the RFC's Certificate message (8 bytes of headers, 2 at the end). */
const certDer = rfc('certificate').subarray(11, -2);
/** The RFC's RSA key (§2) as PKCS#8, for our server. */
const serverKey = new Uint8Array(
  createPrivateKey({
    format: 'jwk',
    key: Object.fromEntries(
      (
        [
          ['n', 'modulus'],
          ['e', 'public_exponent'],
          ['d', 'private_exponent'],
          ['p', 'prime1'],
          ['q', 'prime2'],
          ['dp', 'exponent1'],
          ['dq', 'exponent2'],
          ['qi', 'coefficient'],
        ] as const
      )
        .map(
          ([jwk, name]) =>
            [jwk, Buffer.from(rfc(`server_rsa_${name}`)).toString('base64url')] as [string, string],
        )
        .concat([['kty', 'RSA']]),
    ),
  }).export({ format: 'der', type: 'pkcs8' }),
);
/** 2018-10-01: inside the certificate's validity (2016-07-30 to 2026-07-30). */
const NOW = Date.UTC(2018, 9, 1);
const GROUPS = [0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104];
/** record_size_limit (RFC 8449), 2^14 + 1: both RFC endpoints send it; our engine does not act on it. */
const RECORD_SIZE_LIMIT: Extension13 = { kind: 'unknown', type: 0x1c, data: Uint8Array.of(0x40, 0x01) };

function scripted(script: Uint8Array[]): (n: number) => Uint8Array {
  return (n) => {
    const next = script.shift();
    if (!next || next.length !== n) throw new Error(`unscripted draw of ${n} bytes`);
    return next;
  };
}

const take = (ours: Extension13[], kind: Extension13['kind']) => ours.filter((e) => e.kind === kind);

/** The RFC client's ClientHello extension order (NSS's). */
function clientLayout(message: LaidOutMessage, ours: Extension13[]): Extension13[] {
  if (message !== 'client_hello') return ours;
  return [
    ...take(ours, 'server_name'),
    { kind: 'renegotiation_info', renegotiatedConnection: new Uint8Array(0) },
    ...take(ours, 'supported_groups'),
    { kind: 'session_ticket', ticket: new Uint8Array(0) },
    ...take(ours, 'key_share'),
    ...take(ours, 'supported_versions'),
    ...take(ours, 'signature_algorithms'),
    ...take(ours, 'psk_key_exchange_modes'),
    RECORD_SIZE_LIMIT,
  ];
}

/** The RFC server's ServerHello order (key_share first) and EncryptedExtensions (its groups, the server_name ack). */
function serverLayout(message: LaidOutMessage, ours: Extension13[]): Extension13[] {
  if (message === 'server_hello') return [...take(ours, 'key_share'), ...take(ours, 'supported_versions')];
  if (message === 'encrypted_extensions')
    return [
      { kind: 'supported_groups', groups: GROUPS },
      RECORD_SIZE_LIMIT,
      { kind: 'server_name', names: [] },
      ...ours,
    ];
  return ours;
}

function newRfcClient(): Client13State {
  return newClient13({
    serverName: 'server',
    verifier: pinnedVerifier(certDer),
    now: () => NOW,
    random: scripted([rfc('client_random'), rfc('client_x25519_private')]),
    middleboxCompat: false,
    suites: [0x1301, 0x1303, 0x1302],
    groups: GROUPS,
    signatureSchemes: [
      0x0403, 0x0503, 0x0603, 0x0203, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0201, 0x0402, 0x0502,
      0x0602, 0x0202,
    ],
    extensionLayout: clientLayout,
    coalesceHandshake: true,
  });
}

function rfcSignature(): Uint8Array {
  const cv = decodeHandshake13(rfc('certificate_verify')).message;
  if (cv.type !== 'certificate_verify') throw new Error('certificate_verify is a CertificateVerify');
  return cv.message.signature;
}

function newRfcServer(): Server13State {
  return newServer13({
    certificates: [{ chain: [certDer], privateKey: serverKey }],
    now: () => NOW,
    random: scripted([
      rfc('server_x25519_private'),
      rfc('server_random'),
      pssSalt(certDer, rfcSignature()),
      fromHex('fad6aac5'), // ticket_age_add, as the RFC's NewSessionTicket has it
      new Uint8Array(192), // our ticket's opaque bytes (ours is 192 bytes long, the RFC's 178)
    ]),
    middleboxCompat: false,
    tickets: 1,
    extensionLayout: serverLayout,
    coalesceHandshake: true,
  });
}

interface Side<S> {
  state: S;
  events: AnyEngineEvent[];
}
type Stepper<S> = (s: S, i: Input) => Promise<{ state: S; events: AnyEngineEvent[] }>;

/** Steps one side and returns what it sent in that step. */
async function step<S>(side: Side<S>, f: Stepper<S>, input: Input): Promise<Uint8Array[]> {
  const r = await f(side.state, input);
  side.state = r.state;
  side.events.push(...r.events);
  return r.events.flatMap((e) => (e.kind === 'send' ? [e.bytes] : []));
}

const hex = (bytes: readonly Uint8Array[]) => bytes.map((b) => toHex(b));
const bytes = (data: Uint8Array): Input => ({ kind: 'bytes', data });

/** The whole §3 conversation, each side fed the RFC's records of the other. */
async function run() {
  const client: Side<Client13State> = { state: newRfcClient(), events: [] };
  const server: Side<Server13State> = { state: newRfcServer(), events: [] };
  const c = (i: Input) => step(client, client13Step, i);
  const s = (i: Input) => step(server, server13Step, i);
  const sent = {
    clientHello: await c({ kind: 'start' }),
    serverFlight: await s(bytes(rfc('client_hello_record'))),
    clientFinished: await c(bytes(concatBytes(rfc('server_hello_record'), rfc('server_handshake_record')))),
    serverTicket: await s(bytes(rfc('client_finished_record'))),
    clientAfterTicket: await c(bytes(rfc('new_session_ticket_record'))),
    clientData: await c({ kind: 'application-data', data: rfc('client_application_data') }),
    serverAfterData: await s(bytes(rfc('client_application_data_record'))),
    serverData: await s({ kind: 'application-data', data: rfc('server_application_data') }),
    clientAfterData: await c(bytes(rfc('server_application_data_record'))),
    clientClose: await c({ kind: 'close' }),
    serverClose: await s(bytes(rfc('client_close_notify_record'))),
  };
  return { client, server, sent };
}

function messageBytes(events: AnyEngineEvent[], from: 'client' | 'server', name: string): string[] {
  return events.flatMap((e) =>
    e.kind === 'message' && e.from === from && e.name === name ? [toHex(e.bytes)] : [],
  );
}

function keyLog(events: AnyEngineEvent[]): string[] | undefined {
  const done = events.find((e) => e.kind === 'handshake_complete');
  return done?.kind === 'handshake_complete' && 'keyLog' in done.summary ? done.summary.keyLog : undefined;
}

describe('RFC 8448 §3 Simple 1-RTT Handshake, regenerated by our client and server', () => {
  it('client: ClientHello, the protected Finished, application data and close_notify, byte for byte', async () => {
    const { client, sent } = await run();
    expect(hex(sent.clientHello)).toEqual(hex([rfc('client_hello_record')]));
    expect(hex(sent.clientFinished)).toEqual(hex([rfc('client_finished_record')]));
    expect(messageBytes(client.events, 'client', 'finished')).toEqual(hex([rfc('client_finished')]));
    expect(hex(sent.clientAfterTicket)).toEqual([]);
    expect(hex(sent.clientData)).toEqual(hex([rfc('client_application_data_record')]));
    expect(hex(sent.clientClose)).toEqual(hex([rfc('client_close_notify_record')]));
  });

  it("client: verifies the RFC's certificate (pinned), CertificateVerify and Finished, reads its ticket and data", async () => {
    const { client } = await run();
    expect(client.state.name).toBe('Closed');
    expect(messageBytes(client.events, 'server', 'new_session_ticket')).toEqual(
      hex([rfc('new_session_ticket')]),
    );
    const data = client.events.find((e) => e.kind === 'application_data' && e.from === 'server');
    expect(data?.kind === 'application_data' && toHex(data.data)).toBe(toHex(rfc('server_application_data')));
    expect(
      client.events.some((e) => e.kind === 'alert' && e.from === 'client' && e.name !== 'close_notify'),
    ).toBe(false);
  });

  it('server: ServerHello, then EncryptedExtensions to Finished in one protected record, byte for byte', async () => {
    const { server, sent } = await run();
    expect(hex(sent.serverFlight)).toEqual(hex([rfc('server_hello_record'), rfc('server_handshake_record')]));
    const m = (name: string) => messageBytes(server.events, 'server', name);
    expect(m('encrypted_extensions')).toEqual(hex([rfc('encrypted_extensions')]));
    expect(m('certificate')).toEqual(hex([rfc('certificate')]));
    expect(m('certificate_verify')).toEqual(hex([rfc('certificate_verify')]));
    expect(m('finished')).toEqual(hex([rfc('server_finished')]));
    const flight = server.events.find(
      (e) => e.kind === 'record' && e.from === 'server' && e.seq === '0' && e.encrypted,
    );
    const ids = server.events.flatMap((e) =>
      e.kind === 'message' && e.from === 'server' && e.encrypted && e.name !== 'new_session_ticket'
        ? [e.id]
        : [],
    );
    expect(ids).toHaveLength(4);
    expect(flight?.kind === 'record' && flight.carries).toEqual(ids);
  });

  it("server: accepts the RFC client's Finished; its application data and close_notify records, byte for byte", async () => {
    const { server, sent } = await run();
    const data = server.events.find((e) => e.kind === 'application_data' && e.from === 'client');
    expect(data?.kind === 'application_data' && toHex(data.data)).toBe(toHex(rfc('client_application_data')));
    // Our NewSessionTicket takes sequence number 0 as the RFC's does, so the data record is the RFC's at 1.
    expect(sent.serverTicket).toHaveLength(1);
    expect(hex(sent.serverData)).toEqual(hex([rfc('server_application_data_record')]));
    expect(hex(sent.serverClose)).toEqual(hex([rfc('server_close_notify_record')]));
    expect(server.state.name).toBe('Closed');
  });

  it('both: the traffic secrets of the RFC in the NSS key log', async () => {
    const { client, server } = await run();
    const random = toHex(rfc('client_random'));
    const line = (label: string, name: string) => `${label} ${random} ${toHex(rfc(name))}`;
    const expected = [
      line('SERVER_HANDSHAKE_TRAFFIC_SECRET', 'server_handshake_traffic_secret'),
      line('CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'client_handshake_traffic_secret'),
      line('EXPORTER_SECRET', 'exporter_master_secret'),
      line('SERVER_TRAFFIC_SECRET_0', 'server_application_traffic_secret_0'),
      line('CLIENT_TRAFFIC_SECRET_0', 'client_application_traffic_secret_0'),
    ];
    expect(keyLog(client.events)).toEqual(expected);
    expect(keyLog(server.events)).toEqual(expected);
  });

  it('the vectors hang together: §2 primes multiply to the modulus, which is the certificate key', () => {
    const big = (name: string) => BigInt(`0x${toHex(rfc(name))}`);
    expect(big('server_rsa_prime1') * big('server_rsa_prime2')).toBe(big('server_rsa_modulus'));
    const key = parseCertificate(certDer).publicKey;
    expect(key.kind === 'rsa' && key.rsa.n).toBe(big('server_rsa_modulus'));
    expect(toHex(rfc('client_hello_record').subarray(11, 43))).toBe(toHex(rfc('client_random')));
    expect(toHex(rfc('server_hello_record').subarray(11, 43))).toBe(toHex(rfc('server_random')));
  });

  it("verifies the RFC's CertificateVerify as it stands (rsa_pss_rsae_sha256 over the 1.3 signed content)", async () => {
    const transcript = concatBytes(
      rfc('client_hello_record').subarray(5),
      rfc('server_hello_record').subarray(5),
      rfc('encrypted_extensions'),
      rfc('certificate'),
    );
    const content = certificateVerifyContent('server', hashSync('sha256', transcript));
    const key = parseCertificate(certDer).publicKey;
    expect(await verifyWithScheme(key, 0x0804, content, rfcSignature())).toBe(true);
    content[content.length - 1]! ^= 1;
    expect(await verifyWithScheme(key, 0x0804, content, rfcSignature())).toBe(false);
  });
});
