/**
 * Why a path (or an edge, or a profile's verdict) failed: what, which certificate, which rule.
 *
 * Codes are an open set of kebab-case strings so profiles and the UI can switch on them; every reason also
 * carries a sentence a person can act on. `severity` separates hard failures from warnings and from the
 * checks this engine does not implement (which must never read as a pass).
 */
import type { CertView } from '../types.ts';

export type ReasonCode =
  | 'expired'
  | 'not-yet-valid'
  | 'bad-signature'
  | 'unknown-issuer'
  | 'not-a-ca'
  | 'path-length-exceeded'
  | 'key-usage-no-cert-sign'
  | 'leaf-key-usage'
  | 'eku-mismatch'
  | 'ca-eku-mismatch'
  | 'name-constraint-permitted'
  | 'name-constraint-excluded'
  | 'name-constraint-unsupported'
  | 'unknown-critical-extension'
  | 'weak-signature-algorithm'
  | 'weak-key'
  | 'hostname-mismatch'
  | 'revoked'
  | 'chain-too-long'
  | 'not-supported-policy-processing'
  | 'not-supported-crl-processing'
  | (string & {});

export type Severity = 'error' | 'warning' | 'unsupported';

export interface CertRef {
  readonly id: string;
  readonly subject: string;
}

export interface Reason {
  readonly code: ReasonCode;
  readonly severity: Severity;
  readonly certificate: CertRef;
  /** Position in the path, 0 = leaf (the anchor is the last index). */
  readonly depth: number;
  /** The rule broken, e.g. "RFC 5280 §4.2.1.9". */
  readonly rule: string;
  readonly message: string;
}

export function certRef(cert: CertView): CertRef {
  return { id: cert.id, subject: cert.subject.rfc4514 };
}

/** Short human label of a certificate for messages: its CN, else the whole subject. */
export function label(cert: CertView): string {
  for (const rdn of cert.subject.rdns) {
    for (const attr of rdn) if (attr.oid === '2.5.4.3') return `"${attr.value}"`;
  }
  return `"${cert.subject.rfc4514}"`;
}

export function makeReason(
  code: ReasonCode,
  cert: CertView,
  depth: number,
  rule: string,
  message: string,
  severity: Severity = 'error',
): Reason {
  return { code, severity, certificate: certRef(cert), depth, rule, message };
}
