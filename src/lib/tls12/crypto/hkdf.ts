/**
 * HKDF (RFC 5869 §2), over the provider's HMAC: the extract-then-expand KDF TLS 1.3's key schedule is built on.
 *
 *   HKDF-Extract(salt, IKM) -> PRK = HMAC-Hash(salt, IKM)
 *   HKDF-Expand(PRK, info, L) -> OKM = T(1) + T(2) + ... truncated to L bytes
 *     T(0) = empty; T(i) = HMAC-Hash(PRK, T(i-1) + info + i)
 *
 * An empty salt is HashLen zero bytes (RFC 5869 §2.2); HMAC pads its key with zeros, so both give the same PRK.
 */
import { concatBytes } from './bytes-util.ts';
import { hashLength, type HashName } from './hash.ts';
import type { CryptoProvider } from './provider.ts';

/** PRK = HMAC-Hash(salt, IKM) (RFC 5869 §2.2); an empty salt becomes HashLen zeros (WebCrypto rejects empty keys). */
export function hkdfExtract(
  provider: CryptoProvider,
  hash: HashName,
  salt: Uint8Array,
  ikm: Uint8Array,
): Promise<Uint8Array> {
  return provider.hmac(hash, salt.length > 0 ? salt : new Uint8Array(hashLength(hash)), ikm);
}

/** OKM, `length` bytes (RFC 5869 §2.3; at most 255 * HashLen). */
export async function hkdfExpand(
  provider: CryptoProvider,
  hash: HashName,
  prk: Uint8Array,
  info: Uint8Array,
  length: number,
): Promise<Uint8Array> {
  const max = 255 * hashLength(hash);
  if (!Number.isInteger(length) || length < 0 || length > max)
    throw new RangeError(`hkdfExpand: output length ${length} is outside [0, ${max}]`);
  const out = new Uint8Array(length);
  let t: Uint8Array = new Uint8Array(0); // T(0) = empty string
  for (let i = 1, filled = 0; filled < length; i++) {
    t = await provider.hmac(hash, prk, concatBytes(t, info, Uint8Array.of(i))); // T(i)
    out.set(t.subarray(0, Math.min(t.length, length - filled)), filled);
    filled += t.length;
  }
  return out;
}
