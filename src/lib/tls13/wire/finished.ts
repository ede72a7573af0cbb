/**
 * RFC 8446 §4.4.4 Finished: `struct { opaque verify_data[Hash.length]; } Finished;` (32 or 48 bytes here, by the
 * suite's hash; 1.2's is 12). CertificateVerify (§4.4.3) has 1.2's DigitallySigned layout, so tls12/wire's
 * codec serves both versions (re-exported from this folder's index).
 */
import { type Reader, type Writer } from '../../bytes/index.ts';
import { HandshakeType } from '../../tls12/wire/code-points.ts';
import type { Decoded } from '../../tls12/wire/decoded.ts';
import type { Finished } from '../../tls12/wire/finished.ts';
import { decodeHandshakeMessage, encodeHandshakeMessage } from '../../tls12/wire/handshake-header.ts';

const HASH_LENGTHS = [32, 48];

export function readFinished13(r: Reader): Finished {
  if (!HASH_LENGTHS.includes(r.remaining))
    r.fail(
      'invalid-value',
      'handshake.header.length',
      `verify_data must be 32 or 48 bytes (the suite's hash), got ${r.remaining}`,
      r.offset - 3,
    );
  return { verifyData: r.rest('finished.verify_data') };
}

export function writeFinished13(w: Writer, m: Finished): void {
  if (!HASH_LENGTHS.includes(m.verifyData.length))
    throw new RangeError(`Finished: verify_data must be 32 or 48 bytes, got ${m.verifyData.length}`);
  w.bytes(m.verifyData);
}

export function decodeFinished13(bytes: Uint8Array): Decoded<Finished> {
  return decodeHandshakeMessage(bytes, HandshakeType.values.finished, 'finished', readFinished13);
}

export function encodeFinished13(m: Finished): Uint8Array {
  return encodeHandshakeMessage(HandshakeType.values.finished, (w) => writeFinished13(w, m));
}
