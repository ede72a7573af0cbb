/**
 * createCryptoProvider({ fastPath: true }) swaps digests, HMAC and AES-GCM for noble's synchronous code: it must give
 * the WebCrypto provider's bytes, and a tampered AEAD record must fail the same way (CryptoError 'bad-record-mac').
 * The same key object used for several messages, changed in place between them, or data given as a view at an odd
 * offset must still give WebCrypto's bytes.
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

  it('digests equal WebCrypto digests for every hash', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<HashName>('sha1', 'sha256', 'sha384', 'sha512'),
        bytes(0, 300),
        async (hash, data) => {
          expect(await fast.digest(hash, data)).toEqual(await webCrypto.digest(hash, data));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('HMAC under one key object, reused and then changed in place, equals WebCrypto HMAC', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<HashName>('sha256', 'sha384'),
        bytes(1, 80),
        fc.array(bytes(0, 100), { minLength: 1, maxLength: 4 }),
        async (hash, key, messages) => {
          for (const data of messages)
            expect(await fast.hmac(hash, key, data)).toEqual(await webCrypto.hmac(hash, key, data));
          key[0]! ^= 0xff;
          for (const data of messages)
            expect(await fast.hmac(hash, key, data)).toEqual(await webCrypto.hmac(hash, key, data));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('AES-GCM records under one key object, reused, changed in place, and at odd offsets, equal WebCrypto', async () => {
    const record = fc.record({ nonce: bytes(12, 12), aad: bytes(0, 13), plaintext: bytes(0, 600) });
    // A view starting `shift` bytes into a larger buffer: noble's word-wise code must not read it misaligned.
    const shifted = (data: Uint8Array, shift: number) => {
      const buffer = new Uint8Array(data.length + shift);
      buffer.set(data, shift);
      return buffer.subarray(shift);
    };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(bytes(16, 16), bytes(32, 32)),
        fc.array(record, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 3 }),
        async (key, records, shift) => {
          for (const round of [0, 1]) {
            if (round === 1) key[key.length - 1]! ^= 0x01;
            for (const { nonce, aad, plaintext } of records) {
              const expected = await webCrypto.aesGcmSeal(key, nonce, aad, plaintext);
              const sealed = await fast.aesGcmSeal(key, nonce, aad, shifted(plaintext, shift));
              expect(sealed).toEqual(expected);
              expect(await fast.aesGcmOpen(key, nonce, aad, shifted(sealed, shift))).toEqual(plaintext);
            }
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('AES-GCM input shorter than a tag is bad_record_mac', async () => {
    const failure = await fast
      .aesGcmOpen(new Uint8Array(16), new Uint8Array(12), new Uint8Array(0), new Uint8Array(15))
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CryptoError);
    expect((failure as CryptoError).kind).toBe('bad-record-mac');
  });
});
