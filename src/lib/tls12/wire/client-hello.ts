/**
 * RFC 5246 §7.4.1.2 ClientHello:
 *
 *   struct {
 *       ProtocolVersion client_version;
 *       Random random;
 *       SessionID session_id;
 *       CipherSuite cipher_suites<2..2^16-2>;
 *       CompressionMethod compression_methods<1..2^8-1>;
 *       select (extensions_present) {
 *           case false: struct {};
 *           case true:  Extension extensions<0..2^16-1>;
 *       };
 *   } ClientHello;
 */
import { type Reader, type Writer } from '../../bytes/index.ts';
import { CipherSuite, CompressionMethod, HandshakeType, versionName } from './code-points.ts';
import type { Decoded } from './decoded.ts';
import { readExtensions, writeExtensions, type Extension } from './extensions.ts';
import { decodeHandshakeMessage, encodeHandshakeMessage } from './handshake-header.ts';
import { checkRandom, checkSessionId, readRandom, readSessionId } from './random.ts';

export interface ClientHello {
  clientVersion: number;
  /** 32 bytes. */
  random: Uint8Array;
  /** 0..32 bytes. */
  sessionId: Uint8Array;
  cipherSuites: number[];
  compressionMethods: number[];
  /** Undefined when the extensions block is absent (not the same as present and empty). */
  extensions?: Extension[];
}

export function readClientHello(r: Reader): ClientHello {
  const clientVersion = r.u16('client_hello.client_version', { show: versionName });
  const random = readRandom(r, 'client_hello.random');
  const sessionId = readSessionId(r, 'client_hello.session_id');
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
  const compressionMethods = r.list(
    8,
    'client_hello.compression_methods',
    (s, id) => s.u8(id, { show: CompressionMethod.format }),
    { min: 1 },
  );
  const extensions = readExtensions(r, 'client_hello');
  const hello: ClientHello = { clientVersion, random, sessionId, cipherSuites, compressionMethods };
  if (extensions !== undefined) hello.extensions = extensions;
  return hello;
}

export function writeClientHello(w: Writer, m: ClientHello): void {
  checkRandom(m.random, 'ClientHello');
  checkSessionId(m.sessionId, 'ClientHello');
  if (m.cipherSuites.length === 0) throw new RangeError('ClientHello: cipher_suites must not be empty');
  if (m.compressionMethods.length === 0)
    throw new RangeError('ClientHello: compression_methods must not be empty');
  w.u16(m.clientVersion);
  w.bytes(m.random);
  w.vec8(m.sessionId);
  w.lengthPrefixed(16, (list) => m.cipherSuites.forEach((s) => list.u16(s)));
  w.lengthPrefixed(8, (list) => m.compressionMethods.forEach((c) => list.u8(c)));
  writeExtensions(w, m.extensions);
}

/** Decodes a whole ClientHello handshake message (4-byte header + body). */
export function decodeClientHello(bytes: Uint8Array): Decoded<ClientHello> {
  return decodeHandshakeMessage(bytes, HandshakeType.values.client_hello, 'client_hello', readClientHello);
}

/** Encodes a whole ClientHello handshake message (4-byte header + body). */
export function encodeClientHello(m: ClientHello): Uint8Array {
  return encodeHandshakeMessage(HandshakeType.values.client_hello, (w) => writeClientHello(w, m));
}
