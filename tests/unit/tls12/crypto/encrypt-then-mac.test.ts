/**
 * Opening CBC records under encrypt_then_mac (RFC 7366 §3), which OpenSSL negotiates for CBC suites and the
 * passive observer must read. The records are built here with node:crypto (AES-128-CBC without padding, HMAC-SHA1),
 * an implementation independent of ours, following RFC 7366 §3: IV + ENC(content + padding + padding_length) +
 * HMAC(MAC_write_key, seq_num + type + version + length(IV + ciphertext) + IV + ciphertext).
 * tests/interop/tls12/observe-node.test.ts opens records OpenSSL itself sealed this way.
 */
import { createCipheriv, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cipherSuite,
  createCryptoProvider,
  CryptoError,
  openRecord,
} from '../../../../src/lib/tls12/crypto/index.ts';
import { checkBounded } from '../../../kit/pure/property.ts';

const suite = cipherSuite(0xc013)!; // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
const provider = createCryptoProvider();

function sealEtm(
  key: Buffer,
  macKey: Buffer,
  iv: Buffer,
  seq: bigint,
  type: number,
  content: Buffer,
  pad: number,
): Buffer {
  const padded = Buffer.concat([content, Buffer.alloc(pad + 1, pad)]);
  const cipher = createCipheriv('aes-128-cbc', key, iv).setAutoPadding(false);
  const encrypted = Buffer.concat([iv, cipher.update(padded), cipher.final()]);
  const header = Buffer.alloc(13);
  header.writeBigUInt64BE(seq, 0);
  header.writeUInt8(type, 8);
  header.writeUInt16BE(0x0303, 9);
  header.writeUInt16BE(encrypted.length, 11);
  const mac = createHmac('sha1', macKey).update(header).update(encrypted).digest();
  return Buffer.concat([encrypted, mac]);
}

const arb = fc.record({
  key: fc.uint8Array({ minLength: 16, maxLength: 16 }),
  macKey: fc.uint8Array({ minLength: 20, maxLength: 20 }),
  iv: fc.uint8Array({ minLength: 16, maxLength: 16 }),
  seq: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  content: fc.uint8Array({ maxLength: 100 }),
  extraBlocks: fc.integer({ min: 0, max: 3 }),
});

describe('CBC with encrypt_then_mac (RFC 7366)', () => {
  it('opens what node:crypto sealed, and refuses a flipped byte anywhere', async () => {
    await checkBounded(
      'encrypt_then_mac records',
      fc.asyncProperty(arb, fc.nat(), async ({ key, macKey, iv, seq, content, extraBlocks }, flip) => {
        const pad = ((16 - ((content.length + 1) % 16)) % 16) + 16 * extraBlocks;
        const fragment = sealEtm(
          Buffer.from(key),
          Buffer.from(macKey),
          Buffer.from(iv),
          seq,
          23,
          Buffer.from(content),
          pad,
        );
        const keys = { key, iv: new Uint8Array(0), macKey };
        const args = { contentType: 23, version: 0x0303, sequenceNumber: seq, encryptThenMac: true };
        const opened = await openRecord(provider, suite, keys, {
          ...args,
          fragment: new Uint8Array(fragment),
        });
        expect(opened.plaintext).toEqual(content);
        const bad = new Uint8Array(fragment);
        bad[flip % bad.length]! ^= 0x80;
        await expect(openRecord(provider, suite, keys, { ...args, fragment: bad })).rejects.toThrow(
          CryptoError,
        );
        // The same bytes read as MAC-then-encrypt (RFC 5246) do not open.
        await expect(
          openRecord(provider, suite, keys, {
            ...args,
            fragment: new Uint8Array(fragment),
            encryptThenMac: false,
          }),
        ).rejects.toThrow(CryptoError);
      }),
      { numRuns: 200, timeLimitMs: 30_000 },
    );
  });
});
