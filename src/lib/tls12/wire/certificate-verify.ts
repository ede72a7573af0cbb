/**
 * RFC 5246 §7.4.8 CertificateVerify:
 *
 *   struct { digitally-signed struct { opaque handshake_messages[handshake_messages_length]; } } CertificateVerify;
 *
 * On the wire: the DigitallySigned (signature scheme + signature) over the transcript so far.
 */
import { type Reader, type Writer } from '../../bytes/index.ts';
import { HandshakeType } from './code-points.ts';
import type { Decoded } from './decoded.ts';
import { readDigitallySigned, writeDigitallySigned, type DigitallySigned } from './digitally-signed.ts';
import { decodeHandshakeMessage, encodeHandshakeMessage } from './handshake-header.ts';

export type CertificateVerify = DigitallySigned;

export function readCertificateVerify(r: Reader): CertificateVerify {
  return readDigitallySigned(r, 'certificate_verify');
}

export function writeCertificateVerify(w: Writer, m: CertificateVerify): void {
  writeDigitallySigned(w, m);
}

export function decodeCertificateVerify(bytes: Uint8Array): Decoded<CertificateVerify> {
  return decodeHandshakeMessage(
    bytes,
    HandshakeType.values.certificate_verify,
    'certificate_verify',
    readCertificateVerify,
  );
}

export function encodeCertificateVerify(m: CertificateVerify): Uint8Array {
  return encodeHandshakeMessage(HandshakeType.values.certificate_verify, (w) => writeCertificateVerify(w, m));
}
