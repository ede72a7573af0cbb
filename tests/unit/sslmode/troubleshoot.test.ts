/**
 * The troubleshooter's reproduction reproduces: for every pattern, texts as users paste them (other hosts,
 * ports, home directories, psql's prefix) come back from the reproduced scenario's outcome.error, equal modulo
 * host, port and paths ('exact'), or with every pasted line present when the user left a line out ('partial').
 * A pattern without a scenario says so ('none'); a reproduction that prints something else is 'different' and
 * is never shown as one.
 */
import { describe, expect, it } from 'vitest';
import {
  normalizeErrorText,
  PATTERN_IDS,
  reproductionMatch,
  troubleshoot,
} from '../../../src/lib/sslmode/index.ts';
import { buildScenario, labStateFor, sslmodeControls } from '../../../src/app/views/sslmode/scenario.ts';
import { explainConnection } from '../../../src/lib/sslmode/index.ts';

const at = (host: string, port = 5432, ip?: string) =>
  `connection to server at "${host}"${ip ? ` (${ip})` : ''}, port ${port} failed: `;

/** Pattern id -> pasted texts and the match each must give. */
const SAMPLES: Record<string, [string, 'exact' | 'partial' | 'none'][]> = {
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
  'libpq-verify-failed': [[`psql: error: ${at('10.0.0.5')}SSL error: certificate verify failed`, 'exact']],
  'libpq-hostname': [
    [
      `${at('127.0.0.1')}server certificate for "db.example.test" (and 1 other name) does not match host name "127.0.0.1"`,
      'exact',
    ],
    [`${at('127.0.0.1')}server certificate for "localhost" does not match host name "127.0.0.1"`, 'exact'],
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
  'node-ssl-unsupported': [['The server does not support SSL connections', 'exact']],
  'node-self-signed-chain': [
    ['self-signed certificate in certificate chain', 'exact'],
    ['unable to verify the first certificate', 'exact'],
    ['self-signed certificate', 'exact'],
  ],
  'node-altname': [
    [
      "Hostname/IP does not match certificate's altnames: Host: localhost. is not in the cert's altnames: DNS:db.example.test, IP Address:127.0.0.1",
      'exact',
    ],
  ],
};

describe('troubleshoot: the reproduction reproduces', () => {
  it('every pattern has samples', () => {
    expect(PATTERN_IDS.filter((id) => !(id in SAMPLES))).toEqual([]);
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
