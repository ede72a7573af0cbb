/**
 * RSAES-PKCS1-v1_5 (RFC 8017 §7.2) on bigint, for the RSA key exchange's EncryptedPreMasterSecret
 * (RFC 5246 §7.4.7.1). WebCrypto offers only RSA-OAEP for encryption, so this is ours.
 *
 * Decryption uses the CRT (RFC 8017 §5.1.2 2.b) with base blinding (a random r: c' = c·r^e, m = m'·r^-1),
 * and parses the padding without early exits. JavaScript bigint arithmetic is not constant time: this is
 * a teaching implementation, not a hardened one. TLS servers must use decryptPreMasterSecret, which never
 * reveals whether the padding was good (Bleichenbacher countermeasure, RFC 5246 §7.4.7.1).
 */
import { invert as modInverse, pow as modPow } from '@noble/curves/abstract/modular.js';
import { CryptoError } from './errors.ts';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import { concatBytes } from './bytes-util.ts';
import type { RsaPrivateComponents, RsaPublicComponents } from './keys.ts';

type Random = (length: number) => Uint8Array;

/** Nonzero random octets (the PS string of RFC 8017 §7.2.1 step 2.a). */
function nonZeroRandom(length: number, random: Random): Uint8Array {
  const out = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    for (const b of random(length - filled)) if (b !== 0 && filled < length) out[filled++] = b;
  }
  return out;
}

/** RSAES-PKCS1-V1_5-ENCRYPT (RFC 8017 §7.2.1). */
export function rsaesPkcs1Encrypt(key: RsaPublicComponents, message: Uint8Array, random: Random): Uint8Array {
  const { n, e, k } = key;
  // 1. Length checking: mLen <= k - 11
  if (message.length > k - 11) {
    throw new CryptoError(
      'invalid-input',
      `RSAES-PKCS1-v1_5: message of ${message.length} bytes is too long for a ${k}-byte modulus`,
    );
  }
  // 2. EM = 0x00 || 0x02 || PS || 0x00 || M
  const ps = nonZeroRandom(k - message.length - 3, random);
  const em = concatBytes(Uint8Array.of(0x00, 0x02), ps, Uint8Array.of(0x00), message);
  // 3. RSA encryption: c = m^e mod n; C = I2OSP(c, k)
  return numberToBytesBE(modPow(bytesToNumberBE(em), e, n), k);
}

/** RSADP with CRT and blinding (RFC 8017 §5.1.2). */
function rsadp(key: RsaPrivateComponents, c: bigint, random: Random): bigint {
  const { n, e, p, q, dp, dq, qInv } = key;
  // Blinding: pick r in [2, n-2], coprime to n (a failure here would mean we factored n).
  let r = 0n;
  while (r < 2n || r >= n - 1n) r = bytesToNumberBE(random(key.k)) % n;
  const blinded = (c * modPow(r, e, n)) % n;
  // 2.b CRT: m1 = c^dP mod p, m2 = c^dQ mod q, h = (m1 - m2)·qInv mod p, m = m2 + q·h
  const m1 = modPow(blinded, dp, p);
  const m2 = modPow(blinded, dq, q);
  const h = (((m1 - m2) % p) + p) % p;
  const mBlinded = m2 + q * ((h * qInv) % p);
  return (mBlinded * modInverse(r, n)) % n;
}

/**
 * RSAES-PKCS1-V1_5-DECRYPT (RFC 8017 §7.2.2) returning the padding verdict instead of throwing, so that a
 * caller can act on it without branching early. `message` is meaningful only when `ok`.
 */
export function rsaesPkcs1DecryptChecked(
  key: RsaPrivateComponents,
  ciphertext: Uint8Array,
  random: Random,
): { ok: boolean; message: Uint8Array } {
  const { n, k } = key;
  // 1. Length checking: C must be k octets (k >= 11)
  if (ciphertext.length !== k || k < 11) return { ok: false, message: new Uint8Array(0) };
  const c = bytesToNumberBE(ciphertext);
  if (c >= n) return { ok: false, message: new Uint8Array(0) };
  // 2. m = RSADP(K, c); EM = I2OSP(m, k)
  const em = numberToBytesBE(rsadp(key, c, random), k);
  // 3. EM = 0x00 || 0x02 || PS || 0x00 || M with |PS| >= 8; scan every byte, no early exit.
  let good = (em[0] === 0x00 ? 1 : 0) & (em[1] === 0x02 ? 1 : 0);
  let separator = 0; // index of the first 0x00 after the PS, 0 = not found yet
  for (let i = 2; i < k; i++) {
    const isZero = em[i] === 0 ? 1 : 0;
    const first = isZero & (separator === 0 ? 1 : 0);
    separator = first ? i : separator;
  }
  good &= separator >= 10 ? 1 : 0; // 2 header bytes + at least 8 PS bytes
  return { ok: good === 1, message: em.subarray(separator + 1) };
}

/** RSAES-PKCS1-V1_5-DECRYPT. @throws CryptoError('invalid-input', 'decryption error') on bad padding. */
export function rsaesPkcs1Decrypt(
  key: RsaPrivateComponents,
  ciphertext: Uint8Array,
  random: Random,
): Uint8Array {
  const { ok, message } = rsaesPkcs1DecryptChecked(key, ciphertext, random);
  if (!ok) throw new CryptoError('invalid-input', 'RSAES-PKCS1-v1_5: decryption error');
  return Uint8Array.from(message);
}

/**
 * RFC 5246 §7.4.7.1: the server's handling of EncryptedPreMasterSecret. Always returns 48 bytes and
 * never throws on bad padding:
 *   1. Generate a string R of 46 random bytes
 *   2. Decrypt the message to recover the plaintext M
 *   3. If the PKCS#1 padding is not correct, or the length of message M is not exactly 48 bytes:
 *        pre_master_secret = ClientHello.client_version || R
 *      else:
 *        pre_master_secret = ClientHello.client_version || M[2..47]
 * (The "version check explicitly disabled" branch for TLS 1.0 clients is not offered.) A wrong version
 * in M thus yields a different pre-master, and the handshake fails later at Finished, as it must.
 */
export function decryptPreMasterSecret(
  key: RsaPrivateComponents,
  encrypted: Uint8Array,
  clientVersion: number,
  random: Random,
): Uint8Array {
  const r = random(46);
  const { ok, message } = rsaesPkcs1DecryptChecked(key, encrypted, random);
  const use = ok && message.length === 48 ? 1 : 0;
  const out = new Uint8Array(48);
  out[0] = (clientVersion >> 8) & 0xff;
  out[1] = clientVersion & 0xff;
  const mask = -use & 0xff; // 0xff when M is used, 0x00 otherwise
  for (let i = 0; i < 46; i++) {
    const m = message[i + 2] ?? 0;
    out[i + 2] = (m & mask) | (r[i]! & ~mask & 0xff);
  }
  return out;
}
