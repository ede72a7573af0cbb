/**
 * What a top-level DER element is, judged from its structure alone (no labels): certificate (RFC 5280
 * §4.1), CRL (§5.1), PKCS#7 ContentInfo (RFC 5652 §3), PKCS#12 PFX (RFC 7292 §4), or a private key:
 * PKCS#8 PrivateKeyInfo / EncryptedPrivateKeyInfo (RFC 5208), PKCS#1 RSAPrivateKey (RFC 8017 A.1.2),
 * SEC1 ECPrivateKey (RFC 5915).
 */
import {
  childrenOf,
  decodeOid,
  contents,
  isContext,
  isUniversal,
  Tag,
  TagClass,
  type Tlv,
} from '../../bytes/der.ts';
import { OID } from './oids.ts';

export type DerKind =
  | 'certificate'
  | 'crl'
  | 'pkcs7'
  | 'pkcs12'
  | 'private-key'
  | 'encrypted-private-key'
  | 'public-key'
  | 'unknown';

const isTime = (t: Tlv | undefined): boolean =>
  t !== undefined && (isUniversal(t, Tag.UTCTime) || isUniversal(t, Tag.GeneralizedTime));

export function derKind(buf: Uint8Array, t: Tlv): DerKind {
  if (!isUniversal(t, Tag.SEQUENCE)) return 'unknown';
  let kids: Tlv[];
  try {
    kids = childrenOf(buf, t);
  } catch {
    return 'unknown';
  }
  const [a, b, c] = kids;
  if (a === undefined) return 'unknown';
  // ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT }
  if (isUniversal(a, Tag.OID) && b !== undefined && isContext(b, 0)) {
    try {
      return decodeOid(contents(buf, a), a.start) === OID.pkcs7SignedData ? 'pkcs7' : 'unknown';
    } catch {
      return 'unknown';
    }
  }
  // PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL }
  if (
    isUniversal(a, Tag.INTEGER) &&
    a.length === 1 &&
    buf[a.contentStart] === 3 &&
    b !== undefined &&
    isUniversal(b, Tag.SEQUENCE)
  ) {
    return 'pkcs12';
  }
  // PrivateKeyInfo ::= SEQUENCE { version INTEGER, algorithm AlgorithmIdentifier, privateKey OCTET STRING, ... }
  if (
    isUniversal(a, Tag.INTEGER) &&
    b !== undefined &&
    isUniversal(b, Tag.SEQUENCE) &&
    c !== undefined &&
    isUniversal(c, Tag.OCTET_STRING)
  ) {
    return 'private-key';
  }
  // ECPrivateKey ::= SEQUENCE { version INTEGER (1), privateKey OCTET STRING, [0] params, [1] publicKey }
  if (isUniversal(a, Tag.INTEGER) && b !== undefined && isUniversal(b, Tag.OCTET_STRING))
    return 'private-key';
  // RSAPrivateKey ::= SEQUENCE { version, n, e, d, p, q, dP, dQ, qInv }
  if (kids.length >= 9 && kids.every((k) => isUniversal(k, Tag.INTEGER))) return 'private-key';
  // EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm AlgorithmIdentifier, encryptedData OCTET STRING }
  if (
    kids.length === 2 &&
    isUniversal(a, Tag.SEQUENCE) &&
    b !== undefined &&
    isUniversal(b, Tag.OCTET_STRING)
  ) {
    return 'encrypted-private-key';
  }
  // SubjectPublicKeyInfo ::= SEQUENCE { algorithm, subjectPublicKey BIT STRING }
  if (kids.length === 2 && isUniversal(a, Tag.SEQUENCE) && b !== undefined && isUniversal(b, Tag.BIT_STRING))
    return 'public-key';
  // SIGNED{ToBeSigned}: certificate or CRL
  if (
    kids.length === 3 &&
    isUniversal(a, Tag.SEQUENCE) &&
    b !== undefined &&
    isUniversal(b, Tag.SEQUENCE) &&
    c !== undefined &&
    isUniversal(c, Tag.BIT_STRING)
  ) {
    let tbs: Tlv[];
    try {
      tbs = childrenOf(buf, a);
    } catch {
      return 'certificate'; // let the certificate decoder say exactly what is wrong
    }
    const first = tbs[0];
    if (first !== undefined && first.tagClass === TagClass.context && first.tagNumber === 0)
      return 'certificate';
    const algIndex = tbs.findIndex((x) => isUniversal(x, Tag.SEQUENCE));
    if (algIndex >= 0 && isTime(tbs[algIndex + 2])) return 'crl';
    return 'certificate';
  }
  return 'unknown';
}
