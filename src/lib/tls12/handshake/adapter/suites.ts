/** The TLS 1.2 cipher suites the engine implements (RFC 5289, RFC 5288, RFC 7905, RFC 8422). */
import { CipherSuite } from '../../wire/code-points.ts';
import type { HashName } from './hashes.ts';

export interface SuiteInfo {
  code: number;
  name: string;
  keyExchange: 'ecdhe' | 'rsa';
  /** The certificate key type the suite needs. */
  auth: 'rsa' | 'ec';
  cipher: 'aes-gcm' | 'chacha20-poly1305' | 'aes-cbc';
  keyLength: number;
  /** fixed_iv_length (GCM salt 4, ChaCha20 12) or the CBC block size. */
  ivLength: number;
  macHash?: HashName;
  macLength: number;
  prfHash: HashName;
}

const C = CipherSuite.values;
const table: Omit<SuiteInfo, 'name'>[] = [
  {
    code: C.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    keyExchange: 'ecdhe',
    auth: 'ec',
    cipher: 'aes-gcm',
    keyLength: 16,
    ivLength: 4,
    macLength: 0,
    prfHash: 'sha256',
  },
  {
    code: C.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    keyExchange: 'ecdhe',
    auth: 'rsa',
    cipher: 'aes-gcm',
    keyLength: 16,
    ivLength: 4,
    macLength: 0,
    prfHash: 'sha256',
  },
  {
    code: C.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    keyExchange: 'ecdhe',
    auth: 'ec',
    cipher: 'aes-gcm',
    keyLength: 32,
    ivLength: 4,
    macLength: 0,
    prfHash: 'sha384',
  },
  {
    code: C.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    keyExchange: 'ecdhe',
    auth: 'rsa',
    cipher: 'aes-gcm',
    keyLength: 32,
    ivLength: 4,
    macLength: 0,
    prfHash: 'sha384',
  },
  {
    code: C.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    keyExchange: 'ecdhe',
    auth: 'ec',
    cipher: 'chacha20-poly1305',
    keyLength: 32,
    ivLength: 12,
    macLength: 0,
    prfHash: 'sha256',
  },
  {
    code: C.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    keyExchange: 'ecdhe',
    auth: 'rsa',
    cipher: 'chacha20-poly1305',
    keyLength: 32,
    ivLength: 12,
    macLength: 0,
    prfHash: 'sha256',
  },
  {
    code: C.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
    keyExchange: 'ecdhe',
    auth: 'rsa',
    cipher: 'aes-cbc',
    keyLength: 16,
    ivLength: 16,
    macHash: 'sha1',
    macLength: 20,
    prfHash: 'sha256',
  },
  {
    code: C.TLS_RSA_WITH_AES_128_GCM_SHA256,
    keyExchange: 'rsa',
    auth: 'rsa',
    cipher: 'aes-gcm',
    keyLength: 16,
    ivLength: 4,
    macLength: 0,
    prfHash: 'sha256',
  },
];

export const SUITES = new Map<number, SuiteInfo>(
  table.map((s) => [s.code, { ...s, name: CipherSuite.format(s.code) }]),
);

/** Our default preference order: AEAD with forward secrecy first, the RSA key exchange last. */
export const DEFAULT_SUITES: number[] = table.map((s) => s.code);

export function suiteInfo(code: number): SuiteInfo | undefined {
  return SUITES.get(code);
}
