/**
 * A certificate verifier that trusts exactly one certificate, pinned by its DER, inside that certificate's
 * validity at the engine's injected clock. For published handshakes whose server certificate we cannot chain to
 * a root we hold (The Illustrated TLS 1.3 Connection's "Example CA", RFC 8448's self-signed "rsa").
 */
import { bytesEqual } from '../../../src/lib/bytes/index.ts';
import { decodeCertificate } from '../../../src/lib/pki/adapter/certificate.ts';
import type { CertificateVerifier } from '../../../src/lib/tls12/handshake/config.ts';

export function pinnedVerifier(pinned: Uint8Array): CertificateVerifier {
  const { notBefore, notAfter } = decodeCertificate(pinned).validity;
  return async ({ chain, now }) => {
    if (chain[0] === undefined || !bytesEqual(chain[0], pinned))
      return { ok: false, alert: 'bad_certificate', reason: 'the server certificate is not the pinned one' };
    if (now < Date.parse(notBefore) || now > Date.parse(notAfter))
      return {
        ok: false,
        alert: 'certificate_expired',
        reason: `the pinned certificate is valid from ${notBefore} to ${notAfter}`,
      };
    return { ok: true, note: 'the pinned certificate' };
  };
}
