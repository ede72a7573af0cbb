/**
 * The engine's CryptoProvider (src/lib/tls12/crypto) for operations that draw no randomness from it: the PRF
 * and WebCrypto signatures (WebCrypto picks PSS salts and ECDSA nonces itself). Randomness the engine chooses
 * (randoms, ECDHE scalars, pre-master secrets, CBC IVs) still comes from the configured source.
 *
 * HMAC is the one override: the handshake's PRF runs ~24 HMACs over a few dozen bytes each, where
 * WebCrypto's per-call cost (key import plus an async hop, ~0.2 ms) would dominate; noble's synchronous
 * HMAC gives the same bytes in microseconds.
 */
import { createCryptoProvider, type CryptoProvider } from '../../crypto/index.ts';
import { hmacOf } from './hashes.ts';

let shared: CryptoProvider | undefined;

export function engineProvider(): CryptoProvider {
  shared ??= {
    ...createCryptoProvider(),
    hmac: async (hash, key, data) => hmacOf(hash, key, data),
  };
  return shared;
}
