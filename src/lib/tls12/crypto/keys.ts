/**
 * The crypto layer's view of the one key layer (src/lib/bytes/keys.ts): the same parsers, with their errors
 * as CryptoError ('invalid-input' for malformed DER or PEM, 'unsupported' for another kind of key), so that
 * everything this layer throws is a CryptoError that maps onto a TLS alert.
 */
import { DerError } from '../../bytes/der.ts';
import * as keys from '../../bytes/keys.ts';
import { PemError } from '../../bytes/pem.ts';
import { CryptoError } from './errors.ts';

export {
  OID_EC_PUBLIC_KEY,
  OID_PRIME256V1,
  OID_RSA_ENCRYPTION,
  OID_SECP384R1,
  type EcCurve,
  type KeyDescription,
  type ParsedPkcs8,
  type ParsedSpki,
  type RsaPrivateComponents,
  type RsaPublicComponents,
} from '../../bytes/keys.ts';

/** Runs a parser of the foundation and rethrows its errors as CryptoError (anything else is a bug). */
export function asCryptoError<T>(what: string, parse: () => T): T {
  try {
    return parse();
  } catch (cause) {
    if (cause instanceof keys.UnsupportedKeyError)
      throw new CryptoError('unsupported', cause.message, { cause });
    if (cause instanceof DerError || cause instanceof PemError)
      throw new CryptoError('invalid-input', `${what}: ${cause.message}`, { cause });
    throw cause;
  }
}

export const parseSpki = (der: Uint8Array): keys.ParsedSpki =>
  asCryptoError('SubjectPublicKeyInfo', () => keys.parseSpki(der));
export const parsePkcs8 = (der: Uint8Array): keys.ParsedPkcs8 =>
  asCryptoError('PrivateKeyInfo', () => keys.parsePkcs8(der));
export const parseRsaPublicKey = (der: Uint8Array): keys.RsaPublicComponents =>
  asCryptoError('RSAPublicKey', () => keys.parseRsaPublicKey(der));
export const parseRsaPrivateKey = (der: Uint8Array): keys.RsaPrivateComponents =>
  asCryptoError('RSAPrivateKey', () => keys.parseRsaPrivateKey(der));
export const wrapRsaPrivateKeyInPkcs8 = (pkcs1: Uint8Array): Uint8Array =>
  asCryptoError('RSAPrivateKey', () => keys.wrapRsaPrivateKeyInPkcs8(pkcs1));
