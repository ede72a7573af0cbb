/**
 * createCryptoProvider({ fastPath: true }) swaps HMAC and AES-GCM for noble's synchronous code: it must give the
 * WebCrypto provider's bytes, and a tampered AEAD record must fail the same way (CryptoError 'bad-record-mac').
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCryptoProvider, CryptoError, type HashName } from '../../../../src/lib/tls12/crypto/index.ts';

const webCrypto = createCryptoProvider();
const fast = createCryptoProvider({ fastPath: true });
const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });

describe('the fast path', () => {
  it('HMAC equals WebCrypto HMAC for every hash', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<HashName>('sha1', 'sha256', 'sha384', 'sha512'),
        bytes(1, 80),
        bytes(0, 200),
        async (hash, key, data) => {
          expect(await fast.hmac(hash, key, data)).toEqual(await webCrypto.hmac(hash, key, data));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('AES-GCM seals as WebCrypto does, each opens the other, a flipped byte is bad_record_mac', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(bytes(16, 16), bytes(32, 32)),
        bytes(12, 12),
        bytes(0, 13),
        bytes(0, 100),
        fc.nat(),
        async (key, nonce, aad, plaintext, at) => {
          const sealed = await fast.aesGcmSeal(key, nonce, aad, plaintext);
          expect(sealed).toEqual(await webCrypto.aesGcmSeal(key, nonce, aad, plaintext));
          expect(await webCrypto.aesGcmOpen(key, nonce, aad, sealed)).toEqual(plaintext);
          expect(await fast.aesGcmOpen(key, nonce, aad, sealed)).toEqual(plaintext);
          const tampered = sealed.slice();
          tampered[at % tampered.length]! ^= 1;
          const failure = await fast.aesGcmOpen(key, nonce, aad, tampered).catch((e: unknown) => e);
          expect(failure).toBeInstanceOf(CryptoError);
          expect((failure as CryptoError).kind).toBe('bad-record-mac');
        },
      ),
      { numRuns: 40 },
    );
  });
});
