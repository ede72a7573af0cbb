/**
 * RFC 5246 §5 PRF known answers. Vectors: IETF TLS WG mailing list msg03416 (2009), as recorded in
 * fixtures/tls12-vectors/illustrated-tls12/expected-values.json `prf_vectors` (also in BearSSL's tests).
 */
import { describe, expect, it } from 'vitest';
import { asciiBytes, concatBytes } from '../../../../src/lib/tls12/crypto/bytes-util.ts';
import { createCryptoProvider, fromHex, pHash, prf, toHex } from '../../../../src/lib/tls12/crypto/index.ts';
import { values } from './illustrated-fixture.ts';

const provider = createCryptoProvider();

describe('RFC 5246 PRF (TLS WG msg03416 vectors)', () => {
  it('has both the SHA-256 and the SHA-384 vector', () => {
    expect(values.prf_vectors.map((v) => v.hash).sort()).toEqual(['sha256', 'sha384']);
  });

  for (const v of values.prf_vectors) {
    it(`PRF-${v.hash.toUpperCase()} produces the published ${v.length}-byte output`, async () => {
      const out = await prf(provider, v.hash, fromHex(v.secret), v.label, fromHex(v.seed), v.length);
      expect(toHex(out)).toBe(v.output);
    });

    it(`PRF-${v.hash.toUpperCase()} is P_hash over label + seed, and shorter outputs are prefixes`, async () => {
      const seed = concatBytes(asciiBytes(v.label), fromHex(v.seed));
      const direct = await pHash(provider, v.hash, fromHex(v.secret), seed, v.length);
      expect(toHex(direct)).toBe(v.output);
      const short = await prf(provider, v.hash, fromHex(v.secret), v.label, fromHex(v.seed), 13);
      expect(toHex(short)).toBe(v.output.slice(0, 26));
    });
  }

  it('returns an empty output for length 0 and rejects a negative length', async () => {
    expect((await pHash(provider, 'sha256', new Uint8Array(16), new Uint8Array(4), 0)).length).toBe(0);
    await expect(pHash(provider, 'sha256', new Uint8Array(16), new Uint8Array(4), -1)).rejects.toThrow(
      RangeError,
    );
  });
});
