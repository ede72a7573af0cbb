/**
 * The Handshake Lab's fault presets: what is broken, which side notices, the alert a real peer sends, and
 * what a PostgreSQL user would read. libpq prints `SSL error: <OpenSSL reason>` (fe-secure-openssl.c); the
 * reasons for received alerts are checked against OpenSSL's own table (`openssl errstr`) by
 * tests/unit/content/faults.test.ts, and the certificate texts against the real psql by the sslmode oracle.
 */
export type FaultId =
  | 'none'
  | 'version-mismatch'
  | 'no-shared-suite'
  | 'untrusted-certificate'
  | 'expired-certificate'
  | 'host-mismatch'
  | 'tampered-finished'
  | 'tampered-record';

export interface FaultPreset {
  readonly id: FaultId;
  readonly title: string;
  /** What the lab changes to stage it. */
  readonly setup: string;
  /** The alert the noticing side sends. */
  readonly alert?: string;
  /** What psql (libpq, sslmode=verify-full) prints for the same failure against a real server. */
  readonly libpq?: string;
  /** The libpq situation that text was seen in, when it differs from the lab's staging. */
  readonly libpqContext?: string;
  /**
   * The sslmode Lab's URL parameters (#/sslmode?...) that reproduce this failure with libpq and state its fix;
   * absent when the sslmode Lab does not model what breaks (cipher suites, tampering on the wire).
   */
  readonly sslmode?: Readonly<Record<string, string>>;
  readonly explanation: string;
}

const CONNINFO = 'host=db.example.test dbname=app user=app password=secret';

export const faultPresets: readonly FaultPreset[] = [
  {
    id: 'none',
    title: 'No fault: a normal handshake',
    setup: 'Both sides agree; the client trusts the demo root.',
    explanation:
      "The handshake completes, each side checks the other's Finished, and application data flows encrypted.",
  },
  {
    id: 'version-mismatch',
    title: 'Version mismatch',
    setup:
      'The client speaks at most TLS 1.2 (psql: ssl_max_protocol_version=TLSv1.2); the server requires TLS 1.3 (ssl_min_protocol_version = TLSv1.3).',
    alert: 'protocol_version',
    libpq:
      'SSL error: tlsv1 alert protocol version\nThis may indicate that the server does not support any SSL protocol version between TLSv1.2 and TLSv1.2.',
    libpqContext:
      'psql with ssl_max_protocol_version=TLSv1.2 against a server with ssl_min_protocol_version = TLSv1.3',
    sslmode: { conninfo: `${CONNINFO} sslmode=require ssl_max_protocol_version=TLSv1.2`, smin: 'TLSv1.3' },
    explanation:
      'The server reads client_version in the ClientHello (TLS 1.2, and no supported_versions extension offering TLS 1.3), finds it below its minimum, and refuses with a fatal protocol_version alert (RFC 5246 §E.1).',
  },
  {
    id: 'no-shared-suite',
    title: 'No shared cipher suite',
    setup: 'The client offers only ECDSA suites; the server has an RSA certificate.',
    alert: 'handshake_failure',
    libpq: 'SSL error: sslv3 alert handshake failure',
    explanation:
      "The server finds no suite in the client's list that it can serve with its certificate, so it sends handshake_failure (RFC 5246 §7.4.1.3).",
  },
  {
    id: 'untrusted-certificate',
    title: 'Untrusted certificate',
    setup: 'The server presents a certificate from a root the client does not trust.',
    alert: 'unknown_ca',
    libpq: 'SSL error: certificate verify failed',
    sslmode: { conninfo: `${CONNINFO} sslmode=verify-full`, root: 'root-b' },
    explanation:
      'The client builds no path from the server certificate to a trusted root; OpenSSL reports "unable to get local issuer certificate" and sends unknown_ca. libpq does not print the X.509 reason.',
  },
  {
    id: 'expired-certificate',
    title: 'Expired certificate',
    setup: 'The server certificate expired on 2025-01-01.',
    alert: 'certificate_expired',
    libpq: 'SSL error: certificate verify failed',
    sslmode: { conninfo: `${CONNINFO} sslmode=verify-full`, root: 'root-a', cert: 'expired' },
    explanation: "The path exists but the certificate is outside its validity period at the client's clock.",
  },
  {
    id: 'host-mismatch',
    title: 'Host name mismatch',
    setup: 'The client connects to db.example.com; the certificate is for other.example.com.',
    alert: 'bad_certificate',
    libpq: 'server certificate for "other.example.com" does not match host name "db.example.com"',
    sslmode: {
      conninfo:
        'host=wrong.example.test hostaddr=127.0.0.1 dbname=app user=app password=secret sslmode=verify-full',
      root: 'root-a',
    },
    explanation:
      'The chain is trusted but names another host. libpq checks the name itself after the handshake (verify-full only) and closes the connection; OpenSSL-based clients that check during the handshake send an alert.',
  },
  {
    id: 'tampered-finished',
    title: 'Tampered Finished',
    setup: 'The client flips a bit of its verify_data before encrypting it.',
    alert: 'decrypt_error',
    libpq: 'SSL error: tlsv1 alert decrypt error',
    libpqContext:
      "the server rejects the client's Finished; libpq prints OpenSSL's reason for the alert it received",
    explanation:
      "The record decrypts fine (the tag is computed over the tampered plaintext), but verify_data does not match the server's own PRF over the handshake hash: decrypt_error (RFC 5246 §7.4.9).",
  },
  {
    id: 'tampered-record',
    title: 'Tampered record',
    setup: 'A byte of the encrypted Finished record is flipped on the wire.',
    alert: 'bad_record_mac',
    libpq: 'SSL error: sslv3 alert bad record mac',
    libpqContext:
      "a record from the client was altered on the way; libpq prints OpenSSL's reason for the alert it received",
    explanation:
      'The AEAD tag no longer verifies: the server cannot tell what was changed, only that something was, and sends bad_record_mac.',
  },
];

export function findFault(id: string): FaultPreset | undefined {
  return faultPresets.find((f) => f.id === id);
}

/** The preset that ends in this alert: what a failure staged through the controls is an instance of. */
export function faultForAlert(alert: string | undefined): FaultPreset | undefined {
  return alert ? faultPresets.find((f) => f.id !== 'none' && f.alert === alert) : undefined;
}
