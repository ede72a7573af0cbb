/**
 * The default certificate verifier until the certificate engine plugs in: the leaf is an exact-match trusted
 * certificate, or the chain links by issuer name + signature to a given anchor; every certificate on the path
 * must be within its validity at the injected time; the leaf must name the server (subjectAltName dNSName /
 * iPAddress, RFC 6125 §6.4 with a left-most wildcard; the subject CN only when there is no subjectAltName).
 */
import { bytesEqual } from '../../bytes/index.ts';
import { parseCertificate, type CertificateInfo } from './adapter/certificate-info.ts';
import { verifyCertificateSignature } from './adapter/signatures.ts';
import type { CertificateVerifier, VerifyResult } from './config.ts';

export interface DefaultVerifierOptions {
  /** Trusted certificates (DER): roots, or a pinned leaf. */
  anchors: Uint8Array[];
  /** Check the server name against the leaf (default true when a server name is given). */
  checkHostName?: boolean;
}

function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === h) return true;
  if (p.startsWith('*.')) {
    const dot = h.indexOf('.');
    return dot > 0 && h.slice(dot) === p.slice(1);
  }
  return false;
}

function within(cert: CertificateInfo, now: number): VerifyResult {
  if (now < cert.notBefore) {
    return {
      ok: false,
      alert: 'certificate_expired',
      reason: `certificate "${cert.subject}" is not valid before ${new Date(cert.notBefore).toISOString()}`,
    };
  }
  if (now > cert.notAfter) {
    return {
      ok: false,
      alert: 'certificate_expired',
      reason: `certificate "${cert.subject}" expired at ${new Date(cert.notAfter).toISOString()}`,
    };
  }
  return { ok: true };
}

export function defaultVerifier(options: DefaultVerifierOptions): CertificateVerifier {
  const anchors = options.anchors.map(parseCertificate);
  return async ({ chain, serverName, now }) => {
    if (chain.length === 0)
      return { ok: false, alert: 'bad_certificate', reason: 'the server sent no certificate' };
    let certs: CertificateInfo[];
    try {
      certs = chain.map(parseCertificate);
    } catch (e) {
      return {
        ok: false,
        alert: 'bad_certificate',
        reason: `cannot parse the certificate: ${(e as Error).message}`,
      };
    }
    const leaf = certs[0]!;
    const path: CertificateInfo[] = [];
    let trusted = false;
    if (anchors.some((a) => bytesEqual(a.der, leaf.der))) {
      path.push(leaf);
      trusted = true;
    } else {
      let current = leaf;
      path.push(current);
      for (let depth = 0; depth < 10 && !trusted; depth++) {
        const anchor = anchors.find((a) => bytesEqual(a.subjectRaw, current.issuerRaw));
        if (anchor) {
          if (
            !(await verifyCertificateSignature(
              anchor.publicKey,
              current.signatureAlgorithm,
              current.tbs,
              current.signature,
            ))
          ) {
            return {
              ok: false,
              alert: 'bad_certificate',
              reason: `the signature on "${current.subject}" does not verify with the key of trusted "${anchor.subject}"`,
            };
          }
          path.push(anchor);
          trusted = true;
          break;
        }
        const next = certs.find((c) => c !== current && bytesEqual(c.subjectRaw, current.issuerRaw));
        if (!next) break;
        if (
          !(await verifyCertificateSignature(
            next.publicKey,
            current.signatureAlgorithm,
            current.tbs,
            current.signature,
          ))
        ) {
          return {
            ok: false,
            alert: 'bad_certificate',
            reason: `the signature on "${current.subject}" does not verify with the key of "${next.subject}"`,
          };
        }
        path.push(next);
        current = next;
      }
    }
    if (!trusted) {
      const last = path[path.length - 1]!;
      return {
        ok: false,
        alert: 'unknown_ca',
        reason: `no trusted anchor issued "${last.subject}" (issuer "${last.issuer}")`,
      };
    }
    for (const cert of path) {
      const v = within(cert, now);
      if (!v.ok) return v;
    }
    if (serverName && options.checkHostName !== false) {
      // Without a subjectAltName extension the subject CN is the host name, as libpq and OpenSSL's
      // X509_check_host fall back to; with one, CN is ignored (RFC 6125 §6.4.4).
      const names = leaf.hasSubjectAltName ? [...leaf.dnsNames, ...leaf.ipAddresses] : leaf.commonNames;
      if (!names.some((n) => hostMatches(n, serverName))) {
        return {
          ok: false,
          alert: 'bad_certificate',
          reason: `certificate is valid for ${names.join(', ') || '(no names)'}${leaf.hasSubjectAltName ? '' : ' (subject CN; no subjectAltName)'}, not ${serverName}`,
        };
      }
    }
    return { ok: true };
  };
}

/** Accepts any chain (the CLI without --ca): the summary says it was not verified. */
export const acceptAnyCertificate: CertificateVerifier = async () => ({ ok: true, note: 'not verified' });
