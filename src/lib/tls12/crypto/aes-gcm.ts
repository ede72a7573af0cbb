/**
 * AES-GCM (NIST SP 800-38D) with the key's state kept between records: the fast path's record cipher.
 *
 * noble's `gcm(key, nonce, aad)` expands the AES key, computes H = E_K(0^128) and builds GHASH's multiplication
 * table on every call, which for a record of a few dozen bytes is most of the work. Here the three are made once
 * per key (`perKeyCache`) and each record does only what depends on its nonce, from noble's own parts
 * (`unsafe.ctr32`, `unsafe.encryptBlock`, `GHASH`): no AES or GHASH arithmetic of ours.
 *
 *   J0 = nonce || 0^31 || 1 (96-bit nonce)       tag = GHASH_H(A, C) xor E_K(J0)
 *   C  = GCTR_K(inc32(J0), P)                     GHASH over A, C (each zero-padded) and [len(A)]64 || [len(C)]64
 */
import { unsafe } from '@noble/ciphers/aes.js';
import { GHASH } from '@noble/ciphers/_polyval.js';
import { bytesEqual, perKeyCache } from './bytes-util.ts';

const TAG_LENGTH = 16;

/** GHASH whose table (the expensive part) is reused: `reset` starts a new message under the same H. */
class ReusableGhash extends GHASH {
  reset(): this {
    this.s0 = this.s1 = this.s2 = this.s3 = 0;
    this.finished = false;
    return this;
  }
}

interface GcmKey {
  /** The expanded AES key. */
  readonly xk: Uint32Array;
  readonly ghash: ReusableGhash;
}

/**
 * GHASH's table is sized for the data it expects (noble picks 2-bit windows up to 1 KiB, 4-bit up to 64 KiB): a
 * TLS record is up to 16 KiB, and the table is now built once per key, so the 4-bit one.
 */
const EXPECTED_RECORD_BYTES = 16 * 1024;

const gcmKey = perKeyCache((key): GcmKey => {
  const xk = unsafe.expandKeyLE(key);
  const h = unsafe.encryptBlock(xk, new Uint8Array(16)); // H = E_K(0^128)
  return { xk, ghash: new ReusableGhash(h, EXPECTED_RECORD_BYTES) };
});

/** noble's CTR and GHASH read whole 32-bit words: a view at an odd offset is copied first. */
function aligned(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
}

/** The counter block J0 for a 96-bit nonce, and E_K(J0) (the tag mask); the counter is left at inc32(J0). */
function start(xk: Uint32Array, nonce: Uint8Array): { counter: Uint8Array; tagMask: Uint8Array } {
  const counter = new Uint8Array(16);
  counter.set(nonce);
  counter[15] = 1;
  const tagMask = unsafe.ctr32(xk, false, counter, new Uint8Array(16));
  return { counter, tagMask };
}

function tag(key: GcmKey, aad: Uint8Array, ciphertext: Uint8Array, tagMask: Uint8Array): Uint8Array {
  const lengths = new Uint8Array(16); // [len(A)]64 || [len(C)]64, in bits
  const view = new DataView(lengths.buffer);
  for (const [at, bytes] of [
    [0, aad.length],
    [8, ciphertext.length],
  ] as const) {
    view.setUint32(at, Math.floor(bytes / 2 ** 29));
    view.setUint32(at + 4, (bytes * 8) >>> 0);
  }
  const ghash = key.ghash.reset();
  ghash.update(aad).update(ciphertext).update(lengths);
  const out = new Uint8Array(16);
  ghash.digestInto(out);
  for (let i = 0; i < 16; i++) out[i]! ^= tagMask[i]!;
  return out;
}

/** ciphertext || tag. `nonce` is 12 bytes (the caller checks). */
export function aesGcmSealSync(
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
): Uint8Array {
  const k = gcmKey(key);
  const { counter, tagMask } = start(k.xk, nonce);
  const out = new Uint8Array(plaintext.length + TAG_LENGTH);
  const ciphertext = out.subarray(0, plaintext.length);
  unsafe.ctr32(k.xk, false, counter, aligned(plaintext), ciphertext);
  out.set(tag(k, aad, ciphertext, tagMask), plaintext.length);
  return out;
}

/** The plaintext, or undefined when `sealed` is shorter than a tag or the tag does not verify. */
export function aesGcmOpenSync(
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  sealed: Uint8Array,
): Uint8Array | undefined {
  if (sealed.length < TAG_LENGTH) return undefined;
  const k = gcmKey(key);
  const { counter, tagMask } = start(k.xk, nonce);
  const ciphertext = aligned(sealed.subarray(0, sealed.length - TAG_LENGTH));
  // The tag is checked before any plaintext is made (SP 800-38D §7.2 allows either order).
  if (!bytesEqual(tag(k, aad, ciphertext, tagMask), sealed.subarray(sealed.length - TAG_LENGTH)))
    return undefined;
  return unsafe.ctr32(k.xk, false, counter, ciphertext);
}
