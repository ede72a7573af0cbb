/**
 * Record protection cross-checked against Node's OpenSSL (node:crypto, tests only): records we seal open
 * with OpenSSL's AES-GCM / ChaCha20-Poly1305 / AES-CBC + HMAC, and records OpenSSL seals open with ours.
 * The nonce and additional_data are built here independently from RFC 5288 §3, RFC 7905 §2 and
 * RFC 5246 §6.2.3, not taken from our derivations.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  RecordProtection,
  cipherSuite,
  createCryptoProvider,
  openRecord,
  sealRecord,
  type CipherSuiteInfo,
  type DirectionKeys,
} from '../../../../src/lib/tls12/crypto/index.ts';

const provider = createCryptoProvider();
const VERSION = 0x0303;
const APPLICATION_DATA = 23;

function header(seq: bigint, type: number, length: number): Buffer {
  const b = Buffer.alloc(13);
  b.writeBigUInt64BE(seq, 0);
  b[8] = type;
  b.writeUInt16BE(VERSION, 9);
  b.writeUInt16BE(length, 11);
  return b;
}

function keysFor(suite: CipherSuiteInfo): DirectionKeys {
  return {
    key: randomBytes(suite.keyLength),
    iv: randomBytes(suite.fixedIvLength),
    macKey: randomBytes(suite.macKeyLength),
  };
}

function nodeAeadName(suite: CipherSuiteInfo): 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305' {
  return suite.cipher === 'AES_128_GCM'
    ? 'aes-128-gcm'
    : suite.cipher === 'AES_256_GCM'
      ? 'aes-256-gcm'
      : 'chacha20-poly1305';
}

/** The per-record nonce, from the RFCs: GCM salt + explicit; ChaCha IV XOR padded seq. */
function nonceFor(suite: CipherSuiteInfo, keys: DirectionKeys, seq: bigint, explicit: Buffer): Buffer {
  if (suite.cipher !== 'CHACHA20_POLY1305') return Buffer.concat([keys.iv, explicit]);
  const padded = Buffer.alloc(12);
  padded.writeBigUInt64BE(seq, 4);
  return Buffer.from(keys.iv.map((b, i) => b ^ padded[i]!));
}

function nodeAeadSeal(suite: CipherSuiteInfo, keys: DirectionKeys, seq: bigint, plaintext: Buffer): Buffer {
  const explicit = suite.recordIvLength ? randomBytes(8) : Buffer.alloc(0);
  const cipher = createCipheriv(nodeAeadName(suite), keys.key, nonceFor(suite, keys, seq, explicit), {
    authTagLength: 16,
  } as never);
  (cipher as unknown as { setAAD(b: Buffer, o: object): void }).setAAD(
    header(seq, APPLICATION_DATA, plaintext.length),
    { plaintextLength: plaintext.length },
  );
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([explicit, body, (cipher as unknown as { getAuthTag(): Buffer }).getAuthTag()]);
}

function nodeAeadOpen(
  suite: CipherSuiteInfo,
  keys: DirectionKeys,
  seq: bigint,
  fragment: Uint8Array,
): Buffer {
  const f = Buffer.from(fragment);
  const explicit = f.subarray(0, suite.recordIvLength);
  const sealed = f.subarray(suite.recordIvLength);
  const ciphertext = sealed.subarray(0, sealed.length - 16);
  const decipher = createDecipheriv(nodeAeadName(suite), keys.key, nonceFor(suite, keys, seq, explicit), {
    authTagLength: 16,
  } as never);
  (decipher as unknown as { setAAD(b: Buffer, o: object): void }).setAAD(
    header(seq, APPLICATION_DATA, ciphertext.length),
    { plaintextLength: ciphertext.length },
  );
  (decipher as unknown as { setAuthTag(b: Buffer): void }).setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

const AEAD_SUITES = [0xc02f, 0xc030, 0xc02b, 0xc02c, 0xcca8, 0xcca9, 0x009c, 0x009d].map((c) =>
  cipherSuite(c)!,
);
const SIZES = [0, 1, 15, 16, 17, 1000, 1 << 14];

describe('AEAD records against node:crypto (OpenSSL)', () => {
  for (const suite of AEAD_SUITES) {
    it(`${suite.name}: our records open with OpenSSL, for contents of ${SIZES.join('/')} bytes`, async () => {
      const keys = keysFor(suite);
      const writer = new RecordProtection(provider, suite, keys);
      for (const size of SIZES) {
        const plaintext = randomBytes(size);
        const { fragment, sequenceNumber, record } = await writer.seal(APPLICATION_DATA, VERSION, plaintext);
        expect(fragment.length).toBe(suite.recordIvLength + size + 16);
        expect(Buffer.from(record.subarray(0, 5))).toEqual(
          header(0n, APPLICATION_DATA, fragment.length).subarray(8),
        );
        expect(nodeAeadOpen(suite, keys, sequenceNumber, fragment)).toEqual(plaintext);
      }
    });

    it(`${suite.name}: OpenSSL's records open with ours, at sequence numbers 0, 1 and 2^64-1`, async () => {
      const keys = keysFor(suite);
      for (const seq of [0n, 1n, 0xffff_ffff_ffff_ffffn]) {
        const plaintext = randomBytes(100);
        const fragment = nodeAeadSeal(suite, keys, seq, plaintext);
        const opened = await openRecord(provider, suite, keys, {
          contentType: APPLICATION_DATA,
          version: VERSION,
          fragment,
          sequenceNumber: seq,
        });
        expect(Buffer.from(opened.plaintext)).toEqual(plaintext);
        expect(Buffer.from(opened.derivations.find((d) => d.name === 'additional_data')!.value)).toEqual(
          header(seq, APPLICATION_DATA, 100),
        );
      }
    });

    it(`${suite.name}: a flipped tag, ciphertext or nonce byte, a wrong type or sequence number -> bad_record_mac`, async () => {
      const keys = keysFor(suite);
      const fragment = nodeAeadSeal(suite, keys, 5n, randomBytes(64));
      const flipped = (i: number) => {
        const f = Buffer.from(fragment);
        f[i] = f[i]! ^ 0x80;
        return f;
      };
      const attempts = [
        { fragment: flipped(fragment.length - 1), seq: 5n, type: APPLICATION_DATA },
        { fragment: flipped(suite.recordIvLength + 3), seq: 5n, type: APPLICATION_DATA },
        { fragment, seq: 6n, type: APPLICATION_DATA },
        { fragment, seq: 5n, type: 22 },
        { fragment: fragment.subarray(0, suite.recordIvLength + 15), seq: 5n, type: APPLICATION_DATA },
      ];
      if (suite.recordIvLength) attempts.push({ fragment: flipped(0), seq: 5n, type: APPLICATION_DATA });
      for (const a of attempts) {
        const open = openRecord(provider, suite, keys, {
          contentType: a.type,
          version: VERSION,
          fragment: a.fragment,
          sequenceNumber: a.seq,
        });
        await expect(open).rejects.toMatchObject({
          kind: 'bad-record-mac',
          alert: 'bad_record_mac',
          message: 'record authentication failed (bad_record_mac)',
        });
      }
    });
  }

  it('GCM nonce_explicit is the sequence number by default (RFC 5288 §3), and can be chosen', async () => {
    const suite = cipherSuite(0xc02f)!;
    const keys = keysFor(suite);
    const sealed = await sealRecord(provider, suite, keys, {
      contentType: 23,
      version: VERSION,
      plaintext: new Uint8Array(3),
      sequenceNumber: 0x0102n,
    });
    expect(Buffer.from(sealed.fragment.subarray(0, 8)).toString('hex')).toBe('0000000000000102');
    const chosen = await sealRecord(provider, suite, keys, {
      contentType: 23,
      version: VERSION,
      plaintext: new Uint8Array(3),
      sequenceNumber: 0n,
      explicitIv: new Uint8Array(8).fill(9),
    });
    expect(Buffer.from(chosen.fragment.subarray(0, 8)).toString('hex')).toBe('0909090909090909');
    expect(nodeAeadOpen(suite, keys, 0n, chosen.fragment)).toEqual(Buffer.alloc(3));
  });

  it('rejects a fragment over 2^14 + 2048 bytes with record_overflow, and a sequence number past 2^64-1', async () => {
    const suite = cipherSuite(0xc02f)!;
    const keys = keysFor(suite);
    const big = openRecord(provider, suite, keys, {
      contentType: 23,
      version: VERSION,
      fragment: new Uint8Array((1 << 14) + 2049),
      sequenceNumber: 0n,
    });
    await expect(big).rejects.toMatchObject({ kind: 'record-overflow', alert: 'record_overflow' });
    const wrap = sealRecord(provider, suite, keys, {
      contentType: 23,
      version: VERSION,
      plaintext: new Uint8Array(1),
      sequenceNumber: 1n << 64n,
    });
    await expect(wrap).rejects.toMatchObject({ kind: 'sequence-overflow' });
  });
});

describe('CBC-HMAC-SHA1 records against node:crypto (OpenSSL)', () => {
  for (const code of [0xc013, 0xc014]) {
    const suite = cipherSuite(code)!;
    const aes = suite.keyLength === 16 ? 'aes-128-cbc' : 'aes-256-cbc';

    it(`${suite.name}: our records decrypt with OpenSSL AES-CBC and carry OpenSSL's HMAC-SHA1 and RFC 5246 padding`, async () => {
      const keys = keysFor(suite);
      const writer = new RecordProtection(provider, suite, keys);
      for (const size of [0, 1, 11, 12, 100, 1 << 14]) {
        const plaintext = randomBytes(size);
        const { fragment, sequenceNumber } = await writer.seal(APPLICATION_DATA, VERSION, plaintext);
        const decipher = createDecipheriv(aes, keys.key, fragment.subarray(0, 16)).setAutoPadding(false);
        const inner = Buffer.concat([decipher.update(fragment.subarray(16)), decipher.final()]);
        const padLength = inner[inner.length - 1]!;
        expect(inner.subarray(inner.length - padLength - 1)).toEqual(Buffer.alloc(padLength + 1, padLength));
        expect(padLength).toBeLessThan(16);
        const content = inner.subarray(0, size);
        const mac = createHmac('sha1', keys.macKey)
          .update(header(sequenceNumber, APPLICATION_DATA, size))
          .update(content)
          .digest();
        expect(content).toEqual(plaintext);
        expect(inner.subarray(size, size + 20)).toEqual(mac);
      }
    });

    it(`${suite.name}: records built with OpenSSL (with long padding) open with ours; one flipped bit -> bad_record_mac`, async () => {
      const keys = keysFor(suite);
      const plaintext = randomBytes(33);
      const mac = createHmac('sha1', keys.macKey)
        .update(header(7n, APPLICATION_DATA, 33))
        .update(plaintext)
        .digest();
      const padLength = 16 * 4 + 10; // 33 + 20 + 75 = 128: legal, longer than minimal (RFC 5246 allows up to 255)
      const iv = randomBytes(16);
      const cipher = createCipheriv(aes, keys.key, iv).setAutoPadding(false);
      const inner = Buffer.concat([plaintext, mac, Buffer.alloc(padLength + 1, padLength)]);
      const fragment = Buffer.concat([iv, cipher.update(inner), cipher.final()]);
      const opened = await openRecord(provider, suite, keys, {
        contentType: APPLICATION_DATA,
        version: VERSION,
        fragment,
        sequenceNumber: 7n,
      });
      expect(Buffer.from(opened.plaintext)).toEqual(plaintext);
      for (const i of [0, 20, fragment.length - 17, fragment.length - 1]) {
        const f = Buffer.from(fragment);
        f[i] = f[i]! ^ 1;
        const open = openRecord(provider, suite, keys, {
          contentType: APPLICATION_DATA,
          version: VERSION,
          fragment: f,
          sequenceNumber: 7n,
        });
        await expect(open).rejects.toMatchObject({
          kind: 'bad-record-mac',
          message: 'record authentication failed (bad_record_mac)',
        });
      }
    });
  }
});

describe('provider primitives against node:crypto', () => {
  it('raw AES-CBC encrypt/decrypt equal OpenSSL with padding disabled, for 0..4 blocks', async () => {
    for (const keyLength of [16, 32]) {
      const key = randomBytes(keyLength);
      const iv = randomBytes(16);
      for (let blocks = 0; blocks <= 4; blocks++) {
        const data = randomBytes(16 * blocks);
        const c = createCipheriv(keyLength === 16 ? 'aes-128-cbc' : 'aes-256-cbc', key, iv).setAutoPadding(
          false,
        );
        const expected = Buffer.concat([c.update(data), c.final()]);
        const ours = await provider.aesCbcEncrypt(key, iv, data);
        expect(Buffer.from(ours)).toEqual(expected);
        expect(Buffer.from(await provider.aesCbcDecrypt(key, iv, expected))).toEqual(data);
      }
    }
    await expect(
      provider.aesCbcEncrypt(randomBytes(16), randomBytes(16), new Uint8Array(15)),
    ).rejects.toMatchObject({ kind: 'invalid-input' });
  });

  it('digests and HMACs equal OpenSSL', async () => {
    const data = randomBytes(300);
    const key = randomBytes(48);
    for (const hash of ['sha1', 'sha256', 'sha384', 'sha512'] as const) {
      const { createHash } = await import('node:crypto');
      expect(Buffer.from(await provider.digest(hash, data))).toEqual(createHash(hash).update(data).digest());
      expect(Buffer.from(await provider.hmac(hash, key, data))).toEqual(
        createHmac(hash, key).update(data).digest(),
      );
    }
  });
});
