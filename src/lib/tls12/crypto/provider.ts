/**
 * The one seam through which TLS Lab does cryptography (noble-ciphers' webcrypto.ts pattern): everything
 * else in src/lib/tls12 takes a `CryptoProvider` and never touches `crypto.subtle` or noble directly.
 *
 * createCryptoProvider({ random?, subtle?, fastPath? }) builds the provider (fastPath: see its option):
 * - randomness comes from the injected `random(n)` (default: crypto.getRandomValues). It feeds every
 *   random value this layer chooses: ECDH private keys, RSA PKCS#1 padding, RSA blinding and the
 *   Bleichenbacher substitute pre-master. Not covered (chosen inside WebCrypto): RSA/EC key generation,
 *   ECDSA nonces and RSA-PSS salts.
 * - digests, HMAC, AES-GCM, AES-CBC, ECDH P-256/P-384, RSA and ECDSA signatures: WebCrypto.
 * - X25519: WebCrypto where it is implemented (Node 20, recent browsers), else @noble/curves (WebCrypto
 *   X25519 is not in every browser yet). ChaCha20-Poly1305: @noble/ciphers (it is in no WebCrypto).
 * - RSAES-PKCS1-v1_5: our bigint code (rsa-pkcs1.ts).
 * Keys imported into WebCrypto are non-extractable. Private-key handles keep the PKCS#8 bytes (WebCrypto
 * binds a hash to an RSA key at import, so each scheme needs its own import; RSA decryption needs the
 * CRT components in JS).
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { bitLen, numberToBytesBE } from '@noble/curves/utils.js';
import { hashLength, hashSync, hmacSync, WEBCRYPTO_HASH, type HashName } from './hash.ts';
import { CryptoError } from './errors.ts';
import { base64Url, concatBytes, fromBase64Url, ownedBytes } from './bytes-util.ts';
import { ecdsaDerToRaw, ecdsaRawToDer } from './ecdsa-signature.ts';
import {
  parsePkcs8,
  parseSpki,
  type EcCurve,
  type KeyDescription,
  type RsaPrivateComponents,
  type RsaPublicComponents,
} from './keys.ts';
import { decryptPreMasterSecret, rsaesPkcs1Decrypt, rsaesPkcs1Encrypt } from './rsa-pkcs1.ts';
import { signatureScheme, type SignatureSchemeInfo, type SignatureSchemeName } from './signature-schemes.ts';

/** Fills `length` bytes. Injected so that runs can be reproducible (see countingRandom). */
export type RandomSource = (length: number) => Uint8Array;

/** The ECDHE groups (RFC 8422 §5.1.1 NamedCurve / RFC 7919 NamedGroup names). */
export type NamedGroupName = 'x25519' | 'secp256r1' | 'secp384r1';

/** TLS NamedGroup code points. */
export const NAMED_GROUP_CODE: Record<NamedGroupName, number> = { secp256r1: 23, secp384r1: 24, x25519: 29 };

/** The group with this NamedGroup code point, or undefined when we do not implement it. */
export function namedGroupByCode(code: number): NamedGroupName | undefined {
  return (Object.keys(NAMED_GROUP_CODE) as NamedGroupName[]).find((name) => NAMED_GROUP_CODE[name] === code);
}

/** An ephemeral ECDH key pair; `publicKey` is what goes on the wire (RFC 8422 §5.4: uncompressed point, or the 32-byte X25519 u-coordinate). */
export interface EcdhKeyPair {
  readonly group: NamedGroupName;
  readonly publicKey: Uint8Array;
  /** The private scalar (X25519: 32 bytes; NIST curves: big-endian, field size), for display and key logs. */
  readonly privateKey: Uint8Array;
}

export interface PrivateKeyHandle {
  readonly description: KeyDescription;
}

export interface PublicKeyHandle {
  readonly description: KeyDescription;
  /** The SubjectPublicKeyInfo DER it was imported from. */
  readonly spki: Uint8Array;
}

export type KeyGenerationKind = 'rsa-2048' | 'p256' | 'p384';

export interface GeneratedKeyPair {
  description: KeyDescription;
  /** PrivateKeyInfo DER (RFC 5208). */
  pkcs8: Uint8Array;
  /** SubjectPublicKeyInfo DER (RFC 5280). */
  spki: Uint8Array;
}

export interface CryptoProvider {
  /** `length` random bytes from the injected source. */
  random(length: number): Uint8Array;
  digest(hash: HashName, data: Uint8Array): Promise<Uint8Array>;
  hmac(hash: HashName, key: Uint8Array, data: Uint8Array): Promise<Uint8Array>;

  /** AES-GCM (key 16 or 32 bytes, nonce 12, tag 16): returns ciphertext || tag. */
  aesGcmSeal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array>;
  /** @throws CryptoError('bad-record-mac') when the tag does not verify. */
  aesGcmOpen(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Promise<Uint8Array>;
  /** ChaCha20-Poly1305 (RFC 8439; key 32, nonce 12, tag 16): returns ciphertext || tag. */
  chacha20Poly1305Seal(
    key: Uint8Array,
    nonce: Uint8Array,
    aad: Uint8Array,
    plaintext: Uint8Array,
  ): Promise<Uint8Array>;
  /** @throws CryptoError('bad-record-mac') when the tag does not verify. */
  chacha20Poly1305Open(
    key: Uint8Array,
    nonce: Uint8Array,
    aad: Uint8Array,
    sealed: Uint8Array,
  ): Promise<Uint8Array>;
  /** Raw AES-CBC, no padding added or removed: `data` must be a whole number of 16-byte blocks. */
  aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Promise<Uint8Array>;
  aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Promise<Uint8Array>;

  /** A fresh ephemeral key pair whose private key is drawn from `random`. */
  generateEcdhKeyPair(group: NamedGroupName): Promise<EcdhKeyPair>;
  /** A key pair from a known private key (fixtures: X25519 32-byte scalar, P-256/P-384 big-endian scalar). */
  importEcdhPrivateKey(group: NamedGroupName, privateKey: Uint8Array): Promise<EcdhKeyPair>;
  /**
   * The ECDH shared secret: X25519 output (RFC 7748 §5) or the x-coordinate of the shared point, left-padded
   * to the field size (RFC 8422 §5.10). @throws CryptoError('invalid-input') for a malformed or off-curve peer
   * key, CryptoError('invalid-shared-secret') for an all-zero X25519 result (RFC 8422 §5.11).
   */
  ecdh(keyPair: EcdhKeyPair, peerPublicKey: Uint8Array): Promise<Uint8Array>;

  /** Imports a PKCS#8 private key (RSA, EC P-256/P-384). */
  importPrivateKey(pkcs8: Uint8Array): Promise<PrivateKeyHandle>;
  /** Imports a SubjectPublicKeyInfo (RSA, EC P-256/P-384), e.g. from a certificate. */
  importPublicKey(spki: Uint8Array): Promise<PublicKeyHandle>;
  /** Signs `data` (the hash is applied inside). ECDSA signatures are returned in DER, as TLS sends them. */
  sign(scheme: SignatureSchemeName, key: PrivateKeyHandle, data: Uint8Array): Promise<Uint8Array>;
  /**
   * Verifies a TLS signature (ECDSA: DER). Returns false for a wrong or malformed signature.
   * @throws CryptoError('invalid-input') when the key type does not fit the scheme.
   */
  verify(
    scheme: SignatureSchemeName,
    key: PublicKeyHandle,
    data: Uint8Array,
    signature: Uint8Array,
  ): Promise<boolean>;

  /** RSAES-PKCS1-v1_5 encryption (client side of TLS_RSA_*: the 48-byte pre-master secret). */
  rsaPkcs1Encrypt(key: PublicKeyHandle, message: Uint8Array): Promise<Uint8Array>;
  /** RSAES-PKCS1-v1_5 decryption that throws on bad padding. Not for TLS servers: see rsaDecryptPreMasterSecret. */
  rsaPkcs1Decrypt(key: PrivateKeyHandle, ciphertext: Uint8Array): Promise<Uint8Array>;
  /** RFC 5246 §7.4.7.1 server side: always 48 bytes, a random pre-master on any failure, never throws on padding. */
  rsaDecryptPreMasterSecret(
    key: PrivateKeyHandle,
    encrypted: Uint8Array,
    clientVersion: number,
  ): Promise<Uint8Array>;

  /** Test/demo keys, exported as PKCS#8 and SPKI DER (these keys are extractable by nature). */
  generateKeyPair(kind: KeyGenerationKind): Promise<GeneratedKeyPair>;
}

export interface CryptoProviderOptions {
  /** Randomness source; defaults to crypto.getRandomValues. */
  random?: RandomSource;
  /** WebCrypto implementation; defaults to globalThis.crypto.subtle. */
  subtle?: SubtleCrypto;
  /**
   * Swap three primitives for noble's synchronous code, with the same bytes: digests, because the key schedule
   * hashes a few short transcripts; HMAC, because the handshake's PRF or HKDF runs dozens of HMACs over a few
   * dozen bytes each; and AES-GCM, because a handshake seals and opens a handful of records of a few dozen
   * bytes. For all three, WebCrypto's per-call cost (a thread-pool round trip, plus a key import for HMAC and
   * AES, ~0.1-0.3 ms, more on a busy machine) would dominate, where noble takes microseconds. Keeping a key's
   * prepared state between calls (noble's expanded AES key and GHASH table, the keyed HMAC) was measured and
   * gained nothing in a handshake (~43 µs per GCM record and ~5.5 µs per HMAC either way), so it is not done.
   * The engine runs with it on (engineProvider).
   */
  fastPath?: boolean;
}

/** The default randomness: crypto.getRandomValues in 64 KiB chunks (its per-call limit). */
export function systemRandom(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += 65536)
    globalThis.crypto.getRandomValues(out.subarray(i, Math.min(length, i + 65536)));
  return out;
}

/**
 * A reproducible source that counts bytes: 00 01 02 … ff 00 01 … from `start`, as in The Illustrated TLS
 * Connection, so that readers can recognise where each random value went. For demos and tests only.
 */
export function countingRandom(start = 0): RandomSource {
  let next = start & 0xff;
  return (length) => {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      out[i] = next;
      next = (next + 1) & 0xff;
    }
    return out;
  };
}

// --- Handles -----------------------------------------------------------------------------------------

const GROUP_INFO = {
  x25519: { bytes: 32, curve: undefined },
  secp256r1: { bytes: 32, curve: 'P-256' as EcCurve },
  secp384r1: { bytes: 48, curve: 'P-384' as EcCurve },
} as const;

const NOBLE_EC = { 'P-256': p256, 'P-384': p384 } as const;
const FIELD_BYTES: Record<EcCurve, number> = { 'P-256': 32, 'P-384': 48 };

class WebCryptoEcdhKeyPair implements EcdhKeyPair {
  constructor(
    readonly group: NamedGroupName,
    readonly publicKey: Uint8Array,
    /** A WebCrypto key for deriveBits, or (X25519 without WebCrypto support) the scalar bytes for noble. */
    readonly secret: Uint8Array | CryptoKey,
    readonly privateKey: Uint8Array,
  ) {}
}

class WebCryptoPrivateKey implements PrivateKeyHandle {
  readonly cache = new Map<string, Promise<CryptoKey>>();
  constructor(
    readonly description: KeyDescription,
    readonly pkcs8: Uint8Array,
    readonly rsa: RsaPrivateComponents | undefined,
  ) {}
}

class WebCryptoPublicKey implements PublicKeyHandle {
  readonly cache = new Map<string, Promise<CryptoKey>>();
  constructor(
    readonly description: KeyDescription,
    readonly spki: Uint8Array,
    readonly rsa: RsaPublicComponents | undefined,
  ) {}
}

function checkLength(what: string, bytes: Uint8Array, ...allowed: number[]): void {
  if (!allowed.includes(bytes.length)) {
    throw new CryptoError(
      'invalid-input',
      `${what}: expected ${allowed.join(' or ')} bytes, got ${bytes.length}`,
    );
  }
}

function privateHandle(key: PrivateKeyHandle): WebCryptoPrivateKey {
  if (!(key instanceof WebCryptoPrivateKey))
    throw new CryptoError('invalid-input', 'private key was not imported by this provider');
  return key;
}

function publicHandle(key: PublicKeyHandle): WebCryptoPublicKey {
  if (!(key instanceof WebCryptoPublicKey))
    throw new CryptoError('invalid-input', 'public key was not imported by this provider');
  return key;
}

function schemeInfo(scheme: SignatureSchemeName, description: KeyDescription): SignatureSchemeInfo {
  const info = signatureScheme(scheme);
  if (!info) throw new CryptoError('unsupported', `signature scheme ${String(scheme)} is not implemented`);
  if (info.keyType !== description.type) {
    throw new CryptoError(
      'invalid-input',
      `signature scheme ${scheme} needs an ${info.keyType.toUpperCase()} key, got ${description.type.toUpperCase()}`,
    );
  }
  return info;
}

/** WebCrypto algorithm parameters for importing and using a key under a scheme. */
function signatureAlgorithms(info: SignatureSchemeInfo, description: KeyDescription) {
  const hash = WEBCRYPTO_HASH[info.hash];
  if (description.type === 'ec') {
    return {
      importParams: { name: 'ECDSA', namedCurve: description.curve },
      signParams: { name: 'ECDSA', hash },
    };
  }
  if (info.padding === 'pss') {
    const saltLength = hashLength(info.hash);
    return { importParams: { name: 'RSA-PSS', hash }, signParams: { name: 'RSA-PSS', saltLength } };
  }
  return { importParams: { name: 'RSASSA-PKCS1-v1_5', hash }, signParams: { name: 'RSASSA-PKCS1-v1_5' } };
}

// --- The provider --------------------------------------------------------------------------------------

/** Where WebCrypto comes from: the injected `subtle`, else the platform's (a secure context is required). */
type Subtle = () => SubtleCrypto;

export function createCryptoProvider(options: CryptoProviderOptions = {}): CryptoProvider {
  const source = options.random ?? systemRandom;
  const subtle = (): SubtleCrypto => {
    const s = options.subtle ?? globalThis.crypto?.subtle;
    if (!s)
      throw new CryptoError(
        'unsupported',
        'WebCrypto (crypto.subtle) is not available: a secure context is required',
      );
    return s;
  };
  const random = (length: number): Uint8Array => {
    if (!Number.isInteger(length) || length < 0) throw new RangeError(`random: bad length ${length}`);
    const out = source(length);
    if (out.length !== length)
      throw new CryptoError(
        'invalid-input',
        `random source returned ${out.length} bytes, ${length} requested`,
      );
    return out;
  };
  const provider: CryptoProvider = {
    random,
    ...symmetricOps(subtle),
    ...keyAgreementOps(subtle, random, options.random !== undefined),
    ...signatureOps(subtle, random),
  };
  return options.fastPath ? { ...provider, ...fastPathOps() } : provider;
}

/** AES-CBC without padding: a 16-byte IV and whole blocks. */
function checkCbcInput(iv: Uint8Array, data: Uint8Array): void {
  checkLength('AES-CBC IV', iv, 16);
  if (data.length % 16)
    throw new CryptoError('invalid-input', `AES-CBC: ${data.length} bytes is not a whole number of blocks`);
}

/** Hashes, HMAC and the record ciphers: WebCrypto, and noble's ChaCha20-Poly1305. */
function symmetricOps(
  subtle: Subtle,
): Pick<
  CryptoProvider,
  | 'digest'
  | 'hmac'
  | 'aesGcmSeal'
  | 'aesGcmOpen'
  | 'chacha20Poly1305Seal'
  | 'chacha20Poly1305Open'
  | 'aesCbcEncrypt'
  | 'aesCbcDecrypt'
> {
  const importAes = (name: 'AES-GCM' | 'AES-CBC', key: Uint8Array): Promise<CryptoKey> => {
    checkLength(`${name} key`, key, 16, 32);
    return subtle().importKey('raw', ownedBytes(key), { name }, false, ['encrypt', 'decrypt']);
  };
  return {
    async digest(hash, data) {
      return new Uint8Array(await subtle().digest(WEBCRYPTO_HASH[hash], ownedBytes(data)));
    },

    async hmac(hash, key, data) {
      // RFC 2104; WebCrypto rejects an empty HMAC key, which TLS never uses (MAC keys are 20+ bytes).
      const k = await subtle().importKey(
        'raw',
        ownedBytes(key),
        { name: 'HMAC', hash: WEBCRYPTO_HASH[hash] },
        false,
        ['sign'],
      );
      return new Uint8Array(await subtle().sign('HMAC', k, ownedBytes(data)));
    },

    async aesGcmSeal(key, nonce, aad, plaintext) {
      checkLength('AES-GCM nonce', nonce, 12);
      const k = await importAes('AES-GCM', key);
      const params = {
        name: 'AES-GCM',
        iv: ownedBytes(nonce),
        additionalData: ownedBytes(aad),
        tagLength: 128,
      };
      return new Uint8Array(await subtle().encrypt(params, k, ownedBytes(plaintext)));
    },

    async aesGcmOpen(key, nonce, aad, sealed) {
      checkLength('AES-GCM nonce', nonce, 12);
      const k = await importAes('AES-GCM', key);
      if (sealed.length < 16)
        throw new CryptoError('bad-record-mac', 'AEAD: ciphertext shorter than its tag');
      const params = {
        name: 'AES-GCM',
        iv: ownedBytes(nonce),
        additionalData: ownedBytes(aad),
        tagLength: 128,
      };
      try {
        return new Uint8Array(await subtle().decrypt(params, k, ownedBytes(sealed)));
      } catch (cause) {
        throw new CryptoError('bad-record-mac', 'AEAD: authentication tag does not verify', { cause });
      }
    },

    async chacha20Poly1305Seal(key, nonce, aad, plaintext) {
      checkLength('ChaCha20-Poly1305 key', key, 32);
      checkLength('ChaCha20-Poly1305 nonce', nonce, 12);
      return chacha20poly1305(key, nonce, aad).encrypt(plaintext);
    },

    async chacha20Poly1305Open(key, nonce, aad, sealed) {
      checkLength('ChaCha20-Poly1305 key', key, 32);
      checkLength('ChaCha20-Poly1305 nonce', nonce, 12);
      if (sealed.length < 16)
        throw new CryptoError('bad-record-mac', 'AEAD: ciphertext shorter than its tag');
      try {
        return chacha20poly1305(key, nonce, aad).decrypt(sealed);
      } catch (cause) {
        throw new CryptoError('bad-record-mac', 'AEAD: authentication tag does not verify', { cause });
      }
    },

    async aesCbcEncrypt(key, iv, data) {
      checkCbcInput(iv, data);
      const k = await importAes('AES-CBC', key);
      // WebCrypto always appends PKCS#7 padding: a whole extra block here, which we drop.
      const out = new Uint8Array(
        await subtle().encrypt({ name: 'AES-CBC', iv: ownedBytes(iv) }, k, ownedBytes(data)),
      );
      return out.slice(0, data.length);
    },

    async aesCbcDecrypt(key, iv, data) {
      checkCbcInput(iv, data);
      if (data.length === 0) return new Uint8Array(0);
      const k = await importAes('AES-CBC', key);
      // WebCrypto insists on removing PKCS#7 padding. Append the block that CBC would produce for a full
      // padding block (16 × 0x10) after our last ciphertext block: E(pad XOR C_last), obtained by
      // encrypting `pad` with IV = C_last. Decryption then strips exactly that block.
      const last = data.slice(data.length - 16);
      const padBlock = new Uint8Array(16).fill(16);
      const extra = new Uint8Array(
        await subtle().encrypt({ name: 'AES-CBC', iv: last }, k, padBlock),
      ).subarray(0, 16);
      const joined = new Uint8Array(data.length + 16);
      joined.set(data);
      joined.set(extra, data.length);
      return new Uint8Array(await subtle().decrypt({ name: 'AES-CBC', iv: ownedBytes(iv) }, k, joined));
    },
  };
}

/**
 * ECDHE: X25519, P-256, P-384. `injectedRandom`: the scalars must come from the injected source, so WebCrypto's
 * own key generation is not used.
 */
function keyAgreementOps(
  subtle: Subtle,
  random: (length: number) => Uint8Array,
  injectedRandom: boolean,
): Pick<CryptoProvider, 'generateEcdhKeyPair' | 'importEcdhPrivateKey' | 'ecdh'> {
  const { importNistEcdh, importNativeX25519, x25519DeriveNative, generateNative } = webCryptoEcdh(
    subtle,
    injectedRandom,
  );
  const ops: Pick<CryptoProvider, 'generateEcdhKeyPair' | 'importEcdhPrivateKey' | 'ecdh'> = {
    async generateEcdhKeyPair(group) {
      const info = GROUP_INFO[group];
      if (!info) throw new CryptoError('unsupported', `ECDH group ${String(group)} is not implemented`);
      const native = await generateNative(group);
      if (native) return native;
      if (group === 'x25519') return ops.importEcdhPrivateKey(group, random(32));
      // Rejection sampling for a scalar in [1, n-1] (FIPS 186-5 A.4.2); P-256/P-384 rarely reject.
      for (;;) {
        const scalar = random(info.bytes);
        if (NOBLE_EC[info.curve!].utils.isValidSecretKey(scalar))
          return ops.importEcdhPrivateKey(group, scalar);
      }
    },

    async importEcdhPrivateKey(group, privateKey) {
      if (group === 'x25519') {
        checkLength('X25519 private key', privateKey, 32);
        const scalar = Uint8Array.from(privateKey);
        const native = await importNativeX25519(scalar);
        if (native) return new WebCryptoEcdhKeyPair(group, native.publicKey, native.key, scalar);
        return new WebCryptoEcdhKeyPair(group, x25519.getPublicKey(scalar), scalar, scalar);
      }
      const info = GROUP_INFO[group];
      if (!info) throw new CryptoError('unsupported', `ECDH group ${String(group)} is not implemented`);
      return importNistEcdh(info.curve!, privateKey);
    },

    async ecdh(keyPair, peerPublicKey) {
      if (!(keyPair instanceof WebCryptoEcdhKeyPair))
        throw new CryptoError('invalid-input', 'ECDH key pair was not made by this provider');
      const { group, secret } = keyPair;
      if (group === 'x25519') {
        checkLength('X25519 peer public key', peerPublicKey, 32);
        let shared: Uint8Array;
        try {
          shared =
            secret instanceof Uint8Array
              ? x25519.getSharedSecret(secret, peerPublicKey)
              : await x25519DeriveNative(secret, peerPublicKey);
        } catch (cause) {
          throw new CryptoError(
            'invalid-shared-secret',
            'X25519: the shared secret is all zeros (low-order peer key)',
            { cause },
          );
        }
        if (shared.every((b) => b === 0))
          throw new CryptoError(
            'invalid-shared-secret',
            'X25519: the shared secret is all zeros (low-order peer key)',
          );
        return shared;
      }
      const info = GROUP_INFO[group];
      const size = info.bytes;
      // RFC 8422 §5.4.1: uncompressed points only (04 || X || Y).
      if (peerPublicKey.length !== 1 + 2 * size || peerPublicKey[0] !== 0x04) {
        throw new CryptoError(
          'invalid-input',
          `${group} peer public key: expected an uncompressed point of ${1 + 2 * size} bytes starting 04, got ${peerPublicKey.length} bytes`,
        );
      }
      let peer: CryptoKey;
      try {
        peer = await subtle().importKey(
          'raw',
          ownedBytes(peerPublicKey),
          { name: 'ECDH', namedCurve: info.curve! },
          false,
          [],
        );
      } catch (cause) {
        throw new CryptoError('invalid-input', `${group} peer public key is not a point on the curve`, {
          cause,
        });
      }
      const bits = await subtle().deriveBits({ name: 'ECDH', public: peer }, secret as CryptoKey, size * 8);
      return new Uint8Array(bits);
    },
  };
  return ops;
}

/** The WebCrypto side of ECDHE: NIST curves, and X25519 and key generation where the platform has them. */
function webCryptoEcdh(subtle: Subtle, injectedRandom: boolean) {
  const importNistEcdh = async (curve: EcCurve, scalar: Uint8Array): Promise<WebCryptoEcdhKeyPair> => {
    const noble = NOBLE_EC[curve];
    const size = FIELD_BYTES[curve];
    checkLength(`${curve} private key`, scalar, size);
    if (!noble.utils.isValidSecretKey(scalar))
      throw new CryptoError('invalid-input', `${curve} private key is not in [1, n-1]`);
    const publicKey = noble.getPublicKey(scalar, false);
    const jwk: JsonWebKey = {
      kty: 'EC',
      crv: curve,
      x: base64Url(publicKey.subarray(1, 1 + size)),
      y: base64Url(publicKey.subarray(1 + size)),
      d: base64Url(scalar),
    };
    const key = await subtle().importKey('jwk', jwk, { name: 'ECDH', namedCurve: curve }, false, [
      'deriveBits',
    ]);
    return new WebCryptoEcdhKeyPair(curve === 'P-256' ? 'secp256r1' : 'secp384r1', publicKey, key, scalar);
  };

  // X25519: WebCrypto where it exists (Node 20, recent browsers; ~10x faster than JS), else noble. The
  // scalar is imported as PKCS#8 (RFC 8410) and stays non-extractable; the public key is scalar x u=9,
  // computed by the same deriveBits against the base point.
  let nativeX25519: boolean | undefined;
  const X25519_PKCS8_PREFIX = Uint8Array.of(
    0x30,
    0x2e,
    0x02,
    0x01,
    0x00,
    0x30,
    0x05,
    0x06,
    0x03,
    0x2b,
    0x65,
    0x6e,
    0x04,
    0x22,
    0x04,
    0x20,
  );
  const X25519_BASE_POINT = Uint8Array.of(9, ...new Uint8Array(31));
  const x25519DeriveNative = async (key: CryptoKey, peer: Uint8Array): Promise<Uint8Array> => {
    const peerKey = await subtle().importKey('raw', ownedBytes(peer), { name: 'X25519' }, false, []);
    return new Uint8Array(await subtle().deriveBits({ name: 'X25519', public: peerKey }, key, 256));
  };
  const importNativeX25519 = async (
    scalar: Uint8Array,
  ): Promise<{ key: CryptoKey; publicKey: Uint8Array } | undefined> => {
    if (nativeX25519 === false) return undefined;
    try {
      const pkcs8 = new Uint8Array(48);
      pkcs8.set(X25519_PKCS8_PREFIX);
      pkcs8.set(scalar, 16);
      const key = await subtle().importKey('pkcs8', pkcs8, { name: 'X25519' }, false, ['deriveBits']);
      const publicKey = await x25519DeriveNative(key, X25519_BASE_POINT);
      nativeX25519 = true;
      return { key, publicKey };
    } catch {
      nativeX25519 = false;
      return undefined;
    }
  };

  // With the system's randomness (no `random` injected) a fresh key pair comes straight from WebCrypto's
  // generateKey, exported once as a JWK for the scalar and the public key: ~0.4 ms against ~1.3 ms for
  // importing a scalar we drew (a PKCS#8 import plus a base-point multiplication). With injected randomness
  // the scalar must come from that source, so the import path stays.
  // Per group: a browser may have ECDH on P-256 but no X25519 in WebCrypto.
  const nativeGenerate = new Map<NamedGroupName, boolean>();
  const generateNative = async (group: NamedGroupName): Promise<WebCryptoEcdhKeyPair | undefined> => {
    if (injectedRandom || nativeGenerate.get(group) === false) return undefined;
    const info = GROUP_INFO[group];
    const algorithm = group === 'x25519' ? { name: 'X25519' } : { name: 'ECDH', namedCurve: info.curve! };
    try {
      const pair = (await subtle().generateKey(algorithm, true, ['deriveBits'])) as CryptoKeyPair;
      const jwk = await subtle().exportKey('jwk', pair.privateKey);
      const scalar = fromBase64Url(jwk.d!);
      const x = fromBase64Url(jwk.x!);
      const publicKey = group === 'x25519' ? x : concatBytes(Uint8Array.of(4), x, fromBase64Url(jwk.y!));
      if (scalar.length !== info.bytes || publicKey.length !== (group === 'x25519' ? 32 : 1 + 2 * info.bytes))
        throw new CryptoError('invalid-input', `${group}: WebCrypto exported a key of an unexpected size`);
      nativeGenerate.set(group, true);
      return new WebCryptoEcdhKeyPair(group, publicKey, pair.privateKey, scalar);
    } catch (e) {
      if (nativeGenerate.get(group) === true) throw e;
      nativeGenerate.set(group, false);
      return undefined;
    }
  };
  return { importNistEcdh, importNativeX25519, x25519DeriveNative, generateNative };
}

function cachedImport(
  cache: Map<string, Promise<CryptoKey>>,
  cacheKey: string,
  make: () => Promise<CryptoKey>,
): Promise<CryptoKey> {
  let key = cache.get(cacheKey);
  if (!key) {
    key = make();
    cache.set(cacheKey, key);
  }
  return key;
}

/**
 * The scheme a freshly imported key is tried with, so that a key WebCrypto rejects fails at import. For RSA it is
 * the one a handshake then most often uses (TLS 1.3 signs only with RSA-PSS, and both versions' defaults list
 * rsa_pss_rsae_sha256 first), so that import is also the one that signs or verifies: WebCrypto binds the
 * algorithm and hash to a key at import, and a second import is a second cost.
 */
function probeScheme(description: KeyDescription): SignatureSchemeName {
  return description.type === 'rsa' ? 'rsa_pss_rsae_sha256' : 'ecdsa_secp256r1_sha256';
}

/**
 * An RSA private key as a JWK (RFC 7518 §6.3.2: each number big-endian in its fewest bytes), from the components
 * parsePkcs8 read. WebCrypto builds the key from these numbers; its PKCS#8 import of the same key (in Node, through
 * OpenSSL 3's decoder) costs ~0.3 ms more for RSA-2048, which every connection made from PEM pays.
 */
function rsaPrivateJwk(rsa: RsaPrivateComponents): JsonWebKey {
  const b64 = (x: bigint) => base64Url(numberToBytesBE(x, Math.max(1, Math.ceil(bitLen(x) / 8))));
  const { n, e, d, p, q, dp, dq, qInv } = rsa;
  return {
    kty: 'RSA',
    n: b64(n),
    e: b64(e),
    d: b64(d),
    p: b64(p),
    q: b64(q),
    dp: b64(dp),
    dq: b64(dq),
    qi: b64(qInv),
  };
}

/** The key's WebCrypto form for `scheme` (imported once per parameter set) and the parameters to sign with. */
async function webCryptoKey(
  subtle: Subtle,
  handle: WebCryptoPrivateKey | WebCryptoPublicKey,
  scheme: SignatureSchemeName,
): Promise<{ key: CryptoKey; signParams: ReturnType<typeof signatureAlgorithms>['signParams'] }> {
  const { importParams, signParams } = signatureAlgorithms(
    schemeInfo(scheme, handle.description),
    handle.description,
  );
  const key = await cachedImport(handle.cache, JSON.stringify(importParams), () => {
    if (!(handle instanceof WebCryptoPrivateKey))
      return subtle().importKey('spki', ownedBytes(handle.spki), importParams, false, ['verify']);
    return handle.rsa
      ? subtle().importKey('jwk', rsaPrivateJwk(handle.rsa), importParams, false, ['sign'])
      : subtle().importKey('pkcs8', ownedBytes(handle.pkcs8), importParams, false, ['sign']);
  });
  return { key, signParams };
}

/** The RSA components `what` needs, or a clear error for a key of another type. */
function rsaOf<Rsa>(handle: { description: KeyDescription; rsa: Rsa | undefined }, what: string): Rsa {
  if (!handle.rsa)
    throw new CryptoError(
      'invalid-input',
      `${what} needs an RSA key, got ${handle.description.type.toUpperCase()}`,
    );
  return handle.rsa;
}

/** Key import, signatures, RSA encryption and key generation. */
function signatureOps(
  subtle: Subtle,
  random: (length: number) => Uint8Array,
): Pick<
  CryptoProvider,
  | 'importPrivateKey'
  | 'importPublicKey'
  | 'sign'
  | 'verify'
  | 'rsaPkcs1Encrypt'
  | 'rsaPkcs1Decrypt'
  | 'rsaDecryptPreMasterSecret'
  | 'generateKeyPair'
> {
  return {
    async importPrivateKey(pkcs8) {
      const parsed = parsePkcs8(pkcs8);
      const handle = new WebCryptoPrivateKey(parsed.description, Uint8Array.from(pkcs8), parsed.rsa);
      // Import once now so that a key WebCrypto rejects fails here, not at first use.
      await webCryptoKey(subtle, handle, probeScheme(parsed.description));
      return handle;
    },

    async importPublicKey(spki) {
      const parsed = parseSpki(spki);
      const handle = new WebCryptoPublicKey(parsed.description, Uint8Array.from(spki), parsed.rsa);
      await webCryptoKey(subtle, handle, probeScheme(parsed.description));
      return handle;
    },

    async sign(scheme, key, data) {
      const handle = privateHandle(key);
      const { key: k, signParams } = await webCryptoKey(subtle, handle, scheme);
      const signature = new Uint8Array(await subtle().sign(signParams, k, ownedBytes(data)));
      if (handle.description.type === 'ec')
        return ecdsaRawToDer(signature, FIELD_BYTES[handle.description.curve]);
      return signature;
    },

    async verify(scheme, key, data, signature) {
      const handle = publicHandle(key);
      const { key: k, signParams } = await webCryptoKey(subtle, handle, scheme);
      let sig = signature;
      if (handle.description.type === 'ec') {
        try {
          sig = ecdsaDerToRaw(signature, FIELD_BYTES[handle.description.curve]);
        } catch {
          return false; // malformed DER is simply not a valid signature
        }
      }
      return subtle().verify(signParams, k, ownedBytes(sig), ownedBytes(data));
    },

    async rsaPkcs1Encrypt(key, message) {
      return rsaesPkcs1Encrypt(rsaOf(publicHandle(key), 'RSA encryption'), message, random);
    },

    async rsaPkcs1Decrypt(key, ciphertext) {
      return rsaesPkcs1Decrypt(rsaOf(privateHandle(key), 'RSA decryption'), ciphertext, random);
    },

    async rsaDecryptPreMasterSecret(key, encrypted, clientVersion) {
      const rsa = rsaOf(privateHandle(key), 'RSA key exchange');
      return decryptPreMasterSecret(rsa, encrypted, clientVersion, random);
    },

    async generateKeyPair(kind) {
      const params =
        kind === 'rsa-2048'
          ? {
              name: 'RSASSA-PKCS1-v1_5',
              modulusLength: 2048,
              publicExponent: Uint8Array.of(1, 0, 1),
              hash: 'SHA-256',
            }
          : { name: 'ECDSA', namedCurve: kind === 'p256' ? 'P-256' : 'P-384' };
      const pair = (await subtle().generateKey(params, true, ['sign', 'verify'])) as CryptoKeyPair;
      const pkcs8 = new Uint8Array(await subtle().exportKey('pkcs8', pair.privateKey));
      const spki = new Uint8Array(await subtle().exportKey('spki', pair.publicKey));
      return { description: parseSpki(spki).description, pkcs8, spki };
    },
  };
}

/** `fastPath`: digests, HMAC and AES-GCM from noble's synchronous code (no WebCrypto round trip per call). */
function fastPathOps(): Pick<CryptoProvider, 'digest' | 'hmac' | 'aesGcmSeal' | 'aesGcmOpen'> {
  return {
    digest: async (hash, data) => hashSync(hash, data),
    hmac: async (hash, key, data) => hmacSync(hash, key, data),
    aesGcmSeal: async (key, nonce, aad, plaintext) => {
      checkLength('AES-GCM nonce', nonce, 12);
      return gcm(key, nonce, aad).encrypt(plaintext);
    },
    aesGcmOpen: async (key, nonce, aad, sealed) => {
      checkLength('AES-GCM nonce', nonce, 12);
      try {
        return gcm(key, nonce, aad).decrypt(sealed);
      } catch (cause) {
        throw new CryptoError('bad-record-mac', 'AEAD: authentication tag does not verify', { cause });
      }
    },
  };
}

let engine: CryptoProvider | undefined;

/**
 * The provider the handshake engine uses, shared: `createCryptoProvider({ fastPath: true })`. It draws no
 * randomness the engine chooses (randoms, seeded scalars, pre-master secrets, CBC IVs come from the
 * configured source); WebCrypto picks PSS salts and ECDSA nonces itself.
 */
export function engineProvider(): CryptoProvider {
  engine ??= createCryptoProvider({ fastPath: true });
  return engine;
}
