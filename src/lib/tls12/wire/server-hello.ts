/**
 * RFC 5246 §7.4.1.3 ServerHello:
 *
 *   struct {
 *       ProtocolVersion server_version;
 *       Random random;
 *       SessionID session_id;
 *       CipherSuite cipher_suite;
 *       CompressionMethod compression_method;
 *       select (extensions_present) {
 *           case false: struct {};
 *           case true:  Extension extensions<0..2^16-1>;
 *       };
 *   } ServerHello;
 */
import { type Reader, type Writer } from '../../bytes/index.ts';
import { CipherSuite, CompressionMethod, HandshakeType, versionName } from './code-points.ts';
import type { Decoded } from './decoded.ts';
import { readExtensions, writeExtensions, type Extension } from './extensions.ts';
import { decodeHandshakeMessage, encodeHandshakeMessage } from './handshake-header.ts';
import { checkRandom, checkSessionId, readRandom, readSessionId } from './random.ts';

export interface ServerHello {
  serverVersion: number;
  random: Uint8Array;
  sessionId: Uint8Array;
  cipherSuite: number;
  compressionMethod: number;
  /** Undefined when the extensions block is absent. */
  extensions?: Extension[];
}

export function readServerHello(r: Reader): ServerHello {
  const serverVersion = r.u16('server_hello.server_version', { show: versionName });
  const random = readRandom(r, 'server_hello.random');
  const sessionId = readSessionId(r, 'server_hello.session_id');
  const cipherSuite = r.u16('server_hello.cipher_suite', { show: CipherSuite.format });
  const compressionMethod = r.u8('server_hello.compression_method', { show: CompressionMethod.format });
  const extensions = readExtensions(r, 'server_hello');
  const hello: ServerHello = { serverVersion, random, sessionId, cipherSuite, compressionMethod };
  if (extensions !== undefined) hello.extensions = extensions;
  return hello;
}

export function writeServerHello(w: Writer, m: ServerHello): void {
  checkRandom(m.random, 'ServerHello');
  checkSessionId(m.sessionId, 'ServerHello');
  w.u16(m.serverVersion);
  w.bytes(m.random);
  w.vec8(m.sessionId);
  w.u16(m.cipherSuite);
  w.u8(m.compressionMethod);
  writeExtensions(w, m.extensions);
}

export function decodeServerHello(bytes: Uint8Array): Decoded<ServerHello> {
  return decodeHandshakeMessage(bytes, HandshakeType.values.server_hello, 'server_hello', readServerHello);
}

export function encodeServerHello(m: ServerHello): Uint8Array {
  return encodeHandshakeMessage(HandshakeType.values.server_hello, (w) => writeServerHello(w, m));
}
