/** OpenSSL names for the suites and groups the engine implements (openssl ciphers -V; RFC 8422 names). */
export const OPENSSL_SUITE: Record<number, string> = {
  0xc02f: 'ECDHE-RSA-AES128-GCM-SHA256',
  0xc030: 'ECDHE-RSA-AES256-GCM-SHA384',
  0xc02b: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  0xc02c: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  0xcca8: 'ECDHE-RSA-CHACHA20-POLY1305',
  0xcca9: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  0xc013: 'ECDHE-RSA-AES128-SHA',
  0x009c: 'AES128-GCM-SHA256',
};

export const OPENSSL_GROUP: Record<number, string> = {
  29: 'X25519',
  23: 'P-256',
  24: 'P-384',
};

export const ECDSA_SUITES = new Set([0xc02b, 0xc02c, 0xcca9]);
