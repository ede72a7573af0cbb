/**
 * RFC 5246 §7.4.4 CertificateRequest (TLS 1.2 form):
 *
 *   struct {
 *       ClientCertificateType certificate_types<1..2^8-1>;
 *       SignatureAndHashAlgorithm supported_signature_algorithms<2^16-1>;
 *       DistinguishedName certificate_authorities<0..2^16-1>;
 *   } CertificateRequest;
 *   opaque DistinguishedName<1..2^16-1>;
 */
import { type Reader, type Writer } from '../../bytes/index.ts';
import { ClientCertificateType, HandshakeType, SignatureScheme } from './code-points.ts';
import type { Decoded } from './decoded.ts';
import { decodeHandshakeMessage, encodeHandshakeMessage } from './handshake-header.ts';

export interface CertificateRequest {
  certificateTypes: number[];
  signatureSchemes: number[];
  /** DER-encoded X.501 Names. */
  certificateAuthorities: Uint8Array[];
}

export function readCertificateRequest(r: Reader): CertificateRequest {
  const certificateTypes = r.list(
    8,
    'certificate_request.certificate_types',
    (s, id) => s.u8(id, { show: ClientCertificateType.format }),
    { min: 1 },
  );
  const signatureSchemes = r.list(
    16,
    'certificate_request.supported_signature_algorithms',
    (s, id) => s.u16(id, { show: SignatureScheme.format }),
    { min: 2, elementSize: 2 },
  );
  const certificateAuthorities = r.list(16, 'certificate_request.certificate_authorities', (s, id) =>
    s.vec16(id, { min: 1 }),
  );
  return { certificateTypes, signatureSchemes, certificateAuthorities };
}

export function writeCertificateRequest(w: Writer, m: CertificateRequest): void {
  if (m.certificateTypes.length === 0)
    throw new RangeError('CertificateRequest: certificate_types must not be empty');
  if (m.signatureSchemes.length === 0) {
    throw new RangeError('CertificateRequest: supported_signature_algorithms must not be empty');
  }
  w.lengthPrefixed(8, (l) => m.certificateTypes.forEach((t) => l.u8(t)));
  w.lengthPrefixed(16, (l) => m.signatureSchemes.forEach((s) => l.u16(s)));
  w.lengthPrefixed(16, (l) =>
    m.certificateAuthorities.forEach((dn) => {
      if (dn.length === 0) throw new RangeError('CertificateRequest: a DistinguishedName must not be empty');
      l.vec16(dn);
    }),
  );
}

export function decodeCertificateRequest(bytes: Uint8Array): Decoded<CertificateRequest> {
  return decodeHandshakeMessage(
    bytes,
    HandshakeType.values.certificate_request,
    'certificate_request',
    readCertificateRequest,
  );
}

export function encodeCertificateRequest(m: CertificateRequest): Uint8Array {
  return encodeHandshakeMessage(HandshakeType.values.certificate_request, (w) =>
    writeCertificateRequest(w, m),
  );
}
