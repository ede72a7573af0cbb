/**
 * The TLS alert OpenSSL sends when certificate verification fails: `ssl_x509err2alert()` and its table
 * `x509table` in ssl/statem/statem_lib.c (OpenSSL 3.0; the same rows since 1.1.0). Both ends use it: a client
 * that rejects the server's chain (tls_process_server_certificate) and a server that rejects a client
 * certificate (tls_process_client_certificate) send `SSLfatal(s, ssl_x509err2alert(s->verify_result), ...)`.
 * An error the table does not list gets its last row: certificate_unknown.
 *
 * The one copy of this table: the TLS client's verifier (tls12/pki-verifier.ts) and the sslmode client
 * certificate model (sslmode/clientcert.ts) both read it.
 */

/** The alerts the table can yield (RFC 5246 §7.2 names and numbers). */
export const VERIFY_ALERT_NUMBERS = {
  handshake_failure: 40,
  bad_certificate: 42,
  unsupported_certificate: 43,
  certificate_revoked: 44,
  certificate_expired: 45,
  certificate_unknown: 46,
  unknown_ca: 48,
  decrypt_error: 51,
  internal_error: 80,
} as const;

export type VerifyAlertName = keyof typeof VERIFY_ALERT_NUMBERS;

/** x509table, row for row (X509_V_ERR_EC_KEY_EXPLICIT_PARAMS arrived in 3.0). */
const X509_TABLE: Readonly<Record<string, VerifyAlertName>> = {
  X509_V_ERR_APPLICATION_VERIFICATION: 'handshake_failure',
  X509_V_ERR_CA_KEY_TOO_SMALL: 'bad_certificate',
  X509_V_ERR_EC_KEY_EXPLICIT_PARAMS: 'bad_certificate',
  X509_V_ERR_CA_MD_TOO_WEAK: 'bad_certificate',
  X509_V_ERR_CERT_CHAIN_TOO_LONG: 'unknown_ca',
  X509_V_ERR_CERT_HAS_EXPIRED: 'certificate_expired',
  X509_V_ERR_CERT_NOT_YET_VALID: 'bad_certificate',
  X509_V_ERR_CERT_REJECTED: 'bad_certificate',
  X509_V_ERR_CERT_REVOKED: 'certificate_revoked',
  X509_V_ERR_CERT_SIGNATURE_FAILURE: 'decrypt_error',
  X509_V_ERR_CERT_UNTRUSTED: 'bad_certificate',
  X509_V_ERR_CRL_HAS_EXPIRED: 'certificate_expired',
  X509_V_ERR_CRL_NOT_YET_VALID: 'bad_certificate',
  X509_V_ERR_CRL_SIGNATURE_FAILURE: 'decrypt_error',
  X509_V_ERR_DANE_NO_MATCH: 'bad_certificate',
  X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT: 'unknown_ca',
  X509_V_ERR_EE_KEY_TOO_SMALL: 'bad_certificate',
  X509_V_ERR_EMAIL_MISMATCH: 'bad_certificate',
  X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD: 'bad_certificate',
  X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD: 'bad_certificate',
  X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD: 'bad_certificate',
  X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD: 'bad_certificate',
  X509_V_ERR_HOSTNAME_MISMATCH: 'bad_certificate',
  X509_V_ERR_INVALID_CA: 'unknown_ca',
  X509_V_ERR_INVALID_CALL: 'internal_error',
  X509_V_ERR_INVALID_PURPOSE: 'unsupported_certificate',
  X509_V_ERR_IP_ADDRESS_MISMATCH: 'bad_certificate',
  X509_V_ERR_OUT_OF_MEM: 'internal_error',
  X509_V_ERR_PATH_LENGTH_EXCEEDED: 'unknown_ca',
  X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN: 'unknown_ca',
  X509_V_ERR_STORE_LOOKUP: 'internal_error',
  X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: 'bad_certificate',
  X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE: 'bad_certificate',
  X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE: 'bad_certificate',
  X509_V_ERR_UNABLE_TO_GET_CRL: 'unknown_ca',
  X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER: 'unknown_ca',
  X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT: 'unknown_ca',
  X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unknown_ca',
  X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unknown_ca',
  X509_V_ERR_UNSPECIFIED: 'internal_error',
};

/** The alert OpenSSL sends for verify error `code` (its X509_V_ERR_ name); certificate_unknown when unlisted. */
export function opensslVerifyAlert(code: string | undefined): {
  readonly name: VerifyAlertName;
  readonly number: number;
} {
  const name = (code !== undefined ? X509_TABLE[code] : undefined) ?? 'certificate_unknown';
  return { name, number: VERIFY_ALERT_NUMBERS[name] };
}
