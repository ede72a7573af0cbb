/**
 * The cipher suites TLS Lab implements, with everything the key schedule and the record layer need.
 * Sources: RFC 5246 App. A.5 & C, RFC 5288 (AES-GCM), RFC 5289 (ECDHE GCM, SHA-384 PRF), RFC 4492 /
 * RFC 8422 (ECDHE_RSA / ECDHE_ECDSA with CBC), RFC 7905 (ChaCha20-Poly1305).
 *
 * Lengths follow SecurityParameters (RFC 5246 §6.1): the key block holds MAC keys, encryption keys and,
 * for AEAD only, the fixed IVs (RFC 5246 §6.3: "only generated for implicit nonce techniques"). CBC suites
 * in TLS 1.2 send a fresh explicit IV per record (record_iv_length 16) and take no IV from the key block.
 */
import { hashLength, type HashName } from './hash.ts';

import { CipherSuite } from '../wire/code-points.ts';

/** The key exchange: ephemeral ECDH (RFC 8422) or the client encrypting the pre-master secret to the server's RSA key. */
export type KeyExchangeAlgorithm = 'ecdhe' | 'rsa';
/** The server certificate's key type the suite needs (ECDHE_RSA and RSA: 'rsa'; ECDHE_ECDSA: 'ec'). */
export type CertificateKeyType = 'rsa' | 'ec';
export type BulkCipher = 'AES_128_GCM' | 'AES_256_GCM' | 'CHACHA20_POLY1305' | 'AES_128_CBC' | 'AES_256_CBC';
export type CipherType = 'aead' | 'block';

export interface CipherSuiteInfo {
  code: number;
  name: string;
  kex: KeyExchangeAlgorithm;
  certificateKey: CertificateKeyType;
  cipher: BulkCipher;
  cipherType: CipherType;
  /** enc_key_length */
  keyLength: number;
  /** fixed_iv_length: the part of the nonce/IV that comes from the key block (GCM 4-byte salt, ChaCha 12). */
  fixedIvLength: number;
  /** record_iv_length: bytes sent in each record (GCM explicit nonce 8, CBC IV 16, ChaCha 0). */
  recordIvLength: number;
  /** mac_key_length (0 for AEAD). */
  macKeyLength: number;
  /** HMAC hash for block ciphers. */
  macHash?: HashName;
  /** AEAD tag length. */
  tagLength: number;
  /** The PRF hash (also the Finished and extended-master-secret transcript hash). */
  prfHash: HashName;
  /** verify_data_length (RFC 5246 §7.4.9: 12 unless the suite says otherwise). */
  verifyDataLength: number;
}

type Row = Omit<
  CipherSuiteInfo,
  | 'cipherType'
  | 'verifyDataLength'
  | 'tagLength'
  | 'fixedIvLength'
  | 'recordIvLength'
  | 'macKeyLength'
  | 'keyLength'
>;

function describe(row: Row): CipherSuiteInfo {
  const common = { ...row, verifyDataLength: 12 };
  switch (row.cipher) {
    case 'AES_128_GCM':
    case 'AES_256_GCM': // RFC 5288 §3: salt 4 from the key block, nonce_explicit 8 per record
      return {
        ...common,
        cipherType: 'aead',
        keyLength: row.cipher === 'AES_128_GCM' ? 16 : 32,
        fixedIvLength: 4,
        recordIvLength: 8,
        macKeyLength: 0,
        tagLength: 16,
      };
    case 'CHACHA20_POLY1305': // RFC 7905 §2: 12-byte fixed IV, no explicit nonce
      return {
        ...common,
        cipherType: 'aead',
        keyLength: 32,
        fixedIvLength: 12,
        recordIvLength: 0,
        macKeyLength: 0,
        tagLength: 16,
      };
    case 'AES_128_CBC':
    case 'AES_256_CBC': // RFC 5246 §6.2.3.2; the MAC key is as long as the MAC's hash (RFC 5246 App. C, RFC 5289 §3.2)
      return {
        ...common,
        cipherType: 'block',
        keyLength: row.cipher === 'AES_128_CBC' ? 16 : 32,
        fixedIvLength: 0,
        recordIvLength: 16,
        macKeyLength: hashLength(row.macHash!),
        tagLength: 0,
      };
  }
}

const ROWS: Row[] = [
  {
    code: 0xc02f,
    name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    kex: 'ecdhe',
    certificateKey: 'rsa',
    cipher: 'AES_128_GCM',
    prfHash: 'sha256',
  },
  {
    code: 0xc030,
    name: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
    kex: 'ecdhe',
    certificateKey: 'rsa',
    cipher: 'AES_256_GCM',
    prfHash: 'sha384',
  },
  {
    code: 0xc02b,
    name: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
    kex: 'ecdhe',
    certificateKey: 'ec',
    cipher: 'AES_128_GCM',
    prfHash: 'sha256',
  },
  {
    code: 0xc02c,
    name: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
    kex: 'ecdhe',
    certificateKey: 'ec',
    cipher: 'AES_256_GCM',
    prfHash: 'sha384',
  },
  {
    code: 0xcca8,
    name: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
    kex: 'ecdhe',
    certificateKey: 'rsa',
    cipher: 'CHACHA20_POLY1305',
    prfHash: 'sha256',
  },
  {
    code: 0xcca9,
    name: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
    kex: 'ecdhe',
    certificateKey: 'ec',
    cipher: 'CHACHA20_POLY1305',
    prfHash: 'sha256',
  },
  {
    code: 0xc013,
    name: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
    kex: 'ecdhe',
    certificateKey: 'rsa',
    cipher: 'AES_128_CBC',
    macHash: 'sha1',
    prfHash: 'sha256',
  },
  {
    code: 0xc014,
    name: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
    kex: 'ecdhe',
    certificateKey: 'rsa',
    cipher: 'AES_256_CBC',
    macHash: 'sha1',
    prfHash: 'sha256',
  },
  {
    code: 0x009c,
    name: 'TLS_RSA_WITH_AES_128_GCM_SHA256',
    kex: 'rsa',
    certificateKey: 'rsa',
    cipher: 'AES_128_GCM',
    prfHash: 'sha256',
  },
  {
    code: 0x009d,
    name: 'TLS_RSA_WITH_AES_256_GCM_SHA384',
    kex: 'rsa',
    certificateKey: 'rsa',
    cipher: 'AES_256_GCM',
    prfHash: 'sha384',
  },
  // CBC with HMAC-SHA1 for ECDSA certificates and for the RSA key exchange (RFC 8422, RFC 5246 App. C), and with
  // HMAC-SHA256/384 (RFC 5289 §3.2: the PRF is SHA-256 or SHA-384 as the suite's name says; RFC 5246 App. C).
  {
    code: 0xc009,
    name: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
    kex: 'ecdhe',
    certificateKey: 'ec',
    cipher: 'AES_128_CBC',
    macHash: 'sha1',
    prfHash: 'sha256',
  },
  {
    code: 0xc00a,
    name: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
    kex: 'ecdhe',
    certificateKey: 'ec',
    cipher: 'AES_256_CBC',
    macHash: 'sha1',
    prfHash: 'sha256',
  },
  {
    code: 0xc027,
    name: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
    kex: 'ecdhe',
    certificateKey: 'rsa',
    cipher: 'AES_128_CBC',
    macHash: 'sha256',
    prfHash: 'sha256',
  },
  {
    code: 0xc028,
    name: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384',
    kex: 'ecdhe',
    certificateKey: 'rsa',
    cipher: 'AES_256_CBC',
    macHash: 'sha384',
    prfHash: 'sha384',
  },
  {
    code: 0xc023,
    name: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256',
    kex: 'ecdhe',
    certificateKey: 'ec',
    cipher: 'AES_128_CBC',
    macHash: 'sha256',
    prfHash: 'sha256',
  },
  {
    code: 0xc024,
    name: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384',
    kex: 'ecdhe',
    certificateKey: 'ec',
    cipher: 'AES_256_CBC',
    macHash: 'sha384',
    prfHash: 'sha384',
  },
  {
    code: 0x002f,
    name: 'TLS_RSA_WITH_AES_128_CBC_SHA',
    kex: 'rsa',
    certificateKey: 'rsa',
    cipher: 'AES_128_CBC',
    macHash: 'sha1',
    prfHash: 'sha256',
  },
  {
    code: 0x0035,
    name: 'TLS_RSA_WITH_AES_256_CBC_SHA',
    kex: 'rsa',
    certificateKey: 'rsa',
    cipher: 'AES_256_CBC',
    macHash: 'sha1',
    prfHash: 'sha256',
  },
  {
    code: 0x003c,
    name: 'TLS_RSA_WITH_AES_128_CBC_SHA256',
    kex: 'rsa',
    certificateKey: 'rsa',
    cipher: 'AES_128_CBC',
    macHash: 'sha256',
    prfHash: 'sha256',
  },
  {
    code: 0x003d,
    name: 'TLS_RSA_WITH_AES_256_CBC_SHA256',
    kex: 'rsa',
    certificateKey: 'rsa',
    cipher: 'AES_256_CBC',
    macHash: 'sha256',
    prfHash: 'sha256',
  },
];

export const CIPHER_SUITES: readonly CipherSuiteInfo[] = ROWS.map(describe);

/** The suite with this code point, or undefined when TLS Lab does not implement it. */
export function cipherSuite(code: number): CipherSuiteInfo | undefined {
  return CIPHER_SUITES.find((s) => s.code === code);
}

const C = CipherSuite.values;
/**
 * The engine's default preference order (what a config without `suites` offers and accepts): AEAD with forward
 * secrecy first, the RSA key exchange last.
 */
export const DEFAULT_SUITES: readonly number[] = [
  C.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
  C.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
  C.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
  C.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
  C.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
  C.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
  C.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
  C.TLS_RSA_WITH_AES_128_GCM_SHA256,
];

/** key_block length: 2 × (mac_key_length + enc_key_length + fixed_iv_length) (RFC 5246 §6.3). */
export function keyBlockLength(suite: CipherSuiteInfo): number {
  return 2 * (suite.macKeyLength + suite.keyLength + suite.fixedIvLength);
}
