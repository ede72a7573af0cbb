/**
 * Properties (fast-check): every suite's records round-trip and reject any single flipped bit with the
 * one bad_record_mac error; key/signature parsers throw only CryptoError on arbitrary bytes; ECDSA
 * signature encodings round-trip.
 */
import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CIPHER_SUITES,
  CryptoError,
  createCryptoProvider,
  ecdsaDerToRaw,
  ecdsaRawToDer,
  openRecord,
  parsePkcs8,
  parseSpki,
  sealRecord,
  type DirectionKeys,
} from '../../../../src/lib/tls12/crypto/index.ts';

const provider = createCryptoProvider();

const recordCase = fc.record({
  suiteIndex: fc.nat(CIPHER_SUITES.length - 1),
  keyMaterial: fc.uint8Array({ minLength: 2 * 20 + 2 * 32 + 2 * 12, maxLength: 2 * 20 + 2 * 32 + 2 * 12 }),
  contentType: fc.constantFrom(21, 22, 23),
  plaintext: fc.uint8Array({ maxLength: 300 }),
  sequenceNumber: fc.bigInt({ min: 0n, max: 0xffff_ffff_ffff_ffffn }),
  flip: fc.nat(),
  bit: fc.nat(7),
});

describe('record protection properties', () => {
  it('seal then open returns the content, and any one flipped bit of the fragment gives bad_record_mac', async () => {
    await fc.assert(
      fc.asyncProperty(recordCase, async (c) => {
        const suite = CIPHER_SUITES[c.suiteIndex]!;
        const keys: DirectionKeys = {
          key: c.keyMaterial.slice(0, suite.keyLength),
          iv: c.keyMaterial.slice(40, 40 + suite.fixedIvLength),
          macKey: c.keyMaterial.slice(60, 60 + suite.macKeyLength),
        };
        const common = { contentType: c.contentType, version: 0x0303, sequenceNumber: c.sequenceNumber };
        const { fragment } = await sealRecord(provider, suite, keys, { ...common, plaintext: c.plaintext });
        const opened = await openRecord(provider, suite, keys, { ...common, fragment });
        expect(opened.plaintext).toEqual(c.plaintext);
        const tampered = fragment.slice();
        const at = c.flip % tampered.length;
        tampered[at] = tampered[at]! ^ (1 << c.bit);
        await expect(
          openRecord(provider, suite, keys, { ...common, fragment: tampered }),
        ).rejects.toMatchObject({
          kind: 'bad-record-mac',
          message: 'record authentication failed (bad_record_mac)',
        });
      }),
      { numRuns: 150 },
    );
  });
});

describe('RSA pre-master decryption property (RFC 5246 §7.4.7.1)', () => {
  it('never throws on arbitrary ciphertexts and always yields client_version + 46 bytes', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const key = await provider.importPrivateKey(
      new Uint8Array(rsa.privateKey.export({ format: 'der', type: 'pkcs8' })),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 300 }),
        fc.constantFrom(0x0303, 0x0302),
        async (ciphertext, version) => {
          const out = await provider.rsaDecryptPreMasterSecret(key, ciphertext, version);
          expect(out.length).toBe(48);
          expect((out[0]! << 8) | out[1]!).toBe(version);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('parser properties', () => {
  it('parseSpki, parsePkcs8 and ecdsaDerToRaw throw nothing but CryptoError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), fc.boolean(), (bytes, wrap) => {
        // Half the inputs start like a DER SEQUENCE so that the inner paths are exercised too.
        const input = wrap ? Uint8Array.from([0x30, bytes.length & 0x7f, ...bytes]) : bytes;
        for (const parse of [parseSpki, parsePkcs8, (b: Uint8Array) => ecdsaDerToRaw(b, 32)]) {
          try {
            parse(input);
          } catch (e) {
            expect(e).toBeInstanceOf(CryptoError);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('ECDSA r||s -> DER -> r||s is the identity for P-256 and P-384 sizes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(32, 48),
        fc.uint8Array({ minLength: 96, maxLength: 96 }),
        fc.nat(40),
        (size, bytes, zeros) => {
          const raw = bytes.slice(0, 2 * size);
          raw.fill(0, 0, Math.min(zeros, size)); // leading zero bytes in r
          expect(ecdsaDerToRaw(ecdsaRawToDer(raw, size), size)).toEqual(raw);
        },
      ),
    );
  });
});
