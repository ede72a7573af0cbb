/**
 * What a TLS 1.3 CertificateVerify signs (RFC 8446 §4.4.3): 64 bytes of 0x20, a context string, one 0x00 byte,
 * then Transcript-Hash(Handshake Context, Certificate). The spaces and the context keep a 1.3 signature from
 * being replayed as a 1.2 ServerKeyExchange signature or across the two sides.
 */
import { concatBytes } from '../bytes/index.ts';

export const SERVER_CERTIFICATE_VERIFY_CONTEXT = 'TLS 1.3, server CertificateVerify';
export const CLIENT_CERTIFICATE_VERIFY_CONTEXT = 'TLS 1.3, client CertificateVerify';

export function certificateVerifyContent(side: 'client' | 'server', transcriptHash: Uint8Array): Uint8Array {
  const context = side === 'server' ? SERVER_CERTIFICATE_VERIFY_CONTEXT : CLIENT_CERTIFICATE_VERIFY_CONTEXT;
  return concatBytes(
    new Uint8Array(64).fill(0x20),
    new TextEncoder().encode(context),
    Uint8Array.of(0),
    transcriptHash,
  );
}
