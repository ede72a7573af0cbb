/**
 * Algorithm strength as each client measures it: one place for the facts the profiles and the RFC 5280 checks
 * read (which hash a signature uses, how many bits of security a key or a signature gives).
 *
 * - OpenSSL 3 security levels (crypto/x509/x509_vfy.c `check_key_level`, `check_sig_level`,
 *   `minbits_table` = {80, 112, 128, 192, 256}; Debian's openssl.cnf sets SECLEVEL=2, i.e. 112 bits, and libpq
 *   inherits it): a key's bits are `EVP_PKEY_get_security_bits` (RSA/DSA: crypto/bn/bn_lib.c
 *   `BN_security_bits`: 2048 bits -> 112, 1024 -> 80; EC: half the order's size, P-192 -> 96), a signature's
 *   are `X509_get_signature_info` (crypto/x509/x509_set.c: SHA-1 -> 63, MD5 -> 39, else half the digest).
 */
import type { CertView, PublicKeyView } from '../types.ts';

/** The signature's hash, upper-case ("SHA-1", "MD5", "SHA-256" ...); '' for hash-less algorithms (Ed25519). */
export function signatureHash(cert: CertView): string {
  const h = (cert.signatureAlgorithm.hash ?? '').toUpperCase();
  if (h) return h;
  const n = cert.signatureAlgorithm.name.toLowerCase();
  if (/md2/.test(n)) return 'MD2';
  if (/md5/.test(n)) return 'MD5';
  if (/sha1with|sha1-|-sha1$/.test(n)) return 'SHA-1';
  return '';
}

/** MD2, MD5 and SHA-1 signatures: collisions are practical (RFC 6194, SHAttered). */
export function isWeakSignature(cert: CertView): boolean {
  const h = signatureHash(cert);
  return h === 'SHA-1' || h === 'MD5' || h === 'MD2';
}

/** BN_security_bits(L, N) for RSA (N = -1) and finite-field DSA: the modulus size's security. */
function ffSecurityBits(bits: number): number {
  if (bits >= 15360) return 256;
  if (bits >= 7680) return 192;
  if (bits >= 3072) return 128;
  if (bits >= 2048) return 112;
  if (bits >= 1024) return 80;
  return 0;
}

/** EVP_PKEY_get_security_bits as OpenSSL 3 computes it; -1 when OpenSSL would not know the key. */
export function opensslKeySecurityBits(key: PublicKeyView): number {
  switch (key.algorithm) {
    case 'RSA':
    case 'DSA':
      return ffSecurityBits(key.bits);
    case 'EC':
      return Math.floor(key.bits / 2);
    case 'Ed25519':
      return 128;
    case 'Ed448':
      return 224;
    default:
      return -1;
  }
}

/** X509_get_signature_info's security bits for the certificate's own signature. */
export function opensslSignatureSecurityBits(cert: CertView): number {
  const h = signatureHash(cert);
  switch (h) {
    case 'MD2':
    case 'MD5':
      return 39;
    case 'SHA-1':
      return 63;
    case 'SHA-224':
      return 112;
    case 'SHA-256':
      return 128;
    case 'SHA-384':
      return 192;
    case 'SHA-512':
      return 256;
    default:
      // Ed25519 (128) / Ed448 (224) sign without a separate hash.
      return cert.signatureAlgorithm.name.toLowerCase().includes('ed448') ? 224 : 128;
  }
}

/** OpenSSL's minimum security bits per auth level (x509_vfy.c `minbits_table`). */
export function opensslMinBits(level: number): number {
  return level <= 0 ? 0 : ([80, 112, 128, 192, 256][Math.min(level, 5) - 1] ?? 256);
}

/** A short description for messages: "RSA 1024", "EC P-192", "DSA 1024". */
export function keyDescription(key: PublicKeyView): string {
  return key.algorithm === 'EC' ? `EC ${key.curve ?? `${key.bits}-bit`}` : `${key.algorithm} ${key.bits}`;
}
