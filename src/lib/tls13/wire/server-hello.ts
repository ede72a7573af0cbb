/**
 * RFC 8446 §4.1.3 ServerHello, and §4.1.4 HelloRetryRequest (a ServerHello whose random is SHA-256("HelloRetryRequest")):
 *
 *   struct {
 *       ProtocolVersion legacy_version = 0x0303;
 *       Random random;
 *       opaque legacy_session_id_echo<0..32>;
 *       CipherSuite cipher_suite;
 *       uint8 legacy_compression_method = 0;
 *       Extension extensions<6..2^16-1>;
 *   } ServerHello;
 *
 * The random is read before the extensions, so a HelloRetryRequest's key_share is read as `selected_group`.
 */
import { bytesEqual, fromHex, type Reader, type Writer } from '../../bytes/index.ts';
import { CipherSuite, CompressionMethod, HandshakeType, versionName } from '../../tls12/wire/code-points.ts';
import type { Decoded } from '../../tls12/wire/decoded.ts';
import { decodeHandshakeMessage, encodeHandshakeMessage } from '../../tls12/wire/handshake-header.ts';
import { checkRandom, checkSessionId, readRandom, readSessionId } from '../../tls12/wire/random.ts';
import { readExtensions13, writeExtensions13, type Extension13 } from './extensions.ts';

/** RFC 8446 §4.1.3: the special Random of a HelloRetryRequest, SHA-256 of "HelloRetryRequest". */
export const HELLO_RETRY_REQUEST_RANDOM = fromHex(
  'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c',
);

export interface ServerHello13 {
  legacyVersion: number;
  random: Uint8Array;
  legacySessionIdEcho: Uint8Array;
  cipherSuite: number;
  legacyCompressionMethod: number;
  extensions: Extension13[];
}

export function isHelloRetryRequest(m: Pick<ServerHello13, 'random'>): boolean {
  return bytesEqual(m.random, HELLO_RETRY_REQUEST_RANDOM);
}

/**
 * An event log message's name, with a HelloRetryRequest told apart from the ServerHello whose type code it shares
 * (RFC 8446 §4.1.4: same type, the special random): what the CLI prints and the lab titles and explains it by.
 */
export function messageName(e: { name: string; message: { type: string; random?: Uint8Array } }): string {
  return e.message.type === 'server_hello' &&
    e.message.random &&
    isHelloRetryRequest({ random: e.message.random })
    ? 'hello_retry_request'
    : e.name;
}

export function readServerHello13(r: Reader): ServerHello13 {
  const legacyVersion = r.u16('server_hello.legacy_version', { show: versionName });
  const random = readRandom(r, 'server_hello.random');
  const legacySessionIdEcho = readSessionId(r, 'server_hello.legacy_session_id_echo');
  const cipherSuite = r.u16('server_hello.cipher_suite', { show: CipherSuite.format });
  const legacyCompressionMethod = r.u8('server_hello.legacy_compression_method', {
    show: CompressionMethod.format,
  });
  const context = bytesEqual(random, HELLO_RETRY_REQUEST_RANDOM) ? 'hello_retry_request' : 'server_hello';
  const extensions = readExtensions13(r, 'server_hello', context, 6);
  return { legacyVersion, random, legacySessionIdEcho, cipherSuite, legacyCompressionMethod, extensions };
}

export function writeServerHello13(w: Writer, m: ServerHello13): void {
  checkRandom(m.random, 'ServerHello');
  checkSessionId(m.legacySessionIdEcho, 'ServerHello');
  w.u16(m.legacyVersion);
  w.bytes(m.random);
  w.vec8(m.legacySessionIdEcho);
  w.u16(m.cipherSuite);
  w.u8(m.legacyCompressionMethod);
  writeExtensions13(w, m.extensions);
}

export function decodeServerHello13(bytes: Uint8Array): Decoded<ServerHello13> {
  return decodeHandshakeMessage(bytes, HandshakeType.values.server_hello, 'server_hello', readServerHello13);
}

export function encodeServerHello13(m: ServerHello13): Uint8Array {
  return encodeHandshakeMessage(HandshakeType.values.server_hello, (w) => writeServerHello13(w, m));
}
