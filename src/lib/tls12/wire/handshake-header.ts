/**
 * RFC 5246 §7.4 Handshake header:
 *
 *   struct { HandshakeType msg_type; uint24 length; select (HandshakeType) { ... } body; } Handshake;
 *
 * Encoders here produce whole handshake messages (header + body): exactly the bytes that go into the
 * transcript hash. Decoders take whole messages and record the header under `handshake.header`.
 */
import { Reader, Writer } from '../../bytes/index.ts';
import { HandshakeType } from './code-points.ts';
import type { Decoded } from './decoded.ts';

export const HANDSHAKE_HEADER_LENGTH = 4;
/** Largest body a uint24 length can describe. */
export const MAX_HANDSHAKE_BODY_LENGTH = 0xffffff;

export interface HandshakeHeader {
  msgType: number;
  length: number;
}

/** Reads the 4-byte header as node `handshake.header`. */
export function readHandshakeHeader(r: Reader): HandshakeHeader {
  return r.node('handshake.header', () => {
    const msgType = r.u8('handshake.header.msg_type', { show: HandshakeType.format });
    const length = r.u24('handshake.header.length');
    return { msgType, length };
  });
}

/**
 * Reads one whole handshake message of type `msgType` as node `id` (header + body); the body is read by
 * `readBody` on a sub-reader bounded by the header's length, which it must consume exactly.
 */
export function readHandshakeMessage<T>(
  r: Reader,
  msgType: number,
  id: string,
  readBody: (body: Reader) => T,
): T {
  return r.node(id, () => {
    const start = r.offset;
    const header = readHandshakeHeader(r);
    if (header.msgType !== msgType) {
      r.fail(
        'invalid-value',
        'handshake.header.msg_type',
        `expected ${HandshakeType.format(msgType)} (${msgType}), got ${HandshakeType.format(header.msgType)} (${header.msgType})`,
        start,
      );
    }
    const body = r.sub(header.length, id);
    const value = readBody(body);
    body.expectEnd(id);
    return value;
  });
}

/** Decodes exactly one whole handshake message of the given type from `bytes`; trailing bytes are an error. */
export function decodeHandshakeMessage<T>(
  bytes: Uint8Array,
  msgType: number,
  id: string,
  readBody: (body: Reader) => T,
): Decoded<T> {
  const r = new Reader(bytes);
  const message = readHandshakeMessage(r, msgType, id, readBody);
  r.expectEnd(id);
  return { message, spans: r.spans };
}

/** Writes header + body. */
export function writeHandshakeMessage(w: Writer, msgType: number, writeBody: (body: Writer) => void): void {
  w.u8(msgType);
  w.lengthPrefixed(24, writeBody);
}

/** Encodes a whole handshake message (header + body). */
export function encodeHandshakeMessage(msgType: number, writeBody: (body: Writer) => void): Uint8Array {
  const w = new Writer();
  writeHandshakeMessage(w, msgType, writeBody);
  return w.finish();
}
