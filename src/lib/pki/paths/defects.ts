/**
 * What each client does with a certificate defect the parser tolerates (CertView.defects, adapter/certificate.ts).
 * Decisions key off `CertDefect.kind` (and the extension OID), never off message text. Sources:
 *
 * | kind | rfc5280 | openssl-3 (real `openssl verify`, tests/interop/pki/parse/lenient.test.ts) | openssl-1.0.2 | go (crypto/x509 parser.go) | webpki (rustls-webpki) |
 * | empty-rdn | error | ignored | ignored | ignored: parseName loops over an empty SET | ignored: names are compared as bytes |
 * | negative-path-len | error | EXFLAG_INVALID: no issuer found (20) | as 3.0 (assumed, not checked) | parse error "x509: invalid basic constraints" (ReadASN1Integer into a uint) | BadDer (der.rs nonnegative_integer) |
 * | utc-time-without-seconds | error | error 13/14 "format error in certificate's notBefore/notAfter field" | accepted (1.0.2 X509_cmp_time pads missing seconds with "00") | accepted (cryptobyte ReadASN1UTCTime "fallback to minute precision") | BadDerTime (time.rs needs seconds) |
 * | fractional-seconds | error | error 13/14 | accepted, fraction skipped | accepted when canonical (no trailing zero), else "x509: malformed GeneralizedTime" (ReadASN1GeneralizedTime re-serialises) | BadDerTime |
 * | non-ia5-dns-name | error | ignored | ignored | parse error "x509: SAN dNSName is malformed" (parseSANExtension isIA5String) | ignored for the host (an invalid presented name never matches); MalformedDnsIdentifier under constraints |
 * | broken-extension | error | EXFLAG_INVALID for the extensions ossl_x509v3_cache_extensions decodes, else ignored | as 3.0 | parse error for the extensions processExtensions decodes, else ignored | BadDer for basicConstraints, EKU, SAN, nameConstraints, else ignored |
 * | empty-name-constraints | error | ignored (real CLI) | as 3.0 | parse error "x509: empty name constraints extension" | ignored: no subtree, nothing to violate |
 * | empty-subtrees | error | ignored (real CLI) | as 3.0 | parse error "x509: empty name constraints subtree sequence" | ignored: no subtree, nothing to violate |
 */
import type { CertDefect, CertView } from '../types.ts';
import { readTlv } from '../../bytes/der.ts';

/**
 * OpenSSL 3.0 crypto/x509/v3_purp.c ossl_x509v3_cache_extensions: the extensions it decodes, where a decoding
 * failure sets EXFLAG_INVALID (basicConstraints, proxyCertInfo, keyUsage, extKeyUsage, nsCertType, SKI, AKI,
 * subjectAltName, nameConstraints, CRL distribution points, RFC 3779 blocks). Checked against the real CLI for
 * basicConstraints, keyUsage, extKeyUsage and subjectAltName; certificatePolicies and unknown extensions are not
 * decoded there and a broken one is ignored.
 */
const OPENSSL_DECODED = new Set([
  '2.5.29.19',
  '1.3.6.1.5.5.7.1.14',
  '2.5.29.15',
  '2.5.29.37',
  '2.16.840.1.113730.1.1',
  '2.5.29.14',
  '2.5.29.35',
  '2.5.29.17',
  '2.5.29.30',
  '2.5.29.31',
  '1.3.6.1.5.5.7.1.7',
  '1.3.6.1.5.5.7.1.8',
]);

/**
 * The defect that makes OpenSSL flag the certificate EXFLAG_INVALID, or null. 3.0 x509_likely_issued refuses such a
 * certificate as issuer and as subject, so the chain cannot be built through it: `openssl verify` ends in error 20
 * "unable to get local issuer certificate" at the depth below it (at 0 when the leaf itself is flagged).
 */
export function opensslInvalid(cert: CertView): CertDefect | null {
  return (
    cert.defects.find(
      (d) =>
        d.kind === 'negative-path-len' ||
        (d.kind === 'broken-extension' && d.extension !== undefined && OPENSSL_DECODED.has(d.extension)),
    ) ?? null
  );
}

/**
 * OpenSSL 3.0 X509_cmp_time accepts only YYMMDDHHMMSSZ (13 characters) and YYYYMMDDHHMMSSZ (15): anything else is
 * error 13 / 14 "format error in certificate's notBefore / notAfter field" (real CLI: lenient.test.ts). 1.0.2's
 * X509_cmp_time padded missing seconds with "00" and skipped a fraction.
 */
export function opensslTimeFormatError(cert: CertView, field: 'notBefore' | 'notAfter'): boolean {
  return cert.defects.some(
    (d) => d.where === field && (d.kind === 'utc-time-without-seconds' || d.kind === 'fractional-seconds'),
  );
}

/** crypto/x509 processExtensions: the error of each extension it decodes when the value is not valid DER. */
const GO_EXTENSION_ERRORS: Record<string, string> = {
  '2.5.29.15': 'x509: invalid key usage',
  '2.5.29.19': 'x509: invalid basic constraints',
  '2.5.29.17': 'x509: invalid subject alternative names',
  '2.5.29.30': 'x509: invalid NameConstraints extension',
  '2.5.29.31': 'x509: invalid CRL distribution points',
  '2.5.29.35': 'x509: invalid authority key identifier',
  '2.5.29.36': 'x509: invalid policy constraints extension',
  '2.5.29.37': 'x509: invalid extended key usages',
  '2.5.29.14': 'x509: invalid subject key identifier',
  '2.5.29.32': 'x509: invalid certificate policies',
  '2.5.29.33': 'x509: invalid policy mappings extension',
  '2.5.29.54': 'x509: invalid inhibit any policy extension',
  '1.3.6.1.5.5.7.1.1': 'x509: invalid authority info access',
};

function timeText(cert: CertView, d: CertDefect): string {
  const t = readTlv(cert.der, d.offset);
  return new TextDecoder('latin1').decode(cert.der.subarray(t.contentStart, t.end));
}

/** GeneralizedTime "…SS.fffZ" that Go's ReadASN1GeneralizedTime re-serialises unchanged: no trailing zero. */
function goCanonicalFraction(cert: CertView, d: CertDefect): boolean {
  return /\.\d*[1-9]Z$/.test(timeText(cert, d));
}

/**
 * notAfter as Go holds it: with the fraction of a canonical fractional GeneralizedTime (to the millisecond here;
 * Go keeps nanoseconds). Every other client drops it (paths/validate.ts wholeSecond).
 */
export function goNotAfterMs(cert: CertView): number {
  const d = cert.defects.find((x) => x.kind === 'fractional-seconds' && x.where === 'notAfter');
  if (d === undefined || !goCanonicalFraction(cert, d)) return cert.validity.notAfterMs;
  const fraction = /\.(\d+)Z$/.exec(timeText(cert, d))?.[1] ?? '';
  return cert.validity.notAfterMs + Math.floor(Number(`0.${fraction}`) * 1000);
}

/** Why crypto/x509 ParseCertificate refuses the certificate because of one of its defects, else null. */
export function goDefectError(cert: CertView): string | null {
  for (const d of cert.defects) {
    switch (d.kind) {
      case 'negative-path-len':
        return 'x509: invalid basic constraints';
      case 'non-ia5-dns-name':
        return 'x509: SAN dNSName is malformed';
      case 'fractional-seconds':
        if (!goCanonicalFraction(cert, d)) return 'x509: malformed GeneralizedTime';
        break;
      case 'broken-extension': {
        const e = d.extension !== undefined ? GO_EXTENSION_ERRORS[d.extension] : undefined;
        if (e !== undefined) return e;
        break;
      }
      // parseNameConstraintsExtension: "either the permittedSubtrees field or the excludedSubtrees MUST be present"
      // and "GeneralSubtrees has a SIZE constraint of 1..MAX".
      case 'empty-name-constraints':
        return 'x509: empty name constraints extension';
      case 'empty-subtrees':
        return 'x509: empty name constraints subtree sequence';
      case 'empty-rdn':
      case 'utc-time-without-seconds':
        break;
    }
  }
  return null;
}

/** rustls-webpki: the extensions it parses while verifying (cert.rs remember_cert_extension, verify_cert.rs). */
const WEBPKI_PARSED = new Set(['2.5.29.19', '2.5.29.37', '2.5.29.17', '2.5.29.30']);

/**
 * The error rustls-webpki gives a certificate on the path (not the trust anchor, which it reduces to subject, key
 * and name constraints) because of its defects, else null: BadDerTime for a validity it cannot read (time.rs
 * requires YYMMDDHHMMSSZ / YYYYMMDDHHMMSSZ), BadDer for a negative pathLen (der.rs nonnegative_integer) or a
 * broken extension it parses.
 */
export function webpkiDefectError(cert: CertView): 'BadDer' | 'BadDerTime' | null {
  for (const d of cert.defects) {
    if (d.kind === 'utc-time-without-seconds' || d.kind === 'fractional-seconds') return 'BadDerTime';
    if (d.kind === 'negative-path-len') return 'BadDer';
    if (d.kind === 'broken-extension' && d.extension !== undefined && WEBPKI_PARSED.has(d.extension))
      return 'BadDer';
  }
  return null;
}
