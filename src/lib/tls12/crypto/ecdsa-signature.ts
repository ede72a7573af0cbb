/**
 * ECDSA signature formats. TLS carries `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` in DER
 * (RFC 4492 §5.4, RFC 8422 §5.4; X9.62); WebCrypto produces and expects the IEEE P1363 form r || s with
 * each half left-padded to the field size (W3C WebCrypto §23 "ECDSA", "Signature format").
 */
import { CryptoError } from './errors.ts';
import {
  TAG_INTEGER,
  TAG_SEQUENCE,
  encodeElement,
  encodeUnsignedInteger,
  expectTag,
  integerToFixed,
  readChildren,
  readSingle,
} from './der.ts';
import { concatBytes } from './bytes-util.ts';

/** r || s (each `fieldBytes` long) -> DER ECDSA-Sig-Value. */
export function ecdsaRawToDer(raw: Uint8Array, fieldBytes: number): Uint8Array {
  if (raw.length !== 2 * fieldBytes) {
    throw new CryptoError(
      'invalid-input',
      `ECDSA raw signature: expected ${2 * fieldBytes} bytes, got ${raw.length}`,
    );
  }
  const r = encodeUnsignedInteger(raw.subarray(0, fieldBytes));
  const s = encodeUnsignedInteger(raw.subarray(fieldBytes));
  return encodeElement(TAG_SEQUENCE, concatBytes(r, s));
}

/**
 * DER ECDSA-Sig-Value -> r || s with each half `fieldBytes` long.
 * @throws CryptoError('invalid-input') on malformed DER or an integer wider than the field.
 */
export function ecdsaDerToRaw(der: Uint8Array, fieldBytes: number): Uint8Array {
  const seq = readSingle(der, TAG_SEQUENCE, 'ECDSA-Sig-Value');
  const children = readChildren(seq.value);
  if (children.length !== 2) {
    throw new CryptoError(
      'invalid-input',
      `ECDSA-Sig-Value: expected 2 INTEGERs, got ${children.length} elements`,
    );
  }
  const r = integerToFixed(expectTag(children[0], TAG_INTEGER, 'ECDSA-Sig-Value.r'), fieldBytes, 'r');
  const s = integerToFixed(expectTag(children[1], TAG_INTEGER, 'ECDSA-Sig-Value.s'), fieldBytes, 's');
  return concatBytes(r, s);
}
