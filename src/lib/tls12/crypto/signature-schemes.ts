/**
 * The signature schemes this layer implements, by TLS SignatureScheme code point (RFC 8446 §4.2.3, used
 * by TLS 1.2 through RFC 5246 §7.4.1.4.1's SignatureAndHashAlgorithm: hash byte, signature byte).
 *
 * TLS 1.2 reads ecdsa_secp256r1_sha256 as "ECDSA with SHA-256" on any curve; so do we: the hash comes
 * from the scheme, the curve from the key.
 */
export type HashName = 'sha1' | 'sha256' | 'sha384' | 'sha512';

export type SignatureSchemeName =
  | 'rsa_pkcs1_sha256'
  | 'rsa_pkcs1_sha384'
  | 'rsa_pkcs1_sha512'
  | 'rsa_pss_rsae_sha256'
  | 'rsa_pss_rsae_sha384'
  | 'rsa_pss_rsae_sha512'
  | 'ecdsa_secp256r1_sha256'
  | 'ecdsa_secp384r1_sha384';

export interface SignatureSchemeInfo {
  name: SignatureSchemeName;
  /** uint16 code point on the wire. */
  code: number;
  keyType: 'rsa' | 'ec';
  /** RSA padding: PKCS#1 v1.5 (RFC 8017 §8.2) or PSS with salt length = hash length (RFC 8446 §4.2.3). */
  padding?: 'pkcs1' | 'pss';
  hash: HashName;
}

export const SIGNATURE_SCHEMES: readonly SignatureSchemeInfo[] = [
  { name: 'rsa_pkcs1_sha256', code: 0x0401, keyType: 'rsa', padding: 'pkcs1', hash: 'sha256' },
  { name: 'rsa_pkcs1_sha384', code: 0x0501, keyType: 'rsa', padding: 'pkcs1', hash: 'sha384' },
  { name: 'rsa_pkcs1_sha512', code: 0x0601, keyType: 'rsa', padding: 'pkcs1', hash: 'sha512' },
  { name: 'rsa_pss_rsae_sha256', code: 0x0804, keyType: 'rsa', padding: 'pss', hash: 'sha256' },
  { name: 'rsa_pss_rsae_sha384', code: 0x0805, keyType: 'rsa', padding: 'pss', hash: 'sha384' },
  { name: 'rsa_pss_rsae_sha512', code: 0x0806, keyType: 'rsa', padding: 'pss', hash: 'sha512' },
  { name: 'ecdsa_secp256r1_sha256', code: 0x0403, keyType: 'ec', hash: 'sha256' },
  { name: 'ecdsa_secp384r1_sha384', code: 0x0503, keyType: 'ec', hash: 'sha384' },
];

/** Looks a scheme up by name or wire code; undefined if we do not implement it. */
export function signatureScheme(scheme: SignatureSchemeName | number): SignatureSchemeInfo | undefined {
  return SIGNATURE_SCHEMES.find((s) => (typeof scheme === 'number' ? s.code === scheme : s.name === scheme));
}

/** Output length in bytes of each hash. */
export const HASH_LENGTH: Record<HashName, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

/** WebCrypto's names for the hashes. */
export const WEBCRYPTO_HASH: Record<HashName, string> = {
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};
