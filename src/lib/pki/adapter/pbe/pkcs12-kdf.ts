/**
 * The PKCS#12 key derivation function, RFC 7292 Appendix B.2, with SHA-1 (u = 20, v = 64): the KDF of every
 * Appendix C password-based encryption algorithm. ID 1 derives key material, ID 2 an IV, ID 3 a MAC key.
 */
import { sha1 } from '@noble/hashes/legacy.js';

/** Purpose byte of the diversifier D (RFC 7292 B.3). */
export type Pkcs12KdfId = 1 | 2 | 3;

const U = 20;
const V = 64;

/**
 * The password as RFC 7292 B.1 feeds it to the KDF: a BMPString (UTF-16BE code units) with a two-zero-byte
 * terminator. Characters outside the BMP become surrogate pairs, as OpenSSL's OPENSSL_utf82uni does
 * (crypto/pkcs12/p12_utl.c).
 */
export function bmpPassword(password: string): Uint8Array {
  const out = new Uint8Array(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) {
    const unit = password.charCodeAt(i);
    out[2 * i] = unit >> 8;
    out[2 * i + 1] = unit & 0xff;
  }
  return out;
}

/** `bytes` repeated to fill v * ceil(len / v) bytes (B.2 steps 2 and 3); empty stays empty. */
function fillToBlocks(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(V * Math.ceil(bytes.length / V));
  for (let i = 0; i < out.length; i++) out[i] = bytes[i % bytes.length] as number;
  return out;
}

/** `n` bytes of key material (B.2) from the formatted password (see bmpPassword), salt and iteration count. */
export function pkcs12Kdf(
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  id: Pkcs12KdfId,
  n: number,
): Uint8Array {
  if (!Number.isSafeInteger(iterations) || iterations < 1)
    throw new RangeError(`the PKCS#12 KDF needs at least one iteration (got ${iterations})`);
  const s = fillToBlocks(salt);
  const p = fillToBlocks(password);
  const i = new Uint8Array(s.length + p.length);
  i.set(s);
  i.set(p, s.length);
  const out = new Uint8Array(n);
  for (let done = 0; done < n; done += U) {
    let a = new Uint8Array(V + i.length);
    a.fill(id, 0, V);
    a.set(i, V);
    for (let r = 0; r < iterations; r++) a = sha1(a);
    out.set(a.subarray(0, Math.min(U, n - done)), done);
    if (done + U >= n) break;
    // Step 6C: each v-byte block I_j of I becomes (I_j + B + 1) mod 2^(8v), B being A repeated to v bytes.
    for (let j = 0; j < i.length; j += V) {
      let carry = 1;
      for (let k = V - 1; k >= 0; k--) {
        const sum = (i[j + k] as number) + (a[k % U] as number) + carry;
        i[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return out;
}
