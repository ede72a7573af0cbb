/**
 * RFC 5246 §7.4.2 Certificate:
 *
 *   opaque ASN.1Cert<1..2^24-1>;
 *   struct { ASN.1Cert certificate_list<0..2^24-1>; } Certificate;
 *
 * The DER certificates are kept opaque here; src/lib/pki parses them.
 */
import { type Reader, type Writer } from '../../bytes/index.ts';
import { HandshakeType } from './code-points.ts';
import type { Decoded } from './decoded.ts';
import { decodeHandshakeMessage, encodeHandshakeMessage } from './handshake-header.ts';

export interface Certificate {
  /** DER certificates, sender's certificate first. Empty when a client has no certificate to send. */
  certificates: Uint8Array[];
}

export function readCertificate(r: Reader): Certificate {
  const certificates = r.list(24, 'certificate.certificate_list', (s, id) =>
    s.vec24(id, { min: 1, show: (der) => `${der.length} bytes DER` }),
  );
  return { certificates };
}

export function writeCertificate(w: Writer, m: Certificate): void {
  w.lengthPrefixed(24, (list) => {
    for (const der of m.certificates) {
      if (der.length === 0) throw new RangeError('Certificate: an ASN.1Cert must not be empty');
      list.vec24(der);
    }
  });
}

export function decodeCertificate(bytes: Uint8Array): Decoded<Certificate> {
  return decodeHandshakeMessage(bytes, HandshakeType.values.certificate, 'certificate', readCertificate);
}

export function encodeCertificate(m: Certificate): Uint8Array {
  return encodeHandshakeMessage(HandshakeType.values.certificate, (w) => writeCertificate(w, m));
}
