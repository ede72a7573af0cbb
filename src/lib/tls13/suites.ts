/**
 * The TLS 1.3 cipher suites (RFC 8446 §B.4): an AEAD and the hash of HKDF and the transcript, nothing else
 * (key exchange and authentication are negotiated apart). Code points are the shared `CipherSuite` table's;
 * the 1.2 table (`tls12/crypto/suites.ts`) describes 1.2's key block, which 1.3 does not have.
 */
import type { BulkCipher, HashName } from '../tls12/crypto/index.ts';
import { CipherSuite } from '../tls12/wire/code-points.ts';

export interface Tls13Suite {
  code: number;
  name: string;
  cipher: Extract<BulkCipher, 'AES_128_GCM' | 'AES_256_GCM' | 'CHACHA20_POLY1305'>;
  hash: Extract<HashName, 'sha256' | 'sha384'>;
  keyLength: number;
  /** RFC 8446 §5.3: iv_length is max(8, N_MIN) = 12 for all three. */
  ivLength: 12;
  tagLength: 16;
}

const suite = (code: number, cipher: Tls13Suite['cipher'], hash: Tls13Suite['hash']): Tls13Suite => ({
  code,
  name: CipherSuite.format(code),
  cipher,
  hash,
  keyLength: cipher === 'AES_128_GCM' ? 16 : 32,
  ivLength: 12,
  tagLength: 16,
});

export const TLS13_SUITES: readonly Tls13Suite[] = [
  suite(CipherSuite.values.TLS_AES_128_GCM_SHA256, 'AES_128_GCM', 'sha256'),
  suite(CipherSuite.values.TLS_AES_256_GCM_SHA384, 'AES_256_GCM', 'sha384'),
  suite(CipherSuite.values.TLS_CHACHA20_POLY1305_SHA256, 'CHACHA20_POLY1305', 'sha256'),
];

export function tls13Suite(code: number): Tls13Suite | undefined {
  return TLS13_SUITES.find((s) => s.code === code);
}
