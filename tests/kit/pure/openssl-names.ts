import { CIPHER_SUITES } from '../../../src/lib/tls12/crypto/suites.ts';

/** OpenSSL names for the suites and groups the engine implements (openssl ciphers -V; RFC 8422 names). */
export const OPENSSL_SUITE: Record<number, string> = {
  0xc02f: 'ECDHE-RSA-AES128-GCM-SHA256',
  0xc030: 'ECDHE-RSA-AES256-GCM-SHA384',
  0xc02b: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  0xc02c: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  0xcca8: 'ECDHE-RSA-CHACHA20-POLY1305',
  0xcca9: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  0xc013: 'ECDHE-RSA-AES128-SHA',
  0xc014: 'ECDHE-RSA-AES256-SHA',
  0x009c: 'AES128-GCM-SHA256',
  0x009d: 'AES256-GCM-SHA384',
  0xc009: 'ECDHE-ECDSA-AES128-SHA',
  0xc00a: 'ECDHE-ECDSA-AES256-SHA',
  0xc027: 'ECDHE-RSA-AES128-SHA256',
  0xc028: 'ECDHE-RSA-AES256-SHA384',
  0xc023: 'ECDHE-ECDSA-AES128-SHA256',
  0xc024: 'ECDHE-ECDSA-AES256-SHA384',
  0x002f: 'AES128-SHA',
  0x0035: 'AES256-SHA',
  0x003c: 'AES128-SHA256',
  0x003d: 'AES256-SHA256',
};

export const OPENSSL_GROUP: Record<number, string> = {
  29: 'X25519',
  23: 'P-256',
  24: 'P-384',
};

/** The suites that need the ECDSA certificate. */
export const ECDSA_SUITES = new Set(
  CIPHER_SUITES.filter((s) => s.certificateKey === 'ec').map((s) => s.code),
);
