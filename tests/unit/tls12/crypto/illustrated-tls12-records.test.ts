/**
 * The Illustrated TLS 1.2 Connection (syncsynchalt/illustrated-tls12): the four encrypted records of the
 * capture (TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, explicit IV, HMAC-SHA1), opened with the published keys
 * and compared with the published *plain files, then sealed again with the same IV.
 *
 * How upstream produced the *plain files matters for a byte-for-byte comparison: clientfinishedplain is
 * the bare Finished message; serverfinishedplain, clientdataplain and serverdataplain are the output of
 * `openssl enc -d -aes-128-cbc`, whose PKCS#7 unpadding strips padding_length (11 or 7) of the
 * padding_length + 1 TLS padding bytes, leaving content + MAC + one padding byte.
 */
import { describe, expect, it } from 'vitest';
import {
  CryptoError,
  RecordProtection,
  cipherSuite,
  concatBytes,
  createCryptoProvider,
  openRecord,
  sealRecord,
  toHex,
  type DirectionKeys,
} from '../../../../src/lib/tls12/crypto/index.ts';
import { cap, hexValue } from './illustrated-fixture.ts';

const provider = createCryptoProvider();
const suite = cipherSuite(0xc013)!;
const client: DirectionKeys = {
  key: hexValue('client_write_key'),
  iv: new Uint8Array(0),
  macKey: hexValue('client_write_mac_key'),
};
const server: DirectionKeys = {
  key: hexValue('server_write_key'),
  iv: new Uint8Array(0),
  macKey: hexValue('server_write_mac_key'),
};

interface Case {
  name: string;
  keys: DirectionKeys;
  seq: bigint;
  /** What the upstream *plain file holds. */
  plainFile: 'content' | 'content+mac+1';
}

// Sequence numbers restart at 0 after each side's ChangeCipherSpec: Finished is 0, the data record 1.
const CASES: Case[] = [
  { name: 'clientfinished', keys: client, seq: 0n, plainFile: 'content' },
  { name: 'serverfinished', keys: server, seq: 0n, plainFile: 'content+mac+1' },
  { name: 'clientdata', keys: client, seq: 1n, plainFile: 'content+mac+1' },
  { name: 'serverdata', keys: server, seq: 1n, plainFile: 'content+mac+1' },
];

function split(record: Uint8Array) {
  return { contentType: record[0]!, version: (record[1]! << 8) | record[2]!, fragment: record.subarray(5) };
}

describe('Illustrated TLS 1.2 encrypted records (AES-128-CBC + HMAC-SHA1)', () => {
  for (const c of CASES) {
    it(`opens caps/${c.name} (seq ${c.seq}) to exactly caps/${c.name}plain`, async () => {
      const { contentType, version, fragment } = split(cap(c.name));
      const opened = await openRecord(provider, suite, c.keys, {
        contentType,
        version,
        fragment,
        sequenceNumber: c.seq,
      });
      const mac = opened.derivations.find((d) => d.name === 'MAC')!.value;
      const padding = opened.derivations.find((d) => d.name === 'padding')!.value;
      const expected = cap(`${c.name}plain`);
      const ours =
        c.plainFile === 'content'
          ? opened.plaintext
          : concatBytes(opened.plaintext, mac, padding.subarray(0, 1));
      expect(toHex(ours)).toBe(toHex(expected));
    });

    it(`re-sealing caps/${c.name}'s content with its IV reproduces the record byte for byte`, async () => {
      const record = cap(c.name);
      const { contentType, version, fragment } = split(record);
      const opened = await openRecord(provider, suite, c.keys, {
        contentType,
        version,
        fragment,
        sequenceNumber: c.seq,
      });
      const sealed = await sealRecord(provider, suite, c.keys, {
        contentType,
        version,
        plaintext: opened.plaintext,
        sequenceNumber: c.seq,
        explicitIv: fragment.subarray(0, 16),
      });
      expect(toHex(sealed.record)).toBe(toHex(record));
      expect(sealed.derivations.map((d) => d.name)).toEqual([
        'additional_data',
        'MAC',
        'padding',
        'IV',
        'GenericBlockCipher',
      ]);
    });
  }

  it('the client Finished record decrypts to the published client verify_data', async () => {
    const { contentType, version, fragment } = split(cap('clientfinished'));
    const { plaintext } = await openRecord(provider, suite, client, {
      contentType,
      version,
      fragment,
      sequenceNumber: 0n,
    });
    expect(toHex(plaintext)).toBe('1400000c' + toHex(hexValue('client_verify_data')));
  });

  it('a RecordProtection opens the server Finished then the server data with sequence numbers 0 and 1', async () => {
    const reader = new RecordProtection(provider, suite, server);
    const finished = split(cap('serverfinished'));
    const data = split(cap('serverdata'));
    expect(
      (await reader.open(finished.contentType, finished.version, finished.fragment)).sequenceNumber,
    ).toBe(0n);
    const opened = await reader.open(data.contentType, data.version, data.fragment);
    expect(opened.sequenceNumber).toBe(1n);
    expect(new TextDecoder().decode(opened.plaintext)).toBe('pong');
    expect(reader.sequenceNumber).toBe(2n);
  });

  it('a record with a correct MAC but malformed padding fails with the same bad_record_mac as a bad MAC', async () => {
    // Built by hand with raw CBC so that only the padding is wrong: content "ping", its true MAC, then
    // padding that is not uniform, or a padding_length that runs past the start of the record.
    const content = new TextEncoder().encode('ping');
    const header = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 1, 23, 3, 3, 0, 4); // seq 1, type 23, 0x0303, length 4
    const mac = await provider.hmac('sha1', client.macKey, concatBytes(header, content));
    const iv = new Uint8Array(16).fill(0x42);
    const sealWith = async (padding: number[]) =>
      concatBytes(
        iv,
        await provider.aesCbcEncrypt(client.key, iv, concatBytes(content, mac, Uint8Array.from(padding))),
      );
    const good = await sealWith([7, 7, 7, 7, 7, 7, 7, 7]);
    const opened = await openRecord(provider, suite, client, {
      contentType: 23,
      version: 0x0303,
      fragment: good,
      sequenceNumber: 1n,
    });
    expect(new TextDecoder().decode(opened.plaintext)).toBe('ping');
    for (const padding of [
      [7, 7, 7, 7, 7, 7, 5, 7], // not uniform
      [7, 7, 7, 7, 7, 7, 7, 0xff], // padding_length longer than the record
      [7, 7, 7, 7, 7, 7, 7, 9], // padding_length that eats into the MAC
    ]) {
      const attempt = openRecord(provider, suite, client, {
        contentType: 23,
        version: 0x0303,
        fragment: await sealWith(padding),
        sequenceNumber: 1n,
      });
      await expect(attempt).rejects.toThrow(
        new CryptoError('bad-record-mac', 'record authentication failed (bad_record_mac)'),
      );
    }
  });

  it('the wrong sequence number, a flipped IV byte, a flipped MAC byte, a flipped padding byte and a bad padding length all fail with the same bad_record_mac', async () => {
    const { contentType, version, fragment } = split(cap('clientdata'));
    const failures: unknown[] = [];
    const attempt = async (frag: Uint8Array, seq: bigint) => {
      try {
        await openRecord(provider, suite, client, {
          contentType,
          version,
          fragment: frag,
          sequenceNumber: seq,
        });
        failures.push('opened');
      } catch (e) {
        failures.push(e);
      }
    };
    await attempt(fragment, 0n); // wrong sequence number -> MAC mismatch
    // Flip a bit in the previous ciphertext block: CBC flips the same bit of the next plaintext block.
    // Plaintext: ping(4) MAC(20) padding(8 × 07), one block each of 16: MAC ends in block 1 at offset 23.
    const flipAt = (plainOffset: number) => {
      const f = fragment.slice();
      f[plainOffset] = f[plainOffset]! ^ 0x01; // fragment offset = IV(16) + plainOffset - 16
      return f;
    };
    const flipIv = fragment.slice();
    flipIv[0] = flipIv[0]! ^ 0x01; // IV byte 0 flips plaintext byte 0 only: "ping" -> "qing", MAC mismatch
    await attempt(flipIv, 1n);
    await attempt(flipAt(20), 1n); // ciphertext block 0 byte 4: garbles block 0, flips plaintext byte 20 (MAC)
    await attempt(flipAt(26), 1n); // padding byte (plaintext 26)
    await attempt(flipAt(31), 1n); // padding_length byte (plaintext 31): 07 -> 06, padding no longer uniform
    await attempt(fragment.subarray(0, 32), 1n); // truncated to IV + one block
    expect(failures).toHaveLength(6);
    for (const f of failures) {
      expect(f).toBeInstanceOf(CryptoError);
      expect((f as CryptoError).kind).toBe('bad-record-mac');
      expect((f as CryptoError).alert).toBe('bad_record_mac');
      expect((f as CryptoError).message).toBe('record authentication failed (bad_record_mac)');
    }
  });
});
