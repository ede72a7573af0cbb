/**
 * The TLS 1.2 cipher suites the engine implements (RFC 5289, RFC 5288, RFC 7905, RFC 8422), in the engine's
 * shape. The parameters come from the crypto layer's table (src/lib/tls12/crypto/suites.ts), so that the two
 * cannot disagree; this module only picks the engine's suites and its preference order.
 */
import { cipherSuite, type CipherSuiteInfo } from '../../crypto/suites.ts';
import { CipherSuite } from '../../wire/code-points.ts';
import type { HashName } from '../../crypto/hash.ts';

export interface SuiteInfo {
  code: number;
  name: string;
  keyExchange: 'ecdhe' | 'rsa';
  /** The certificate key type the suite needs. */
  auth: 'rsa' | 'ec';
  prfHash: HashName;
  /** The crypto layer's row for this suite: what record protection and the key schedule read. */
  params: CipherSuiteInfo;
}

const C = CipherSuite.values;
/** Our default preference order: AEAD with forward secrecy first, the RSA key exchange last. */
const ORDER: number[] = [
  C.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
  C.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
  C.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
  C.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
  C.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
  C.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
  C.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
  C.TLS_RSA_WITH_AES_128_GCM_SHA256,
];

function toEngine(s: CipherSuiteInfo): SuiteInfo {
  return {
    code: s.code,
    name: CipherSuite.format(s.code),
    keyExchange: s.keyExchange === 'ECDHE' ? 'ecdhe' : 'rsa',
    auth: s.authentication === 'ECDSA' ? 'ec' : 'rsa',
    prfHash: s.prfHash,
    params: s,
  };
}

export const SUITES = new Map<number, SuiteInfo>(
  ORDER.map((code) => {
    const info = cipherSuite(code);
    if (!info) throw new Error(`crypto layer lacks suite 0x${code.toString(16)}`);
    return [code, toEngine(info)];
  }),
);

export const DEFAULT_SUITES: number[] = [...ORDER];

export function suiteInfo(code: number): SuiteInfo | undefined {
  return SUITES.get(code);
}
