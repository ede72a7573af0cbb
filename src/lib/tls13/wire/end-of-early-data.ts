/**
 * RFC 8446 §4.5 EndOfEarlyData: `struct {} EndOfEarlyData;`, the client's last message under its early traffic
 * keys when the server accepted 0-RTT data. Its body is empty, so its four bytes are always 05 00 00 00.
 */
import { HandshakeType } from '../../tls12/wire/code-points.ts';
import type { Decoded } from '../../tls12/wire/decoded.ts';
import { decodeHandshakeMessage, encodeHandshakeMessage } from '../../tls12/wire/handshake-header.ts';

export type EndOfEarlyData = Record<string, never>;

export function decodeEndOfEarlyData(bytes: Uint8Array): Decoded<EndOfEarlyData> {
  return decodeHandshakeMessage(
    bytes,
    HandshakeType.values.end_of_early_data,
    'end_of_early_data',
    () => ({}),
  );
}

export function encodeEndOfEarlyData(): Uint8Array {
  return encodeHandshakeMessage(HandshakeType.values.end_of_early_data, () => undefined);
}
