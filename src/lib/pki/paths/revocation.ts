/**
 * Minimal CRL use (RFC 5280 §6.1.3 (a)(3)), behind the documented feature flag `crls`:
 * when CRLs are supplied, a certificate is revoked when a CRL whose issuer name equals the certificate's issuer
 * lists its serial number, and undetermined (an error) when no CRL from its issuer was supplied.
 *
 * NOT checked (reported by analyzeChain as `notSupported: 'crl-processing'` whenever CRLs are given): the CRL's
 * signature and signer (§6.3.3 (f)-(g)), its validity window, issuing distribution point / scope, delta CRLs,
 * critical CRL and entry extensions, indirect CRLs.
 */
import type { CertView, CrlView } from '../types.ts';
import { type Reason, label, makeReason } from './reasons.ts';

function serialKey(hex: string): string {
  // Compared as encoded: 00ff (255) and ff (-1) are different serial numbers (PKITS 4.4.14/4.4.15).
  return hex.toLowerCase().replace(/[^0-9a-f]/g, '');
}

export function checkRevocation(
  cert: CertView,
  depth: number,
  crls: readonly CrlView[],
  _time: number,
): Reason[] {
  const mine = crls.filter((c) => c.issuer.key === cert.issuer.key);
  if (mine.length === 0) {
    return [
      makeReason(
        'revocation-unknown',
        cert,
        depth,
        'RFC 5280 §6.1.3 (a)(3)',
        `no CRL from ${cert.issuer.rfc4514} was supplied, so the status of ${label(cert)} cannot be determined`,
      ),
    ];
  }
  const serial = serialKey(cert.serialHex);
  if (mine.some((c) => c.revokedSerials.some((s) => serialKey(s) === serial))) {
    return [
      makeReason(
        'revoked',
        cert,
        depth,
        'RFC 5280 §6.1.3 (a)(3)',
        `${label(cert)} (serial ${cert.serialHex}) is listed as revoked by its issuer's CRL`,
      ),
    ];
  }
  return [];
}
