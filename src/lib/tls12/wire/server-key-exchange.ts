/**
 * RFC 8422 §5.4 ServerKeyExchange for ECDHE (TLS 1.2 signature form, RFC 5246 §7.4.3):
 *
 *   struct { ECCurveType curve_type; select (curve_type) { case named_curve: NamedCurve namedcurve; }; } ECParameters;
 *   opaque point <1..2^8-1>;  (ECPoint)
 *   struct { ECParameters curve_params; ECPoint public; } ServerECDHParams;
 *   select (KeyExchangeAlgorithm) {
 *       case ec_diffie_hellman: ServerECDHParams params; Signature signed_params;
 *   } ServerKeyExchange;
 *
 * signed_params covers ClientHello.random + ServerHello.random + the params bytes exactly as sent; the
 * decoder keeps those bytes in `params`. Only named_curve is accepted (RFC 8422 §5.4 deprecates the
 * explicit forms). Other key exchanges are kept opaque (`kind: 'opaque'`).
 */
import { build, type Reader, type Writer } from '../../bytes/index.ts';
import { ECCurveType, HandshakeType, NamedGroup } from './code-points.ts';
import type { Decoded } from './decoded.ts';
import { readDigitallySigned, writeDigitallySigned, type DigitallySigned } from './digitally-signed.ts';
import { decodeHandshakeMessage, encodeHandshakeMessage } from './handshake-header.ts';
import type { KeyExchange } from './key-exchange.ts';

export interface EcdheServerKeyExchange extends DigitallySigned {
  kind: 'ecdhe';
  /** ECCurveType.named_curve (3). */
  curveType: 3;
  namedCurve: number;
  /** The server's ephemeral public key (ECPoint, e.g. 32 bytes for x25519). */
  publicKey: Uint8Array;
  /** Raw ServerECDHParams bytes (curve_type..public) as on the wire: the signature's input after the randoms. */
  params: Uint8Array;
}

/** A ServerKeyExchange whose key exchange is not decoded here (DHE, or unknown). */
export interface OpaqueServerKeyExchange {
  kind: 'opaque';
  body: Uint8Array;
}

export type ServerKeyExchange = EcdheServerKeyExchange | OpaqueServerKeyExchange;

/** ServerECDHParams bytes for a named curve, as signed and as sent. */
export function ecdheParamsBytes(namedCurve: number, publicKey: Uint8Array): Uint8Array {
  return build((w) => writeEcdheParams(w, namedCurve, publicKey));
}

function writeEcdheParams(w: Writer, namedCurve: number, publicKey: Uint8Array): void {
  if (publicKey.length === 0) throw new RangeError('ServerKeyExchange: public point must not be empty');
  w.u8(ECCurveType.values.named_curve);
  w.u16(namedCurve);
  w.vec8(publicKey);
}

export function readServerKeyExchange(r: Reader, keyExchange?: KeyExchange): ServerKeyExchange {
  if (keyExchange !== 'ecdhe') return { kind: 'opaque', body: r.rest('server_key_exchange.body') };
  const { namedCurve, publicKey } = r.node('server_key_exchange.params', () => {
    const curveTypeAt = r.offset;
    const curveType = r.u8('server_key_exchange.curve_type', { show: ECCurveType.format });
    if (curveType !== ECCurveType.values.named_curve) {
      r.fail(
        'invalid-value',
        'server_key_exchange.curve_type',
        `${ECCurveType.format(curveType)} (${curveType}) is not supported, only named_curve (3)`,
        curveTypeAt,
      );
    }
    const namedCurve = r.u16('server_key_exchange.named_curve', { show: NamedGroup.format });
    const publicKey = r.vec8('server_key_exchange.public', { min: 1 });
    return { namedCurve, publicKey };
  });
  // named_curve params have exactly one encoding, so re-encoding yields the bytes as sent.
  const params = ecdheParamsBytes(namedCurve, publicKey);
  const signed = readDigitallySigned(r, 'server_key_exchange');
  return { kind: 'ecdhe', curveType: 3, namedCurve, publicKey, params, ...signed };
}

export function writeServerKeyExchange(w: Writer, m: ServerKeyExchange): void {
  if (m.kind === 'opaque') {
    w.bytes(m.body);
    return;
  }
  writeEcdheParams(w, m.namedCurve, m.publicKey);
  writeDigitallySigned(w, m);
}

export function decodeServerKeyExchange(
  bytes: Uint8Array,
  keyExchange?: KeyExchange,
): Decoded<ServerKeyExchange> {
  return decodeHandshakeMessage(bytes, HandshakeType.values.server_key_exchange, 'server_key_exchange', (r) =>
    readServerKeyExchange(r, keyExchange),
  );
}

export function encodeServerKeyExchange(m: ServerKeyExchange): Uint8Array {
  return encodeHandshakeMessage(HandshakeType.values.server_key_exchange, (w) =>
    writeServerKeyExchange(w, m),
  );
}
