/**
 * The one decoding of a TLS 1.3 handshake message for the event log, which the engine (`handshake/connection.ts`),
 * the observer (`observe.ts`) and the lab's capture reader all use, so a live run and a capture hold the same entries.
 */
import type { Span } from '../bytes/index.ts';
import { VERIFY_DATA_LENGTH } from '../tls12/wire/finished.ts';
import { decodeHandshake, type HandshakeMessage } from '../tls12/wire/handshake.ts';
import { HandshakeType } from '../tls12/wire/code-points.ts';
import { decodeHandshake13, messageName, type Handshake13 } from './wire/index.ts';

const HELLO_MESSAGES = new Set(['client_hello', 'server_hello', 'certificate_verify', 'finished']);

/**
 * One TLS 1.3 handshake message as the event log holds it: its spans and 1.3 decoding (`message13`), and the 1.2
 * view for the event log's `message` field: the structures both versions share (the hellos, CertificateVerify,
 * Finished) decoded by tls12's decoder, the others kept as `unknown` with their body. The observer writes entries
 * with it and the lab's capture reader (`app/model/handshake/capture.ts`) reads them back with it.
 * @throws DecodeError when the bytes are not one 1.3 handshake message.
 */
export function decodeMessage13(bytes: Uint8Array): {
  name: string;
  spans: Span[];
  message: HandshakeMessage;
  message13: Handshake13;
} {
  const decoded = decodeHandshake13(bytes);
  return {
    name: messageEntryName13(decoded.message, bytes[0]!),
    spans: decoded.spans,
    message: asTls12Message(decoded.message, bytes),
    message13: decoded.message,
  };
}

/** The entry name of a TLS 1.3 handshake message: its type's, but a HelloRetryRequest is named for what it is. */
export function messageEntryName13(m: Handshake13, msgType: number): string {
  const name = HandshakeType.format(msgType);
  return m.type === 'server_hello'
    ? messageName({ name, message: { type: m.type, random: m.message.random } })
    : name;
}

function asTls12Message(m: Handshake13, bytes: Uint8Array): HandshakeMessage {
  // A 1.3 Finished is Hash.length bytes, which tls12's decoder refuses (it wants 12): known without the decode
  // and the DecodeError it would build and throw for every Finished.
  const tls12Finished = m.type !== 'finished' || m.message.verifyData.length === VERIFY_DATA_LENGTH;
  if (HELLO_MESSAGES.has(m.type) && tls12Finished) {
    try {
      return decodeHandshake(bytes).message;
    } catch {
      // fall through
    }
  }
  return { type: 'unknown', msgType: bytes[0]!, body: bytes.subarray(4) };
}
