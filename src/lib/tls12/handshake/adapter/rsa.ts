/**
 * RSA primitives on bigint (RFC 8017): RSASSA-PKCS1-v1_5 and RSASSA-PSS sign/verify, RSAES-PKCS1-v1_5
 * encrypt/decrypt for the TLS_RSA pre-master secret. Randomness (PSS salt, padding) is injected, so a fixed
 * random source gives byte-identical signatures. Not constant-time: a teaching tool, not a production key store.
 */
import { concatBytes, fromHex } from '../../../bytes/index.ts';
import { hash, hashLength, type HashName } from './hashes.ts';

export interface RsaPublic {
  n: bigint;
  e: bigint;
}
export interface RsaPrivate extends RsaPublic {
  d: bigint;
  p: bigint;
  q: bigint;
  dp: bigint;
  dq: bigint;
  qinv: bigint;
}

/** RFC 8017 §9.2 note 1: DER DigestInfo prefixes. */
const DIGEST_INFO: Record<HashName, string> = {
  sha1: '3021300906052b0e03021a05000414',
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

export function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  base %= mod;
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % mod;
    base = (base * base) % mod;
    exp >>= 1n;
  }
  return result;
}

export function byteLength(n: bigint): number {
  return Math.ceil(n.toString(2).length / 8);
}

/** I2OSP (RFC 8017 §4.1). */
export function i2osp(x: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  if (x !== 0n) throw new RangeError('i2osp: integer too large');
  return out;
}

/** OS2IP (RFC 8017 §4.2). */
export function os2ip(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

/** RSADP / RSASP1 with the CRT (RFC 8017 §5.1.2 2.b). */
function privateOp(key: RsaPrivate, m: bigint): bigint {
  const m1 = modPow(m, key.dp, key.p);
  const m2 = modPow(m, key.dq, key.q);
  const h = (((m1 - m2) % key.p) + key.p) % key.p;
  return m2 + ((h * key.qinv) % key.p) * key.q;
}

function publicOp(key: RsaPublic, s: bigint): bigint {
  return modPow(s, key.e, key.n);
}

/** EMSA-PKCS1-v1_5 (RFC 8017 §9.2). */
function emsaPkcs1(hashName: HashName, message: Uint8Array, emLen: number): Uint8Array {
  const t = concatBytes(fromHex(DIGEST_INFO[hashName]), hash(hashName, message));
  if (emLen < t.length + 11) throw new RangeError('RSA: modulus too short for PKCS#1 v1.5');
  const em = new Uint8Array(emLen).fill(0xff);
  em[0] = 0;
  em[1] = 1;
  em[emLen - t.length - 1] = 0;
  em.set(t, emLen - t.length);
  return em;
}

function mgf1(hashName: HashName, seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const hLen = hashLength(hashName);
  for (let counter = 0, at = 0; at < length; counter++, at += hLen) {
    const c = new Uint8Array([
      counter >>> 24,
      (counter >>> 16) & 0xff,
      (counter >>> 8) & 0xff,
      counter & 0xff,
    ]);
    const block = hash(hashName, concatBytes(seed, c));
    out.set(block.subarray(0, Math.min(hLen, length - at)), at);
  }
  return out;
}

/** EMSA-PSS-ENCODE (RFC 8017 §9.1.1), salt length = hash length (RFC 8446 §4.2.3 rsae). */
function emsaPssEncode(
  hashName: HashName,
  message: Uint8Array,
  emBits: number,
  salt: Uint8Array,
): Uint8Array {
  const hLen = hashLength(hashName);
  const emLen = Math.ceil(emBits / 8);
  const mHash = hash(hashName, message);
  const h = hash(hashName, concatBytes(new Uint8Array(8), mHash, salt));
  const db = new Uint8Array(emLen - hLen - 1);
  db[emLen - salt.length - hLen - 2] = 1;
  db.set(salt, emLen - salt.length - hLen - 1);
  const mask = mgf1(hashName, h, db.length);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >>> (8 * emLen - emBits);
  return concatBytes(db, h, new Uint8Array([0xbc]));
}

function emsaPssVerify(hashName: HashName, message: Uint8Array, em: Uint8Array, emBits: number): boolean {
  const hLen = hashLength(hashName);
  const emLen = Math.ceil(emBits / 8);
  if (em.length !== emLen || em[emLen - 1] !== 0xbc || emLen < 2 * hLen + 2) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const topMask = 0xff >>> (8 * emLen - emBits);
  if ((maskedDb[0]! & ~topMask) !== 0) return false;
  const mask = mgf1(hashName, h, maskedDb.length);
  const db = maskedDb.map((b, i) => b ^ mask[i]!);
  db[0]! &= topMask;
  const psLen = emLen - 2 * hLen - 2;
  for (let i = 0; i < psLen; i++) if (db[i] !== 0) return false;
  if (db[psLen] !== 1) return false;
  const salt = db.subarray(db.length - hLen);
  const mHash = hash(hashName, message);
  const h2 = hash(hashName, concatBytes(new Uint8Array(8), mHash, salt));
  return h2.every((b, i) => b === h[i]);
}

export function rsaSign(
  key: RsaPrivate,
  scheme: 'pkcs1' | 'pss',
  hashName: HashName,
  message: Uint8Array,
  random: (n: number) => Uint8Array,
): Uint8Array {
  const k = byteLength(key.n);
  const modBits = key.n.toString(2).length;
  const em =
    scheme === 'pkcs1'
      ? emsaPkcs1(hashName, message, k)
      : emsaPssEncode(hashName, message, modBits - 1, random(hashLength(hashName)));
  return i2osp(privateOp(key, os2ip(em)), k);
}

export function rsaVerify(
  key: RsaPublic,
  scheme: 'pkcs1' | 'pss',
  hashName: HashName,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  const k = byteLength(key.n);
  if (signature.length !== k) return false;
  const s = os2ip(signature);
  if (s >= key.n) return false;
  const modBits = key.n.toString(2).length;
  if (scheme === 'pkcs1') {
    const em = i2osp(publicOp(key, s), k);
    const expected = emsaPkcs1(hashName, message, k);
    return em.every((b, i) => b === expected[i]);
  }
  const emLen = Math.ceil((modBits - 1) / 8);
  const em = i2osp(publicOp(key, s), emLen);
  return emsaPssVerify(hashName, message, em, modBits - 1);
}

/** RSAES-PKCS1-v1_5-ENCRYPT (RFC 8017 §7.2.1): EM = 0x00 || 0x02 || PS (non-zero) || 0x00 || M. */
export function rsaEncryptPkcs1(
  key: RsaPublic,
  message: Uint8Array,
  random: (n: number) => Uint8Array,
): Uint8Array {
  const k = byteLength(key.n);
  const psLen = k - message.length - 3;
  if (psLen < 8) throw new RangeError('RSA: message too long');
  const ps = new Uint8Array(psLen);
  let filled = 0;
  while (filled < psLen) {
    for (const b of random(psLen - filled)) if (b !== 0 && filled < psLen) ps[filled++] = b;
  }
  const em = concatBytes(new Uint8Array([0, 2]), ps, new Uint8Array([0]), message);
  return i2osp(publicOp(key, os2ip(em)), k);
}

/** RSAES-PKCS1-v1_5-DECRYPT; returns undefined on any padding error (the caller hides it, RFC 5246 §7.4.7.1). */
export function rsaDecryptPkcs1(key: RsaPrivate, ciphertext: Uint8Array): Uint8Array | undefined {
  const k = byteLength(key.n);
  if (ciphertext.length !== k) return undefined;
  const c = os2ip(ciphertext);
  if (c >= key.n) return undefined;
  const em = i2osp(privateOp(key, c), k);
  if (em[0] !== 0 || em[1] !== 2) return undefined;
  const sep = em.indexOf(0, 2);
  if (sep < 10) return undefined;
  return em.slice(sep + 1);
}
