/**
 * Which key exchange a cipher suite uses. ServerKeyExchange and ClientKeyExchange cannot be parsed without
 * it (RFC 5246 §7.4.3, §7.4.7: "select (KeyExchangeAlgorithm)"), so the handshake layer passes it in.
 */
import { CipherSuite } from './code-points.ts';

/** 'ecdhe' (RFC 8422), 'rsa' (RFC 5246 §7.4.7.1), 'dhe' (RFC 5246 §7.4.7.2), or undefined if not known. */
export type KeyExchange = 'ecdhe' | 'rsa' | 'dhe';

/** The key exchange of a known TLS 1.2 cipher suite, from its IANA name; undefined for unknown suites/SCSVs. */
export function keyExchangeOf(cipherSuite: number): KeyExchange | undefined {
  const name = CipherSuite.name(cipherSuite);
  if (!name) return undefined;
  if (name.startsWith('TLS_ECDHE_')) return 'ecdhe';
  if (name.startsWith('TLS_DHE_')) return 'dhe';
  if (name.startsWith('TLS_RSA_')) return 'rsa';
  return undefined;
}
