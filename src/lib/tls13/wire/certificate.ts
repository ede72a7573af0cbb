/**
 * RFC 8446 §4.4.2 Certificate (the 1.3 form: a request context, and extensions on every entry):
 *
 *   struct { opaque cert_data<1..2^24-1>; Extension extensions<0..2^16-1>; } CertificateEntry;   (X.509 only)
 *   struct { opaque certificate_request_context<0..2^8-1>; CertificateEntry certificate_list<0..2^24-1>; } Certificate;
 */
import { type Reader, type Writer } from '../../bytes/index.ts';
import { HandshakeType } from '../../tls12/wire/code-points.ts';
import type { Decoded } from '../../tls12/wire/decoded.ts';
import { decodeHandshakeMessage, encodeHandshakeMessage } from '../../tls12/wire/handshake-header.ts';
import { readExtensions13, writeExtensions13, type Extension13 } from './extensions.ts';

export interface CertificateEntry {
  /** DER of one X.509 certificate. */
  certData: Uint8Array;
  extensions: Extension13[];
}

export interface Certificate13 {
  certificateRequestContext: Uint8Array;
  certificateList: CertificateEntry[];
}

export function readCertificate13(r: Reader): Certificate13 {
  const certificateRequestContext = r.vec8('certificate.certificate_request_context');
  const certificateList = r.list(24, 'certificate.certificate_list', (s, id) =>
    s.node(id, () => {
      const certData = s.vec24('certificate.cert_data', { min: 1 });
      const extensions = readExtensions13(s, 'certificate.entry', 'certificate');
      return { certData, extensions };
    }),
  );
  return { certificateRequestContext, certificateList };
}

export function writeCertificate13(w: Writer, m: Certificate13): void {
  w.vec8(m.certificateRequestContext);
  w.lengthPrefixed(24, (l) =>
    m.certificateList.forEach((e) => {
      l.vec24(e.certData);
      writeExtensions13(l, e.extensions);
    }),
  );
}

export function decodeCertificate13(bytes: Uint8Array): Decoded<Certificate13> {
  return decodeHandshakeMessage(bytes, HandshakeType.values.certificate, 'certificate', readCertificate13);
}

export function encodeCertificate13(m: Certificate13): Uint8Array {
  return encodeHandshakeMessage(HandshakeType.values.certificate, (w) => writeCertificate13(w, m));
}
