/**
 * Hashes and HMAC the handshake needs (adapter over @noble/hashes, until the crypto layer's provider lands).
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';

export type HashName = 'sha1' | 'sha256' | 'sha384' | 'sha512';

const HASHES = { sha1, sha256, sha384, sha512 } as const;

export function hash(name: HashName, data: Uint8Array): Uint8Array {
  return HASHES[name](data);
}

export function hashLength(name: HashName): number {
  return HASHES[name].outputLen;
}

export function hmacOf(name: HashName, key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmac(HASHES[name], key, data);
}
