/**
 * RFC 5246 §7.4.7 ClientKeyExchange:
 *
 *   struct {
 *       select (KeyExchangeAlgorithm) {
 *           case rsa: EncryptedPreMasterSecret;        // §7.4.7.1: public-key-encrypted PreMasterSecret pre_master_secret;
 *           case ec_diffie_hellman: ClientECDiffieHellmanPublic;   // RFC 8422 §5.7: ECPoint ecdh_Yc;
 *       } exchange_keys;
 *   } ClientKeyExchange;
 *
 * In TLS 1.0+ the RSA-encrypted pre-master secret carries a u16 length (opaque<0..2^16-1>). The ECDHE
 * point is an ECPoint (opaque point<1..2^8-1>); the explicit ("implicit" public value) form is not used.
 */
import { type Reader, type Writer } from '../../bytes/index.ts';
import { HandshakeType } from './code-points.ts';
import type { Decoded } from './decoded.ts';
import { decodeHandshakeMessage, encodeHandshakeMessage } from './handshake-header.ts';
import type { KeyExchange } from './key-exchange.ts';

export type ClientKeyExchange =
  | { kind: 'ecdhe'; publicKey: Uint8Array }
  | { kind: 'rsa'; encryptedPreMasterSecret: Uint8Array }
  | { kind: 'opaque'; body: Uint8Array };

export function readClientKeyExchange(r: Reader, keyExchange?: KeyExchange): ClientKeyExchange {
  switch (keyExchange) {
    case 'ecdhe':
      return { kind: 'ecdhe', publicKey: r.vec8('client_key_exchange.public', { min: 1 }) };
    case 'rsa':
      return {
        kind: 'rsa',
        encryptedPreMasterSecret: r.vec16('client_key_exchange.encrypted_pre_master_secret'),
      };
    default:
      return { kind: 'opaque', body: r.rest('client_key_exchange.body') };
  }
}

export function writeClientKeyExchange(w: Writer, m: ClientKeyExchange): void {
  switch (m.kind) {
    case 'ecdhe':
      if (m.publicKey.length === 0) throw new RangeError('ClientKeyExchange: public point must not be empty');
      w.vec8(m.publicKey);
      return;
    case 'rsa':
      w.vec16(m.encryptedPreMasterSecret);
      return;
    case 'opaque':
      w.bytes(m.body);
      return;
  }
}

export function decodeClientKeyExchange(
  bytes: Uint8Array,
  keyExchange?: KeyExchange,
): Decoded<ClientKeyExchange> {
  return decodeHandshakeMessage(bytes, HandshakeType.values.client_key_exchange, 'client_key_exchange', (r) =>
    readClientKeyExchange(r, keyExchange),
  );
}

export function encodeClientKeyExchange(m: ClientKeyExchange): Uint8Array {
  return encodeHandshakeMessage(HandshakeType.values.client_key_exchange, (w) =>
    writeClientKeyExchange(w, m),
  );
}
