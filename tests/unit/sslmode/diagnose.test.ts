/**
 * The troubleshooter round-trips: for each known error text, diagnoseError() gives a scenario, and
 * explainConnection() on that scenario produces a text that diagnoseError() maps back to the same meaning.
 * The input texts are real client outputs (psql 15.18 and pg 8.23.1 in this project's oracles; spec §1.8).
 */
import { describe, expect, it } from 'vitest';
import { DRIVER_RULES, diagnoseError, explainConnection } from '../../../src/lib/sslmode/index.ts';
import { ALERT_REASONS, nodeAlertMessage } from '../../../src/lib/sslmode/clientcert.ts';

const TEXTS: [string, string][] = [
  [
    'libpq-ssl-required',
    'psql: error: connection to server at "127.0.0.1", port 5432 failed: server does not support SSL, but SSL was required',
  ],
  [
    'libpq-root-missing',
    'connection to server at "db" (10.0.0.5), port 5432 failed: root certificate file "/home/app/.postgresql/root.crt" does not exist',
  ],
  [
    'libpq-verify-failed',
    'connection to server at "127.0.0.1", port 5432 failed: SSL error: certificate verify failed',
  ],
  [
    'libpq-hostname',
    'server certificate for "db.example.test" (and 1 other name) does not match host name "other.example.test"',
  ],
  [
    'libpq-hostname',
    'server certificate for "db.example.test" (and 1 other name) does not match host name "127.0.0.2"',
  ],
  ['libpq-hostaddr-verify', 'host name must be specified for a verified SSL connection'],
  [
    'server-no-hba',
    'FATAL:  no pg_hba.conf entry for host "127.0.0.1", user "app", database "app", no encryption',
  ],
  [
    'server-no-hba',
    'FATAL:  no pg_hba.conf entry for host "127.0.0.1", user "app", database "app", SSL encryption',
  ],
  ['server-password', 'FATAL:  password authentication failed for user "app"'],
  [
    'libpq-protocol-range',
    'SSL error: tlsv1 alert protocol version\nThis may indicate that the server does not support any SSL protocol version between TLSv1.2 and TLSv1.2.',
  ],
  [
    'libpq-require-auth',
    'authentication method requirement "scram-sha-256" failed: server requested a cleartext password',
  ],
  [
    'libpq-require-auth',
    'authentication method requirement "!none" failed: server did not complete authentication',
  ],
  [
    'libpq-require-auth',
    'authentication method requirement "none" failed: server requested SASL authentication',
  ],
  ['libpq-sslcertmode-require', 'server did not request an SSL certificate'],
  ['libpq-sslcertmode-require', 'server accepted connection without a valid SSL certificate'],
  ['node-ssl-unsupported', 'The server does not support SSL connections'],
  [
    'server-clientcert-no-ca',
    'FATAL:  client certificates can only be checked if a root certificate store is available',
  ],
  ['server-clientcert-required', 'FATAL:  connection requires a valid client certificate'],
  ['server-cert-name', 'FATAL:  certificate authentication failed for user "app"'],
  ['server-cert-name', 'FATAL:  "trust" authentication failed for user "certuser"'],
  [
    'libpq-clientkey-missing',
    'certificate present, but not private key file "/home/app/.postgresql/postgresql.key"',
  ],
  [
    'client-key-mismatch',
    'could not load private key file "/home/app/.postgresql/postgresql.key": key values mismatch',
  ],
  ['client-key-mismatch', 'error:05800074:x509 certificate routines::key values mismatch'],
  ['client-cert-rejected', 'SSL error: tlsv1 alert unknown ca'],
  ['client-cert-rejected', 'SSL error: sslv3 alert certificate expired'],
  [
    'server-clientcert-required',
    'connection to server at "localhost" (127.0.0.1), port 5432 failed: FATAL:  connection requires a valid client certificate\n' +
      'connection to server at "localhost" (127.0.0.1), port 5432 failed: FATAL:  no pg_hba.conf entry for host "127.0.0.1", user "app", database "app", no encryption',
  ],
  ['node-self-signed-chain', 'self-signed certificate in certificate chain'],
  ['node-self-signed-chain', 'unable to verify the first certificate'],
  ['node-self-signed-chain', 'self-signed certificate'],
  [
    'node-altname',
    "Hostname/IP does not match certificate's altnames: Host: localhost. is not in the cert's altnames: DNS:db.example.test",
  ],
  // asyncpg 0.31.0 on CPython 3.11.7 against PostgreSQL 15.18 (run by hand; see docs/sslmode-rules.md).
  ['asyncpg-ssl-rejected', 'PostgreSQL server at "localhost:45432" rejected SSL upgrade'],
  [
    'asyncpg-root-missing',
    'root certificate file "/tmp/h12/empty/.postgresql/root.crt" does not exist or cannot be accessed\nHINT:  Provide the certificate file directly or make sure "/tmp/h12/empty/.postgresql/root.crt" exists and is readable.',
  ],
  [
    'asyncpg-cert-verify',
    '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)',
  ],
  [
    'asyncpg-cert-verify',
    "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate is not valid for 'localhost'. (_ssl.c:1006)",
  ],
  [
    'asyncpg-cert-verify',
    "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: IP address mismatch, certificate is not valid for '127.0.0.2'. (_ssl.c:1006)",
  ],
];

describe('diagnoseError', () => {
  it.each(TEXTS)('%s: explains the text, ranks causes and reproduces it', async (id, text) => {
    const d = diagnoseError(text);
    expect(d.id).toBe(id);
    expect(d.causes.length).toBeGreaterThan(0);
    expect(d.rule?.source).toMatch(/^[SD]: /);
    expect(d.reproduce).not.toBeNull();
    const out = await explainConnection(d.reproduce!);
    expect(out.connected).toBe(false);
    expect(diagnoseError(out.error ?? '').id).toBe(id);
  });

  it('reproduces the host name from the message', async () => {
    const d = diagnoseError(
      'server certificate for "db.example.test" (and 1 other name) does not match host name "other.example.test"',
    );
    const out = await explainConnection(d.reproduce!);
    expect(out.error).toBe(
      'connection to server at "127.0.0.1", port 5432 failed: server certificate for "db.example.test" (and 1 other name) does not match host name "other.example.test"',
    );
  });

  it('reproduces asyncpg texts exactly, host and port included', async () => {
    for (const text of [
      'PostgreSQL server at "db.internal:6432" rejected SSL upgrade',
      "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate is not valid for 'db.internal'. (_ssl.c:1006)",
      "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: IP address mismatch, certificate is not valid for '127.0.0.2'. (_ssl.c:1006)",
      'root certificate file "/srv/app/.postgresql/root.crt" does not exist or cannot be accessed\nHINT:  Provide the certificate file directly or make sure "/srv/app/.postgresql/root.crt" exists and is readable.',
    ]) {
      const out = await explainConnection(diagnoseError(text).reproduce!);
      expect(out.error).toBe(text);
    }
  });

  it('says so when it does not know a text', () => {
    expect(diagnoseError('something else entirely')).toMatchObject({ id: 'unknown', reproduce: null });
  });
});

describe('every error text the engines print is recognised', () => {
  it("each driver table's texts (pgJDBC, Npgsql, pgx, asyncpg)", () => {
    const unknown: string[] = [];
    for (const table of Object.values(DRIVER_RULES)) {
      const t = table.texts;
      // Both ways a table's verification fails: the TLS library's own (builtIn) and the driver's callback.
      const chain = (message: string) =>
        typeof t.chainFailed === 'string'
          ? [t.chainFailed]
          : [false, true].map((builtIn) =>
              (t.chainFailed as Exclude<typeof t.chainFailed, string>)({ code: 'x', message }, builtIn),
            );
      // 'in-chain' (pgx): Go's verifier reports the host name as a chain failure, in crypto/x509's words.
      const host = (h: string, goText: string) =>
        t.hostMismatch === 'in-chain' ? chain(goText) : [t.hostMismatch(h, 'PgjdbcHostnameVerifier')];
      const texts = [
        typeof t.sslNotSupported === 'string' ? t.sslNotSupported : t.sslNotSupported('db.internal', '5432'),
        t.rootMissing('/etc/ssl/ca.pem'),
        ...(t.rootMissingExplicit ? [t.rootMissingExplicit('/etc/ssl/ca.pem')] : []),
        // pgx words a chain failure as Go's crypto/x509 does; the others as OpenSSL's reasons.
        ...(t.hostMismatch === 'in-chain'
          ? [
              'x509: certificate signed by unknown authority',
              'x509: certificate has expired or is not yet valid: current time 2026-01-01T00:00:00Z is after 2025-06-01T00:00:00Z',
            ]
          : ['unable to get local issuer certificate', 'certificate has expired', 'self-signed certificate']
        ).flatMap(chain),
        ...host(
          'other.example.test',
          'x509: certificate is valid for db.example.test, not other.example.test',
        ),
        ...host(
          '10.0.0.7',
          "x509: cannot validate certificate for 10.0.0.7 because it doesn't contain any IP SANs",
        ),
        ...(t.versionRefused ? [t.versionRefused] : []),
      ];
      for (const text of texts)
        if (diagnoseError(text).id === 'unknown') unknown.push(`${table.driver}: ${text}`);
    }
    expect(unknown).toEqual([]);
  });
  it('every alert reason the engine prints, as libpq and as Node word it (clientcert.ts ALERT_REASONS)', () => {
    const unknown = Object.keys(ALERT_REASONS)
      .map(Number)
      .flatMap((n) => [`SSL error: ${ALERT_REASONS[n]}`, nodeAlertMessage(n)])
      .filter((text) => diagnoseError(text).id === 'unknown');
    expect(unknown).toEqual([]);
  });
  // libpq.ts and clientcert.ts: the lines libpq's engine prints besides the ones of the patterns' own samples.
  it.each([
    ['libpq-invalid-option', 'invalid sslnegotiation value: "tls"'],
    ['libpq-invalid-option', 'invalid gssencmode value: "required"'],
    ['libpq-invalid-option', 'invalid target_session_attrs value: "primary-only"'],
    ['libpq-invalid-option', 'invalid SSL protocol version range'],
    [
      'libpq-clientcert-unreadable',
      'could not read certificate file "/home/app/.postgresql/postgresql.crt": no start line',
    ],
    [
      'libpq-clientcert-unreadable',
      'could not load private key file "/home/app/.postgresql/postgresql.key": unsupported',
    ],
    ['libpq-no-cert-names', "could not get server's host name from server certificate"],
    [
      'connection-refused',
      'Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?',
    ],
    ['host-not-resolved', 'could not translate host name "db" to address: Name or service not known'],
    // node-postgres.ts
    ['host-not-resolved', 'getaddrinfo ENOTFOUND db.internal'],
    ['connection-refused', 'connect ECONNREFUSED 127.0.0.1:5432'],
    [
      'node-tls-socket-closed',
      'Client network socket disconnected before secure TLS connection was established',
    ],
    ['node-pem-unreadable', 'error:0480006C:PEM routines::no start line'],
    ['node-verify-other', 'certificate is not yet valid'],
    ['node-verify-other', 'Error: unable to get issuer certificate'],
    ['node-verify-other', 'CA signature digest algorithm too weak'],
  ])('libpq, node-postgres: %s: %s', (id, text) => {
    expect(diagnoseError(text).id).toBe(id);
  });
  // The same situations as the real programs word them (the lab's chain engine prints Go's x509 texts,
  // src/lib/pki/profiles/go.ts, from crypto/x509 HostnameError.Error() and CertificateInvalidError.Error()).
  it.each([
    ['pgjdbc-ssl-unsupported', 'org.postgresql.util.PSQLException: The server does not support SSL.'],
    [
      'npgsql-ssl-unsupported',
      'SSL connection requested. No SSL enabled connection from this host is configured.',
    ],
    ['npgsql-handshake', 'Exception while performing SSL handshake'],
    ['npgsql-handshake', 'Npgsql.NpgsqlException (0x80004005): Exception while performing SSL handshake'],
    [
      'go-hostname',
      'tls: failed to verify certificate: x509: certificate is valid for db.example.test, not other.example.test',
    ],
    ['go-hostname', 'x509: certificate is valid for 127.0.0.1, not 10.0.0.7'],
    ['go-hostname', 'x509: certificate is not valid for any names, but wanted to match db.internal'],
    [
      'go-expired',
      'x509: certificate has expired or is not yet valid: current time 2026-01-01T00:00:00Z is after 2021-01-01T00:00:00Z',
    ],
    [
      'pgx-root-missing',
      'cannot parse `sslrootcert=/etc/ca.pem`: failed to configure TLS (unable to read CA file: open /etc/ca.pem: no such file or directory)',
    ],
    ['npgsql-root-missing', "Could not find file '/etc/ssl/ca.pem'."],
    ['asyncpg-file-missing', '[Errno 2] No such file or directory'],
  ])('%s: %s', (id, text) => {
    expect(diagnoseError(text).id).toBe(id);
  });
});

describe('row 34: unrecognized configuration parameter "channel_binding"', () => {
  it('names the documented cause first: Bun.SQL forwarding it (oven-sh/bun#41703), then asyncpg', () => {
    const d = diagnoseError('FATAL:  unrecognized configuration parameter "channel_binding"');
    expect(d.id).toBe('channel-binding');
    expect(d.causes[0]).toMatch(/Bun\.SQL.*oven-sh\/bun#41703/);
    expect(d.causes[1]).toMatch(/asyncpg/);
  });
});

describe("libpq's two lines from sslmode=prefer and allow read as one story (sslmode-spec §1.8)", () => {
  const at = 'connection to server at "db.internal" (10.0.0.7), port 5432 failed: ';
  it('prefer with a wrong password against a hostssl-only server: the password, not pg_hba.conf', () => {
    const d = diagnoseError(
      `psql: error: ${at}FATAL:  password authentication failed for user "app"\n${at}FATAL:  no pg_hba.conf entry for host "10.0.0.9", user "app", database "app", no encryption`,
    );
    expect(d.id).toBe('libpq-two-attempts');
    expect(d.rule?.id).toBe('libpq.prefer.retry');
    expect(d.meaning).toMatch(
      /prefer.*first with TLS: the server asked for the password and refused it.*without TLS: no pg_hba\.conf line matched/,
    );
    expect(d.causes[0]).toMatch(/^The password is wrong/);
  });
  it('allow: the attempt without TLS comes first', () => {
    const d = diagnoseError(
      `${at}FATAL:  no pg_hba.conf entry for host "10.0.0.9", user "app", database "app", no encryption\n${at}SSL error: certificate verify failed`,
    );
    expect(d.id).toBe('libpq-two-attempts');
    expect(d.rule?.id).toBe('libpq.allow.retry');
    expect(d.causes[0]).toMatch(/root certificate file/);
  });
  it('two addresses of one host name (the same encryption on both lines) are not a retry', () => {
    const d = diagnoseError(
      'connection to server at "localhost" (::1), port 5432 failed: FATAL:  no pg_hba.conf entry for host "::1", user "app", database "app", no encryption\n' +
        'connection to server at "localhost" (127.0.0.1), port 5432 failed: FATAL:  no pg_hba.conf entry for host "127.0.0.1", user "app", database "app", no encryption',
    );
    expect(d.id).toBe('server-no-hba');
  });
});
