/**
 * Digests, synchronous: fingerprints (so the parser stays simple), and the hashes of the signatures checked in
 * JavaScript (DSA, and ECDSA on the curves or with the hashes WebCrypto lacks).
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { toHex } from '../../bytes/hex.ts';

/** By the hash names of the signature algorithm table (oids.ts), which are WebCrypto's. */
export const DIGESTS: Readonly<Record<string, (m: Uint8Array) => Uint8Array>> = {
  'SHA-1': (m) => sha1(m),
  'SHA-224': (m) => sha224(m),
  'SHA-256': (m) => sha256(m),
  'SHA-384': (m) => sha384(m),
  'SHA-512': (m) => sha512(m),
};

export function sha1Hex(bytes: Uint8Array): string {
  return toHex(sha1(bytes));
}

export function sha256Bytes(bytes: Uint8Array): Uint8Array {
  return sha256(bytes);
}

export function sha256Hex(bytes: Uint8Array): string {
  return toHex(sha256(bytes));
}
