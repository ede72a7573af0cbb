/** RFC 8446 §4.6.3 KeyUpdate: `struct { KeyUpdateRequest request_update; } KeyUpdate;` */
import { type Reader, type Writer } from '../../bytes/index.ts';
import { HandshakeType, KeyUpdateRequest } from '../../tls12/wire/code-points.ts';
import type { Decoded } from '../../tls12/wire/decoded.ts';
import { decodeHandshakeMessage, encodeHandshakeMessage } from '../../tls12/wire/handshake-header.ts';

export interface KeyUpdate {
  requestUpdate: number;
}

export function readKeyUpdate(r: Reader): KeyUpdate {
  const start = r.offset;
  const requestUpdate = r.u8('key_update.request_update', { show: KeyUpdateRequest.format });
  if (requestUpdate > 1)
    r.fail('invalid-value', 'key_update.request_update', `must be 0 or 1, got ${requestUpdate}`, start);
  return { requestUpdate };
}

export function writeKeyUpdate(w: Writer, m: KeyUpdate): void {
  w.u8(m.requestUpdate);
}

export function decodeKeyUpdate(bytes: Uint8Array): Decoded<KeyUpdate> {
  return decodeHandshakeMessage(bytes, HandshakeType.values.key_update, 'key_update', readKeyUpdate);
}

export function encodeKeyUpdate(m: KeyUpdate): Uint8Array {
  return encodeHandshakeMessage(HandshakeType.values.key_update, (w) => writeKeyUpdate(w, m));
}
