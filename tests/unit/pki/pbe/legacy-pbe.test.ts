/**
 * The RFC 7292 Appendix C glue: pkcs-12PbeParams parsing (salt OCTET STRING, iterations INTEGER) with a
 * message for each malformation, the scheme names, and a refusal for the RC4 schemes this tool names only.
 */
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../../src/lib/bytes/hex.ts';
import {
  legacyPbeDecrypt,
  legacyPbeName,
  legacyPbeSupported,
  parsePbeParams,
} from '../../../../src/lib/pki/adapter/pbe/legacy-pbe.ts';

describe('pkcs-12PbeParams', () => {
  it('reads the salt and the iteration count', () => {
    // SEQUENCE { OCTET STRING 0102030405060708, INTEGER 2048 }, as OpenSSL writes it.
    const params = parsePbeParams(fromHex('300e04080102030405060708020208 00'.replaceAll(' ', '')));
    expect(toHex(params.salt)).toBe('0102030405060708');
    expect(params.iterations).toBe(2048);
  });

  it.each([
    ['310e04080102030405060708020208 00', /not one SEQUENCE/],
    ['300e04080102030405060708020208 0000', /not one SEQUENCE/],
    ['300e02080102030405060708020208 00', /salt is not an OCTET STRING/],
    ['300e04080102030405060708040208 00', /iteration count is not the last element, an INTEGER/],
    ['300d040801020304050607080201 80', /not a positive 32-bit INTEGER/],
    ['3011040801020304050607080205 0100000000', /not a positive 32-bit INTEGER/],
    ['300c0408010203040506070802 00', /not a positive 32-bit INTEGER/],
  ])('refuses %s', (der, why) => {
    expect(() => parsePbeParams(fromHex(der.replaceAll(' ', '')))).toThrow(why);
  });
});

describe('schemes', () => {
  it('names every Appendix C scheme and decrypts all but RC4', () => {
    const oids = [1, 2, 3, 4, 5, 6].map((n) => `1.2.840.113549.1.12.1.${n}`);
    expect(oids.map(legacyPbeName)).toEqual([
      'pbeWithSHAAnd128BitRC4',
      'pbeWithSHAAnd40BitRC4',
      'pbeWithSHAAnd3-KeyTripleDES-CBC',
      'pbeWithSHAAnd2-KeyTripleDES-CBC',
      'pbeWithSHAAnd128BitRC2-CBC',
      'pbeWithSHAAnd40BitRC2-CBC',
    ]);
    expect(oids.map(legacyPbeSupported)).toEqual([false, false, true, true, true, true]);
    expect(legacyPbeName('1.2.840.113549.1.5.13')).toBeUndefined();
  });

  it('refuses to decrypt RC4', () => {
    const params = { salt: new Uint8Array(8), iterations: 1 };
    expect(() => legacyPbeDecrypt('1.2.840.113549.1.12.1.1', params, 'pw', new Uint8Array(8))).toThrow(
      'pbeWithSHAAnd128BitRC4 is not a PKCS#12 PBE scheme this tool decrypts',
    );
  });
});
