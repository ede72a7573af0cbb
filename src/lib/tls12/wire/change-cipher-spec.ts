/**
 * RFC 5246 §7.1 ChangeCipherSpec (the content of a change_cipher_spec record):
 *
 *   struct { enum { change_cipher_spec(1), (255) } type; } ChangeCipherSpec;
 */
import { Reader } from '../../bytes/index.ts';
import type { Decoded } from './decoded.ts';

export const CHANGE_CIPHER_SPEC_TYPE = 1;

export interface ChangeCipherSpec {
  type: 1;
}

export function readChangeCipherSpec(r: Reader): ChangeCipherSpec {
  return r.node('change_cipher_spec', () => {
    const at = r.offset;
    const type = r.u8('change_cipher_spec.type', {
      show: (t) => (t === 1 ? 'change_cipher_spec' : `unknown(${t})`),
    });
    if (type !== CHANGE_CIPHER_SPEC_TYPE) {
      r.fail('invalid-value', 'change_cipher_spec.type', `must be 1, got ${type}`, at);
    }
    return { type: 1 as const };
  });
}

/** Decodes exactly the one byte 0x01. */
export function decodeChangeCipherSpec(bytes: Uint8Array): Decoded<ChangeCipherSpec> {
  const r = new Reader(bytes);
  const message = readChangeCipherSpec(r);
  r.expectEnd('change_cipher_spec');
  return { message, spans: r.spans };
}

export function encodeChangeCipherSpec(): Uint8Array {
  return new Uint8Array([CHANGE_CIPHER_SPEC_TYPE]);
}
