/**
 * Synchronous hashes and HMAC (noble) for the places where an async WebCrypto call per use would dominate:
 * the running handshake hash, and the PRF's few dozen HMACs over short inputs (createCryptoProvider's fastPath, provider.ts).
 * Same bytes as the provider's `digest` / `hmac`.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
/** The hashes TLS 1.2 uses here: the PRF, HMAC for CBC suites, signature schemes. */
export type HashName = 'sha1' | 'sha256' | 'sha384' | 'sha512';

const HASHES = { sha1, sha256, sha384, sha512 } as const;

export function hashSync(name: HashName, data: Uint8Array): Uint8Array {
  return HASHES[name](data);
}

/**
 * A running hash of a list of parts that only grows at its end (a handshake transcript): each call hashes only
 * the parts added since the last one, from a copy of the state it kept. A list changed anywhere else (a part
 * replaced or removed) is hashed again from the start. Same bytes as `hashSync(name, concatBytes(...parts))`.
 */
export class RunningHash {
  #name: HashName | undefined;
  #parts: Uint8Array[] = [];
  #state: ReturnType<(typeof HASHES)[HashName]['create']> | undefined;

  digest(name: HashName, parts: readonly Uint8Array[]): Uint8Array {
    const known = this.#parts;
    const extends_ =
      this.#state !== undefined &&
      name === this.#name &&
      parts.length >= known.length &&
      known.every((part, i) => parts[i] === part);
    if (!extends_) {
      this.#name = name;
      this.#parts = [];
      this.#state = HASHES[name].create();
    }
    const state = this.#state!;
    for (const part of parts.slice(this.#parts.length)) state.update(part);
    this.#parts = parts.slice();
    return state.clone().digest();
  }
}

/** Output length in bytes. */
export function hashLength(name: HashName): number {
  return HASHES[name].outputLen;
}

export function hmacSync(name: HashName, key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmac(HASHES[name], key, data);
}

/** WebCrypto's names for the hashes. */
export const WEBCRYPTO_HASH: Record<HashName, string> = {
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};
