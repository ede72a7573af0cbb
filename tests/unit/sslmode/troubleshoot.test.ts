/**
 * The troubleshooter's reproduction reproduces: for every pattern, texts as users paste them (other hosts,
 * ports, home directories, psql's prefix) come back from the reproduced scenario's outcome.error, equal modulo
 * host, port and paths ('exact'), or with every pasted line present when the user left a line out ('partial').
 * A pattern without a scenario says so ('none'); a reproduction that prints something else is 'different' and
 * is never shown as one. Each situation of real-world-errors.md, in the forms the list quotes, reaches its pattern
 * with the match it must give.
 */
import { describe, expect, it } from 'vitest';
import {
  normalizeErrorText,
  PATTERN_IDS,
  reproductionMatch,
  troubleshoot,
} from '../../../src/lib/sslmode/index.ts';
import { buildScenario, labStateFor, sslmodeControls } from '../../../src/app/model/sslmode/scenario.ts';
import { explainConnection } from '../../../src/lib/sslmode/index.ts';

type Match = 'exact' | 'partial' | 'none' | 'different';

const at = (host: string, port = 5432, ip?: string) =>
  `connection to server at "${host}"${ip ? ` (${ip})` : ''}, port ${port} failed: `;

/** Pattern id -> pasted texts and the match each must give. */
const SAMPLES: Record<string, [string, 'exact' | 'partial' | 'none'][]> = {
  // libpq 18's own texts (fixtures/libpq18/libpq18-oracle.json).
  'libpq-channel-binding': [
    [`${at('127.0.0.1')}channel binding required, but SSL not in use`, 'exact'],
    [
      `${at('127.0.0.1')}channel binding required, but server authenticated client without channel binding`,
      'exact',
    ],
    [
      `${at('127.0.0.1')}channel binding required but not supported by server's authentication request`,
      'exact',
    ],
  ],
  'libpq-invalid-channel-binding': [['invalid channel_binding value: "require?sslmode=require"', 'exact']],
  'libpq-gssencmode-require': [
    ['GSSAPI encryption required but no credential cache', 'exact'],
    [
      `${at('127.0.0.1')}GSSAPI encryption required but was impossible (possibly no credential cache, no server support, or using a local socket)`,
      'exact',
    ],
  ],
  'libpq-system-weak': [
    ['weak sslmode "require" may not be used with sslrootcert=system (use "verify-full")', 'exact'],
  ],
  'channel-binding': [['unrecognized configuration parameter "channel_binding"', 'exact']],
  'libpq-require-auth': [
    [
      `${at('127.0.0.1')}authentication method requirement "scram-sha-256" failed: server requested a cleartext password`,
      'exact',
    ],
    [
      `${at('127.0.0.1')}authentication method requirement "!none" failed: server did not complete authentication`,
      'exact',
    ],
    [
      `${at('127.0.0.1')}authentication method requirement "none" failed: server requested SASL authentication`,
      'exact',
    ],
  ],
  'libpq-sslcertmode-require': [
    [`${at('127.0.0.1')}server did not request an SSL certificate`, 'exact'],
    [`${at('127.0.0.1')}server accepted connection without a valid SSL certificate`, 'exact'],
  ],
  'asyncpg-ssl-rejected': [['PostgreSQL server at "db.internal:6432" rejected SSL upgrade', 'exact']],
  'asyncpg-root-missing': [
    [
      'root certificate file "/root/.postgresql/root.crt" does not exist or cannot be accessed\nHINT:  Provide the certificate file directly or make sure "/root/.postgresql/root.crt" exists and is readable.',
      'exact',
    ],
  ],
  'asyncpg-cert-verify': [
    [
      "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate is not valid for 'pg.example.net'. (_ssl.c:1000)",
      'exact',
    ],
  ],
  'server-clientcert-no-ca': [
    [
      `${at('10.1.2.3')}FATAL:  client certificates can only be checked if a root certificate store is available`,
      'exact',
    ],
  ],
  'server-clientcert-required': [
    [
      `psql: error: ${at('db.internal', 5433, '10.0.0.7')}FATAL:  connection requires a valid client certificate`,
      'exact',
    ],
  ],
  'server-cert-name': [
    [
      `${at('db.internal', 5432, '10.0.0.7')}FATAL:  certificate authentication failed for user "app"`,
      'exact',
    ],
  ],
  'libpq-clientkey-missing': [
    [
      `${at('10.0.0.7')}certificate present, but not private key file "/var/lib/postgresql/.postgresql/postgresql.key"`,
      'exact',
    ],
  ],
  'client-key-mismatch': [
    [
      `${at('10.0.0.7')}could not load private key file "/home/me/.postgresql/postgresql.key": key values mismatch`,
      'exact',
    ],
  ],
  'client-cert-rejected': [[`${at('10.0.0.7')}SSL error: tlsv1 alert unknown ca`, 'exact']],
  'libpq-ssl-required': [
    [`${at('localhost', 6432, '::1')}server does not support SSL, but SSL was required`, 'exact'],
  ],
  'libpq-root-missing': [
    // psql 15: the short hint, another home and port.
    [
      `psql: error: ${at('db.internal', 5433, '10.0.0.7')}root certificate file "/var/lib/pgsql/.postgresql/root.crt" does not exist\nEither provide the file or change sslmode to disable server certificate verification.`,
      'exact',
    ],
    [
      `${at('10.0.0.7')}root certificate file "/root/.postgresql/root.crt" does not exist\nEither provide the file, use the system's trusted roots with sslrootcert=system, or change sslmode to disable server certificate verification.`,
      'exact',
    ],
  ],
  'libpq-prefer-verify-then-plaintext': [
    [
      `${at('db.internal', 5432, '10.0.0.7')}SSL error: certificate verify failed\n${at('db.internal', 5432, '10.0.0.7')}FATAL:  no pg_hba.conf entry for host "10.0.0.9", user "app", database "app", no encryption`,
      'exact',
    ],
  ],
  // psql 15.18 against PostgreSQL 15 (sslmode-spec §1.8; Azure/azure-cli#23769): one line per attempt of prefer
  // (with TLS, then without) and allow (without, then with).
  'libpq-two-attempts': [
    // prefer, a hostssl scram line and a wrong password.
    [
      `psql: error: ${at('127.0.0.1', 56450)}FATAL:  password authentication failed for user "app"\n${at('127.0.0.1', 56450)}FATAL:  no pg_hba.conf entry for host "127.0.0.1", user "app", database "app", no encryption`,
      'exact',
    ],
    // prefer, a host scram line and a wrong password: the same failure twice.
    [
      `psql: error: ${at('127.0.0.1', 56450)}FATAL:  password authentication failed for user "app"\n${at('127.0.0.1', 56450)}FATAL:  password authentication failed for user "app"`,
      'exact',
    ],
    // prefer, no pg_hba.conf line for this client at all.
    [
      `psql: error: ${at('127.0.0.1', 56450)}FATAL:  no pg_hba.conf entry for host "127.0.0.1", user "app", database "app", SSL encryption\n${at('127.0.0.1', 56450)}FATAL:  no pg_hba.conf entry for host "127.0.0.1", user "app", database "app", no encryption`,
      'exact',
    ],
    // prefer, reject lines for both.
    [
      `psql: error: ${at('127.0.0.1', 56450)}FATAL:  pg_hba.conf rejects connection for host "127.0.0.1", user "app", database "app", SSL encryption\n${at('127.0.0.1', 56450)}FATAL:  pg_hba.conf rejects connection for host "127.0.0.1", user "app", database "app", no encryption`,
      'exact',
    ],
    // allow, a hostssl-only user and a root.crt of another CA.
    [
      `psql: error: ${at('127.0.0.1', 56450)}FATAL:  no pg_hba.conf entry for host "127.0.0.1", user "app", database "app", no encryption\n${at('127.0.0.1', 56450)}SSL error: certificate verify failed`,
      'exact',
    ],
  ],
  'libpq-verify-failed': [[`psql: error: ${at('10.0.0.5')}SSL error: certificate verify failed`, 'exact']],
  'libpq-hostname': [
    [
      `${at('127.0.0.1')}server certificate for "db.example.test" (and 1 other name) does not match host name "127.0.0.1"`,
      'exact',
    ],
    [
      `${at('db.internal')}server certificate for "localhost" does not match host name "db.internal"`,
      'exact',
    ],
    // An IP host and a self-signed certificate with a CN alone (psycopg/psycopg2#1543; psql 15.18 prints it so).
    [`${at('127.0.0.1')}server certificate for "localhost" does not match host name "127.0.0.1"`, 'exact'],
    // Three names (DNS:localhost, DNS:localhost.localdomain, IP:::1), for an IP host and a DNS host (psql 15.18).
    [
      `${at('127.0.0.1', 56450)}server certificate for "localhost" (and 2 other names) does not match host name "127.0.0.1"`,
      'exact',
    ],
    [
      `${at('127.0.0.1', 56450)}server certificate for "localhost" (and 2 other names) does not match host name "other.example.test"`,
      'exact',
    ],
    [
      `${at('pg.example.net', 5432, '10.0.0.7')}server certificate for "*.example.com" (and 5 other names) does not match host name "pg.example.net"`,
      'none',
    ],
  ],
  'libpq-hostaddr-verify': [
    [`${at('10.0.0.7')}host name must be specified for a verified SSL connection`, 'exact'],
  ],
  'server-no-hba': [
    [
      `${at('db.internal', 5432, '10.0.0.7')}FATAL:  no pg_hba.conf entry for host "10.0.0.9", user "app", database "shop", no encryption`,
      'exact',
    ],
    // A server before PostgreSQL 14 said "SSL off" / "SSL on"; GSS encryption is not modelled.
    [
      `${at('10.0.0.7')}FATAL:  no pg_hba.conf entry for host "10.0.0.9", user "app", database "shop", SSL off`,
      'exact',
    ],
    [
      `${at('10.0.0.7')}FATAL:  no pg_hba.conf entry for host "10.0.0.9", user "app", database "shop", SSL on`,
      'exact',
    ],
    [
      `${at('10.0.0.7')}FATAL:  no pg_hba.conf entry for host "10.0.0.9", user "app", database "shop", GSS encryption`,
      'none',
    ],
  ],
  // psql 15.18 against PostgreSQL 15 with a reject line (hostssl ... reject, then hostnossl ... reject).
  'server-hba-reject': [
    [
      `${at('127.0.0.1', 56450)}FATAL:  pg_hba.conf rejects connection for host "127.0.0.1", user "app", database "app", SSL encryption`,
      'exact',
    ],
    [
      `${at('db.internal', 5432, '10.0.0.7')}FATAL:  pg_hba.conf rejects connection for host "10.0.0.9", user "app", database "shop", no encryption`,
      'exact',
    ],
    [
      `${at('10.0.0.7')}FATAL:  pg_hba.conf rejects connection for host "10.0.0.9", user "app", database "shop", GSS encryption`,
      'none',
    ],
  ],
  'server-password': [[`${at('10.0.0.7')}FATAL:  password authentication failed for user "app"`, 'exact']],
  'libpq-protocol-range': [
    [
      `${at('db.internal', 5432, '10.0.0.7')}SSL error: tlsv1 alert protocol version\nThis may indicate that the server does not support any SSL protocol version between TLSv1.2 and TLSv1.2.`,
      'exact',
    ],
  ],
  'tls-protocol-version-alert': [
    ['SSL error: tlsv1 alert protocol version', 'partial'],
    [`psql: error: ${at('db.internal', 5432, '10.0.0.7')}SSL error: tlsv1 alert protocol version`, 'partial'],
  ],
  'pgx-refused-tls': [
    [
      'failed to connect to `user=app database=app`: db.internal:5432 (10.0.0.7): tls error: server refused TLS connection',
      'exact',
    ],
  ],
  'pgx-unknown-authority': [
    [
      'failed to connect to `user=app database=app`: db.internal:5432 (10.0.0.7): failed to write startup message: write failed: tls: failed to verify certificate: x509: certificate signed by unknown authority',
      'exact',
    ],
  ],
  'pgjdbc-root-missing': [
    ['Could not open SSL root certificate file /home/jenkins/.postgresql/root.crt.', 'exact'],
  ],
  'pgjdbc-validity': [
    [
      'SSL error: PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed',
      'exact',
    ],
  ],
  'pgjdbc-pkix': [
    [
      'SSL error: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target',
      'exact',
    ],
  ],
  'pgjdbc-hostname': [
    ['The hostname 10.0.0.7 could not be verified by hostnameverifier PgjdbcHostnameVerifier.', 'exact'],
  ],
  // The texts the lab's own driver tables print (drivers/rules.ts), as pgJDBC, Npgsql and asyncpg word them.
  'pgjdbc-ssl-unsupported': [['The server does not support SSL.', 'exact']],
  'npgsql-ssl-unsupported': [
    ['SSL connection requested. No SSL enabled connection from this host is configured.', 'exact'],
  ],
  'npgsql-handshake': [['Exception while performing SSL handshake', 'exact']],
  'asyncpg-file-missing': [['[Errno 2] No such file or directory', 'exact']],
  'libpq-invalid-option': [
    ['invalid sslnegotiation value: "tls"', 'exact'],
    ['invalid sslcertmode value: "verify-full"', 'exact'],
    ['invalid SSL protocol version range', 'exact'],
  ],
  'libpq-clientcert-unreadable': [
    [
      `${at('10.0.0.7')}could not read certificate file "/home/me/.postgresql/postgresql.crt": no start line`,
      'exact',
    ],
  ],
  'libpq-invalid-sslmode': [['invalid sslmode value: "required"', 'exact']],
  'libpq-direct-weak': [
    [
      'weak sslmode "prefer" may not be used with sslnegotiation=direct (use "require", "verify-ca", or "verify-full")',
      'exact',
    ],
  ],
  // node-postgres's other texts (node-postgres.ts).
  'node-password-missing': [['SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string', 'exact']],
  'node-file-missing': [["Error: ENOENT: no such file or directory, open '/srv/app/ca.pem'", 'exact']],
  'node-sslnegotiation': [
    ['Invalid sslnegotiation value: "tls". Valid values are "postgres" and "direct".', 'exact'],
    ['sslnegotiation=direct requires SSL to be enabled', 'exact'],
  ],
  'node-verify-ca-no-root': [
    [
      'SECURITY WARNING: Using sslmode=verify-ca requires specifying a CA with sslrootcert. If a public CA is used, verify-ca allows connections to a server that somebody else may have registered with the CA, making you vulnerable to Man-in-the-Middle attacks. Either specify a custom CA certificate with sslrootcert parameter or use sslmode=verify-full for proper security.',
      'exact',
    ],
  ],
  'node-ssl-unsupported': [['The server does not support SSL connections', 'exact']],
  'node-self-signed-chain': [
    ['self-signed certificate in certificate chain', 'exact'],
    ['unable to verify the first certificate', 'exact'],
    ['self-signed certificate', 'exact'],
  ],
  'node-cert-expired': [
    ['certificate has expired', 'exact'],
    ['Error: certificate has expired', 'exact'],
  ],
  'libpq-root-unreadable': [
    [
      `${at('10.0.0.7')}could not read root certificate file "/etc/ssl/ca.pem": no certificate or crl found`,
      'exact',
    ],
  ],
  'node-altname': [
    [
      "Hostname/IP does not match certificate's altnames: Host: localhost. is not in the cert's altnames: DNS:db.example.test, IP Address:127.0.0.1",
      'exact',
    ],
  ],
};

/** The patterns that explain a text no scenario produces (their samples are in SITUATIONS below). */
const EXPLAINED_ONLY = [
  'libpq-system-verify-failed',
  'tls-handshake-failure-alert',
  'tls-decrypt-error-alert',
  'tls-bad-record-mac-alert',
  'tls-bad-key-share',
  'tls-bad-signature',
  'tls-digest-check-failed',
  'tls13-certificate-required',
  'tls-inappropriate-fallback',
  'node-security-warning',
  'go-ip-san',
  'npgsql-validation',
  'ssl-syscall',
  'bad-record-mac',
  'server-log-noise',
  'not-postgres-peer',
  'unexpected-eof',
  'sni-endpoint',
  'libpq-no-ssl-support',
  'key-permissions',
  'rustls-webpki',
  'prisma-tls',
  'tls-state-machine',
  'server-direct-no-alpn',
  'server-unencrypted-after-sslrequest',
  'libpq-go-unsupported-sslmode',
  'client-unencrypted-after-sslresponse',
  'server-hba-replication',
  'tls-internal-error-alert',
  'libpq-no-cert-names',
  'connection-refused',
  'host-not-resolved',
  'node-verify-other',
  'node-tls-socket-closed',
  'node-pem-unreadable',
  'go-hostname',
  'go-expired',
  'pgx-root-missing',
  'npgsql-root-missing',
];

/**
 * The situations of real-world-errors.md (the texts people paste, by row), each recognised: the pattern it
 * reaches, and whether it is not an sslmode matter at all. Row 35 is a silent injection with no text to paste.
 */
const SITUATIONS: [number, string, string, Match, boolean?][] = [
  [
    1,
    'FATAL: no pg_hba.conf entry for host "10.1.1.1", user "app", database "app", SSL off',
    'server-no-hba',
    'exact',
  ],
  [2, 'Error: self signed certificate in certificate chain', 'node-self-signed-chain', 'exact'],
  [
    3,
    "SECURITY WARNING: The SSL modes 'prefer', 'require', and 'verify-ca' are treated as aliases for 'verify-full'.",
    'node-security-warning',
    'none',
  ],
  [4, 'Error: The server does not support SSL connections', 'node-ssl-unsupported', 'exact'],
  [5, 'server does not support SSL, but SSL was required', 'libpq-ssl-required', 'exact'],
  [6, 'tls error: server refused TLS connection', 'pgx-refused-tls', 'partial'],
  [
    7,
    'connection to server at "db" (10.0.0.1), port 5432 failed: SSL error: certificate verify failed',
    'libpq-verify-failed',
    'exact',
  ],
  [8, 'root certificate file "/root/.postgresql/root.crt" does not exist', 'libpq-root-missing', 'partial'],
  [
    9,
    'Could not open SSL root certificate file C:\\Users\\me\\AppData\\Roaming\\postgresql\\root.crt',
    'pgjdbc-root-missing',
    'exact',
  ],
  [
    10,
    'PKIX path validation failed: Path does not chain with any of the trust anchors',
    'pgjdbc-pkix',
    'different',
  ],
  [
    11,
    'The hostname db.internal could not be verified by hostnameverifier PgjdbcHostnameVerifier.',
    'pgjdbc-hostname',
    'exact',
  ],
  [12, 'server certificate for "localhost" does not match host name "127.0.0.1"', 'libpq-hostname', 'exact'],
  [
    13,
    "x509: cannot validate certificate for 34.107.126.58 because it doesn't contain any IP SANs",
    'go-ip-san',
    'none',
  ],
  [13, 'x509: certificate signed by unknown authority', 'pgx-unknown-authority', 'partial'],
  [
    14,
    'The remote certificate was rejected by the provided RemoteCertificateValidationCallback.',
    'npgsql-validation',
    'none',
  ],
  [
    15,
    'To validate server certificates, please use VerifyFull or VerifyCA instead of Require.',
    'npgsql-validation',
    'none',
  ],
  [
    16,
    '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)',
    'asyncpg-cert-verify',
    'exact',
  ],
  [17, 'SSL SYSCALL error: EOF detected', 'ssl-syscall', 'none', true],
  [18, 'SSL error: decryption failed or bad record mac', 'bad-record-mac', 'none', true],
  [
    19,
    'ERROR: Endpoint ID is not specified. Either please upgrade the postgres client library (libpq) for SNI support',
    'sni-endpoint',
    'none',
  ],
  [20, 'sslmode value "require" invalid when SSL support is not compiled in', 'libpq-no-ssl-support', 'none'],
  [21, 'invalid sslmode value: "verify"', 'libpq-invalid-sslmode', 'exact'],
  [22, 'SSL error: certificate verify failed', 'libpq-verify-failed', 'exact'],
  [
    23,
    'SSL error: certificate verify failed\nFATAL:  no pg_hba.conf entry for host "10.0.0.9", user "app", database "app", no encryption',
    'libpq-prefer-verify-then-plaintext',
    'exact',
  ],
  [24, 'FATAL:  connection requires a valid client certificate', 'server-clientcert-required', 'exact'],
  [24, 'SSL error: tlsv1 alert unknown ca', 'client-cert-rejected', 'exact'],
  [25, 'private key file "/certs/client.key" has group or world access', 'key-permissions', 'none'],
  [26, 'could not accept SSL connection: unsupported protocol', 'tls-protocol-version-alert', 'different'],
  [27, 'could not accept SSL connection: EOF detected', 'server-log-noise', 'none', true],
  [
    28,
    'FATAL: unsupported frontend protocol 1234.5679: server supports 2.0 to 3.0',
    'not-postgres-peer',
    'none',
    true,
  ],
  [29, 'SSL error: Received fatal alert: unexpected_message', 'tls-state-machine', 'none', true],
  [30, 'error performing TLS handshake: invalid peer certificate: UnknownIssuer', 'rustls-webpki', 'none'],
  [31, 'Error opening a TLS connection: self signed certificate in certificate chain', 'prisma-tls', 'none'],
  [32, 'SSL error: certificate verify failed', 'libpq-verify-failed', 'exact'],
  [
    33,
    'weak sslmode "prefer" may not be used with sslnegotiation=direct (use "require", "verify-ca", or "verify-full")',
    'libpq-direct-weak',
    'exact',
  ],
  [34, 'unrecognized configuration parameter "channel_binding"', 'channel-binding', 'exact'],
  // The same situations in the other forms the list quotes.
  [
    1,
    'FATAL: no pg_hba.conf entry for host "10.1.1.1", user "app", database "app", no encryption',
    'server-no-hba',
    'exact',
  ],
  [2, 'SELF_SIGNED_CERT_IN_CHAIN', 'node-self-signed-chain', 'exact'],
  [2, 'DEPTH_ZERO_SELF_SIGNED_CERT', 'node-self-signed-chain', 'exact'],
  [2, 'Error: self-signed certificate', 'node-self-signed-chain', 'exact'],
  [10, 'Path does not chain with any of the trust anchors', 'pgjdbc-pkix', 'different'],
  [13, 'x509: certificate signed by unknown authority', 'pgx-unknown-authority', 'partial'],
  [
    16,
    '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired (_ssl.c:1006)',
    'asyncpg-cert-verify',
    'exact',
  ],
  [
    16,
    '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate in certificate chain (_ssl.c:1006)',
    'asyncpg-cert-verify',
    'exact',
  ],
  [
    16,
    '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired',
    'asyncpg-cert-verify',
    'exact',
  ],
  [
    23,
    'SSL error: certificate verify failed\nFATAL:  no pg_hba.conf entry for host "10.0.0.9", user "app", database "app", SSL off',
    'libpq-prefer-verify-then-plaintext',
    'exact',
  ],
  [
    2,
    'Error: self-signed certificate in certificate chain\n    at TLSSocket.onConnectSecure (node:_tls_wrap:1674:34)\n    at TLSSocket.emit (node:events:519:28)',
    'node-self-signed-chain',
    'exact',
  ],
  // Without OpenSSL's reason, which of the causes it was cannot be told: no reproduction.
  [16, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed', 'asyncpg-cert-verify', 'none'],
  [
    21,
    'unsupported sslmode "prefer"; only "require" (default), "verify-full", "verify-ca", and "disable" supported',
    'libpq-go-unsupported-sslmode',
    'none',
  ],
  [
    22,
    'could not read root certificate file "/etc/ssl/ca.pem": no certificate or crl found',
    'libpq-root-unreadable',
    'exact',
  ],
  [24, 'FATAL: connection requires a valid client certificate', 'server-clientcert-required', 'exact'],
  [24, 'FATAL: certificate authentication failed for user "app"', 'server-cert-name', 'exact'],
  // The client's side of row 27: an unclean shutdown (scanners, health checks, cut connections). libpq 17+ with
  // sslnegotiation=direct against an older server prints it too, but that is one rare cause among several, and not
  // an sslmode one: no reproduction is offered as if it were the cause.
  [27, 'SSL error: unexpected eof while reading', 'unexpected-eof', 'none', true],
  [
    27,
    `psql: error: ${at('db.internal', 5432, '10.0.0.7')}SSL error: unexpected eof while reading`,
    'unexpected-eof',
    'none',
    true,
  ],
  [32, 'Error: certificate has expired', 'node-cert-expired', 'exact'],
  [32, 'CERT_HAS_EXPIRED', 'node-cert-expired', 'exact'],
  [
    33,
    'received direct SSL connection request without ALPN protocol negotiation extension',
    'server-direct-no-alpn',
    'none',
  ],
  [
    35,
    'LOG:  received unencrypted data after SSL request\nDETAIL:  This could be either a client-software bug or evidence of an attempted man-in-the-middle attack.',
    'server-unencrypted-after-sslrequest',
    'none',
  ],
  // Row 1's other forms (sslmode-spec §2.4; psql 15.18 against PostgreSQL 15): an explicit reject line, and a
  // replication connection, which only "replication" lines match.
  [
    1,
    'FATAL:  pg_hba.conf rejects connection for host "10.1.1.1", user "app", database "app", no encryption',
    'server-hba-reject',
    'exact',
  ],
  [
    1,
    `psql: error: ${at('127.0.0.1', 56450)}FATAL:  no pg_hba.conf entry for replication connection from host "127.0.0.1", user "rep", no encryption`,
    'server-hba-replication',
    'none',
  ],
  [
    1,
    'FATAL:  pg_hba.conf rejects replication connection for host "127.0.0.1", user "rep", no encryption',
    'server-hba-replication',
    'none',
  ],
  // The client side of CVE-2021-23222: libpq 14.1+ (fe-connect.c) and Npgsql (NpgsqlConnector.cs) word it so.
  [
    35,
    `${at('db.internal', 5432, '10.0.0.7')}received unencrypted data after SSL response`,
    'client-unencrypted-after-sslresponse',
    'none',
  ],
  [
    35,
    'Additional unencrypted data received after SSL negotiation - this should never happen, and may be an indication of a man-in-the-middle attack.',
    'client-unencrypted-after-sslresponse',
    'none',
  ],
];

describe('troubleshoot: the situations people paste', () => {
  it('recognises every row of the list (35 as the server logs it)', async () => {
    expect(new Set(SITUATIONS.map(([row]) => row)).size).toBe(35);
    for (const [row, text, id, match, notSslmode] of SITUATIONS) {
      const t = await troubleshoot(text, new Date('2026-01-01T00:00:00Z'));
      expect([row, t.diagnosis.id, t.match, t.diagnosis.notSslmode ?? false]).toEqual([
        row,
        id,
        match,
        notSslmode ?? false,
      ]);
    }
  });
});

describe('troubleshoot: the reproduction reproduces', () => {
  it('every pattern has samples', () => {
    expect(PATTERN_IDS.filter((id) => !(id in SAMPLES) && !EXPLAINED_ONLY.includes(id))).toEqual([]);
  });
  for (const [id, samples] of Object.entries(SAMPLES)) {
    it(id, async () => {
      for (const [text, expected] of samples) {
        const t = await troubleshoot(text, new Date('2026-01-01T00:00:00Z'));
        expect(t.diagnosis.id, text).toBe(id);
        const shown =
          expected === 'none' ? t.match === 'none' || t.match === 'different' : t.match === expected;
        expect(shown, `${text}\n->\n${t.outcome?.error}`).toBe(true);
        if (t.match === 'exact') expect(normalizeErrorText(t.outcome!.error!)).toBe(normalizeErrorText(text));
      }
    });
  }
  it('a green, connected reproduction is never a match', () => {
    expect(reproductionMatch('SSL error: certificate verify failed', 'something else')).toBe('different');
  });
  it('a quoted reason counts only whole, after ": " (a line-end fragment of another failure does not)', () => {
    const line =
      'connection to server at "h" (10.0.0.1), port 5432 failed: SSL error: tlsv1 alert unknown ca';
    expect(reproductionMatch('SSL error: tlsv1 alert unknown ca', line)).toBe('exact');
    expect(reproductionMatch('alert unknown ca', line)).toBe('different');
    expect(reproductionMatch('tlsv1 alert unknown ca', line)).toBe('partial');
  });
  it("the server's message without its FATAL: prefix matches the line it is quoted from (two spaces after FATAL:)", async () => {
    const line =
      'connection to server at "h" (10.0.0.1), port 5432 failed: FATAL:  connection requires a valid client certificate';
    expect(reproductionMatch('connection requires a valid client certificate', line)).toBe('partial');
    // Found by a helper: the troubleshooter said its own reproduction "prints something else".
    const t = await troubleshoot(
      'connection requires a valid client certificate',
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(t.match).toBe('partial');
  });
  it('"Open this scenario in the lab" is offered only when the lab state prints the same error', async () => {
    const linked: string[] = [];
    for (const [id, samples] of Object.entries(SAMPLES)) {
      for (const [text] of samples) {
        const t = await troubleshoot(text, new Date('2026-01-01T00:00:00Z'));
        const values = await labStateFor(t);
        if (!values) continue;
        const o = await explainConnection(buildScenario(sslmodeControls(values)));
        expect(reproductionMatch(text, o.error ?? ''), text).not.toBe('different');
        linked.push(id);
      }
    }
    // The lab's controls express most reproductions (not those with another home, listen address or users).
    expect(new Set(linked).size).toBeGreaterThanOrEqual(10);
  });
});
