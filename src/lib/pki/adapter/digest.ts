/** Fingerprint digests (synchronous, so the parser stays simple); WebCrypto is used for signatures only. */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../../bytes/hex.ts';

export function sha1Hex(bytes: Uint8Array): string {
  return toHex(sha1(bytes));
}

export function sha256Bytes(bytes: Uint8Array): Uint8Array {
  return sha256(bytes);
}

export function sha256Hex(bytes: Uint8Array): string {
  return toHex(sha256(bytes));
}
