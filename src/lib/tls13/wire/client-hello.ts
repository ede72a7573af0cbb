/**
 * RFC 8446 §4.1.2 ClientHello, as TLS 1.3 names its fields (the layout is 1.2's, kept for middleboxes):
 *
 *   struct {
 *       ProtocolVersion legacy_version = 0x0303;
 *       Random random;
 *       opaque legacy_session_id<0..32>;
 *       CipherSuite cipher_suites<2..2^16-2>;
 *       opaque legacy_compression_methods<1..2^8-1>;
 *       Extension extensions<8..2^16-1>;
 *   } ClientHello;
 */
import { type Reader, type Writer } from '../../bytes/index.ts';
import { CipherSuite, CompressionMethod, HandshakeType, versionName } from '../../tls12/wire/code-points.ts';
import type { Decoded } from '../../tls12/wire/decoded.ts';
import { decodeHandshakeMessage, encodeHandshakeMessage } from '../../tls12/wire/handshake-header.ts';
import { checkRandom, checkSessionId, readRandom, readSessionId } from '../../tls12/wire/random.ts';
import { readExtensions13, writeExtensions13, type Extension13 } from './extensions.ts';

export interface ClientHello13 {
  legacyVersion: number;
  random: Uint8Array;
  legacySessionId: Uint8Array;
  cipherSuites: number[];
  legacyCompressionMethods: number[];
  extensions: Extension13[];
}

export function readClientHello13(r: Reader): ClientHello13 {
  const legacyVersion = r.u16('client_hello.legacy_version', { show: versionName });
  const random = readRandom(r, 'client_hello.random');
  const legacySessionId = readSessionId(r, 'client_hello.legacy_session_id');
  const cipherSuites = r.list(
    16,
    'client_hello.cipher_suites',
    (s, id) => s.u16(id, { show: CipherSuite.format }),
    {
      min: 2,
      max: 0xfffe,
      elementSize: 2,
    },
  );
  const legacyCompressionMethods = r.list(
    8,
    'client_hello.legacy_compression_methods',
    (s, id) => s.u8(id, { show: CompressionMethod.format }),
    { min: 1 },
  );
  const extensions = readExtensions13(r, 'client_hello', 'client_hello', 8);
  return { legacyVersion, random, legacySessionId, cipherSuites, legacyCompressionMethods, extensions };
}

export function writeClientHello13(w: Writer, m: ClientHello13): void {
  checkRandom(m.random, 'ClientHello');
  checkSessionId(m.legacySessionId, 'ClientHello');
  w.u16(m.legacyVersion);
  w.bytes(m.random);
  w.vec8(m.legacySessionId);
  w.lengthPrefixed(16, (l) => m.cipherSuites.forEach((s) => l.u16(s)));
  w.lengthPrefixed(8, (l) => m.legacyCompressionMethods.forEach((c) => l.u8(c)));
  writeExtensions13(w, m.extensions);
}

export function decodeClientHello13(bytes: Uint8Array): Decoded<ClientHello13> {
  return decodeHandshakeMessage(bytes, HandshakeType.values.client_hello, 'client_hello', readClientHello13);
}

export function encodeClientHello13(m: ClientHello13): Uint8Array {
  return encodeHandshakeMessage(HandshakeType.values.client_hello, (w) => writeClientHello13(w, m));
}
