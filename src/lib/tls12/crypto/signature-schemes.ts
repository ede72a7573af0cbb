/**
 * The signature schemes this layer implements, by TLS SignatureScheme code point (RFC 8446 §4.2.3, used
 * by TLS 1.2 through RFC 5246 §7.4.1.4.1's SignatureAndHashAlgorithm: hash byte, signature byte).
 *
 * TLS 1.2 reads ecdsa_secp256r1_sha256 as "ECDSA with SHA-256" on any curve; so do we: the hash comes
 * from the scheme, the curve from the key.
 */
import type { HashName } from './hash.ts';

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
  keyType: 'rsa' | 'ec' | 'ed25519';
  /** RSA padding: PKCS#1 v1.5 (RFC 8017 §8.2) or PSS with salt length = hash length (RFC 8446 §4.2.3). */
  padding?: 'pkcs1' | 'pss';
  hash: HashName;
}

/** A scheme the engine knows but the provider does not sign with (verified and signed in JS: rsa-signature.ts, noble). */
export type JsOnlySignatureSchemeName =
  'rsa_pkcs1_sha1' | 'ecdsa_sha1' | 'ecdsa_secp521r1_sha512' | 'ed25519';

export interface KnownSignatureScheme extends Omit<SignatureSchemeInfo, 'name'> {
  name: SignatureSchemeName | JsOnlySignatureSchemeName;
  /** Whether the CryptoProvider implements it (its `sign` / `verify` take `name`). */
  inProvider: boolean;
}

/** The one table: every scheme the engine knows, by code point. SHA-1 only for peers that send no list. */
export const KNOWN_SIGNATURE_SCHEMES: readonly KnownSignatureScheme[] = [
  {
    name: 'rsa_pkcs1_sha256',
    code: 0x0401,
    keyType: 'rsa',
    padding: 'pkcs1',
    hash: 'sha256',
    inProvider: true,
  },
  {
    name: 'rsa_pkcs1_sha384',
    code: 0x0501,
    keyType: 'rsa',
    padding: 'pkcs1',
    hash: 'sha384',
    inProvider: true,
  },
  {
    name: 'rsa_pkcs1_sha512',
    code: 0x0601,
    keyType: 'rsa',
    padding: 'pkcs1',
    hash: 'sha512',
    inProvider: true,
  },
  {
    name: 'rsa_pss_rsae_sha256',
    code: 0x0804,
    keyType: 'rsa',
    padding: 'pss',
    hash: 'sha256',
    inProvider: true,
  },
  {
    name: 'rsa_pss_rsae_sha384',
    code: 0x0805,
    keyType: 'rsa',
    padding: 'pss',
    hash: 'sha384',
    inProvider: true,
  },
  {
    name: 'rsa_pss_rsae_sha512',
    code: 0x0806,
    keyType: 'rsa',
    padding: 'pss',
    hash: 'sha512',
    inProvider: true,
  },
  { name: 'ecdsa_secp256r1_sha256', code: 0x0403, keyType: 'ec', hash: 'sha256', inProvider: true },
  { name: 'ecdsa_secp384r1_sha384', code: 0x0503, keyType: 'ec', hash: 'sha384', inProvider: true },
  { name: 'ecdsa_secp521r1_sha512', code: 0x0603, keyType: 'ec', hash: 'sha512', inProvider: false },
  { name: 'rsa_pkcs1_sha1', code: 0x0201, keyType: 'rsa', padding: 'pkcs1', hash: 'sha1', inProvider: false },
  { name: 'ecdsa_sha1', code: 0x0203, keyType: 'ec', hash: 'sha1', inProvider: false },
  // RFC 8446 §4.2.3 / RFC 8032: PureEdDSA signs the message itself; SHA-512 is the scheme's internal hash.
  { name: 'ed25519', code: 0x0807, keyType: 'ed25519', hash: 'sha512', inProvider: false },
];

/** The schemes the provider implements (a view of the table above). */
export const SIGNATURE_SCHEMES: readonly SignatureSchemeInfo[] = KNOWN_SIGNATURE_SCHEMES.filter(
  (s): s is KnownSignatureScheme & SignatureSchemeInfo => s.inProvider,
);

/** Looks a scheme up by name or wire code; undefined if the provider does not implement it. */
export function signatureScheme(scheme: SignatureSchemeName | number): SignatureSchemeInfo | undefined {
  return SIGNATURE_SCHEMES.find((s) => (typeof scheme === 'number' ? s.code === scheme : s.name === scheme));
}

/** Any scheme the engine knows, by wire code. */
export function knownSignatureScheme(code: number): KnownSignatureScheme | undefined {
  return KNOWN_SIGNATURE_SCHEMES.find((s) => s.code === code);
}

/** What the engine offers / accepts by default, strongest first. */
export const DEFAULT_SIGNATURE_SCHEMES: readonly number[] = (
  [
    'ecdsa_secp256r1_sha256',
    'ecdsa_secp384r1_sha384',
    'rsa_pss_rsae_sha256',
    'rsa_pss_rsae_sha384',
    'rsa_pss_rsae_sha512',
    'rsa_pkcs1_sha256',
    'rsa_pkcs1_sha384',
    'rsa_pkcs1_sha512',
  ] as const
).map((name) => signatureScheme(name)!.code);
