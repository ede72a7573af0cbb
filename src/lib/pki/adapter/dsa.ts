/**
 * DSA signature verification with bigint arithmetic (WebCrypto has no DSA): FIPS 186-4 §4.7, with the key and
 * signature formats of RFC 3279 §2.2.2 (Dss-Sig-Value) and §2.3.2 (id-dsa SubjectPublicKeyInfo, Dss-Parms).
 *
 * A DSA SubjectPublicKeyInfo may omit its parameters: they are then inherited from the issuer's key (RFC 3279
 * §2.3.2, RFC 5280 §6.1.4 (e)-(f) working_public_key_parameters). `parseDsaPublicKey` reports them absent;
 * the caller supplies the inherited ones.
 */
import { invert as modInverse, pow as modPow } from '@noble/curves/abstract/modular.js';
import { bitLen as bitLength, bytesToNumberBE } from '@noble/curves/utils.js';
import { DIGESTS } from './digest.ts';
import {
  bitStringBytes,
  childrenOf,
  contents,
  DerError,
  expectUniversal,
  readOid,
  readTlv,
  Tag,
  type Tlv,
} from '../../bytes/der.ts';

/** id-dsa, RFC 3279 §2.3.2. */
export const ID_DSA = '1.2.840.10040.4.1';

/** Dss-Parms ::= SEQUENCE { p INTEGER, q INTEGER, g INTEGER } */
export interface DsaParams {
  readonly p: bigint;
  readonly q: bigint;
  readonly g: bigint;
}

export interface DsaPublicKey {
  /** DSAPublicKey ::= INTEGER -- public key, y */
  readonly y: bigint;
  /** Absent when the SubjectPublicKeyInfo omits them (to be inherited from the issuer's key). */
  readonly params?: DsaParams;
}

/** p sizes accepted (bits): FIPS 186-4 §4.2 L = 1024, 2048, 3072; anything up to 4096 is read, below 1024 refused. */
const MIN_P_BITS = 1024;
const MAX_P_BITS = 4096;
/** q sizes, FIPS 186-4 §4.2 N = 160, 224, 256. */
const Q_BITS = new Set([160, 224, 256]);

/** A non-negative DER INTEGER (X.690 §8.3: minimal two's complement). */
function readPositive(buf: Uint8Array, t: Tlv | undefined, what: string, at: number): bigint {
  const int = expectUniversal(t, Tag.INTEGER, what, at);
  const c = contents(buf, int);
  if (c.length === 0) throw new DerError(int.start, `${what} is an empty INTEGER`);
  const first = c[0] as number;
  if ((first & 0x80) !== 0) throw new DerError(int.start, `${what} is negative`);
  if (c.length > 1 && first === 0 && ((c[1] as number) & 0x80) === 0)
    throw new DerError(int.start, `${what} is not minimally encoded (a redundant leading zero byte)`);
  if (c.length > MAX_P_BITS / 8 + 1) throw new DerError(int.start, `${what} is too large`);
  return bytesToNumberBE(c);
}

/** Dss-Parms, checked: p and q of FIPS 186-4 sizes, q divides p - 1, 1 < g < p and g has order q. */
export function checkDsaParams(params: DsaParams): void {
  const { p, q, g } = params;
  const pBits = bitLength(p);
  const qBits = bitLength(q);
  if (pBits < MIN_P_BITS)
    throw new Error(`the DSA prime p has ${pBits} bits (at least ${MIN_P_BITS} required)`);
  if (pBits > MAX_P_BITS)
    throw new Error(`the DSA prime p has ${pBits} bits (at most ${MAX_P_BITS} supported)`);
  if (!Q_BITS.has(qBits)) throw new Error(`the DSA subprime q has ${qBits} bits (160, 224 or 256 required)`);
  if ((p & 1n) === 0n || (q & 1n) === 0n) throw new Error('the DSA parameters p and q must be odd');
  if ((p - 1n) % q !== 0n) throw new Error('the DSA parameter q does not divide p - 1');
  if (g <= 1n || g >= p) throw new Error('the DSA generator g is not in the range 1 < g < p');
  if (modPow(g, q, p) !== 1n) throw new Error('the DSA generator g does not have order q');
}

/** Reads Dss-Parms from its DER (the AlgorithmIdentifier parameters of an id-dsa key). */
export function parseDsaParams(buf: Uint8Array, seq: Tlv): DsaParams {
  expectUniversal(seq, Tag.SEQUENCE, 'the DSA parameters', seq.start);
  const [p, q, g, extra] = childrenOf(buf, seq);
  if (extra !== undefined) throw new DerError(extra.start, 'the DSA parameters have more than p, q and g');
  return {
    p: readPositive(buf, p, 'the DSA parameter p', seq.start),
    q: readPositive(buf, q, 'the DSA parameter q', seq.start),
    g: readPositive(buf, g, 'the DSA parameter g', seq.start),
  };
}

/** An id-dsa SubjectPublicKeyInfo (RFC 3279 §2.3.2): y, and p, q, g when present (absent or NULL: inherited). */
export function parseDsaPublicKey(spki: Uint8Array): DsaPublicKey {
  const seq = expectUniversal(readTlv(spki, 0, spki.length), Tag.SEQUENCE, 'the DSA SubjectPublicKeyInfo', 0);
  if (seq.end !== spki.length) throw new DerError(seq.end, 'the DSA SubjectPublicKeyInfo has trailing bytes');
  const [algId, keyBits, extra] = childrenOf(spki, seq);
  if (extra !== undefined)
    throw new DerError(extra.start, 'the DSA SubjectPublicKeyInfo has an extra element');
  const alg = expectUniversal(algId, Tag.SEQUENCE, 'the DSA key algorithm', seq.start);
  const [oid, paramsTlv, extraAlg] = childrenOf(spki, alg);
  if (readOid(spki, oid, 'the DSA key algorithm OID', alg.start) !== ID_DSA)
    throw new DerError(alg.start, 'the key algorithm is not id-dsa (1.2.840.10040.4.1)');
  if (extraAlg !== undefined)
    throw new DerError(extraAlg.start, 'the DSA key algorithm has an extra element');
  const params =
    paramsTlv === undefined || (paramsTlv.tagClass === 0 && paramsTlv.tagNumber === Tag.NULL)
      ? undefined
      : parseDsaParams(spki, paramsTlv);
  const bits = bitStringBytes(spki, expectUniversal(keyBits, Tag.BIT_STRING, 'the DSA public key', alg.end));
  if (bits.unusedBits !== 0)
    throw new DerError(keyBits!.start, 'the DSA public key BIT STRING has unused bits');
  const key = bits.bytes;
  const yTlv = readTlv(key, 0, key.length);
  if (yTlv.end !== key.length) throw new Error('the DSA public key INTEGER has trailing bytes');
  const y = readPositive(key, yTlv, 'the DSA public key y', 0);
  return params === undefined ? { y } : { y, params };
}

/** Dss-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 3279 §2.2.2). */
export function parseDsaSignature(sig: Uint8Array): { r: bigint; s: bigint } {
  const seq = expectUniversal(readTlv(sig, 0, sig.length), Tag.SEQUENCE, 'the DSA signature', 0);
  if (seq.end !== sig.length) throw new DerError(seq.end, 'the DSA signature has trailing bytes');
  const [r, s, extra] = childrenOf(sig, seq);
  if (extra !== undefined) throw new DerError(extra.start, 'the DSA signature has more than two integers');
  return {
    r: readPositive(sig, r, 'the DSA signature r', seq.start),
    s: readPositive(sig, s, 'the DSA signature s', seq.start),
  };
}

/**
 * FIPS 186-4 §4.7: true when (r, s) is a valid signature of `message` under y with `params`. Malformed input
 * (key, parameters, DER, unknown hash) throws with the reason; a well-formed signature that does not verify
 * (including r or s outside (0, q)) returns false.
 */
export function verifyDsa(
  hash: string,
  message: Uint8Array,
  signature: Uint8Array,
  y: bigint,
  params: DsaParams,
): boolean {
  const digest = DIGESTS[hash];
  if (digest === undefined) throw new Error(`DSA with ${hash} is not supported`);
  checkDsaParams(params);
  const { p, q, g } = params;
  if (y <= 1n || y >= p) throw new Error('the DSA public key y is not in the range 1 < y < p');
  if (modPow(y, q, p) !== 1n) throw new Error('the DSA public key y is not in the subgroup of order q');
  const { r, s } = parseDsaSignature(signature);
  if (r <= 0n || r >= q || s <= 0n || s >= q) return false;
  const n = bitLength(q);
  const h = digest(message);
  const outLen = h.length * 8;
  // z = the leftmost min(N, outlen) bits of Hash(M).
  const z = outLen > n ? bytesToNumberBE(h) >> BigInt(outLen - n) : bytesToNumberBE(h);
  const w = modInverse(s, q);
  const u1 = (z * w) % q;
  const u2 = (r * w) % q;
  const v = ((modPow(g, u1, p) * modPow(y, u2, p)) % p) % q;
  return v === r;
}
