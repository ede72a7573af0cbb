/**
 * RSASSA-PKCS1-v1_5 and RSASSA-PSS (RFC 8017 §8) on bigint, for what WebCrypto cannot do byte for byte:
 * a PSS signature whose salt comes from an injected random source (seeded runs repeat), and signature
 * schemes WebCrypto lacks in TLS (rsa_pkcs1_sha1). Not constant time: a teaching implementation.
 */
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import { bytesEqual, concatBytes, fromHex } from './bytes-util.ts';
import { hashLength, hashSync, type HashName } from './hash.ts';
import type { RsaPrivateComponents, RsaPublicComponents } from './keys.ts';
import { pow as modPow } from '@noble/curves/abstract/modular.js';
import { bitLen as bitLength } from '@noble/curves/utils.js';

export type RsaSignaturePadding = 'pkcs1' | 'pss';

/** RFC 8017 §9.2 note 1: DER DigestInfo prefixes. */
const DIGEST_INFO: Record<HashName, string> = {
  sha1: '3021300906052b0e03021a05000414',
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

/** RSASP1 with the CRT (RFC 8017 §5.2.1 2.b). */
function rsasp1(key: RsaPrivateComponents, m: bigint): bigint {
  const m1 = modPow(m, key.dp, key.p);
  const m2 = modPow(m, key.dq, key.q);
  const h = (((m1 - m2) % key.p) + key.p) % key.p;
  return m2 + ((h * key.qInv) % key.p) * key.q;
}

/** EMSA-PKCS1-v1_5 (RFC 8017 §9.2). */
function emsaPkcs1(hash: HashName, message: Uint8Array, emLen: number): Uint8Array {
  const t = concatBytes(fromHex(DIGEST_INFO[hash]), hashSync(hash, message));
  if (emLen < t.length + 11) throw new RangeError('RSA: modulus too short for PKCS#1 v1.5');
  const em = new Uint8Array(emLen).fill(0xff);
  em[0] = 0;
  em[1] = 1;
  em[emLen - t.length - 1] = 0;
  em.set(t, emLen - t.length);
  return em;
}

/** MGF1 (RFC 8017 §B.2.1). */
function mgf1(hash: HashName, seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const hLen = hashLength(hash);
  for (let counter = 0, at = 0; at < length; counter++, at += hLen) {
    const c = Uint8Array.of(counter >>> 24, (counter >>> 16) & 0xff, (counter >>> 8) & 0xff, counter & 0xff);
    out.set(hashSync(hash, concatBytes(seed, c)).subarray(0, Math.min(hLen, length - at)), at);
  }
  return out;
}

/** EMSA-PSS-ENCODE (RFC 8017 §9.1.1) with a salt as long as the hash (RFC 8446 §4.2.3, rsa_pss_rsae_*). */
function emsaPssEncode(hash: HashName, message: Uint8Array, emBits: number, salt: Uint8Array): Uint8Array {
  const hLen = hashLength(hash);
  const emLen = Math.ceil(emBits / 8);
  const h = hashSync(hash, concatBytes(new Uint8Array(8), hashSync(hash, message), salt));
  const db = new Uint8Array(emLen - hLen - 1);
  db[emLen - salt.length - hLen - 2] = 1;
  db.set(salt, emLen - salt.length - hLen - 1);
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >>> (8 * emLen - emBits);
  return concatBytes(db, h, Uint8Array.of(0xbc));
}

/** EMSA-PSS-VERIFY (RFC 8017 §9.1.2) with sLen = hLen, as rsa_pss_rsae_* requires (RFC 8446 §4.2.3). */
function emsaPssVerify(hash: HashName, message: Uint8Array, em: Uint8Array, emBits: number): boolean {
  const hLen = hashLength(hash);
  const emLen = Math.ceil(emBits / 8);
  if (em.length !== emLen || em[emLen - 1] !== 0xbc || emLen < 2 * hLen + 2) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const topMask = 0xff >>> (8 * emLen - emBits);
  if ((maskedDb[0]! & ~topMask) !== 0) return false;
  const mask = mgf1(hash, h, maskedDb.length);
  const db = maskedDb.map((b, i) => b ^ mask[i]!);
  db[0]! &= topMask;
  const psLength = emLen - 2 * hLen - 2;
  if (db.subarray(0, psLength).some((b) => b !== 0) || db[psLength] !== 1) return false;
  const salt = db.subarray(psLength + 1);
  return bytesEqual(hashSync(hash, concatBytes(new Uint8Array(8), hashSync(hash, message), salt)), h);
}

/** RSASSA-PKCS1-v1_5-SIGN (§8.2.1) or RSASSA-PSS-SIGN (§8.1.1) with a salt drawn from `random`. */
export function rsaSign(
  key: RsaPrivateComponents,
  padding: RsaSignaturePadding,
  hash: HashName,
  message: Uint8Array,
  random: (length: number) => Uint8Array,
): Uint8Array {
  const em =
    padding === 'pkcs1'
      ? emsaPkcs1(hash, message, key.k)
      : emsaPssEncode(hash, message, bitLength(key.n) - 1, random(hashLength(hash)));
  return numberToBytesBE(rsasp1(key, bytesToNumberBE(em)), key.k);
}

/** RSASSA-PKCS1-v1_5-VERIFY (§8.2.2) or RSASSA-PSS-VERIFY (§8.1.2). */
export function rsaVerify(
  key: RsaPublicComponents,
  padding: RsaSignaturePadding,
  hash: HashName,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (signature.length !== key.k) return false;
  const s = bytesToNumberBE(signature);
  if (s >= key.n) return false;
  const m = modPow(s, key.e, key.n);
  if (padding === 'pkcs1') return bytesEqual(numberToBytesBE(m, key.k), emsaPkcs1(hash, message, key.k));
  const emBits = bitLength(key.n) - 1;
  const emLen = Math.ceil(emBits / 8);
  if (m >> BigInt(8 * emLen) !== 0n) return false;
  return emsaPssVerify(hash, message, numberToBytesBE(m, emLen), emBits);
}
