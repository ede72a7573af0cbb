/**
 * The few facts the handshake needs from an X.509 certificate: its names (for the CLI's summary) and its
 * public key (to check ServerKeyExchange / CertificateVerify signatures). The certificate is decoded by the
 * project's one X.509 decoder (src/lib/pki/adapter/certificate.ts); the key by the one key layer
 * (src/lib/bytes/keys.ts, through the crypto layer's CryptoError view).
 */
import { decodeCertificate } from '../../../pki/adapter/certificate.ts';
import type { DistinguishedName } from '../../../pki/types.ts';
import { DerError } from '../../../bytes/der.ts';
import {
  CryptoError,
  parsePkcs8 as parsePrivateKeyInfo,
  parseSpki as parseSubjectPublicKeyInfo,
  type EcCurve,
  type RsaPrivateComponents,
  type RsaPublicComponents,
} from '../../crypto/index.ts';

export type PublicKey =
  | { kind: 'rsa'; bits: number; rsa: RsaPublicComponents; spki: Uint8Array }
  | { kind: 'ec'; curve: EcCurve; point: Uint8Array; spki: Uint8Array }
  | { kind: 'unsupported'; algorithm: string };

/** `pkcs8` is the PrivateKeyInfo DER it was parsed from (what WebCrypto imports). */
export type PrivateKey =
  | { kind: 'rsa'; pkcs8: Uint8Array; rsa: RsaPrivateComponents }
  | { kind: 'ec'; curve: EcCurve; scalar: Uint8Array; pkcs8: Uint8Array };

export interface CertificateInfo {
  der: Uint8Array;
  /** One line, most significant RDN first as OpenSSL prints it: "CN=localhost, O=Example". */
  subject: string;
  issuer: string;
  publicKey: PublicKey;
}

function oneLine(name: DistinguishedName): string {
  return name.rdns.map((rdn) => rdn.map((a) => `${a.type}=${a.value}`).join(' + ')).join(', ');
}

/** SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) to a usable key; algorithms we do not implement are named. */
export function parseSpki(spki: Uint8Array): PublicKey {
  try {
    const parsed = parseSubjectPublicKeyInfo(spki);
    if (parsed.rsa)
      return {
        kind: 'rsa',
        bits: parsed.description.type === 'rsa' ? parsed.description.modulusBits : 0,
        rsa: parsed.rsa,
        spki,
      };
    if (parsed.description.type === 'ec' && parsed.ecPoint)
      return { kind: 'ec', curve: parsed.description.curve, point: parsed.ecPoint, spki };
  } catch (e) {
    if (!(e instanceof CryptoError && e.kind === 'unsupported')) throw e;
    return { kind: 'unsupported', algorithm: e.message };
  }
  return { kind: 'unsupported', algorithm: 'unknown' };
}

/** @throws CryptoError('invalid-input') naming the offset when the certificate does not decode. */
export function parseCertificate(der: Uint8Array): CertificateInfo {
  let view;
  try {
    view = decodeCertificate(der);
  } catch (cause) {
    if (cause instanceof DerError)
      throw new CryptoError('invalid-input', `certificate: ${cause.message}`, { cause });
    throw cause;
  }
  return {
    der,
    subject: oneLine(view.subject),
    issuer: oneLine(view.issuer),
    publicKey: parseSpki(view.publicKey.spkiDer),
  };
}

// A server or client config's key is the same bytes object across handshakes: parse it once.
const parsedKeys = new WeakMap<Uint8Array, PrivateKey>();

/** PKCS#8 PrivateKeyInfo (RFC 5208) holding an RSAPrivateKey (RFC 8017 A.1.2) or ECPrivateKey (RFC 5915). */
export function parsePkcs8(der: Uint8Array): PrivateKey {
  const cached = parsedKeys.get(der);
  if (cached) return cached;
  const parsed = parsePrivateKeyInfo(der);
  let key: PrivateKey;
  if (parsed.rsa) key = { kind: 'rsa', pkcs8: der, rsa: parsed.rsa };
  else if (parsed.description.type === 'ec' && parsed.ecPrivateKey)
    key = { kind: 'ec', curve: parsed.description.curve, scalar: parsed.ecPrivateKey, pkcs8: der };
  else throw new CryptoError('unsupported', 'PKCS#8: unsupported private key');
  parsedKeys.set(der, key);
  return key;
}
