/**
 * Key containers: SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) and PKCS#8 PrivateKeyInfo (RFC 5208 §5) for
 * RSA (rsaEncryption, RFC 8017 §A.1) and EC keys on P-256 / P-384 (id-ecPublicKey, RFC 5480 §2.1.1).
 * Only what the provider needs to pick a WebCrypto algorithm and, for RSA, to run RSAES-PKCS1-v1_5.
 */
import { CryptoError } from './errors.ts';
import {
  TAG_BIT_STRING,
  TAG_INTEGER,
  TAG_OCTET_STRING,
  TAG_OID,
  TAG_SEQUENCE,
  encodeElement,
  expectTag,
  integerValue,
  oidText,
  readChildren,
  readSingle,
} from './der.ts';
import { concatBytes, fromHex } from './bytes-util.ts';

export const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
export const OID_PRIME256V1 = '1.2.840.10045.3.1.7';
export const OID_SECP384R1 = '1.3.132.0.34';

export type EcCurve = 'P-256' | 'P-384';

/** What a key is, without its secret parts: shown to the UI and used to choose algorithms. */
export type KeyDescription = { type: 'rsa'; modulusBits: number } | { type: 'ec'; curve: EcCurve };

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
}

export interface ParsedPkcs8 {
  description: KeyDescription;
  rsa?: RsaPrivateComponents;
  /** EC: the private scalar (ECPrivateKey.privateKey, RFC 5915 §3), left-padded to the field size. */
  ecPrivateKey?: Uint8Array;
}

function bitLength(n: bigint): number {
  return n.toString(2).length;
}

function curveOf(oid: string): EcCurve {
  if (oid === OID_PRIME256V1) return 'P-256';
  if (oid === OID_SECP384R1) return 'P-384';
  throw new CryptoError('unsupported', `EC key on curve ${oid}: only P-256 and P-384 are supported`);
}

/** AlgorithmIdentifier -> (algorithm OID, parameters element). */
function readAlgorithm(content: Uint8Array): {
  oid: string;
  params: ReturnType<typeof readChildren>[number] | undefined;
} {
  const [oidEl, params] = readChildren(content);
  return { oid: oidText(expectTag(oidEl, TAG_OID, 'AlgorithmIdentifier.algorithm')), params };
}

/** RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 8017 §A.1.1). */
export function parseRsaPublicKey(der: Uint8Array): RsaPublicComponents {
  const [nEl, eEl] = readChildren(readSingle(der, TAG_SEQUENCE, 'RSAPublicKey').value);
  const n = integerValue(expectTag(nEl, TAG_INTEGER, 'RSAPublicKey.modulus'), 'modulus');
  const e = integerValue(expectTag(eEl, TAG_INTEGER, 'RSAPublicKey.publicExponent'), 'publicExponent');
  return { n, e, k: Math.ceil(bitLength(n) / 8) };
}

/** RSAPrivateKey (RFC 8017 §A.1.2), two-prime only. */
export function parseRsaPrivateKey(der: Uint8Array): RsaPrivateComponents {
  const fields = readChildren(readSingle(der, TAG_SEQUENCE, 'RSAPrivateKey').value);
  const names = [
    'version',
    'modulus',
    'publicExponent',
    'privateExponent',
    'prime1',
    'prime2',
    'exponent1',
    'exponent2',
    'coefficient',
  ];
  const values = names.map((name, i) =>
    integerValue(expectTag(fields[i], TAG_INTEGER, `RSAPrivateKey.${name}`), name),
  );
  if (values[0] !== 0n)
    throw new CryptoError('unsupported', 'RSAPrivateKey: multi-prime keys (version 1) are not supported');
  const [, n, e, d, p, q, dp, dq, qInv] = values as [
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
  return { n, e, d, p, q, dp, dq, qInv, k: Math.ceil(bitLength(n) / 8) };
}

/** Parses SubjectPublicKeyInfo DER. */
export function parseSpki(der: Uint8Array): ParsedSpki {
  const [algEl, keyEl] = readChildren(readSingle(der, TAG_SEQUENCE, 'SubjectPublicKeyInfo').value);
  const { oid, params } = readAlgorithm(
    expectTag(algEl, TAG_SEQUENCE, 'SubjectPublicKeyInfo.algorithm').value,
  );
  const bits = expectTag(keyEl, TAG_BIT_STRING, 'SubjectPublicKeyInfo.subjectPublicKey').value;
  if (bits[0] !== 0)
    throw new CryptoError('invalid-input', 'SubjectPublicKeyInfo: BIT STRING with unused bits');
  const key = bits.subarray(1);
  if (oid === OID_RSA_ENCRYPTION) {
    const rsa = parseRsaPublicKey(key);
    return { description: { type: 'rsa', modulusBits: bitLength(rsa.n) }, rsa };
  }
  if (oid === OID_EC_PUBLIC_KEY) {
    const curve = curveOf(oidText(expectTag(params, TAG_OID, 'ECParameters.namedCurve')));
    return { description: { type: 'ec', curve }, ecPoint: key };
  }
  throw new CryptoError(
    'unsupported',
    `public key algorithm ${oid}: only rsaEncryption and id-ecPublicKey are supported`,
  );
}

/** Parses PKCS#8 PrivateKeyInfo DER (unencrypted). */
export function parsePkcs8(der: Uint8Array): ParsedPkcs8 {
  const [versionEl, algEl, keyEl] = readChildren(readSingle(der, TAG_SEQUENCE, 'PrivateKeyInfo').value);
  integerValue(expectTag(versionEl, TAG_INTEGER, 'PrivateKeyInfo.version'), 'version');
  const { oid, params } = readAlgorithm(
    expectTag(algEl, TAG_SEQUENCE, 'PrivateKeyInfo.privateKeyAlgorithm').value,
  );
  const key = expectTag(keyEl, TAG_OCTET_STRING, 'PrivateKeyInfo.privateKey').value;
  if (oid === OID_RSA_ENCRYPTION) {
    const rsa = parseRsaPrivateKey(key);
    return { description: { type: 'rsa', modulusBits: bitLength(rsa.n) }, rsa };
  }
  if (oid === OID_EC_PUBLIC_KEY) {
    const curve = curveOf(oidText(expectTag(params, TAG_OID, 'ECParameters.namedCurve')));
    const [, scalarEl] = readChildren(readSingle(key, TAG_SEQUENCE, 'ECPrivateKey').value);
    const size = curve === 'P-256' ? 32 : 48;
    const scalar = expectTag(scalarEl, TAG_OCTET_STRING, 'ECPrivateKey.privateKey').value;
    if (scalar.length > size)
      throw new CryptoError('invalid-input', `ECPrivateKey: ${scalar.length}-byte scalar for ${curve}`);
    const ecPrivateKey = new Uint8Array(size);
    ecPrivateKey.set(scalar, size - scalar.length);
    return { description: { type: 'ec', curve }, ecPrivateKey };
  }
  throw new CryptoError(
    'unsupported',
    `private key algorithm ${oid}: only rsaEncryption and id-ecPublicKey are supported`,
  );
}

/** Wraps a PKCS#1 RSAPrivateKey ("BEGIN RSA PRIVATE KEY") into PKCS#8 PrivateKeyInfo. */
export function wrapRsaPrivateKeyInPkcs8(pkcs1: Uint8Array): Uint8Array {
  parseRsaPrivateKey(pkcs1); // validate first
  const version = fromHex('020100');
  const algorithm = fromHex('300d06092a864886f70d0101010500'); // SEQUENCE { rsaEncryption, NULL }
  return encodeElement(TAG_SEQUENCE, concatBytes(version, algorithm, encodeElement(TAG_OCTET_STRING, pkcs1)));
}

/**
 * The DER inside the first PEM block with the given label (RFC 7468), e.g. pemToDer(text, 'PRIVATE KEY').
 * @throws CryptoError('invalid-input') when there is no such block.
 */
export function pemToDer(pem: string, label: string): Uint8Array {
  const begin = `-----BEGIN ${label}-----`;
  const start = pem.indexOf(begin);
  const end = pem.indexOf(`-----END ${label}-----`, start + begin.length);
  if (start < 0 || end < 0) throw new CryptoError('invalid-input', `PEM: no "${label}" block`);
  const body = pem.slice(start + begin.length, end).replace(/\s+/g, '');
  let binary: string;
  try {
    binary = atob(body);
  } catch (cause) {
    throw new CryptoError('invalid-input', `PEM: the "${label}" block is not valid base64`, { cause });
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
