/**
 * The Handshake Lab's fault presets: what is broken, which side notices, the alert a real peer sends, and
 * what a PostgreSQL user would read. libpq prints `SSL error: <OpenSSL reason>` (fe-secure-openssl.c); the
 * reasons for received alerts are checked against OpenSSL's own table (`openssl errstr`) by
 * tests/interop/content/faults.test.ts, the 1.2 certificate texts against the real psql by the sslmode oracle, and
 * every TLS 1.3 text against the real psql by tests/oracle/psql-tls13-faults.test.ts.
 */
export type FaultId =
  | 'none'
  | 'version-mismatch'
  | 'no-shared-suite'
  | 'untrusted-certificate'
  | 'expired-certificate'
  | 'host-mismatch'
  | 'tampered-finished'
  | 'tampered-record'
  | 'tls13-hello-retry'
  | 'tls13-hrr-unacceptable'
  | 'tls13-bad-certificate-verify'
  | 'tls13-bad-finished'
  | 'tls13-unknown-ca'
  | 'tls13-client-cert-required'
  | 'tls13-client-cert-unknown-ca'
  | 'tls13-downgrade';

export interface FaultPreset {
  readonly id: FaultId;
  /** The protocol version the preset stages ('none' is offered for both). */
  readonly tls: '1.2' | '1.3';
  readonly title: string;
  /** What the lab changes to stage it. */
  readonly setup: string;
  /** The alert the noticing side sends. */
  readonly alert?: string;
  /** Which side notices and sends it. */
  readonly alertFrom?: 'client' | 'server';
  /** What psql (libpq, sslmode=verify-full) prints for the same failure against a real server. */
  readonly libpq?: string;
  /** The libpq situation that text was seen in, when it differs from the lab's staging. */
  readonly libpqContext?: string;
  /**
   * What libpq prints instead when linked with OpenSSL 3.5 (libpq 18 in psycopg's binary wheel), where it differs
   * from `libpq` (psql 15 with Debian 12's OpenSSL 3.0): the reason comes from OpenSSL's error queue.
   */
  readonly libpqOpenssl35?: string;
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
    tls: '1.2',
    title: 'No fault: a normal handshake',
    setup: 'Both sides agree; the client trusts the demo root.',
    explanation:
      "The handshake completes, each side checks the other's Finished, and application data flows encrypted.",
  },
  {
    id: 'version-mismatch',
    tls: '1.2',
    title: 'Version mismatch',
    setup:
      'The client speaks at most TLS 1.2 (psql: ssl_max_protocol_version=TLSv1.2); the server requires TLS 1.3 (ssl_min_protocol_version = TLSv1.3).',
    alert: 'protocol_version',
    alertFrom: 'server',
    libpq:
      'SSL error: tlsv1 alert protocol version\nThis may indicate that the server does not support any SSL protocol version between TLSv1.2 and TLSv1.2.',
    libpqContext:
      'psql with ssl_max_protocol_version=TLSv1.2 against a server with ssl_min_protocol_version = TLSv1.3',
    sslmode: { conninfo: `${CONNINFO} sslmode=require ssl_max_protocol_version=TLSv1.2`, smin: 'TLSv1.3' },
    explanation:
      'The server reads the highest version the ClientHello offers (its client_version, with no supported_versions extension offering more), finds it below its minimum, and refuses with a fatal protocol_version alert (RFC 5246 §E.1).',
  },
  {
    id: 'no-shared-suite',
    tls: '1.2',
    title: 'No shared cipher suite',
    setup: 'The client offers only ECDSA suites; the server has an RSA certificate.',
    alert: 'handshake_failure',
    alertFrom: 'server',
    libpq: 'SSL error: sslv3 alert handshake failure',
    explanation:
      "The server finds no suite in the client's list that it can serve with its certificate, so it sends handshake_failure (RFC 5246 §7.4.1.3).",
  },
  {
    id: 'untrusted-certificate',
    tls: '1.2',
    title: 'Untrusted certificate',
    setup: 'The server presents a certificate from a root the client does not trust.',
    alert: 'unknown_ca',
    alertFrom: 'client',
    libpq: 'SSL error: certificate verify failed',
    sslmode: { conninfo: `${CONNINFO} sslmode=verify-full`, root: 'root-b' },
    explanation:
      'The client builds no path from the server certificate to a trusted root; OpenSSL reports "unable to get local issuer certificate" and sends unknown_ca. libpq does not print the X.509 reason.',
  },
  {
    id: 'expired-certificate',
    tls: '1.2',
    title: 'Expired certificate',
    setup: 'The server certificate expired on 2025-01-01.',
    alert: 'certificate_expired',
    alertFrom: 'client',
    libpq: 'SSL error: certificate verify failed',
    sslmode: { conninfo: `${CONNINFO} sslmode=verify-full`, root: 'root-a', cert: 'expired' },
    explanation: "The path exists but the certificate is outside its validity period at the client's clock.",
  },
  {
    id: 'host-mismatch',
    tls: '1.2',
    title: 'Host name mismatch',
    setup: 'The client connects to db.example.com; the certificate is for other.example.com.',
    alert: 'bad_certificate',
    alertFrom: 'client',
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
    tls: '1.2',
    title: 'Tampered Finished',
    setup: 'The client flips a bit of its verify_data before encrypting it.',
    alert: 'decrypt_error',
    alertFrom: 'server',
    libpq: 'SSL error: tlsv1 alert decrypt error',
    libpqContext:
      "the server rejects the client's Finished; libpq prints OpenSSL's reason for the alert it received",
    explanation:
      "The record decrypts fine (the tag is computed over the tampered plaintext), but verify_data does not match the server's own PRF over the handshake hash: decrypt_error (RFC 5246 §7.4.9).",
  },
  {
    id: 'tampered-record',
    tls: '1.2',
    title: 'Tampered record',
    setup: 'A byte of the encrypted Finished record is flipped on the wire.',
    alert: 'bad_record_mac',
    alertFrom: 'server',
    libpq: 'SSL error: sslv3 alert bad record mac',
    libpqContext:
      "a record from the client was altered on the way; libpq prints OpenSSL's reason for the alert it received",
    explanation:
      'The AEAD tag no longer verifies: the server cannot tell what was changed, only that something was, and sends bad_record_mac.',
  },
  // TLS 1.3 (RFC 8446). Each ends in the alert our engine sends, the one OpenSSL sends for the same failure.
  {
    id: 'tls13-hello-retry',
    tls: '1.3',
    title: "TLS 1.3: no key share for the server's group (HelloRetryRequest)",
    setup:
      'The client sends an x25519 key share; the server accepts only P-256 (as PostgreSQL 15-17 do with their default ssl_ecdh_curve = prime256v1).',
    explanation:
      'Not a failure: the server answers with a HelloRetryRequest naming the group it wants, the client sends a second ClientHello with a key share for it, and the handshake costs one more round trip.',
  },
  {
    id: 'tls13-hrr-unacceptable',
    tls: '1.3',
    title: 'TLS 1.3: HelloRetryRequest for a group the client did not offer',
    setup:
      "The server asks in its HelloRetryRequest for a group that is not in the client's supported_groups.",
    alert: 'illegal_parameter',
    alertFrom: 'client',
    libpq: 'SSL error: bad key share',
    explanation:
      'RFC 8446 §4.2.8: the selected_group must be one the client offered in supported_groups and not one it already sent a key share for; otherwise the client aborts with illegal_parameter.',
  },
  {
    id: 'tls13-bad-certificate-verify',
    tls: '1.3',
    title: 'TLS 1.3: bad CertificateVerify',
    setup: 'The server flips a bit of its CertificateVerify signature.',
    alert: 'decrypt_error',
    alertFrom: 'client',
    libpq: 'SSL error: bad signature',
    libpqContext:
      'with the ECDSA certificate; with the RSA one, OpenSSL names the first RSA-PSS check the garbled signature fails, "first octet invalid" or "last octet invalid", which varies from run to run',
    libpqOpenssl35: 'SSL error: provider signature failure',
    explanation:
      "The signature over the transcript hash (RFC 8446 §4.4.3) does not verify with the certificate's key: the server has not proven it holds the private key, and the client sends decrypt_error.",
  },
  {
    id: 'tls13-bad-finished',
    tls: '1.3',
    title: 'TLS 1.3: bad server Finished',
    setup: 'The server flips a bit of its Finished verify_data.',
    alert: 'decrypt_error',
    alertFrom: 'client',
    libpq: 'SSL error: digest check failed',
    explanation:
      "The record opens (the AEAD tag covers the tampered bytes), but verify_data is not the HMAC of the transcript under the server's finished_key (RFC 8446 §4.4.4): decrypt_error.",
  },
  {
    id: 'tls13-unknown-ca',
    tls: '1.3',
    title: 'TLS 1.3: server certificate from an unknown CA',
    setup: 'The server presents a certificate from a root the client does not trust.',
    alert: 'unknown_ca',
    alertFrom: 'client',
    libpq: 'SSL error: certificate verify failed',
    sslmode: { conninfo: `${CONNINFO} sslmode=verify-full`, root: 'root-b' },
    explanation:
      'As in TLS 1.2, but the certificate arrives encrypted: an eavesdropper no longer sees which certificate failed.',
  },
  {
    id: 'tls13-client-cert-required',
    tls: '1.3',
    title: 'TLS 1.3: the server requires a client certificate, the client has none',
    setup:
      'The server sends a CertificateRequest and requires an answer; the client sends an empty Certificate.',
    alert: 'certificate_required',
    alertFrom: 'server',
    libpq: 'SSL error: tlsv13 alert certificate required',
    libpqContext:
      'a server that requires the certificate in the handshake; PostgreSQL 15 only asks for one (ssl_ca_file), completes the handshake without it, and a pg_hba cert line then refuses: "FATAL:  connection requires a valid client certificate"',
    explanation:
      'RFC 8446 §4.4.2.4: a server that requires a client certificate answers an empty one with certificate_required, an alert TLS 1.3 added.',
  },
  {
    id: 'tls13-client-cert-unknown-ca',
    tls: '1.3',
    title: 'TLS 1.3: the server rejects the client certificate',
    setup: 'The client sends a certificate from a CA the server does not trust.',
    alert: 'unknown_ca',
    alertFrom: 'server',
    libpq: 'SSL error: tlsv1 alert unknown ca',
    sslmode: {
      conninfo: `${CONNINFO} sslmode=verify-full sslcert=client.crt sslkey=client.key`,
      root: 'root-a',
      ccert: 'untrusted',
      sca: 'client-ca',
    },
    explanation:
      'The server rejects the certificate as soon as it reads it. But in TLS 1.3 the client sends its whole flight at once (Certificate, CertificateVerify, Finished) and then considers the handshake complete, so it learns of the rejection only when it next reads.',
  },
  {
    id: 'tls13-downgrade',
    tls: '1.3',
    title: 'TLS 1.3: forced downgrade caught by the sentinel',
    setup:
      'An attacker on the path hides supported_versions in the ClientHello, so the 1.3-capable server answers in TLS 1.2.',
    alert: 'illegal_parameter',
    alertFrom: 'client',
    libpq: 'SSL error: inappropriate fallback',
    explanation:
      'RFC 8446 §4.1.3: a 1.3-capable server that negotiates 1.2 puts "DOWNGRD" and 01 (44 4f 57 4e 47 52 44 01) in the last 8 bytes of ServerHello.random. With an (EC)DHE suite the random is signed (ServerKeyExchange signs both randoms), so the attacker cannot remove it (with static RSA the sentinel protects nothing, §4.1.3); a client that offered 1.3 aborts with illegal_parameter.',
  },
];

export function findFault(id: string): FaultPreset | undefined {
  return faultPresets.find((f) => f.id === id);
}

/**
 * The preset of this version that ends in this alert: what a failure staged through the controls is an instance
 * of (the same alert means different failures in TLS 1.2 and 1.3).
 */
export function faultForAlert(
  alert: string | undefined,
  tls: FaultPreset['tls'],
  from: 'client' | 'server',
): FaultPreset | undefined {
  return alert
    ? faultPresets.find((f) => f.id !== 'none' && f.tls === tls && f.alert === alert && f.alertFrom === from)
    : undefined;
}
