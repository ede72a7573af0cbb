/**
 * Handshake messages with an empty body:
 *   RFC 5246 §7.4.5 ServerHelloDone: `struct { } ServerHelloDone;`
 *   RFC 5246 §7.4.1.1 HelloRequest: `struct { } HelloRequest;`
 * A non-empty body is rejected.
 */
import { type Reader } from '../../bytes/index.ts';
import { HandshakeType } from './code-points.ts';
import type { Decoded } from './decoded.ts';
import { decodeHandshakeMessage, encodeHandshakeMessage } from './handshake-header.ts';

export type ServerHelloDone = Record<string, never>;
export type HelloRequest = Record<string, never>;

function readEmpty(r: Reader, id: string): Record<string, never> {
  if (!r.atEnd)
    r.fail(
      'invalid-value',
      'handshake.header.length',
      `${id} must have an empty body, got ${r.remaining} bytes`,
      r.offset - 3,
    );
  return {};
}

export function readServerHelloDone(r: Reader): ServerHelloDone {
  return readEmpty(r, 'server_hello_done');
}

export function decodeServerHelloDone(bytes: Uint8Array): Decoded<ServerHelloDone> {
  return decodeHandshakeMessage(
    bytes,
    HandshakeType.values.server_hello_done,
    'server_hello_done',
    readServerHelloDone,
  );
}

export function encodeServerHelloDone(): Uint8Array {
  return encodeHandshakeMessage(HandshakeType.values.server_hello_done, () => {});
}

export function readHelloRequest(r: Reader): HelloRequest {
  return readEmpty(r, 'hello_request');
}

export function decodeHelloRequest(bytes: Uint8Array): Decoded<HelloRequest> {
  return decodeHandshakeMessage(bytes, HandshakeType.values.hello_request, 'hello_request', readHelloRequest);
}

export function encodeHelloRequest(): Uint8Array {
  return encodeHandshakeMessage(HandshakeType.values.hello_request, () => {});
}
