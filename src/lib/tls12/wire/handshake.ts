/**
 * Any handshake message, dispatched on msg_type (RFC 5246 §7.4). `decodeHandshake` takes one whole message
 * (header + body); unknown types are kept as `{ type: 'unknown', msgType, body }`.
 *
 * ServerKeyExchange and ClientKeyExchange need the negotiated key exchange (`keyExchangeOf(suite)`); without
 * it they decode as `kind: 'opaque'`.
 */
import { Reader, Writer } from '../../bytes/index.ts';
import {
  readCertificateRequest,
  writeCertificateRequest,
  type CertificateRequest,
} from './certificate-request.ts';
import {
  readCertificateVerify,
  writeCertificateVerify,
  type CertificateVerify,
} from './certificate-verify.ts';
import { readCertificate, writeCertificate, type Certificate } from './certificate.ts';
import { readClientHello, writeClientHello, type ClientHello } from './client-hello.ts';
import {
  readClientKeyExchange,
  writeClientKeyExchange,
  type ClientKeyExchange,
} from './client-key-exchange.ts';
import { HandshakeType } from './code-points.ts';
import type { Decoded } from './decoded.ts';
import { readHelloRequest, readServerHelloDone } from './empty-messages.ts';
import { readFinished, writeFinished, type Finished } from './finished.ts';
import { readHandshakeMessage, writeHandshakeMessage } from './handshake-header.ts';
import type { KeyExchange } from './key-exchange.ts';
import { readNewSessionTicket, writeNewSessionTicket, type NewSessionTicket } from './new-session-ticket.ts';
import { readServerHello, writeServerHello, type ServerHello } from './server-hello.ts';
import {
  readServerKeyExchange,
  writeServerKeyExchange,
  type ServerKeyExchange,
} from './server-key-exchange.ts';

export type HandshakeMessage =
  | { type: 'hello_request' }
  | ({ type: 'client_hello' } & ClientHello)
  | ({ type: 'server_hello' } & ServerHello)
  | ({ type: 'new_session_ticket' } & NewSessionTicket)
  | ({ type: 'certificate' } & Certificate)
  | ({ type: 'server_key_exchange' } & ServerKeyExchange)
  | ({ type: 'certificate_request' } & CertificateRequest)
  | { type: 'server_hello_done' }
  | ({ type: 'certificate_verify' } & CertificateVerify)
  | ({ type: 'client_key_exchange' } & ClientKeyExchange)
  | ({ type: 'finished' } & Finished)
  | { type: 'unknown'; msgType: number; body: Uint8Array };

export type HandshakeMessageType = HandshakeMessage['type'];

export interface HandshakeDecodeOptions {
  /** The negotiated key exchange; needed to parse ServerKeyExchange and ClientKeyExchange. */
  keyExchange?: KeyExchange;
}

/** Reads one whole handshake message (header + body) from `r`, whatever its type. */
export function readHandshake(r: Reader, options: HandshakeDecodeOptions = {}): HandshakeMessage {
  const peeked = r.peek(1);
  const msgType = peeked.length === 1 ? peeked[0]! : -1;
  const T = HandshakeType.values;
  switch (msgType) {
    case T.hello_request:
      readHandshakeMessage(r, msgType, 'hello_request', readHelloRequest);
      return { type: 'hello_request' };
    case T.client_hello:
      return { type: 'client_hello', ...readHandshakeMessage(r, msgType, 'client_hello', readClientHello) };
    case T.server_hello:
      return { type: 'server_hello', ...readHandshakeMessage(r, msgType, 'server_hello', readServerHello) };
    case T.new_session_ticket:
      return {
        type: 'new_session_ticket',
        ...readHandshakeMessage(r, msgType, 'new_session_ticket', readNewSessionTicket),
      };
    case T.certificate:
      return { type: 'certificate', ...readHandshakeMessage(r, msgType, 'certificate', readCertificate) };
    case T.server_key_exchange:
      return {
        type: 'server_key_exchange',
        ...readHandshakeMessage(r, msgType, 'server_key_exchange', (b) =>
          readServerKeyExchange(b, options.keyExchange),
        ),
      };
    case T.certificate_request:
      return {
        type: 'certificate_request',
        ...readHandshakeMessage(r, msgType, 'certificate_request', readCertificateRequest),
      };
    case T.server_hello_done:
      readHandshakeMessage(r, msgType, 'server_hello_done', readServerHelloDone);
      return { type: 'server_hello_done' };
    case T.certificate_verify:
      return {
        type: 'certificate_verify',
        ...readHandshakeMessage(r, msgType, 'certificate_verify', readCertificateVerify),
      };
    case T.client_key_exchange:
      return {
        type: 'client_key_exchange',
        ...readHandshakeMessage(r, msgType, 'client_key_exchange', (b) =>
          readClientKeyExchange(b, options.keyExchange),
        ),
      };
    case T.finished:
      return { type: 'finished', ...readHandshakeMessage(r, msgType, 'finished', readFinished) };
    default: {
      // Unknown (or truncated before msg_type): keep the body opaque.
      const type = Math.max(msgType, 0);
      const body = readHandshakeMessage(r, type, 'handshake', (b) => b.rest('handshake.body'));
      return { type: 'unknown', msgType: type, body };
    }
  }
}

/** Decodes exactly one whole handshake message. */
export function decodeHandshake(
  bytes: Uint8Array,
  options: HandshakeDecodeOptions = {},
): Decoded<HandshakeMessage> {
  const r = new Reader(bytes);
  const message = readHandshake(r, options);
  r.expectEnd('handshake');
  return { message, spans: r.spans };
}

/** Decodes a run of whole handshake messages (e.g. a record fragment holding several). */
export function decodeHandshakes(
  bytes: Uint8Array,
  options: HandshakeDecodeOptions = {},
): Decoded<HandshakeMessage[]> {
  const r = new Reader(bytes);
  const messages: HandshakeMessage[] = [];
  while (!r.atEnd) messages.push(readHandshake(r, options));
  return { message: messages, spans: r.spans };
}

/** The msg_type code of a message. */
export function handshakeMsgType(m: HandshakeMessage): number {
  return m.type === 'unknown' ? m.msgType : HandshakeType.values[m.type];
}

export function writeHandshake(w: Writer, m: HandshakeMessage): void {
  writeHandshakeMessage(w, handshakeMsgType(m), (body) => {
    switch (m.type) {
      case 'hello_request':
      case 'server_hello_done':
        return;
      case 'client_hello':
        return writeClientHello(body, m);
      case 'server_hello':
        return writeServerHello(body, m);
      case 'new_session_ticket':
        return writeNewSessionTicket(body, m);
      case 'certificate':
        return writeCertificate(body, m);
      case 'server_key_exchange':
        return writeServerKeyExchange(body, m);
      case 'certificate_request':
        return writeCertificateRequest(body, m);
      case 'certificate_verify':
        return writeCertificateVerify(body, m);
      case 'client_key_exchange':
        return writeClientKeyExchange(body, m);
      case 'finished':
        return writeFinished(body, m);
      case 'unknown':
        body.bytes(m.body);
        return;
    }
  });
}

/** Encodes one whole handshake message (header + body). */
export function encodeHandshake(m: HandshakeMessage): Uint8Array {
  const w = new Writer();
  writeHandshake(w, m);
  return w.finish();
}
