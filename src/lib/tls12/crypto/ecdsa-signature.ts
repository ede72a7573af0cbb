/**
 * ECDSA signature formats. TLS carries `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` in DER
 * (RFC 4492 §5.4, RFC 8422 §5.4; X9.62); WebCrypto produces and expects the IEEE P1363 form r || s with
 * each half left-padded to the field size (W3C WebCrypto §23 "ECDSA", "Signature format").
 */
import { ecdsaRawToSig, ecdsaSigToRaw } from '../../bytes/der.ts';
import { asCryptoError } from './keys.ts';

/** r || s (each `fieldBytes` long) -> DER ECDSA-Sig-Value. @throws CryptoError('invalid-input') on a wrong length. */
export function ecdsaRawToDer(raw: Uint8Array, fieldBytes: number): Uint8Array {
  return asCryptoError('ECDSA raw signature', () => ecdsaRawToSig(raw, fieldBytes));
}

/**
 * DER ECDSA-Sig-Value -> r || s with each half `fieldBytes` long.
 * @throws CryptoError('invalid-input') on malformed DER or an integer wider than the field.
 */
export function ecdsaDerToRaw(der: Uint8Array, fieldBytes: number): Uint8Array {
  return asCryptoError('ECDSA-Sig-Value', () => ecdsaSigToRaw(der, fieldBytes));
}
