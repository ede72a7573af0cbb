/**
 * asyncpg rule table. asyncpg is not installed here (its registry is not reachable; see docs/sslmode-rules.md),
 * so these tests pin the rules as read in MagicStack/asyncpg asyncpg/connect_utils.py (SSLMode,
 * _parse_connect_dsn_and_args, TLSUpgradeProto, _connect_addr, __connect_addr) and asyncpg/exceptions/_base.py
 * (how an exception prints) against the generated PKI the PostgreSQL oracle uses; chain checks go through the
 * real certificate engine, so the OpenSSL reason inside CPython's text comes from the actual chain.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { explainConnection } from '../../../src/lib/sslmode/index.ts';
import type { ConnectionOutcome, Scenario } from '../../../src/lib/sslmode/types.ts';
import { makeOraclePki, type OraclePki } from '../../kit/pure/postgres-pki.ts';

let pki: OraclePki;
beforeAll(async () => {
  pki = await makeOraclePki();
});

const server = (over: Partial<Scenario['server']> = {}): Scenario['server'] => ({
  ssl: true,
  certificateChain: pki.servers.good.chainPem,
  hba: ['host all all 127.0.0.1/32 trust'],
  ...over,
});

const asyncpg = (
  dsn: string,
  files: Record<string, string> = {},
  s: Scenario['server'] = server(),
  env: Record<string, string> = {},
): Promise<ConnectionOutcome> =>
  explainConnection({
    client: { driver: 'asyncpg', conninfo: dsn, files, env, home: '/home/app' },
    server: s,
  });

const summary = (o: ConnectionOutcome): string =>
  o.connected
    ? `${o.encrypted ? 'ssl' : 'plain'} chain=${o.chainVerified} host=${o.hostnameVerified}`
    : `error: ${o.error}`;

describe('asyncpg: each sslmode against a good server, with Root A as ~/.postgresql/root.crt', () => {
  it.each([
    ['disable', 'plain chain=false host=false'],
    ['allow', 'plain chain=false host=false'],
    // sslmode < require: CERT_NONE even though a root file exists (unlike libpq, which verifies in prefer).
    ['prefer', 'ssl chain=false host=false'],
    ['require', 'ssl chain=true host=false'],
    ['verify-ca', 'ssl chain=true host=false'],
    ['verify-full', 'ssl chain=true host=true'],
  ])('%s', async (mode, expected) => {
    const out = await asyncpg(`postgres://app@localhost:5432/app?sslmode=${mode}`, {
      '~/.postgresql/root.crt': pki.rootA,
    });
    expect(out.sslmode).toBe(mode);
    expect(summary(out)).toBe(expected);
  });

  it('defaults to prefer over TCP, and PGSSLMODE counts when the DSN has no sslmode', async () => {
    expect((await asyncpg('postgresql://app@localhost/app')).sslmode).toBe('prefer');
    const env = await asyncpg('postgresql://app@localhost/app', {}, server(), { PGSSLMODE: 'disable' });
    expect(summary(env)).toBe('plain chain=false host=false');
    const dsnWins = await asyncpg('postgresql://app@localhost/app?sslmode=require', {}, server(), {
      PGSSLMODE: 'disable',
    });
    expect(dsnWins.encrypted).toBe(true);
  });

  it("accepts verify_full (SSLMode.parse replaces '-' by '_') and rejects an unknown value with its own text", async () => {
    expect((await asyncpg('postgres://app@localhost/app?sslmode=verify_full')).sslmode).toBe('verify-full');
    const bad = await asyncpg('postgres://app@localhost/app?sslmode=verify');
    expect(bad.connected).toBe(false);
    expect(bad.error).toBe(
      '`sslmode` parameter must be one of: disable, allow, prefer, require, verify-ca, verify-full',
    );
  });

  it('takes only a postgres:// or postgresql:// DSN', async () => {
    const out = await asyncpg('host=localhost user=app sslmode=require');
    expect(out.error).toBe(`invalid DSN: scheme is expected to be either "postgresql" or "postgres", got ''`);
    const jdbc = await asyncpg('jdbc:postgresql://localhost/app');
    expect(jdbc.error).toBe(
      `invalid DSN: scheme is expected to be either "postgresql" or "postgres", got 'jdbc'`,
    );
  });
});

describe('asyncpg root file rule (connect_utils.py _parse_connect_dsn_and_args)', () => {
  it('require without any root file connects unverified; with a root for another CA it fails on the chain', async () => {
    const none = await asyncpg('postgres://app@localhost/app?sslmode=require');
    expect(summary(none)).toBe('ssl chain=false host=false');
    const wrong = await asyncpg('postgres://app@localhost/app?sslmode=require', {
      '~/.postgresql/root.crt': pki.rootB,
    });
    expect(wrong.error).toBe(
      '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)',
    );
  });

  it('PGSSLROOTCERT names the root file when the DSN does not', async () => {
    const out = await asyncpg(
      'postgres://app@localhost/app?sslmode=verify-ca',
      { '/etc/ssl/pg-root.pem': pki.rootA },
      server(),
      { PGSSLROOTCERT: '/etc/ssl/pg-root.pem' },
    );
    expect(summary(out)).toBe('ssl chain=true host=false');
  });

  it('verify-ca without a root file fails before connecting, even against a server that would answer N', async () => {
    const out = await asyncpg('postgres://app@localhost/app?sslmode=verify-ca', {}, server({ ssl: false }));
    expect(out.error).toBe(
      'root certificate file "/home/app/.postgresql/root.crt" does not exist or cannot be accessed\n' +
        'HINT:  Provide the certificate file directly or make sure "/home/app/.postgresql/root.crt" exists and is readable.',
    );
    expect(out.steps.map((s) => s.rule)).toEqual(['asyncpg.ssl.config', 'asyncpg.rootcert']);
  });

  it('an explicit sslrootcert that is absent is a FileNotFoundError, in require too', async () => {
    const out = await asyncpg('postgres://app@localhost/app?sslmode=require&sslrootcert=/missing/root.pem');
    expect(out.error).toBe('[Errno 2] No such file or directory');
    // prefer never loads a root file.
    const prefer = await asyncpg('postgres://app@localhost/app?sslmode=prefer&sslrootcert=/missing/root.pem');
    expect(prefer.connected).toBe(true);
  });
});

describe('asyncpg texts (CPython ssl, TLSUpgradeProto, PostgresError.__str__)', () => {
  it('verify-full names the host in CPython’s mismatch text: Hostname for a name, IP address for an IP', async () => {
    const files = { '~/.postgresql/root.crt': pki.rootA };
    const name = await asyncpg(
      'postgres://app@localhost/app?sslmode=verify-full',
      files,
      server({ certificateChain: pki.servers.mismatch.chainPem }),
    );
    expect(name.error).toBe(
      "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate is not valid for 'localhost'. (_ssl.c:1006)",
    );
    const ip = await asyncpg(
      'postgres://app@127.0.0.1/app?sslmode=verify-full',
      files,
      server({ certificateChain: pki.servers.noip.chainPem }),
    );
    expect(ip.error).toBe(
      "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: IP address mismatch, certificate is not valid for '127.0.0.1'. (_ssl.c:1006)",
    );
  });

  it('require against ssl=off: rejected SSL upgrade, with host and port as written', async () => {
    const out = await asyncpg(
      'postgres://app@localhost:5432/app?sslmode=require',
      {},
      server({ ssl: false }),
    );
    expect(out.error).toBe('PostgreSQL server at "localhost:5432" rejected SSL upgrade');
  });

  it('a server error prints as its message alone', async () => {
    const out = await asyncpg(
      'postgres://app@localhost/app?sslmode=require',
      {},
      server({ hba: ['local all all peer'] }),
    );
    expect(out.error).toBe(
      'no pg_hba.conf entry for host "127.0.0.1", user "app", database "app", SSL encryption',
    );
  });
});

describe('asyncpg fallback (TLSUpgradeProto.data_received, __connect_addr)', () => {
  it('prefer: N continues in plaintext on the same socket, and a later auth error is not retried', async () => {
    const ok = await asyncpg('postgres://app@localhost/app', {}, server({ ssl: false }));
    expect(summary(ok)).toBe('plain chain=false host=false');
    const refused = await asyncpg(
      'postgres://app@localhost/app',
      {},
      server({ ssl: false, hba: ['local all all peer'] }),
    );
    expect(refused.error).toBe(
      'no pg_hba.conf entry for host "127.0.0.1", user "app", database "app", no encryption',
    );
    expect(refused.steps.filter((s) => s.kind === 'pg_hba')).toHaveLength(1);
  });

  it('prefer: 28000 after an SSL connection retries once without SSL', async () => {
    const ok = await asyncpg(
      'postgres://app@localhost/app',
      {},
      server({ hba: ['hostnossl all all 127.0.0.1/32 trust'] }),
    );
    expect(summary(ok)).toBe('plain chain=false host=false');
    const both = await asyncpg('postgres://app@localhost/app', {}, server({ hba: ['local all all peer'] }));
    // The plaintext attempt's error is the one raised.
    expect(both.error).toBe(
      'no pg_hba.conf entry for host "127.0.0.1", user "app", database "app", no encryption',
    );
  });

  it('prefer: a wrong password (28P01, a subclass of 28000) is retried without SSL too, unlike pgJDBC and pgx', async () => {
    const out = await asyncpg(
      'postgres://app:bad@localhost/app',
      {},
      server({ hba: ['host all all 127.0.0.1/32 scram-sha-256'], users: { app: 'good' } }),
    );
    expect(out.error).toBe('password authentication failed for user "app"');
    expect(out.steps.filter((s) => s.kind === 'pg_hba').map((s) => s.attempt)).toEqual([1, 2]);
  });

  it('prefer does not fall back after a TLS handshake failure: it raises it (pgx would retry in plaintext)', async () => {
    const old = server({ minProtocol: 'TLSv1', maxProtocol: 'TLSv1.1' });
    const out = await asyncpg('postgres://app@localhost/app', {}, old);
    expect(out.connected).toBe(false);
    expect(out.steps.filter((s) => s.kind === 'pg_hba')).toHaveLength(0);
    const pgx = await explainConnection({
      client: { driver: 'pgx', conninfo: 'postgres://app@localhost/app' },
      server: old,
    });
    expect(pgx.connected && !pgx.encrypted).toBe(true);
  });

  it('allow: plaintext first, then SSL after a pg_hba reject; SSL refused with N on the second attempt', async () => {
    const ok = await asyncpg(
      'postgres://app@localhost/app?sslmode=allow',
      {},
      server({ hba: ['hostssl all all 127.0.0.1/32 trust'] }),
    );
    expect(summary(ok)).toBe('ssl chain=false host=false');
    const n = await asyncpg(
      'postgres://app@localhost/app?sslmode=allow',
      {},
      server({ ssl: false, hba: ['hostssl all all 127.0.0.1/32 trust'] }),
    );
    expect(n.error).toBe('PostgreSQL server at "localhost:5432" rejected SSL upgrade');
  });
});
