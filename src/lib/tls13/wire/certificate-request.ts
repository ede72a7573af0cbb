/**
 * RFC 8446 §4.3.2 CertificateRequest (the 1.3 form: a context and extensions, signature_algorithms required):
 *
 *   struct { opaque certificate_request_context<0..2^8-1>; Extension extensions<2..2^16-1>; } CertificateRequest;
 */
import { type Reader, type Writer } from '../../bytes/index.ts';
import { HandshakeType } from '../../tls12/wire/code-points.ts';
import type { Decoded } from '../../tls12/wire/decoded.ts';
import { decodeHandshakeMessage, encodeHandshakeMessage } from '../../tls12/wire/handshake-header.ts';
import { readExtensions13, writeExtensions13, type Extension13 } from './extensions.ts';

export interface CertificateRequest13 {
  certificateRequestContext: Uint8Array;
  extensions: Extension13[];
}

export function readCertificateRequest13(r: Reader): CertificateRequest13 {
  const certificateRequestContext = r.vec8('certificate_request.certificate_request_context');
  const extensions = readExtensions13(r, 'certificate_request', 'certificate_request', 2);
  return { certificateRequestContext, extensions };
}

export function writeCertificateRequest13(w: Writer, m: CertificateRequest13): void {
  w.vec8(m.certificateRequestContext);
  writeExtensions13(w, m.extensions);
}

export function decodeCertificateRequest13(bytes: Uint8Array): Decoded<CertificateRequest13> {
  return decodeHandshakeMessage(
    bytes,
    HandshakeType.values.certificate_request,
    'certificate_request',
    readCertificateRequest13,
  );
}

export function encodeCertificateRequest13(m: CertificateRequest13): Uint8Array {
  return encodeHandshakeMessage(HandshakeType.values.certificate_request, (w) =>
    writeCertificateRequest13(w, m),
  );
}
