/**
 * Signature schemes (RFC 5246 §7.4.1.4.1 as SignatureScheme, RFC 8446 §4.2.3) for ServerKeyExchange and
 * CertificateVerify, and certificate signature algorithms (RFC 4055, RFC 5758) for the default verifier.
 */
import { p256, p384 } from '@noble/curves/nist.js';
import { SignatureScheme } from '../../wire/code-points.ts';
import type { PrivateKey, PublicKey } from './certificate-info.ts';
import { hash, type HashName } from './hashes.ts';
import { rsaSign, rsaVerify } from './rsa.ts';

export interface SchemeInfo {
  key: 'rsa' | 'ec';
  padding?: 'pkcs1' | 'pss';
  hash: HashName;
}

const S = SignatureScheme.values;
export const SCHEMES = new Map<number, SchemeInfo>([
  [S.rsa_pss_rsae_sha256, { key: 'rsa', padding: 'pss', hash: 'sha256' }],
  [S.rsa_pss_rsae_sha384, { key: 'rsa', padding: 'pss', hash: 'sha384' }],
  [S.rsa_pss_rsae_sha512, { key: 'rsa', padding: 'pss', hash: 'sha512' }],
  [S.rsa_pkcs1_sha256, { key: 'rsa', padding: 'pkcs1', hash: 'sha256' }],
  [S.rsa_pkcs1_sha384, { key: 'rsa', padding: 'pkcs1', hash: 'sha384' }],
  [S.rsa_pkcs1_sha512, { key: 'rsa', padding: 'pkcs1', hash: 'sha512' }],
  [S.ecdsa_secp256r1_sha256, { key: 'ec', hash: 'sha256' }],
  [S.ecdsa_secp384r1_sha384, { key: 'ec', hash: 'sha384' }],
  [S.ecdsa_secp521r1_sha512, { key: 'ec', hash: 'sha512' }],
  [S.rsa_pkcs1_sha1, { key: 'rsa', padding: 'pkcs1', hash: 'sha1' }],
  [S.ecdsa_sha1, { key: 'ec', hash: 'sha1' }],
]);

/** What we offer / accept by default, strongest first. */
export const DEFAULT_SIGNATURE_SCHEMES: number[] = [
  S.ecdsa_secp256r1_sha256,
  S.ecdsa_secp384r1_sha384,
  S.rsa_pss_rsae_sha256,
  S.rsa_pss_rsae_sha384,
  S.rsa_pss_rsae_sha512,
  S.rsa_pkcs1_sha256,
  S.rsa_pkcs1_sha384,
  S.rsa_pkcs1_sha512,
];

function curveOf(name: 'P-256' | 'P-384') {
  return name === 'P-256' ? p256 : p384;
}

export function keyMatchesScheme(key: PrivateKey | PublicKey, scheme: number): boolean {
  const info = SCHEMES.get(scheme);
  return info !== undefined && info.key === key.kind;
}

export function signWithScheme(
  key: PrivateKey,
  scheme: number,
  message: Uint8Array,
  random: (n: number) => Uint8Array,
): Uint8Array {
  const info = SCHEMES.get(scheme);
  if (!info || info.key !== key.kind)
    throw new Error(`cannot sign ${SignatureScheme.format(scheme)} with a ${key.kind} key`);
  if (key.kind === 'rsa') return rsaSign(key, info.padding!, info.hash, message, random);
  // RFC 6979 deterministic k: same key + message -> same signature.
  return curveOf(key.curve).sign(hash(info.hash, message), key.scalar, {
    prehash: false,
    format: 'der',
    lowS: false,
  });
}

export function verifyWithScheme(
  key: PublicKey,
  scheme: number,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  const info = SCHEMES.get(scheme);
  if (!info || info.key !== key.kind) return false;
  try {
    if (key.kind === 'rsa') return rsaVerify(key, info.padding!, info.hash, message, signature);
    if (key.kind === 'ec') {
      return curveOf(key.curve).verify(signature, hash(info.hash, message), key.point, {
        prehash: false,
        format: 'der',
        lowS: false,
      });
    }
  } catch {
    return false;
  }
  return false;
}

/** Certificate signatureAlgorithm OIDs (RFC 4055 §5, RFC 5758 §3.2) as a scheme-like description. */
const CERT_ALGORITHMS: Record<string, SchemeInfo> = {
  '1.2.840.113549.1.1.5': { key: 'rsa', padding: 'pkcs1', hash: 'sha1' },
  '1.2.840.113549.1.1.11': { key: 'rsa', padding: 'pkcs1', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { key: 'rsa', padding: 'pkcs1', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { key: 'rsa', padding: 'pkcs1', hash: 'sha512' },
  '1.2.840.10045.4.3.2': { key: 'ec', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { key: 'ec', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { key: 'ec', hash: 'sha512' },
};

export function verifyCertificateSignature(
  issuerKey: PublicKey,
  algorithmOid: string,
  tbs: Uint8Array,
  signature: Uint8Array,
): boolean {
  const info = CERT_ALGORITHMS[algorithmOid];
  if (!info || info.key !== issuerKey.kind) return false;
  try {
    if (issuerKey.kind === 'rsa') return rsaVerify(issuerKey, info.padding!, info.hash, tbs, signature);
    if (issuerKey.kind === 'ec') {
      return curveOf(issuerKey.curve).verify(signature, hash(info.hash, tbs), issuerKey.point, {
        prehash: false,
        format: 'der',
        lowS: false,
      });
    }
  } catch {
    return false;
  }
  return false;
}
