/**
 * The TLS 1.2 pseudorandom function (RFC 5246 §5), with the spec's names.
 *
 *   P_hash(secret, seed) = HMAC_hash(secret, A(1) + seed) +
 *                          HMAC_hash(secret, A(2) + seed) + ...
 *   A(0) = seed
 *   A(i) = HMAC_hash(secret, A(i-1))
 *
 *   PRF(secret, label, seed) = P_<hash>(secret, label + seed)
 *
 * <hash> is SHA-256 for every suite defined in RFC 5246 and the suite's own PRF hash otherwise
 * (SHA-384 for the *_SHA384 GCM suites, RFC 5288 §3 / RFC 5289 §3.2).
 */
import type { CryptoProvider } from './provider.ts';
import type { HashName } from './hash.ts';
import { asciiBytes, concatBytes } from './bytes-util.ts';

/** RFC 5246 §8.1 */
export const MASTER_SECRET_LABEL = 'master secret';
/** RFC 7627 §4 */
export const EXTENDED_MASTER_SECRET_LABEL = 'extended master secret';
/** RFC 5246 §6.3 */
export const KEY_EXPANSION_LABEL = 'key expansion';
/** RFC 5246 §7.4.9 */
export const CLIENT_FINISHED_LABEL = 'client finished';
/** RFC 5246 §7.4.9 */
export const SERVER_FINISHED_LABEL = 'server finished';

/** P_hash(secret, seed) truncated to `length` bytes (RFC 5246 §5). */
export async function pHash(
  provider: CryptoProvider,
  hash: HashName,
  secret: Uint8Array,
  seed: Uint8Array,
  length: number,
): Promise<Uint8Array> {
  if (!Number.isInteger(length) || length < 0) throw new RangeError(`pHash: bad output length ${length}`);
  const out = new Uint8Array(length);
  let a = seed; // A(0) = seed
  let filled = 0;
  while (filled < length) {
    a = await provider.hmac(hash, secret, a); // A(i) = HMAC_hash(secret, A(i-1))
    const block = await provider.hmac(hash, secret, concatBytes(a, seed)); // HMAC_hash(secret, A(i) + seed)
    out.set(block.subarray(0, Math.min(block.length, length - filled)), filled);
    filled += block.length;
  }
  return out;
}

/** PRF(secret, label, seed) = P_<hash>(secret, label + seed), `length` bytes (RFC 5246 §5). */
export async function prf(
  provider: CryptoProvider,
  hash: HashName,
  secret: Uint8Array,
  label: string,
  seed: Uint8Array,
  length: number,
): Promise<Uint8Array> {
  return pHash(provider, hash, secret, concatBytes(asciiBytes(label), seed), length);
}
