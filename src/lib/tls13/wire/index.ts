/**
 * TLS 1.3 wire codecs (RFC 8446), beside tls12/wire whose record header, handshake header, extension framing,
 * code points and CertificateVerify they reuse. `decodeHandshake13` decodes one whole handshake message of any
 * type a TLS 1.3 peer sends; `encodeHandshake13` writes it back byte for byte.
 */
import { HandshakeType } from '../../tls12/wire/code-points.ts';
import {
  decodeCertificateVerify,
  encodeCertificateVerify,
  type CertificateVerify,
} from '../../tls12/wire/certificate-verify.ts';
import type { Decoded } from '../../tls12/wire/decoded.ts';
import type { Finished } from '../../tls12/wire/finished.ts';
import { DecodeError } from '../../bytes/index.ts';
import { decodeCertificate13, encodeCertificate13, type Certificate13 } from './certificate.ts';
import {
  decodeCertificateRequest13,
  encodeCertificateRequest13,
  type CertificateRequest13,
} from './certificate-request.ts';
import { decodeClientHello13, encodeClientHello13, type ClientHello13 } from './client-hello.ts';
import {
  decodeEncryptedExtensions,
  encodeEncryptedExtensions,
  type EncryptedExtensions,
} from './encrypted-extensions.ts';
import { decodeEndOfEarlyData, encodeEndOfEarlyData, type EndOfEarlyData } from './end-of-early-data.ts';
import { decodeFinished13, encodeFinished13 } from './finished.ts';
import { decodeKeyUpdate, encodeKeyUpdate, type KeyUpdate } from './key-update.ts';
import {
  decodeNewSessionTicket13,
  encodeNewSessionTicket13,
  type NewSessionTicket13,
} from './new-session-ticket.ts';
import { decodeServerHello13, encodeServerHello13, type ServerHello13 } from './server-hello.ts';

export * from './certificate.ts';
export * from './certificate-request.ts';
export * from './client-hello.ts';
export * from './encrypted-extensions.ts';
export * from './end-of-early-data.ts';
export * from './extensions.ts';
export * from './field-ids.ts';
export * from './finished.ts';
export * from './key-update.ts';
export * from './new-session-ticket.ts';
export * from './server-hello.ts';
export { decodeCertificateVerify, encodeCertificateVerify, type CertificateVerify };

export type Handshake13 =
  | { type: 'client_hello'; message: ClientHello13 }
  | { type: 'server_hello'; message: ServerHello13 }
  | { type: 'encrypted_extensions'; message: EncryptedExtensions }
  | { type: 'certificate_request'; message: CertificateRequest13 }
  | { type: 'certificate'; message: Certificate13 }
  | { type: 'certificate_verify'; message: CertificateVerify }
  | { type: 'finished'; message: Finished }
  | { type: 'new_session_ticket'; message: NewSessionTicket13 }
  | { type: 'key_update'; message: KeyUpdate }
  | { type: 'end_of_early_data'; message: EndOfEarlyData };

const tag =
  <T extends Handshake13['type'], M>(type: T, decode: (b: Uint8Array) => Decoded<M>) =>
  (bytes: Uint8Array) => {
    const d = decode(bytes);
    return { message: { type, message: d.message } as Handshake13, spans: d.spans };
  };

const DECODERS = new Map<number, (bytes: Uint8Array) => Decoded<Handshake13>>([
  [HandshakeType.values.client_hello, tag('client_hello', decodeClientHello13)],
  [HandshakeType.values.server_hello, tag('server_hello', decodeServerHello13)],
  [HandshakeType.values.encrypted_extensions, tag('encrypted_extensions', decodeEncryptedExtensions)],
  [HandshakeType.values.certificate_request, tag('certificate_request', decodeCertificateRequest13)],
  [HandshakeType.values.certificate, tag('certificate', decodeCertificate13)],
  [HandshakeType.values.certificate_verify, tag('certificate_verify', decodeCertificateVerify)],
  [HandshakeType.values.finished, tag('finished', decodeFinished13)],
  [HandshakeType.values.new_session_ticket, tag('new_session_ticket', decodeNewSessionTicket13)],
  [HandshakeType.values.key_update, tag('key_update', decodeKeyUpdate)],
  [HandshakeType.values.end_of_early_data, tag('end_of_early_data', decodeEndOfEarlyData)],
]);

/** Decodes one whole TLS 1.3 handshake message (header + body) of any type a 1.3 peer sends. */
export function decodeHandshake13(bytes: Uint8Array): Decoded<Handshake13> {
  if (bytes.length === 0)
    throw new DecodeError('truncated', 'handshake.header.msg_type', 0, 'needs 1 byte, only 0 left');
  const decode = DECODERS.get(bytes[0]!);
  if (!decode)
    throw new DecodeError(
      'invalid-value',
      'handshake.header.msg_type',
      0,
      `${HandshakeType.format(bytes[0]!)} (${bytes[0]}) is not a TLS 1.3 handshake message`,
    );
  return decode(bytes);
}

export function encodeHandshake13(m: Handshake13): Uint8Array {
  switch (m.type) {
    case 'client_hello':
      return encodeClientHello13(m.message);
    case 'server_hello':
      return encodeServerHello13(m.message);
    case 'encrypted_extensions':
      return encodeEncryptedExtensions(m.message);
    case 'certificate_request':
      return encodeCertificateRequest13(m.message);
    case 'certificate':
      return encodeCertificate13(m.message);
    case 'certificate_verify':
      return encodeCertificateVerify(m.message);
    case 'finished':
      return encodeFinished13(m.message);
    case 'new_session_ticket':
      return encodeNewSessionTicket13(m.message);
    case 'key_update':
      return encodeKeyUpdate(m.message);
    case 'end_of_early_data':
      return encodeEndOfEarlyData();
  }
}
