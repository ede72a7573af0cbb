/**
 * RFC 5246 §5 PRF and the secrets derived with it (§8.1 master secret, §6.3 key block, §7.4.9 Finished),
 * plus RFC 7627 §4 extended master secret.
 */
import { concatBytes } from '../../../bytes/index.ts';
import { hmacOf, type HashName } from './hashes.ts';

const encoder = new TextEncoder();

export const MASTER_SECRET_LABEL = 'master secret';
export const EXTENDED_MASTER_SECRET_LABEL = 'extended master secret';
export const KEY_EXPANSION_LABEL = 'key expansion';
export const CLIENT_FINISHED_LABEL = 'client finished';
export const SERVER_FINISHED_LABEL = 'server finished';
export const MASTER_SECRET_LENGTH = 48;
export const FINISHED_VERIFY_LENGTH = 12;

/**
 * P_hash(secret, seed) = HMAC_hash(secret, A(1) + seed) + HMAC_hash(secret, A(2) + seed) + ...
 * A(0) = seed, A(i) = HMAC_hash(secret, A(i-1)).
 */
export function pHash(hashName: HashName, secret: Uint8Array, seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let a = seed;
  let at = 0;
  while (at < length) {
    a = hmacOf(hashName, secret, a);
    const block = hmacOf(hashName, secret, concatBytes(a, seed));
    out.set(block.subarray(0, Math.min(block.length, length - at)), at);
    at += block.length;
  }
  return out;
}

/** PRF(secret, label, seed) = P_<hash>(secret, label + seed). */
export function prf(
  hashName: HashName,
  secret: Uint8Array,
  label: string,
  seed: Uint8Array,
  length: number,
): Uint8Array {
  return pHash(hashName, secret, concatBytes(encoder.encode(label), seed), length);
}
