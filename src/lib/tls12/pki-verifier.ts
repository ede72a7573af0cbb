/**
 * The TLS client's certificate verifier backed by the certificate engine: the chain is judged by the
 * `openssl-3` profile (the path OpenSSL 3 would build, at the engine's injected clock, with host-name
 * checking when a server name is set), and a failure becomes the alert OpenSSL sends for that verify error
 * (ssl/statem/statem_lib.c, table `x509table` in ssl_x509err2alert, OpenSSL 3.0).
 */
import { analyzeChain } from '../pki/index.ts';
import type { CertificateVerifier, VerifyAlert } from './handshake/config.ts';

/**
 * OpenSSL's verify-error → alert table, for the errors our profile reports. The hook can send only
 * unknown_ca, certificate_expired and bad_certificate: OpenSSL's decrypt_error (CERT_SIGNATURE_FAILURE) and
 * unsupported_certificate (INVALID_PURPOSE) fall back to bad_certificate here.
 */
const ALERTS: Record<string, VerifyAlert> = {
  X509_V_ERR_CERT_HAS_EXPIRED: 'certificate_expired',
  X509_V_ERR_CERT_NOT_YET_VALID: 'bad_certificate',
  X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT: 'unknown_ca',
  X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unknown_ca',
  X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unknown_ca',
  X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT: 'unknown_ca',
  X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN: 'unknown_ca',
  X509_V_ERR_INVALID_CA: 'unknown_ca',
  X509_V_ERR_PATH_LENGTH_EXCEEDED: 'unknown_ca',
  X509_V_ERR_HOSTNAME_MISMATCH: 'bad_certificate',
  X509_V_ERR_IP_ADDRESS_MISMATCH: 'bad_certificate',
};

export interface PkiVerifierOptions {
  /** Trusted roots, DER. */
  readonly anchors: Uint8Array[];
  /** Check the server name against the certificate (OpenSSL with X509_VERIFY_PARAM_set1_host). Default true. */
  readonly checkHostName?: boolean;
}

export function pkiVerifier(options: PkiVerifierOptions): CertificateVerifier {
  return async ({ chain, serverName, now }) => {
    const analysis = await analyzeChain({
      certificates: chain,
      trustAnchors: options.anchors,
      time: new Date(now),
      ...(serverName && options.checkHostName !== false ? { hostname: serverName } : {}),
      purpose: 'serverAuth',
      profile: 'openssl-3',
    });
    if (analysis.verdict.valid) return { ok: true, note: 'verified as OpenSSL 3 would' };
    const error = analysis.verdict.error;
    const alert = (error && ALERTS[error.code]) ?? 'bad_certificate';
    return {
      ok: false,
      alert,
      reason: error ? `${error.message} (${error.code})` : 'the certificate was rejected',
    };
  };
}
