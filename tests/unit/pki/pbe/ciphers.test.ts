/**
 * The legacy PKCS#12 primitives against published vectors, each naming its source: RC2 (RFC 2268 §5, all
 * eight), DES and triple DES (FIPS 81 Appendix B/C, NIST SP 800-67 Rev. 1 Appendix B, NIST SP 800-17 Table
 * A.1, the variable-plaintext KAT that NIST CAVP's TECBvartext reuses), the PKCS#12 KDF (Dr Stephen Henson's
 * PKCS#12 KDF vectors, which OpenSSL, GnuTLS and Bouncy Castle test against), and the PKCS#5 padding check.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../../src/lib/bytes/hex.ts';
import { cbcDecrypt, PaddingError, removePadding } from '../../../../src/lib/pki/adapter/pbe/cbc.ts';
import { tripleDesDecryptor } from '../../../../src/lib/pki/adapter/pbe/des.ts';
import { bmpPassword, pkcs12Kdf, type Pkcs12KdfId } from '../../../../src/lib/pki/adapter/pbe/pkcs12-kdf.ts';
import { rc2Decryptor } from '../../../../src/lib/pki/adapter/pbe/rc2.ts';

describe('RC2 (RFC 2268)', () => {
  // RFC 2268 §5: effective key bits, key, plaintext, ciphertext.
  const vectors: [number, string, string, string][] = [
    [63, '0000000000000000', '0000000000000000', 'ebb773f993278eff'],
    [64, 'ffffffffffffffff', 'ffffffffffffffff', '278b27e42e2f0d49'],
    [64, '3000000000000000', '1000000000000001', '30649edf9be7d2c2'],
    [64, '88', '0000000000000000', '61a8a244adacccf0'],
    [64, '88bca90e90875a', '0000000000000000', '6ccf4308974c267f'],
    [64, '88bca90e90875a7f0f79c384627bafb2', '0000000000000000', '1a807d272bbe5db1'],
    [128, '88bca90e90875a7f0f79c384627bafb2', '0000000000000000', '2269552ab0f85ca6'],
    [
      129,
      '88bca90e90875a7f0f79c384627bafb216f80a6f85920584c42fceb0be255daf1e',
      '0000000000000000',
      '5b78d3a43dfff1f1',
    ],
  ];
  it.each(vectors)('RFC 2268 §5: %i effective bits, key %s', (bits, key, plain, cipher) => {
    expect(toHex(rc2Decryptor(fromHex(key), bits).decryptBlock(fromHex(cipher)))).toBe(plain);
  });

  it('refuses keys and effective lengths outside RFC 2268 §2', () => {
    expect(() => rc2Decryptor(new Uint8Array(0), 40)).toThrow(/1 to 128 bytes \(got 0\)/);
    expect(() => rc2Decryptor(new Uint8Array(129), 40)).toThrow(/1 to 128 bytes \(got 129\)/);
    expect(() => rc2Decryptor(new Uint8Array(5), 0)).toThrow(/1 to 1024 bits \(got 0\)/);
    expect(() => rc2Decryptor(new Uint8Array(5), 40).decryptBlock(new Uint8Array(7))).toThrow(
      /8 bytes \(got 7\)/,
    );
  });
});

describe('DES and triple DES', () => {
  const k = '0123456789abcdef';
  /** Keying option 3 (K1 = K2 = K3) is single DES (SP 800-67 §3.2). */
  const singleDes = tripleDesDecryptor(fromHex(k + k + k));
  const nowIsTheTime = toHex(new TextEncoder().encode('Now is the time for all '));

  it('FIPS 81 Appendix B (ECB): "Now is the time for all " under 0123456789abcdef', () => {
    const cipher = '3fa40e8a984d48156a271787ab8883f9893d51ec4b563b53';
    const blocks = [0, 16, 32].map((at) => toHex(singleDes.decryptBlock(fromHex(cipher.slice(at, at + 16)))));
    expect(blocks.join('')).toBe(nowIsTheTime);
  });

  it('FIPS 81 Appendix C (CBC, IV 1234567890abcdef)', () => {
    const cipher = fromHex('e5c7cdde872bf27c43e934008c389c0f683788499a7c05f6');
    expect(toHex(cbcDecrypt(singleDes, fromHex('1234567890abcdef'), cipher))).toBe(nowIsTheTime);
  });

  it('NIST SP 800-67 Rev. 1 Appendix B: three-key TDEA ECB example', () => {
    const tdea = tripleDesDecryptor(fromHex('0123456789abcdef23456789abcdef01456789abcdef0123'));
    const cipher = 'a826fd8ce53b855fcce21c8112256fe668d5c05dd9b6b900';
    const blocks = [0, 16, 32].map((at) => toHex(tdea.decryptBlock(fromHex(cipher.slice(at, at + 16)))));
    expect(new TextDecoder().decode(fromHex(blocks.join('')))).toBe('The qufck brown fox jump');
  });

  // NIST SP 800-17 Table A.1 (variable plaintext), key 0101010101010101 in every position.
  it.each([
    ['8000000000000000', '95f8a5e5dd31d900'],
    ['4000000000000000', 'dd7f121ca5015619'],
    ['2000000000000000', '2e8653104f3834ea'],
    ['1000000000000000', '4bd388ff6cd81d4f'],
  ])('NIST SP 800-17 Table A.1: plaintext %s', (plain, cipher) => {
    const tdea = tripleDesDecryptor(fromHex('01'.repeat(24)));
    expect(toHex(tdea.decryptBlock(fromHex(cipher)))).toBe(plain);
  });

  it('a two-key TDEA key is keying option 2: K1, K2, K3 = K1 (SP 800-67 §3.2)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 8, maxLength: 8 }),
        (key, block) => {
          const three = new Uint8Array([...key, ...key.subarray(0, 8)]);
          expect(tripleDesDecryptor(key).decryptBlock(block)).toEqual(
            tripleDesDecryptor(three).decryptBlock(block),
          );
        },
      ),
      { numRuns: 20 },
    );
  });

  it('refuses key and block lengths TDEA does not have', () => {
    expect(() => tripleDesDecryptor(new Uint8Array(8))).toThrow(/16 or 24 bytes \(got 8\)/);
    expect(() => singleDes.decryptBlock(new Uint8Array(9))).toThrow(/8 bytes \(got 9\)/);
  });
});

describe('CBC and PKCS#5 padding', () => {
  it('refuses an IV or ciphertext that does not fit the block', () => {
    const des = tripleDesDecryptor(new Uint8Array(24));
    expect(() => cbcDecrypt(des, new Uint8Array(7), new Uint8Array(8))).toThrow(/IV is 7 bytes/);
    expect(() => cbcDecrypt(des, new Uint8Array(8), new Uint8Array(12))).toThrow(
      'the ciphertext is 12 bytes, not a positive multiple of the 8-byte block',
    );
  });

  it('strips valid padding of every length (RFC 8018 §6.1.1)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (data) => {
        const pad = 8 - (data.length % 8);
        const padded = new Uint8Array([...data, ...new Array<number>(pad).fill(pad)]);
        expect(removePadding(padded, 8)).toEqual(data);
      }),
      { numRuns: 100 },
    );
  });

  it('says what is wrong with bad padding', () => {
    const bad = (bytes: number[]): string => {
      try {
        removePadding(Uint8Array.from(bytes), 8);
      } catch (err) {
        expect(err).toBeInstanceOf(PaddingError);
        return (err as Error).message;
      }
      return 'accepted';
    };
    expect(bad([1, 2, 3, 4, 5, 6, 7, 0])).toBe('the last byte is 0, not a padding length from 1 to 8');
    expect(bad([1, 2, 3, 4, 5, 6, 7, 9])).toBe('the last byte is 9, not a padding length from 1 to 8');
    expect(bad([1, 2, 3, 4, 5, 2, 3, 3])).toBe('padding byte 1 of 3 is 2, not 3');
    expect(bad([1, 2, 3])).toBe('the plaintext is 3 bytes, not a positive multiple of the 8-byte block');
    expect(bad([1, 2, 3, 4, 5, 3, 3, 3])).toBe('accepted');
  });
});

describe('PKCS#12 KDF (RFC 7292 Appendix B.2, SHA-1)', () => {
  it('formats the password as a NUL-terminated BMPString (B.1)', () => {
    expect(toHex(bmpPassword('smeg'))).toBe('0073006d006500670000');
    expect(toHex(bmpPassword(''))).toBe('0000');
    expect(toHex(bmpPassword('é😀'))).toBe('00e9d83dde000000');
  });

  // Dr Stephen Henson's PKCS#12 KDF vectors: id, password, salt, iterations, output.
  const vectors: [Pkcs12KdfId, string, string, number, string][] = [
    [1, 'smeg', '0a58cf64530d823f', 1, '8aaae6297b6cb04642ab5b077851284eb7128f1a2a7fbca3'],
    [2, 'smeg', '0a58cf64530d823f', 1, '79993dfe048d3b76'],
    [1, 'smeg', '642b99ab44fb4b1f', 1, 'f3a95fec48d7711e985cfe67908c5ab79fa3d7c5caa5d966'],
    [2, 'smeg', '642b99ab44fb4b1f', 1, 'c0a38d64a79bea1d'],
    [3, 'smeg', '3d83c0e4546ac140', 1, '8d967d88f6caa9d714800ab3d48051d63f73a312'],
    [1, 'queeg', '05dec959acff72f7', 1000, 'ed2034e36328830ff09df1e1a07dd357185dac0d4f9eb3d4'],
    [2, 'queeg', '05dec959acff72f7', 1000, '11dedad7758d4860'],
    [1, 'queeg', '1682c0fc5b3f7ec5', 1000, '483dd6e919d7de2e8e648ba8f862f3fbfbdc2bcb2c02957f'],
    [2, 'queeg', '1682c0fc5b3f7ec5', 1000, '9d461d1b00355c50'],
    [3, 'queeg', '263216fcc2fab31c', 1000, '5ec4c7a80df652294c3925b6489a7ab857c83476'],
  ];
  it.each(vectors)('id %i, password %s, salt %s, %i iteration(s)', (id, password, salt, iterations, out) => {
    const bytes = out.length / 2;
    expect(toHex(pkcs12Kdf(bmpPassword(password), fromHex(salt), iterations, id, bytes))).toBe(out);
  });

  it('refuses a zero iteration count', () => {
    expect(() => pkcs12Kdf(bmpPassword('x'), new Uint8Array(8), 0, 1, 8)).toThrow(/at least one iteration/);
  });
});
