/**
 * The engine's CryptoProvider (src/lib/tls12/crypto) for operations that draw no randomness from it: the PRF,
 * record protection, ECDHE and WebCrypto signatures (WebCrypto picks PSS salts and ECDSA nonces itself).
 * Randomness the engine chooses (randoms, scalars in seeded runs, pre-master secrets, CBC IVs) still comes
 * from the configured source.
 *
 * Two primitives are swapped for noble's synchronous code, with the same bytes: HMAC, because the handshake's
 * PRF runs ~24 HMACs over a few dozen bytes each, and AES-GCM, because a handshake seals and opens a handful of
 * records of a few dozen bytes; for both WebCrypto's per-call cost (a key import plus an async hop, ~0.1-0.2 ms)
 * would dominate, where noble takes microseconds.
 */
import { gcm } from '@noble/ciphers/aes.js';
import { createCryptoProvider, CryptoError, type CryptoProvider } from '../../crypto/index.ts';
import { hmacSync } from '../../crypto/hash.ts';

let shared: CryptoProvider | undefined;

export function engineProvider(): CryptoProvider {
  shared ??= {
    ...createCryptoProvider(),
    hmac: async (hash, key, data) => hmacSync(hash, key, data),
    aesGcmSeal: async (key, nonce, aad, plaintext) => gcm(key, nonce, aad).encrypt(plaintext),
    aesGcmOpen: async (key, nonce, aad, sealed) => {
      try {
        return gcm(key, nonce, aad).decrypt(sealed);
      } catch (cause) {
        throw new CryptoError('bad-record-mac', 'AEAD: authentication tag does not verify', { cause });
      }
    },
  };
  return shared;
}
