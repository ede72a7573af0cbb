/**
 * Key containers, read with the one DER layer (der.ts): SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) and PKCS#8
 * PrivateKeyInfo (RFC 5208 §5) for RSA (rsaEncryption, RFC 8017 §A.1), EC keys on P-256 / P-384
 * (id-ecPublicKey, RFC 5480 §2.1.1; ECPrivateKey, RFC 5915 §3) and Ed25519 (id-Ed25519, RFC 8410 §3 and §7). Used by the TLS engine (tls12/crypto wraps the
 * errors as CryptoError) and, through pki, by sslmode (does a key file belong to a certificate).
 *
 * Malformed input throws `DerError` (offset and why); a well-formed key of another kind throws
 * `UnsupportedKeyError`.
 */
import { bitLen as bitLength } from '@noble/curves/utils.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import {
  bitStringBytes,
  childrenOf,
  contents,
  DerError,
  encodeTlv,
  expectUniversal,
  readOid,
  readUnsignedInteger,
  readWhole,
  Tag,
  type Tlv,
} from './der.ts';
import { concatBytes, fromHex } from './hex.ts';

export const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
export const OID_PRIME256V1 = '1.2.840.10045.3.1.7';
export const OID_SECP384R1 = '1.3.132.0.34';
/** id-Ed25519 (RFC 8410 §3): no parameters; the key is the 32-byte public key / CurvePrivateKey seed. */
export const OID_ED25519 = '1.3.101.112';
const ED25519_KEY_LENGTH = 32;

export type EcCurve = 'P-256' | 'P-384';

/** A well-formed key this layer does not implement (another algorithm or curve, a multi-prime RSA key). */
export class UnsupportedKeyError extends Error {
  override readonly name = 'UnsupportedKeyError';
}

/** What a key is, without its secret parts: shown to the UI and used to choose algorithms. */
export type KeyDescription =
  { type: 'rsa'; modulusBits: number } | { type: 'ec'; curve: EcCurve } | { type: 'ed25519' };

export interface RsaPublicComponents {
  n: bigint;
  e: bigint;
  /** Modulus length in bytes (k in RFC 8017). */
  k: number;
}

export interface RsaPrivateComponents extends RsaPublicComponents {
  d: bigint;
  p: bigint;
  q: bigint;
  dp: bigint;
  dq: bigint;
  qInv: bigint;
}

export interface ParsedSpki {
  description: KeyDescription;
  rsa?: RsaPublicComponents;
  /** EC public point as in the BIT STRING (uncompressed 04||X||Y). */
  ecPoint?: Uint8Array;
  /** Ed25519: the 32-byte public key (RFC 8032 §5.1.5). */
  edPublicKey?: Uint8Array;
}

export interface ParsedPkcs8 {
  description: KeyDescription;
  rsa?: RsaPrivateComponents;
  /** EC: the private scalar (ECPrivateKey.privateKey, RFC 5915 §3), left-padded to the field size. */
  ecPrivateKey?: Uint8Array;
  /** Ed25519: the 32-byte private key (the seed of RFC 8032 §5.1.5), CurvePrivateKey in RFC 8410 §7. */
  edPrivateKey?: Uint8Array;
}

function curveOf(oid: string): EcCurve {
  if (oid === OID_PRIME256V1) return 'P-256';
  if (oid === OID_SECP384R1) return 'P-384';
  throw new UnsupportedKeyError(`EC key on curve ${oid}: only P-256 and P-384 are supported`);
}

/** AlgorithmIdentifier -> (algorithm OID, parameters element). */
function readAlgorithm(der: Uint8Array, t: Tlv | undefined, what: string, at: number) {
  const seq = expectUniversal(t, Tag.SEQUENCE, what, at);
  const [oidTlv, params] = childrenOf(der, seq);
  return { oid: readOid(der, oidTlv, `${what}.algorithm`, seq.start), params };
}

function namedCurve(der: Uint8Array, params: Tlv | undefined, at: number): EcCurve {
  return curveOf(readOid(der, params, 'ECParameters.namedCurve', at));
}

function rsaPublicOf(n: bigint, e: bigint): RsaPublicComponents {
  return { n, e, k: Math.ceil(bitLength(n) / 8) };
}

/** RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 8017 §A.1.1). */
export function parseRsaPublicKey(der: Uint8Array): RsaPublicComponents {
  const seq = readWhole(der, Tag.SEQUENCE, 'RSAPublicKey');
  const [nTlv, eTlv] = childrenOf(der, seq);
  return rsaPublicOf(
    readUnsignedInteger(der, nTlv, 'RSAPublicKey.modulus', seq.end),
    readUnsignedInteger(der, eTlv, 'RSAPublicKey.publicExponent', seq.end),
  );
}

const RSA_PRIVATE_FIELDS = [
  'version',
  'modulus',
  'publicExponent',
  'privateExponent',
  'prime1',
  'prime2',
  'exponent1',
  'exponent2',
  'coefficient',
] as const;

/** RSAPrivateKey (RFC 8017 §A.1.2), two-prime only. */
export function parseRsaPrivateKey(der: Uint8Array): RsaPrivateComponents {
  const seq = readWhole(der, Tag.SEQUENCE, 'RSAPrivateKey');
  const fields = childrenOf(der, seq);
  const v = RSA_PRIVATE_FIELDS.map((name, i) =>
    readUnsignedInteger(der, fields[i], `RSAPrivateKey.${name}`, seq.end),
  );
  if (v[0] !== 0n)
    throw new UnsupportedKeyError('RSAPrivateKey: multi-prime keys (version 1) are not supported');
  const [, n, e, d, p, q, dp, dq, qInv] = v as [
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
  ];
  return { ...rsaPublicOf(n, e), d, p, q, dp, dq, qInv };
}

/** Parses SubjectPublicKeyInfo DER. */
export function parseSpki(der: Uint8Array): ParsedSpki {
  const seq = readWhole(der, Tag.SEQUENCE, 'SubjectPublicKeyInfo');
  const [algTlv, keyTlv] = childrenOf(der, seq);
  const { oid, params } = readAlgorithm(der, algTlv, 'SubjectPublicKeyInfo.algorithm', seq.contentStart);
  const bits = expectUniversal(keyTlv, Tag.BIT_STRING, 'SubjectPublicKeyInfo.subjectPublicKey', seq.end);
  const { bytes: key, unusedBits } = bitStringBytes(der, bits);
  if (unusedBits !== 0) throw new DerError(bits.start, 'the subjectPublicKey BIT STRING has unused bits');
  if (oid === OID_RSA_ENCRYPTION) {
    const rsa = parseRsaPublicKey(key);
    return { description: { type: 'rsa', modulusBits: bitLength(rsa.n) }, rsa };
  }
  if (oid === OID_EC_PUBLIC_KEY) {
    return { description: { type: 'ec', curve: namedCurve(der, params, seq.start) }, ecPoint: key };
  }
  if (oid === OID_ED25519) {
    if (params) throw new DerError(params.start, 'id-Ed25519 takes no parameters (RFC 8410 §3)');
    if (key.length !== ED25519_KEY_LENGTH)
      throw new DerError(bits.start, `an Ed25519 public key is 32 bytes, not ${key.length}`);
    return { description: { type: 'ed25519' }, edPublicKey: key };
  }
  throw new UnsupportedKeyError(
    `public key algorithm ${oid}: only rsaEncryption, id-ecPublicKey and id-Ed25519 are supported`,
  );
}

/** Parses PKCS#8 PrivateKeyInfo DER (unencrypted). */
export function parsePkcs8(der: Uint8Array): ParsedPkcs8 {
  const seq = readWhole(der, Tag.SEQUENCE, 'PrivateKeyInfo');
  const [versionTlv, algTlv, keyTlv] = childrenOf(der, seq);
  readUnsignedInteger(der, versionTlv, 'PrivateKeyInfo.version', seq.contentStart);
  const { oid, params } = readAlgorithm(der, algTlv, 'PrivateKeyInfo.privateKeyAlgorithm', seq.end);
  const key = contents(der, expectUniversal(keyTlv, Tag.OCTET_STRING, 'PrivateKeyInfo.privateKey', seq.end));
  if (oid === OID_RSA_ENCRYPTION) {
    const rsa = parseRsaPrivateKey(key);
    return { description: { type: 'rsa', modulusBits: bitLength(rsa.n) }, rsa };
  }
  if (oid === OID_EC_PUBLIC_KEY) {
    const curve = namedCurve(der, params, seq.start);
    const ec = readWhole(key, Tag.SEQUENCE, 'ECPrivateKey');
    const [, scalarTlv] = childrenOf(key, ec);
    const scalar = contents(
      key,
      expectUniversal(scalarTlv, Tag.OCTET_STRING, 'ECPrivateKey.privateKey', ec.end),
    );
    const size = curve === 'P-256' ? 32 : 48;
    if (scalar.length > size)
      throw new DerError(ec.start, `ECPrivateKey: a ${scalar.length}-byte scalar for ${curve}`);
    const ecPrivateKey = new Uint8Array(size);
    ecPrivateKey.set(scalar, size - scalar.length);
    return { description: { type: 'ec', curve }, ecPrivateKey };
  }
  if (oid === OID_ED25519) {
    if (params) throw new DerError(params.start, 'id-Ed25519 takes no parameters (RFC 8410 §3)');
    const seed = contents(key, readWhole(key, Tag.OCTET_STRING, 'CurvePrivateKey'));
    if (seed.length !== ED25519_KEY_LENGTH)
      throw new DerError(keyTlv!.start, `an Ed25519 private key is 32 bytes, not ${seed.length}`);
    return { description: { type: 'ed25519' }, edPrivateKey: seed };
  }
  throw new UnsupportedKeyError(
    `private key algorithm ${oid}: only rsaEncryption, id-ecPublicKey and id-Ed25519 are supported`,
  );
}

/** Wraps a PKCS#1 RSAPrivateKey ("BEGIN RSA PRIVATE KEY") into PKCS#8 PrivateKeyInfo. */
export function wrapRsaPrivateKeyInPkcs8(pkcs1: Uint8Array): Uint8Array {
  parseRsaPrivateKey(pkcs1); // validate first
  const version = fromHex('020100');
  const algorithm = fromHex('300d06092a864886f70d0101010500'); // SEQUENCE { rsaEncryption, NULL }
  return encodeTlv(0x30, concatBytes(version, algorithm, encodeTlv(Tag.OCTET_STRING, pkcs1)));
}

/** The uncompressed public point (04||X||Y) of an EC private scalar. */
export function ecPublicPoint(curve: EcCurve, scalar: Uint8Array): Uint8Array {
  return (curve === 'P-256' ? p256 : p384).getPublicKey(scalar, false);
}

/** The Ed25519 public key of a private key seed (RFC 8032 §5.1.5). */
export function edPublicKey(seed: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(seed);
}
