/**
 * Signature schemes (RFC 5246 §7.4.1.4.1 as SignatureScheme, RFC 8446 §4.2.3) for ServerKeyExchange and
 * CertificateVerify, over the one scheme table (signature-schemes.ts). (Certificate signatures are checked by the
 * certificate engine: pki/adapter/signature.ts.)
 *
 * Signing and verification go through the crypto layer's CryptoProvider (WebCrypto: ~1 ms for an RSA-2048
 * signature, ~0.2 ms for a P-256 verification, against ~7 ms and ~5 ms for the bigint / noble code).
 * Only two cases stay in JS, both because WebCrypto cannot reproduce them byte for byte:
 * - deterministic runs (a seed or an injected random source) that sign with RSA-PSS: the salt must come
 *   from the injected randomness, so the bigint signer in rsa.ts is used (RSA PKCS#1 v1.5 is deterministic
 *   by construction and still goes through WebCrypto);
 * - deterministic runs that sign with ECDSA: RFC 6979 nonces via noble, so that two runs compare equal.
 * Schemes the provider does not implement (SHA-1, ecdsa_secp521r1_sha512, and ed25519, which WebCrypto does
 * not have everywhere; noble's Ed25519 is deterministic by construction, RFC 8032) also keep the JS path.
 */
import { p256, p384 } from '@noble/curves/nist.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { Recent, toHex } from '../../bytes/index.ts';
import { SignatureScheme } from '../wire/code-points.ts';
import { hashSync as hash } from './hash.ts';
import type { PrivateKey, PublicKey } from './keys.ts';
import { engineProvider, type PrivateKeyHandle, type PublicKeyHandle } from './provider.ts';
import { rsaSign, rsaVerify } from './rsa-signature.ts';
import {
  knownSignatureScheme,
  type KnownSignatureScheme,
  type SignatureSchemeName,
} from './signature-schemes.ts';

function curveOf(name: 'P-256' | 'P-384') {
  return name === 'P-256' ? p256 : p384;
}

export function keyMatchesScheme(key: PrivateKey | PublicKey, scheme: number): boolean {
  return knownSignatureScheme(scheme)?.keyType === key.kind;
}

/** Sign/verify use no randomness from the provider (WebCrypto draws PSS salts and ECDSA nonces itself). */
const provider = engineProvider;

// Imported WebCrypto handles. Private keys by the DER bytes object (a server or client config is reused across
// handshakes). Public keys by their content: a certificate from the wire is a new bytes object every handshake,
// but the same server sends the same key, so the last few imports are kept (a bounded cache of public data).
const privateKeys = new WeakMap<Uint8Array, Promise<PrivateKeyHandle>>();
const publicKeys = new Recent<Promise<PublicKeyHandle>>(64);

function importPrivate(pkcs8: Uint8Array): Promise<PrivateKeyHandle> {
  let key = privateKeys.get(pkcs8);
  if (!key) {
    key = provider().importPrivateKey(pkcs8);
    privateKeys.set(pkcs8, key);
    key.catch(() => privateKeys.delete(pkcs8));
  }
  return key;
}

function importPublic(spki: Uint8Array): Promise<PublicKeyHandle> {
  return publicKeys.get(toHex(spki), () => provider().importPublicKey(spki));
}

/** The provider's name for a scheme, when it implements it. */
function providerScheme(info: KnownSignatureScheme): SignatureSchemeName | undefined {
  return info.inProvider ? (info.name as SignatureSchemeName) : undefined;
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
  const info = knownSignatureScheme(scheme);
  if (!info || info.keyType !== key.kind)
    throw new Error(`cannot sign ${SignatureScheme.format(scheme)} with a ${key.kind} key`);
  const name = providerScheme(info);
  const needsJs = deterministic && (key.kind === 'ec' || info.padding === 'pss');
  if (name && key.pkcs8 && !needsJs) {
    return provider().sign(name, await importPrivate(key.pkcs8), message);
  }
  if (key.kind === 'rsa') return rsaSign(key.rsa, info.padding!, info.hash, message, random);
  if (key.kind === 'ed25519') return ed25519.sign(message, key.seed);
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
  info: KnownSignatureScheme,
  name: SignatureSchemeName | undefined,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  if (info.keyType !== key.kind) return false;
  try {
    if (name) return await provider().verify(name, await importPublic(key.spki), message, signature);
    if (key.kind === 'rsa') return rsaVerify(key.rsa, info.padding!, info.hash, message, signature);
    // RFC 8032 §5.1.7 strict decoding, as OpenSSL (noble's default, ZIP-215, accepts non-canonical points).
    if (key.kind === 'ed25519') return ed25519.verify(signature, message, key.point, { zip215: false });
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
  const info = knownSignatureScheme(scheme);
  return info ? verifyWith(key, info, providerScheme(info), message, signature) : false;
}
