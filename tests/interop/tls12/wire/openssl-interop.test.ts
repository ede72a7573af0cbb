/**
 * The wire codecs against real OpenSSL 3 bytes: full TLS 1.2 handshakes between Node's tls client and
 * server (ECDHE and static RSA, with and without client certificates, session tickets) and ClientHellos
 * from the `openssl s_client` CLI. Every plaintext handshake message must decode, re-encode byte for byte
 * and have spans covering it exactly; the ServerKeyExchange signature must verify over the raw params.
 */
import { createPublicKey, createVerify, constants, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { concatBytes, toHex } from '../../../../src/lib/bytes/index.ts';
import {
  ContentType,
  decodeHandshake,
  encodeHandshake,
  findExtension,
  HandshakeReassembler,
  keyExchangeOf,
  RecordSplitter,
  SignatureScheme,
  type HandshakeMessage,
} from '../../../../src/lib/tls12/wire/index.ts';
import {
  caCertPem,
  captureHandshake,
  captureOpensslClientHello,
  serverCertPem,
  serverKeyPem,
} from './openssl-capture.ts';
import { spanProblems } from '../../../unit/tls12/wire/span-check.ts';

interface Flight {
  messages: HandshakeMessage[];
  raw: Uint8Array[];
  recordTypes: number[];
}

/**
 * Splits one direction into records and decodes the plaintext handshake messages (those before its
 * ChangeCipherSpec), checking round trip and span coverage for each.
 */
function decodeDirection(stream: Uint8Array, keyExchange?: 'ecdhe' | 'rsa'): Flight {
  const splitter = new RecordSplitter();
  const records = splitter.push(stream);
  splitter.end();
  const reassembler = new HandshakeReassembler();
  const flight: Flight = { messages: [], raw: [], recordTypes: records.map((r) => r.record.contentType) };
  for (const { record } of records) {
    if (record.contentType === ContentType.values.change_cipher_spec) break;
    if (record.contentType !== ContentType.values.handshake) continue;
    for (const m of reassembler.push(record.fragment)) {
      const { message, spans } = decodeHandshake(m.bytes, { keyExchange });
      expect(toHex(encodeHandshake(message)), `${message.type} round trip`).toBe(toHex(m.bytes));
      expect(spanProblems(spans, 0, m.bytes.length), `${message.type} spans`).toEqual([]);
      flight.messages.push(message);
      flight.raw.push(m.bytes);
    }
  }
  expect(reassembler.hasPartial).toBe(false);
  return flight;
}

function only<T extends HandshakeMessage['type']>(
  flight: Flight,
  type: T,
): Extract<HandshakeMessage, { type: T }> {
  const found = flight.messages.filter((m): m is Extract<HandshakeMessage, { type: T }> => m.type === type);
  expect(found, `exactly one ${type}`).toHaveLength(1);
  return found[0]!;
}

/** Verifies a TLS 1.2 ServerKeyExchange signature (RFC 5246 §7.4.3) with node:crypto. */
function verifySke(
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  params: Uint8Array,
  scheme: number,
  signature: Uint8Array,
): boolean {
  const name = SignatureScheme.format(scheme);
  const hash = /sha(256|384|512)$/.exec(name)?.[1];
  if (!hash) throw new Error(`unexpected signature scheme ${name}`);
  const verifier = createVerify(`sha${hash}`);
  verifier.update(concatBytes(clientRandom, serverRandom, params));
  const key = createPublicKey(serverCertPem);
  if (name.startsWith('rsa_pss_rsae_')) {
    return verifier.verify(
      { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(hash) / 8 },
      signature,
    );
  }
  return verifier.verify(key, signature);
}

const serverDer = new Uint8Array(new X509Certificate(serverCertPem).raw);

describe('TLS 1.2 handshakes produced by OpenSSL (Node tls client and server)', () => {
  it('ECDHE-RSA with SNI, ALPN and a session ticket: every plaintext message decodes and re-encodes exactly', async () => {
    const capture = await captureHandshake(
      { ALPNProtocols: ['h2', 'http/1.1'], ecdhCurve: 'X25519' },
      { maxVersion: 'TLSv1.2', servername: 'example.ulfheim.net', ALPNProtocols: ['http/1.1'] },
    );
    const client = decodeDirection(capture.clientToServer, 'ecdhe');
    const server = decodeDirection(capture.serverToClient, 'ecdhe');

    const hello = only(client, 'client_hello');
    expect(findExtension(hello.extensions, 'server_name')?.names).toEqual([
      { nameType: 0, hostName: 'example.ulfheim.net' },
    ]);
    expect(findExtension(hello.extensions, 'alpn')?.protocols).toEqual(['http/1.1']);
    expect(findExtension(hello.extensions, 'extended_master_secret')).toBeDefined();
    expect(findExtension(hello.extensions, 'session_ticket')?.ticket).toEqual(new Uint8Array(0));

    const serverHello = only(server, 'server_hello');
    expect(serverHello.serverVersion).toBe(0x0303);
    expect(keyExchangeOf(serverHello.cipherSuite)).toBe('ecdhe');
    expect(findExtension(serverHello.extensions, 'alpn')?.protocols).toEqual(['http/1.1']);
    expect(only(server, 'certificate').certificates.map((c) => toHex(c))).toEqual([toHex(serverDer)]);
    const ske = only(server, 'server_key_exchange');
    if (ske.kind !== 'ecdhe') throw new Error('expected an ECDHE ServerKeyExchange');
    expect(ske.namedCurve).toBe(29);
    expect(ske.publicKey).toHaveLength(32);
    expect(verifySke(hello.random, serverHello.random, ske.params, ske.signatureScheme, ske.signature)).toBe(
      true,
    );
    only(server, 'server_hello_done');
    // RFC 5077 §3.3: the NewSessionTicket precedes the server's ChangeCipherSpec, in plaintext.
    expect(only(server, 'new_session_ticket').ticket.length).toBeGreaterThan(0);

    const cke = only(client, 'client_key_exchange');
    expect(cke.kind === 'ecdhe' && cke.publicKey.length).toBe(32);
    expect(client.recordTypes).toContain(ContentType.values.change_cipher_spec);
  });

  it('ECDHE over secp256r1: 65-byte uncompressed points', async () => {
    const capture = await captureHandshake({ ecdhCurve: 'prime256v1' }, { maxVersion: 'TLSv1.2' });
    const client = decodeDirection(capture.clientToServer, 'ecdhe');
    const server = decodeDirection(capture.serverToClient, 'ecdhe');
    const ske = only(server, 'server_key_exchange');
    if (ske.kind !== 'ecdhe') throw new Error('expected an ECDHE ServerKeyExchange');
    expect(ske.namedCurve).toBe(23);
    expect(ske.publicKey[0]).toBe(4);
    expect(ske.publicKey).toHaveLength(65);
    const hello = only(client, 'client_hello');
    const serverHello = only(server, 'server_hello');
    expect(verifySke(hello.random, serverHello.random, ske.params, ske.signatureScheme, ske.signature)).toBe(
      true,
    );
    const cke = only(client, 'client_key_exchange');
    expect(cke.kind === 'ecdhe' && cke.publicKey.length).toBe(65);
  });

  it('static RSA key exchange: no ServerKeyExchange, a 256-byte encrypted pre-master secret', async () => {
    const capture = await captureHandshake(
      { ciphers: 'AES128-GCM-SHA256' },
      { maxVersion: 'TLSv1.2', ciphers: 'AES128-GCM-SHA256' },
    );
    const server = decodeDirection(capture.serverToClient, 'rsa');
    expect(only(server, 'server_hello').cipherSuite).toBe(0x009c);
    expect(server.messages.map((m) => m.type)).not.toContain('server_key_exchange');
    const client = decodeDirection(capture.clientToServer, 'rsa');
    const cke = only(client, 'client_key_exchange');
    expect(cke.kind === 'rsa' && cke.encryptedPreMasterSecret.length).toBe(256);
  });

  it('client authentication: CertificateRequest with the CA name, client Certificate and CertificateVerify', async () => {
    const capture = await captureHandshake(
      { requestCert: true, rejectUnauthorized: false, ca: caCertPem },
      { maxVersion: 'TLSv1.2', key: serverKeyPem, cert: serverCertPem },
    );
    const server = decodeDirection(capture.serverToClient, 'ecdhe');
    const request = only(server, 'certificate_request');
    expect(request.certificateTypes).toContain(1); // rsa_sign
    expect(request.signatureSchemes).toContain(SignatureScheme.values.rsa_pss_rsae_sha256);
    const caSubject = new Uint8Array(
      Buffer.from(new X509Certificate(caCertPem).subject ? caSubjectDer() : []),
    );
    expect(request.certificateAuthorities.map((n) => toHex(n))).toEqual([toHex(caSubject)]);
    const client = decodeDirection(capture.clientToServer, 'ecdhe');
    expect(client.messages.map((m) => m.type)).toEqual([
      'client_hello',
      'certificate',
      'client_key_exchange',
      'certificate_verify',
    ]);
    expect(only(client, 'certificate').certificates.map((c) => toHex(c))).toEqual([toHex(serverDer)]);
    expect(only(client, 'certificate_verify').signature).toHaveLength(256);
  });
});

/** DER of the CA certificate's subject Name, cut out of the certificate (tbsCertificate.subject). */
function caSubjectDer(): Uint8Array {
  // Subject of ca.crt is C=US, O=Example CA: SEQUENCE { SET { SEQ { 2.5.4.6, PrintableString "US" } }, SET { SEQ { 2.5.4.10, PrintableString "Example CA" } } }
  const der = new Uint8Array(new X509Certificate(caCertPem).raw);
  const needle = [0x31, 0x0b, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x06];
  // The issuer and subject are identical (self-signed); the subject is the second occurrence.
  const hits: number[] = [];
  for (let i = 2; i < der.length - needle.length; i++) {
    if (needle.every((b, j) => der[i + j] === b)) hits.push(i);
  }
  const at = hits[1]! - 2; // the Name's SEQUENCE header (30 len) precedes the first SET
  return der.subarray(at, at + 2 + der[at + 1]!);
}

describe('ClientHellos from the openssl s_client CLI', () => {
  const cases: [string, string[]][] = [
    ['-tls1_2 with SNI', ['-tls1_2', '-servername', 'example.ulfheim.net']],
    ['-tls1_2 with ALPN and status_request', ['-tls1_2', '-alpn', 'h2,http/1.1', '-status']],
    ['default (TLS 1.3-capable hello with key_share and supported_versions)', []],
  ];

  it.each(cases)('%s decodes, re-encodes byte for byte, and spans cover it', async (_name, args) => {
    const bytes = await captureOpensslClientHello(args);
    const splitter = new RecordSplitter();
    const records = splitter.push(bytes);
    expect(records.length).toBeGreaterThan(0);
    const messages = new HandshakeReassembler().push(concatBytes(...records.map((r) => r.record.fragment)));
    expect(messages).toHaveLength(1);
    const { message, spans } = decodeHandshake(messages[0]!.bytes);
    if (message.type !== 'client_hello') throw new Error(`expected a ClientHello, got ${message.type}`);
    expect(toHex(encodeHandshake(message))).toBe(toHex(messages[0]!.bytes));
    expect(spanProblems(spans, 0, messages[0]!.bytes.length)).toEqual([]);
    if (args.includes('-servername')) {
      expect(findExtension(message.extensions, 'server_name')?.names[0]?.hostName).toBe(
        'example.ulfheim.net',
      );
    }
    if (args.includes('-alpn')) {
      expect(findExtension(message.extensions, 'alpn')?.protocols).toEqual(['h2', 'http/1.1']);
      const status = findExtension(message.extensions, 'status_request');
      expect(status?.request).toEqual({
        statusType: 1,
        responderIds: [],
        requestExtensions: new Uint8Array(0),
      });
    }
    if (args.length === 0) {
      // supported_versions (43) and key_share (51) are kept as unknown extensions, byte for byte.
      const unknown = message.extensions?.filter((e) => e.kind === 'unknown').map((e) => e.type);
      expect(unknown).toEqual(expect.arrayContaining([43, 51]));
    }
  });
});
