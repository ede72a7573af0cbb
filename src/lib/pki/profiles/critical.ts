/**
 * Which critical extensions each client handles; any other critical extension fails the certificate
 * ("unhandled critical extension"). The lists are the clients' own, not RFC 5280's:
 * - OpenSSL 3.0 crypto/x509/v3_purp.c `X509_supported_extension` (`supported_nids`): a critical authority or
 *   subject key identifier, issuerAltName or AIA is error 34 (checked against the real CLI in
 *   tests/oracle/pki-openssl-auth-level.test.ts).
 * - Go crypto/x509 parser.go `processExtensions`: keyUsage, basicConstraints, subjectAltName (unless it holds no
 *   DNS/email/IP/URI name), nameConstraints, CRL distribution points, AKI, EKU, SKI, certificatePolicies,
 *   policyMappings, policyConstraints, inhibitAnyPolicy, AIA.
 * - rustls-webpki cert.rs `remember_cert_extension`: keyUsage, subjectAltName, basicConstraints,
 *   nameConstraints, CRL distribution points, EKU.
 */
import type { CertView, ExtensionView } from '../types.ts';

const OPENSSL = new Set([
  '2.16.840.1.113730.1.1', // nsCertType
  '2.5.29.15',
  '2.5.29.17',
  '2.5.29.19',
  '2.5.29.32',
  '2.5.29.31',
  '2.5.29.37',
  '1.3.6.1.5.5.7.1.7', // sbgp-ipAddrBlock
  '1.3.6.1.5.5.7.1.8', // sbgp-autonomousSysNum
  '1.3.6.1.5.5.7.48.1.5', // id-pkix-ocsp-nocheck
  '2.5.29.36',
  '1.3.6.1.5.5.7.1.14', // proxyCertInfo
  '2.5.29.30',
  '2.5.29.33',
  '2.5.29.54',
]);

const GO = new Set([
  '2.5.29.15',
  '2.5.29.19',
  '2.5.29.17',
  '2.5.29.30',
  '2.5.29.31',
  '2.5.29.35',
  '2.5.29.37',
  '2.5.29.14',
  '2.5.29.32',
  '2.5.29.33',
  '2.5.29.36',
  '2.5.29.54',
  '1.3.6.1.5.5.7.1.1',
]);

const WEBPKI = new Set(['2.5.29.15', '2.5.29.17', '2.5.29.19', '2.5.29.30', '2.5.29.31', '2.5.29.37']);

export type CriticalPolicy = 'openssl' | 'go' | 'webpki';

function handled(cert: CertView, ext: ExtensionView, policy: CriticalPolicy): boolean {
  switch (policy) {
    case 'openssl':
      return OPENSSL.has(ext.oid);
    case 'webpki':
      return WEBPKI.has(ext.oid);
    case 'go': {
      if (!GO.has(ext.oid)) return false;
      if (ext.oid !== '2.5.29.17') return true;
      const san = cert.san;
      return san !== null && san.dns.length + san.email.length + san.ip.length + san.uri.length > 0;
    }
  }
}

/** The first critical extension the client does not handle, or null. */
export function unhandledCritical(cert: CertView, policy: CriticalPolicy): ExtensionView | null {
  return cert.extensions.find((e) => e.critical && !handled(cert, e, policy)) ?? null;
}
