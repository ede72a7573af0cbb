/**
 * RFC 5246 §7.4.9 Finished:
 *
 *   struct { opaque verify_data[verify_data_length]; } Finished;
 *
 * "In previous versions of TLS, the verify_data was always 12 octets long. In the current version of TLS,
 * it depends on the cipher suite. Any cipher suite which does not explicitly specify verify_data_length has
 * a verify_data_length equal to 12." No TLS 1.2 suite specifies another length, so 12 is required.
 */
import { type Reader, type Writer } from '../../bytes/index.ts';
import { HandshakeType } from './code-points.ts';
import type { Decoded } from './decoded.ts';
import { decodeHandshakeMessage, encodeHandshakeMessage } from './handshake-header.ts';

export const VERIFY_DATA_LENGTH = 12;

export interface Finished {
  verifyData: Uint8Array;
}

export function readFinished(r: Reader): Finished {
  if (r.remaining !== VERIFY_DATA_LENGTH) {
    r.fail(
      'invalid-value',
      'handshake.header.length',
      `verify_data must be ${VERIFY_DATA_LENGTH} bytes, got ${r.remaining}`,
      r.offset - 3,
    );
  }
  return { verifyData: r.bytes(VERIFY_DATA_LENGTH, 'finished.verify_data') };
}

export function writeFinished(w: Writer, m: Finished): void {
  if (m.verifyData.length !== VERIFY_DATA_LENGTH) {
    throw new RangeError(
      `Finished: verify_data must be ${VERIFY_DATA_LENGTH} bytes, got ${m.verifyData.length}`,
    );
  }
  w.bytes(m.verifyData);
}

export function decodeFinished(bytes: Uint8Array): Decoded<Finished> {
  return decodeHandshakeMessage(bytes, HandshakeType.values.finished, 'finished', readFinished);
}

export function encodeFinished(m: Finished): Uint8Array {
  return encodeHandshakeMessage(HandshakeType.values.finished, (w) => writeFinished(w, m));
}
