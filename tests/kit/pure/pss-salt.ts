/**
 * The salt inside an RSA-PSS signature (RFC 8017 §8.1.2 verification steps: the RSA public operation, then
 * EMSA-PSS decoding, §9.1.2, MGF1 with the same hash), read with the signer's certificate. Published TLS 1.3
 * handshakes sign with rsa_pss_rsae_* and a random salt: handing that salt to our engine as its randomness
 * lets it regenerate the published CertificateVerify byte for byte.
 */
import { concatBytes, fromHex, toHex } from '../../../src/lib/bytes/index.ts';
import { hashSync } from '../../../src/lib/tls12/crypto/hash.ts';
import { parseCertificate } from '../../../src/lib/tls12/handshake/certificate-info.ts';

export function pssSalt(certDer: Uint8Array, signature: Uint8Array, hash: 'sha256' = 'sha256'): Uint8Array {
  const key = parseCertificate(certDer).publicKey;
  if (key.kind !== 'rsa') throw new Error('an RSA-PSS signature needs an RSA certificate');
  const { n, e, k } = key.rsa;
  let m = 1n;
  for (let b = e, x = BigInt(`0x${toHex(signature)}`) % n; b > 0n; b >>= 1n, x = (x * x) % n)
    if (b & 1n) m = (m * x) % n;
  const em = fromHex(m.toString(16).padStart(k * 2, '0'));
  const hLen = 32;
  const maskedDb = em.subarray(0, k - hLen - 1);
  const h = em.subarray(k - hLen - 1, k - 1);
  const mask = new Uint8Array(maskedDb.length);
  for (let c = 0, at = 0; at < mask.length; c++, at += hLen) {
    const counter = Uint8Array.of(c >>> 24, c >>> 16, c >>> 8, c);
    mask.set(hashSync(hash, concatBytes(h, counter)).subarray(0, mask.length - at), at);
  }
  return maskedDb.map((b, i) => b ^ mask[i]!).subarray(maskedDb.length - hLen);
}
