/**
 * The crypto layer's view of the one key layer (src/lib/bytes/keys.ts): the same parsers, with their errors
 * as CryptoError ('invalid-input' for malformed DER or PEM, 'unsupported' for another kind of key), so that
 * everything this layer throws is a CryptoError that maps onto a TLS alert. PublicKey / PrivateKey are the
 * parsed keys the handshake holds (the provider's imported WebCrypto keys are PublicKeyHandle / PrivateKeyHandle).
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

/** A public key, parsed once: what the handshake checks signatures with (and the provider imports from `spki`). */
export type PublicKey =
  | { kind: 'rsa'; bits: number; rsa: keys.RsaPublicComponents; spki: Uint8Array }
  | { kind: 'ec'; curve: keys.EcCurve; point: Uint8Array; spki: Uint8Array }
  | { kind: 'ed25519'; point: Uint8Array; spki: Uint8Array }
  | { kind: 'unsupported'; algorithm: string };

/** A private key, parsed once; `pkcs8` is the PrivateKeyInfo DER it was parsed from (what WebCrypto imports). */
export type PrivateKey =
  | { kind: 'rsa'; pkcs8: Uint8Array; rsa: keys.RsaPrivateComponents }
  | { kind: 'ec'; curve: keys.EcCurve; scalar: Uint8Array; pkcs8: Uint8Array }
  | { kind: 'ed25519'; seed: Uint8Array; pkcs8: Uint8Array };

/** SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) to a usable key; algorithms we do not implement are named. */
export function publicKeyFromSpki(spki: Uint8Array): PublicKey {
  try {
    const parsed = parseSpki(spki);
    if (parsed.rsa)
      return {
        kind: 'rsa',
        bits: parsed.description.type === 'rsa' ? parsed.description.modulusBits : 0,
        rsa: parsed.rsa,
        spki,
      };
    if (parsed.description.type === 'ec' && parsed.ecPoint)
      return { kind: 'ec', curve: parsed.description.curve, point: parsed.ecPoint, spki };
    if (parsed.edPublicKey) return { kind: 'ed25519', point: parsed.edPublicKey, spki };
  } catch (e) {
    if (!(e instanceof CryptoError && e.kind === 'unsupported')) throw e;
    return { kind: 'unsupported', algorithm: e.message };
  }
  return { kind: 'unsupported', algorithm: 'unknown' };
}

// A server or client config's key is the same bytes object across handshakes: parse it once.
const parsedPrivateKeys = new WeakMap<Uint8Array, PrivateKey>();

/** PKCS#8 PrivateKeyInfo (RFC 5208) holding an RSAPrivateKey (RFC 8017 A.1.2), ECPrivateKey (RFC 5915) or Ed25519 key (RFC 8410 §7). */
export function privateKeyFromPkcs8(der: Uint8Array): PrivateKey {
  const cached = parsedPrivateKeys.get(der);
  if (cached) return cached;
  const parsed = parsePkcs8(der);
  let key: PrivateKey;
  if (parsed.rsa) key = { kind: 'rsa', pkcs8: der, rsa: parsed.rsa };
  else if (parsed.description.type === 'ec' && parsed.ecPrivateKey)
    key = { kind: 'ec', curve: parsed.description.curve, scalar: parsed.ecPrivateKey, pkcs8: der };
  else if (parsed.edPrivateKey) key = { kind: 'ed25519', seed: parsed.edPrivateKey, pkcs8: der };
  else throw new CryptoError('unsupported', 'PKCS#8: unsupported private key');
  parsedPrivateKeys.set(der, key);
  return key;
}
