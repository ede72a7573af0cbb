/**
 * Signature schemes (RFC 5246 §7.4.1.4.1 as SignatureScheme, RFC 8446 §4.2.3) for ServerKeyExchange and
 * CertificateVerify. (Certificate signatures are checked by the certificate engine: pki/adapter/signature.ts.)
 *
 * Signing and verification go through the crypto layer's CryptoProvider (WebCrypto: ~1 ms for an RSA-2048
 * signature, ~0.2 ms for a P-256 verification, against ~7 ms and ~5 ms for the bigint / noble code).
 * Only two cases stay in JS, both because WebCrypto cannot reproduce them byte for byte:
 * - deterministic runs (a seed or an injected random source) that sign with RSA-PSS: the salt must come
 *   from the injected randomness, so the bigint signer in rsa.ts is used (RSA PKCS#1 v1.5 is deterministic
 *   by construction and still goes through WebCrypto);
 * - deterministic runs that sign with ECDSA: RFC 6979 nonces via noble, so that two runs compare equal.
 * Schemes the provider does not implement (SHA-1, ecdsa_secp521r1_sha512) also keep the JS path.
 */
import { p256, p384 } from '@noble/curves/nist.js';
import {
  signatureScheme,
  type PrivateKey as ProviderPrivateKey,
  type PublicKey as ProviderPublicKey,
  type SignatureSchemeName,
} from '../../crypto/index.ts';
import { toHex } from '../../../bytes/index.ts';
import { SignatureScheme } from '../../wire/code-points.ts';
import { engineProvider } from '../../crypto/provider.ts';
import type { PrivateKey, PublicKey } from './certificate-info.ts';
import { hashSync as hash, type HashName } from '../../crypto/hash.ts';
import { rsaSign, rsaVerify } from '../../crypto/rsa-signature.ts';

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

/** Sign/verify use no randomness from the provider (WebCrypto draws PSS salts and ECDSA nonces itself). */
const provider = engineProvider;

// Imported WebCrypto handles. Private keys by the DER bytes object (a server or client config is reused across
// handshakes). Public keys by their content: a certificate from the wire is a new bytes object every handshake,
// but the same server sends the same key, so the last few imports are kept (a bounded cache of public data).
const privateKeys = new WeakMap<Uint8Array, Promise<ProviderPrivateKey>>();
const publicKeys = new Map<string, Promise<ProviderPublicKey>>();
const PUBLIC_KEYS_KEPT = 64;

function importPrivate(pkcs8: Uint8Array): Promise<ProviderPrivateKey> {
  let key = privateKeys.get(pkcs8);
  if (!key) {
    key = provider().importPrivateKey(pkcs8);
    privateKeys.set(pkcs8, key);
    key.catch(() => privateKeys.delete(pkcs8));
  }
  return key;
}

function importPublic(spki: Uint8Array): Promise<ProviderPublicKey> {
  const id = toHex(spki);
  let key = publicKeys.get(id);
  if (key) {
    publicKeys.delete(id); // most recently used last
  } else {
    key = provider().importPublicKey(spki);
    key.catch(() => publicKeys.delete(id));
  }
  publicKeys.set(id, key);
  if (publicKeys.size > PUBLIC_KEYS_KEPT) publicKeys.delete(publicKeys.keys().next().value as string);
  return key;
}

/** The provider's name for a scheme, when it implements it. */
function providerScheme(scheme: number): SignatureSchemeName | undefined {
  return signatureScheme(scheme)?.name;
}

/**
 * Signs with `scheme`. `deterministic` (a seeded / injected random source) keeps RSA-PSS on the bigint
 * signer with a salt from `random`, and ECDSA on noble's RFC 6979 nonces; everything else is WebCrypto.
 */
export async function signWithScheme(
  key: PrivateKey,
  scheme: number,
  message: Uint8Array,
  random: (n: number) => Uint8Array,
  deterministic = false,
): Promise<Uint8Array> {
  const info = SCHEMES.get(scheme);
  if (!info || info.key !== key.kind)
    throw new Error(`cannot sign ${SignatureScheme.format(scheme)} with a ${key.kind} key`);
  const name = providerScheme(scheme);
  const needsJs = deterministic && (key.kind === 'ec' || info.padding === 'pss');
  if (name && key.pkcs8 && !needsJs) {
    return provider().sign(name, await importPrivate(key.pkcs8), message);
  }
  if (key.kind === 'rsa') return rsaSign(key.rsa, info.padding!, info.hash, message, random);
  // RFC 6979 deterministic k: same key + message -> same signature.
  return curveOf(key.curve).sign(hash(info.hash, message), key.scalar, {
    prehash: false,
    format: 'der',
    lowS: false,
  });
}

/**
 * Verifies with the provider when it implements the scheme (`name`), else in JS (bigint RSA, noble ECDSA).
 * Any failure, malformed input included, is simply "does not verify".
 */
async function verifyWith(
  key: PublicKey,
  info: SchemeInfo,
  name: SignatureSchemeName | undefined,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  if (info.key !== key.kind) return false;
  try {
    if (name) return await provider().verify(name, await importPublic(key.spki), message, signature);
    if (key.kind === 'rsa') return rsaVerify(key.rsa, info.padding!, info.hash, message, signature);
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

export async function verifyWithScheme(
  key: PublicKey,
  scheme: number,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  const info = SCHEMES.get(scheme);
  return info ? verifyWith(key, info, providerScheme(scheme), message, signature) : false;
}
