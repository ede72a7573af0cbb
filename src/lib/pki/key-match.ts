/**
 * Does a private key file belong to a certificate? What OpenSSL's X509_check_private_key answers when libpq loads
 * sslcert and sslkey (fe-secure-openssl.c initialize_SSL): the key's public half (PKCS#8 or PKCS#1 RSA; an EC key's
 * point computed from its scalar) compared with the certificate's SubjectPublicKeyInfo. No secret is kept.
 */
import { bytesEqual } from '../bytes/hex.ts';
import {
  ecPublicPoint,
  edPublicKey,
  parsePkcs8,
  parseSpki,
  wrapRsaPrivateKeyInPkcs8,
  type ParsedPkcs8,
  type ParsedSpki,
} from '../bytes/keys.ts';
import { pemToDer } from '../bytes/pem.ts';
import type { CertView } from './types.ts';

export type KeyMatch =
  | { readonly kind: 'match' }
  | { readonly kind: 'mismatch' }
  /** Not a key the engine reads (encrypted, SEC1 EC, Ed25519 ...): the engine cannot tell, and says so. */
  | { readonly kind: 'unknown'; readonly why: string }
  | { readonly kind: 'unreadable'; readonly why: string };

const LABELS = ['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY'] as const;

/** Does the key file hold the private half of the certificate's public key? (X509_check_private_key) */
export async function matchKeyToCert(keyPem: string, cert: CertView): Promise<KeyMatch> {
  const label = LABELS.find((l) => keyPem.includes(`-----BEGIN ${l}-----`));
  if (label === undefined) return { kind: 'unreadable', why: 'no PEM private key block in the file' };
  if (label === 'ENCRYPTED PRIVATE KEY')
    return { kind: 'unknown', why: 'the key is encrypted (sslpassword is not modelled)' };
  if (label === 'EC PRIVATE KEY')
    return { kind: 'unknown', why: 'SEC1 "EC PRIVATE KEY" files are not read by the engine' };
  let pkcs8: Uint8Array;
  try {
    const [der] = pemToDer(keyPem, label);
    if (der === undefined) return { kind: 'unreadable', why: `no "${label}" block` };
    pkcs8 = label === 'RSA PRIVATE KEY' ? wrapRsaPrivateKeyInPkcs8(der) : der;
  } catch (e) {
    return { kind: 'unreadable', why: (e as Error).message };
  }
  let spki: ParsedSpki;
  let key: ParsedPkcs8;
  try {
    spki = parseSpki(cert.publicKey.spkiDer);
  } catch (e) {
    return { kind: 'unknown', why: `certificate key: ${(e as Error).message}` };
  }
  try {
    key = parsePkcs8(pkcs8);
  } catch (e) {
    return { kind: 'unknown', why: `private key: ${(e as Error).message}` };
  }
  if (spki.description.type !== key.description.type) return { kind: 'mismatch' };
  if (spki.rsa && key.rsa)
    return spki.rsa.n === key.rsa.n && spki.rsa.e === key.rsa.e ? { kind: 'match' } : { kind: 'mismatch' };
  if (spki.description.type === 'ec' && key.description.type === 'ec') {
    if (spki.description.curve !== key.description.curve) return { kind: 'mismatch' };
    const point = spki.ecPoint;
    if (!point || point[0] !== 4) return { kind: 'unknown', why: 'compressed EC point in the certificate' };
    if (!key.ecPrivateKey) return { kind: 'unreadable', why: 'ECPrivateKey without its scalar' };
    try {
      const pub = ecPublicPoint(key.description.curve, key.ecPrivateKey);
      return bytesEqual(pub, point) ? { kind: 'match' } : { kind: 'mismatch' };
    } catch (e) {
      return { kind: 'unreadable', why: (e as Error).message };
    }
  }
  if (spki.edPublicKey && key.edPrivateKey)
    return bytesEqual(edPublicKey(key.edPrivateKey), spki.edPublicKey)
      ? { kind: 'match' }
      : { kind: 'mismatch' };
  return { kind: 'unknown', why: 'key type not compared by the engine' };
}
