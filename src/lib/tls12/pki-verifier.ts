/**
 * The TLS client's one certificate verifier, used by the CLI (`tls-lab handshake --ca`) and the Handshake Lab's
 * worker alike: the chain is judged by the certificate engine's path builder with the `openssl-3` profile (every
 * path OpenSSL 3 could build, at the engine's injected clock, with host-name checking when a server name is
 * set), and a failure becomes the alert OpenSSL sends for that verify error (pki's copy of ssl_x509err2alert,
 * ssl/statem/statem_lib.c).
 */
import { analyzeChain, opensslVerifyAlert, parseCertificates, type CertView } from '../pki/index.ts';
import type { CertificateVerifier } from './handshake/config.ts';

export interface PkiVerifierOptions {
  /** Trusted roots, DER. */
  readonly anchors: Uint8Array[];
  /** Check the server name against the certificate (OpenSSL with X509_VERIFY_PARAM_set1_host). Default true. */
  readonly checkHostName?: boolean;
}

export function pkiVerifier(options: PkiVerifierOptions): CertificateVerifier {
  let anchors: Promise<readonly Uint8Array[] | readonly CertView[]> | undefined;
  return async ({ chain, serverName, now }) => {
    const analysis = await analyzeChain({
      certificates: chain,
      trustAnchors: await (anchors ??= decodeAnchors(options.anchors)),
      time: new Date(now),
      ...(serverName && options.checkHostName !== false ? { hostname: serverName } : {}),
      purpose: 'serverAuth',
      profile: 'openssl-3',
    });
    if (analysis.verdict.valid) return { ok: true, note: 'verified as OpenSSL 3 would' };
    const error = analysis.verdict.error;
    if (!error) return { ok: false, alert: 'certificate_unknown', reason: 'the certificate was rejected' };
    // Which certificate, as `openssl s_client` prints it with the error ("depth=0 <subject>"), with its issuer.
    const cert = [...analysis.certificates, ...analysis.anchors].find((c) => c.id === error.certificate?.id);
    const where = cert
      ? ` at depth ${error.depth ?? 0}: ${cert.subject.rfc4514} (issuer ${cert.issuer.rfc4514})`
      : '';
    return {
      ok: false,
      alert: opensslVerifyAlert(error.code).name,
      reason: `${error.message} (${error.code})${where}`,
    };
  };
}

/**
 * The anchors are the same for every handshake, so they are decoded once, on first use. When one of them is not
 * exactly one certificate that decodes cleanly, they stay DER, so that each analysis reports the problem.
 */
async function decodeAnchors(
  ders: readonly Uint8Array[],
): Promise<readonly Uint8Array[] | readonly CertView[]> {
  const views: CertView[] = [];
  for (const der of ders) {
    const report = await parseCertificates(der);
    if (report.problems.length > 0 || report.certificates.length !== 1) return ders;
    views.push(report.certificates[0]!);
  }
  return views;
}
