/**
 * The engine's CryptoProvider (src/lib/tls12/crypto) for operations that draw no randomness from it: the PRF's
 * HMACs and WebCrypto signatures (WebCrypto picks PSS salts and ECDSA nonces itself). Randomness the engine
 * chooses (randoms, ECDHE scalars, pre-master secrets, CBC IVs) still comes from the configured source.
 */
import { createCryptoProvider, type CryptoProvider } from '../../crypto/index.ts';

let shared: CryptoProvider | undefined;

export function engineProvider(): CryptoProvider {
  shared ??= createCryptoProvider();
  return shared;
}
