/**
 * The one copy of OpenSSL's verify-error -> alert table (ssl_x509err2alert, ssl/statem/statem_lib.c). The rows
 * checked here are those the two former tables got wrong or left out.
 */
import { describe, expect, it } from 'vitest';
import { opensslVerifyAlert } from '../../../src/lib/pki/index.ts';

describe('opensslVerifyAlert (ssl_x509err2alert)', () => {
  it.each([
    ['X509_V_ERR_CERT_HAS_EXPIRED', 'certificate_expired', 45],
    ['X509_V_ERR_CERT_NOT_YET_VALID', 'bad_certificate', 42],
    ['X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'unknown_ca', 48],
    ['X509_V_ERR_CERT_SIGNATURE_FAILURE', 'decrypt_error', 51],
    // The row says bad_certificate, not decrypt_error (the client-certificate table had 51).
    ['X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE', 'bad_certificate', 42],
    ['X509_V_ERR_INVALID_PURPOSE', 'unsupported_certificate', 43],
    ['X509_V_ERR_CERT_REVOKED', 'certificate_revoked', 44],
    ['X509_V_ERR_EE_KEY_TOO_SMALL', 'bad_certificate', 42],
    ['X509_V_ERR_CA_MD_TOO_WEAK', 'bad_certificate', 42],
    ['X509_V_ERR_HOSTNAME_MISMATCH', 'bad_certificate', 42],
  ])('%s -> %s (%d)', (code, name, number) => {
    expect(opensslVerifyAlert(code)).toEqual({ name, number });
  });

  it('an error the table does not list gets its last row, certificate_unknown (46), not bad_certificate', () => {
    expect(opensslVerifyAlert('X509_V_ERR_KEYUSAGE_NO_CERTSIGN')).toEqual({
      name: 'certificate_unknown',
      number: 46,
    });
    expect(opensslVerifyAlert(undefined)).toEqual({ name: 'certificate_unknown', number: 46 });
  });
});
